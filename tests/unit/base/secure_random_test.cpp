#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

#include "base/secure_random.hpp"

using namespace ringdown;

TEST_CASE("secure_random fills the whole buffer with fresh bytes each time",
          "[base][random]") {
  std::array<std::uint8_t, 32> a{};
  std::array<std::uint8_t, 32> b{};
  secure_random(a);
  secure_random(b);
  CHECK(a != b); // 2^-256 to fail by chance
  // Every byte value turns up in 64 KiB (each misses with probability
  // (255/256)^65536, about 1e-111).
  std::vector<std::uint8_t> big(65536);
  secure_random(big);
  std::array<bool, 256> seen{};
  for (const auto x : big)
    seen[x] = true;
  CHECK(std::count(seen.begin(), seen.end(), false) == 0);
  // The tail of an odd-sized buffer is filled too.
  std::vector<std::uint8_t> odd(33, 0);
  bool tail_set = false;
  for (int i = 0; i < 8 && !tail_set; ++i) {
    secure_random(odd);
    tail_set = odd.back() != 0;
  }
  CHECK(tail_set);
}
