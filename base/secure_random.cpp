#include "base/secure_random.hpp"

#include <algorithm>
#include <climits>

#include <openssl/rand.h>

#include "base/assert.hpp"

namespace ringdown {

void secure_random(std::span<std::uint8_t> out) {
  while (!out.empty()) {
    const auto n = std::min<std::size_t>(out.size(), INT_MAX);
    const int ok = RAND_bytes(out.data(), static_cast<int>(n));
    RINGDOWN_ASSERT(ok == 1, "the cryptographic random generator failed");
    out = out.subspan(n);
  }
}

} // namespace ringdown
