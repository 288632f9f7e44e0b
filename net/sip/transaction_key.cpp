#include "net/sip/transaction_key.hpp"

#include <cctype>
#include <string_view>

#include "base/ids.hpp"

namespace ringdown::sip {
namespace {

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::size_t mix(std::size_t seed, std::size_t h) noexcept {
  return seed ^ (h + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}

std::size_t hash_str(std::string_view s) noexcept {
  return std::hash<std::string_view>{}(s);
}

} // namespace

std::optional<client_key> client_key::of(const message& m) {
  const auto v = m.top_via();
  const auto cs = m.cseq();
  if (!v || !cs || v->branch().empty())
    return std::nullopt;
  return client_key{std::string{v->branch()}, std::string{cs->method_text}};
}

std::optional<server_key> server_key::of(const message& request) {
  const auto v = request.top_via();
  const auto cs = request.cseq();
  if (!request.is_request() || !v || !cs)
    return std::nullopt;
  server_key k;
  k.branch = std::string{v->branch()};
  k.sent_by = lower(v->host) + ':' + std::to_string(v->port);
  const bool ack_or_invite = cs->method == method::ack || cs->method == method::invite;
  k.method =
      cs->method == method::ack ? std::string{"INVITE"} : std::string{cs->method_text};
  k.rfc3261 = id_generator::is_rfc3261_branch(k.branch);
  if (k.rfc3261)
    return k;
  const auto from = request.from();
  const auto to = request.to();
  if (!from || !to)
    return std::nullopt;
  k.rfc2543.append(request.request_uri_text()).append(1, '\n');
  k.rfc2543.append(from->tag()).append(1, '\n');
  k.rfc2543.append(request.call_id()).append(1, '\n');
  k.rfc2543.append(std::to_string(cs->number)).append(1, '\n');
  if (!ack_or_invite)
    k.rfc2543.append(to->tag()); // last: cancel_target() drops it
  return k;
}

server_key server_key::cancel_target() const {
  server_key k = *this;
  k.method = "INVITE";
  if (!k.rfc3261)
    k.rfc2543.erase(k.rfc2543.rfind('\n') + 1); // the To tag
  return k;
}

} // namespace ringdown::sip

std::size_t std::hash<ringdown::sip::client_key>::operator()(
    const ringdown::sip::client_key& k) const noexcept {
  using namespace ringdown::sip;
  return mix(hash_str(k.branch), hash_str(k.method));
}

std::size_t std::hash<ringdown::sip::server_key>::operator()(
    const ringdown::sip::server_key& k) const noexcept {
  using namespace ringdown::sip;
  std::size_t h = mix(hash_str(k.branch), hash_str(k.sent_by));
  h = mix(h, hash_str(k.method));
  if (!k.rfc3261)
    h = mix(h, hash_str(k.rfc2543));
  return h;
}
