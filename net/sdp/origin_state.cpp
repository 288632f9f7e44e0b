#include "net/sdp/origin_state.hpp"

#include "base/assert.hpp"
#include "net/sdp/text.hpp"

namespace ringdown::sdp {

origin_state::origin_state(std::string address, std::uint64_t session_id,
                           std::uint64_t version, std::string username)
    : username_(std::move(username)), address_(std::move(address)), session_id_(session_id),
      version_(version) {
  RINGDOWN_ASSERT(!address_.empty(), "origin_state needs an address");
  RINGDOWN_ASSERT(!username_.empty() && username_.find(' ') == std::string::npos,
                  "o= username must be one non-empty token");
}

origin_state origin_state::create(std::string address, rng& gen, std::string username) {
  const std::uint64_t id = gen() >> 2;
  return origin_state{std::move(address), id, id, std::move(username)};
}

origin origin_state::next() {
  if (issued_)
    ++version_;
  issued_ = true;
  return current();
}

origin origin_state::current() const {
  return origin{username_, std::to_string(session_id_), std::to_string(version_),
                "IN",      addrtype_of(address_),       address_};
}

std::string addrtype_of(std::string_view address) {
  return address.find(':') == std::string_view::npos ? "IP4" : "IP6";
}

bool increment_version(origin& o) {
  if (!text::all_digits(o.sess_version))
    return false;
  auto& v = o.sess_version;
  std::size_t i = v.size();
  while (i > 0) {
    --i;
    if (v[i] != '9') {
      ++v[i];
      return true;
    }
    v[i] = '0';
  }
  v.insert(v.begin(), '1');
  return true;
}

} // namespace ringdown::sdp
