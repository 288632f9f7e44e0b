#include "base/ids.hpp"

namespace ringdown {

namespace {
// Lower-case base32 alphabet: token-safe for Call-ID, tag and branch.
constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
} // namespace

void id_generator::append_random(std::string& out, int bits) {
  while (bits > 0) {
    std::uint64_t word = gen_();
    for (int used = 0; used + 5 <= 64 && bits > 0; used += 5, bits -= 5) {
      out.push_back(alphabet[word & 31U]);
      word >>= 5;
    }
  }
}

std::string id_generator::call_id() {
  std::string out;
  out.reserve(27 + 1 + host_.size());
  append_random(out, 130);
  if (!host_.empty()) {
    out.push_back('@');
    out.append(host_);
  }
  return out;
}

std::string id_generator::tag() {
  std::string out;
  out.reserve(13);
  append_random(out, 65);
  return out;
}

std::string id_generator::branch() {
  std::string out{branch_cookie};
  out.reserve(branch_cookie.size() + 20);
  append_random(out, 100);
  return out;
}

} // namespace ringdown
