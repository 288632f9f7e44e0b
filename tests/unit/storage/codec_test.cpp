#include <cstdint>
#include <limits>
#include <vector>

#include <catch2/catch.hpp>

#include "base/random.hpp"
#include "storage/codec.hpp"

using namespace ringdown::storage;

TEST_CASE("codec round trips every field kind", "[storage][codec]") {
  constexpr auto u64_max = std::numeric_limits<std::uint64_t>::max();
  constexpr auto i64_min = std::numeric_limits<std::int64_t>::min();
  const std::vector<std::uint64_t> varints{
      0, 1, 127, 128, 16'383, 16'384, 1ULL << 35, 1ULL << 63, u64_max - 1, u64_max};
  encoder e;
  e.u8(0xab).u32(0xdeadbeef).u64(u64_max).i64(i64_min).i64(-1).boolean(true).boolean(false);
  for (auto v : varints)
    e.varint(v);
  e.str("").str("sip:alice@example.com").str(std::string("\0\xff", 2));

  decoder d(e.bytes());
  CHECK(d.u8() == 0xab);
  CHECK(d.u32() == 0xdeadbeef);
  CHECK(d.u64() == u64_max);
  CHECK(d.i64() == i64_min);
  CHECK(d.i64() == -1);
  CHECK(d.boolean());
  CHECK_FALSE(d.boolean());
  for (auto v : varints)
    CHECK(d.varint() == v);
  CHECK(d.str().empty());
  CHECK(d.str() == "sip:alice@example.com");
  CHECK(d.str() == std::string("\0\xff", 2));
  CHECK(d.ok());
  CHECK(d.done());
}

TEST_CASE("codec fixed integers are little endian", "[storage][codec]") {
  encoder e;
  e.u32(0x01020304).u64(0x1122334455667788ULL);
  CHECK(e.bytes() == std::string("\x04\x03\x02\x01\x88\x77\x66\x55\x44\x33\x22\x11", 12));
}

TEST_CASE("codec varint sizes follow LEB128", "[storage][codec]") {
  const std::vector<std::pair<std::uint64_t, std::size_t>> table{
      {0, 1},           {127, 1},
      {128, 2},         {16'383, 2},
      {16'384, 3},      {(1ULL << 56) - 1, 8},
      {1ULL << 56, 9},  {(1ULL << 63) - 1, 9},
      {1ULL << 63, 10}, {std::numeric_limits<std::uint64_t>::max(), 10}};
  for (const auto& [value, size] : table) {
    INFO(value);
    encoder e;
    e.varint(value);
    CHECK(e.bytes().size() == size);
  }
  encoder e;
  e.varint(300);
  CHECK(e.bytes() == "\xac\x02");
}

TEST_CASE("codec truncated input fails without reading past the end", "[storage][codec]") {
  encoder e;
  e.u8(1).u32(2).u64(3).varint(1ULL << 40).str("a longer string value");
  const auto full = e.bytes();
  for (std::size_t n = 0; n < full.size(); ++n) {
    INFO(n);
    // A copy of exactly n bytes: any read past it is caught by ASan.
    const std::string part = full.substr(0, n);
    decoder d(part);
    d.u8();
    d.u32();
    d.u64();
    d.varint();
    d.str();
    CHECK_FALSE(d.ok());
    CHECK_FALSE(d.done());
  }
  decoder d(full);
  d.u8();
  d.u32();
  d.u64();
  CHECK(d.varint() == 1ULL << 40);
  CHECK(d.str() == "a longer string value");
  CHECK(d.done());
}

TEST_CASE("codec corrupt input reads as zero values", "[storage][codec]") {
  SECTION("a varint longer than ten bytes") {
    const std::string bytes(11, '\x80');
    decoder d(bytes);
    CHECK(d.varint() == 0);
    CHECK_FALSE(d.ok());
  }
  SECTION("a tenth varint byte beyond 64 bits") {
    std::string bytes(9, '\xff');
    bytes.push_back('\x02');
    decoder d(bytes);
    CHECK(d.varint() == 0);
    CHECK_FALSE(d.ok());
  }
  SECTION("a string longer than what is left") {
    encoder e;
    e.varint(1000).u8('x');
    decoder d(e.bytes());
    CHECK(d.str().empty());
    CHECK_FALSE(d.ok());
  }
  SECTION("a string length near 2^64") {
    encoder e;
    e.varint(std::numeric_limits<std::uint64_t>::max()).u8('x');
    decoder d(e.bytes());
    CHECK(d.str().empty());
    CHECK_FALSE(d.ok());
  }
  SECTION("reads after a failure stay failed") {
    const std::string bytes("\x05", 1);
    decoder d(bytes);
    CHECK(d.u32() == 0);
    CHECK(d.u8() == 0); // the byte is there, but the decoder has failed
    CHECK_FALSE(d.ok());
  }
  SECTION("left-over bytes are not done") {
    const std::string bytes("\x05\x06", 2);
    decoder d(bytes);
    CHECK(d.u8() == 5);
    CHECK(d.ok());
    CHECK_FALSE(d.done());
  }
}

TEST_CASE("codec random bytes never break the decoder", "[storage][codec]") {
  ringdown::rng gen(0x5eed);
  for (int round = 0; round < 2000; ++round) {
    std::string bytes(gen.below(40), '\0');
    for (auto& c : bytes)
      c = static_cast<char>(gen.below(256));
    decoder d(bytes);
    std::size_t consumed_guard = 0;
    while (d.ok() && !d.done() && consumed_guard++ < 100) {
      switch (gen.below(6)) {
      case 0:
        d.u8();
        break;
      case 1:
        d.u32();
        break;
      case 2:
        d.u64();
        break;
      case 3:
        d.varint();
        break;
      default: {
        const auto s = d.str();
        // A view into the input, never outside it.
        if (!s.empty()) {
          CHECK(s.data() >= bytes.data());
          CHECK(s.data() + s.size() <= bytes.data() + bytes.size());
        }
      }
      }
    }
    CHECK(consumed_guard <= 100);
  }
}
