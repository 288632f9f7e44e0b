#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "base/random.hpp"
#include "net/sdp/hold.hpp"
#include "net/sdp/offer_answer.hpp"
#include "net/sdp/session.hpp"
#include "tests/unit/sdp/samples.hpp"

namespace sdp = ringdown::sdp;
namespace samples = ringdown::sdp::samples;

namespace {

/// One seeded random edit: overwrite, delete or insert a byte, or duplicate a line.
void mutate(std::string& text, ringdown::rng& gen) {
  static constexpr std::string_view alphabet = " \t\r\n=:/-0123456789amtcbvosxAZ.;|^";
  if (text.empty()) {
    text = "v=0\r\n";
    return;
  }
  const auto pos = gen.below(text.size());
  const char c = alphabet[gen.below(alphabet.size())];
  switch (gen.below(4)) {
  case 0:
    text[pos] = c;
    break;
  case 1:
    text.erase(pos, 1);
    break;
  case 2:
    text.insert(text.begin() + static_cast<std::ptrdiff_t>(pos), c);
    break;
  default: {
    const auto start = text.rfind('\n', pos);
    const auto from = start == std::string::npos ? 0 : start + 1;
    const auto end = text.find('\n', pos);
    const auto line =
        text.substr(from, end == std::string::npos ? std::string::npos : end - from + 1);
    text.insert(from, line);
  }
  }
}

} // namespace

TEST_CASE("sdp roundtrip: seeded mutations parse serialize parse to an equal session",
          "[sdp][roundtrip]") {
  const std::string_view bodies[] = {
      samples::polycom, samples::cisco, samples::yealink,    samples::baresip,
      samples::turret,  samples::srtp,  samples::ipv6_mixed, samples::multicast};
  ringdown::rng gen{20261122};
  sdp::capabilities caps;
  caps.codecs = {{"PCMA", 8000, 1, "", "audio"}, {"PCMU", 8000, 1, "", "audio"}};
  caps.endpoints = {{"10.0.0.1", 4000}, {"10.0.0.1", 4002}};
  int accepted = 0, rejected = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text(bodies[gen.below(std::size(bodies))]);
    const auto edits = 1 + gen.below(4);
    for (std::uint64_t e = 0; e < edits; ++e)
      mutate(text, gen);
    INFO("round " << round << ":\n" << text);
    std::string err;
    auto s = sdp::parse(text, &err);
    if (!s) {
      ++rejected;
      REQUIRE_FALSE(err.empty());
      continue;
    }
    ++accepted;
    const auto out = sdp::serialize(*s);
    auto again = sdp::parse(out, &err);
    REQUIRE(again);
    REQUIRE(*again == *s);
    REQUIRE(sdp::serialize(*again) == out);
    sdp::origin_state origin{"10.0.0.1", 1, 1};
    const auto answer = sdp::make_answer(*s, caps, origin);
    auto parsed_answer = sdp::parse(sdp::serialize(answer.sdp));
    REQUIRE(parsed_answer);
    REQUIRE(*parsed_answer == answer.sdp);
    REQUIRE(sdp::parse(sdp::serialize(sdp::make_hold(*s))));
  }
  // Both paths were exercised.
  CHECK(accepted > 100);
  CHECK(rejected > 100);
}
