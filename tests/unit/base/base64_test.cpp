#include <string>
#include <utility>

#include <catch2/catch.hpp>

#include "base/base64.hpp"

using namespace ringdown;

namespace {

std::string enc(std::string_view in, base64::alphabet a, base64::padding p) {
  return base64::encode(in, a, p);
}

} // namespace

TEST_CASE("base64: RFC 4648 section 10 test vectors", "[base][base64]") {
  using base64::alphabet;
  using base64::padding;
  // (input, padded encoding) from RFC 4648 §10.
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, padded] : vectors) {
    INFO(plain);
    CHECK(enc(plain, alphabet::standard, padding::pad) == padded);
    const auto unpadded = padded.substr(0, padded.find('='));
    CHECK(enc(plain, alphabet::standard, padding::none) == unpadded);
    std::string out = "stale";
    REQUIRE(base64::decode(unpadded, alphabet::standard, out));
    CHECK(out == plain);
  }
}

TEST_CASE("base64: the two alphabets differ only in values 62 and 63", "[base][base64]") {
  using base64::alphabet;
  using base64::padding;
  const std::string bytes{"\xfb\xff\xbf", 3}; // 111110 111111 111110 111111
  CHECK(enc(bytes, alphabet::standard, padding::none) == "+/+/");
  CHECK(enc(bytes, alphabet::url, padding::none) == "-_-_");
  std::string out;
  REQUIRE(base64::decode("-_-_", alphabet::url, out));
  CHECK(out == bytes);
  CHECK_FALSE(base64::decode("-_-_", alphabet::standard, out));
  CHECK_FALSE(base64::decode("+/+/", alphabet::url, out));
  CHECK(base64::value_of('A', alphabet::url) == 0);
  CHECK(base64::value_of('9', alphabet::standard) == 61);
  CHECK(base64::value_of('=', alphabet::standard) == -1);
}

TEST_CASE("base64: every byte value round-trips at every length", "[base][base64]") {
  std::string all;
  for (int i = 0; i < 256; ++i)
    all.push_back(static_cast<char>(i));
  for (std::size_t n = 0; n <= all.size(); n += 37) {
    const auto in = all.substr(all.size() - n);
    for (const auto a : {base64::alphabet::standard, base64::alphabet::url}) {
      const auto text = enc(in, a, base64::padding::none);
      CHECK(text.size() == (n * 4 + 2) / 3);
      std::string out;
      REQUIRE(base64::decode(text, a, out));
      CHECK(out == in);
    }
  }
}

TEST_CASE("base64: decode refuses bad characters lengths and padding", "[base][base64]") {
  using base64::alphabet;
  std::string out;
  CHECK_FALSE(base64::decode("Zm9vY", alphabet::standard, out)); // length % 4 == 1
  CHECK_FALSE(base64::decode("Zm9v*g", alphabet::standard, out));
  CHECK_FALSE(base64::decode("Zg==", alphabet::standard, out)); // padding is stripped first
  CHECK_FALSE(base64::decode("Zm 9v", alphabet::url, out));
}
