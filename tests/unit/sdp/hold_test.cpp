#include <string>

#include <catch2/catch.hpp>

#include "net/sdp/direction.hpp"
#include "net/sdp/hold.hpp"
#include "tests/unit/sdp/samples.hpp"

namespace sdp = ringdown::sdp;
namespace samples = ringdown::sdp::samples;

namespace {

sdp::session body(std::string_view session_extra, std::string_view media_extra,
                  std::string_view port = "4000") {
  std::string text =
      "v=0\r\no=- 7 99 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n";
  text.append(session_extra).append("m=audio ").append(port).append(" RTP/AVP 8\r\n");
  text.append(media_extra);
  auto s = sdp::parse(text);
  REQUIRE(s);
  return *s;
}

} // namespace

TEST_CASE("sdp hold: detection table", "[sdp][hold]") {
  struct row {
    std::string_view session_extra, media_extra, port;
    bool held;
  };
  const row rows[] = {
      {"", "", "4000", false},
      {"", "a=sendrecv\r\n", "4000", false},
      {"", "a=recvonly\r\n", "4000", false},
      {"", "a=sendonly\r\n", "4000", true},
      {"", "a=inactive\r\n", "4000", true},
      {"a=sendonly\r\n", "", "4000", true},                // session level applies
      {"a=sendonly\r\n", "a=sendrecv\r\n", "4000", false}, // media level overrides
      {"", "c=IN IP4 0.0.0.0\r\n", "4000", true},          // RFC 2543 legacy hold
      {"", "c=IN IP4 0.0.0.0\r\na=sendrecv\r\n", "4000", true},
      {"", "a=sendonly\r\n", "0", false}, // a rejected stream is not a hold
  };
  for (const auto& r : rows) {
    INFO(r.session_extra << "|" << r.media_extra << "|" << r.port);
    const auto s = body(r.session_extra, r.media_extra, r.port);
    CHECK(sdp::is_held(s, s.media[0]) == r.held);
    CHECK(sdp::is_hold_offer(s) == r.held);
  }
  auto legacy = sdp::parse("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 0.0.0.0\r\n"
                           "t=0 0\r\nm=audio 4000 RTP/AVP 0\r\n");
  REQUIRE(legacy);
  CHECK(sdp::is_hold_offer(*legacy));
}

TEST_CASE("sdp hold: every active stream must be held", "[sdp][hold]") {
  auto s = body("", "a=sendonly\r\n");
  s.media.push_back(s.media[0]);
  CHECK(sdp::is_hold_offer(s));
  sdp::set_direction(s.media[1].attributes, sdp::direction::sendrecv);
  CHECK_FALSE(sdp::is_hold_offer(s));
  s.media[1].port = 0;
  CHECK(sdp::is_hold_offer(s));
}

TEST_CASE("sdp hold: make_hold and make_resume", "[sdp][hold]") {
  auto ours = sdp::parse(samples::turret); // o= version 4712, a=sendrecv
  REQUIRE(ours);
  CHECK_FALSE(sdp::is_hold_offer(*ours));
  const auto held = sdp::make_hold(*ours);
  CHECK(sdp::is_hold_offer(held));
  CHECK(sdp::media_direction(held, held.media[0]) == sdp::direction::sendonly);
  CHECK(held.origin.sess_version == "4713");
  CHECK(held.origin.sess_id == ours->origin.sess_id);
  CHECK(held.media[0].formats == ours->media[0].formats);
  const auto resumed = sdp::make_resume(held);
  CHECK_FALSE(sdp::is_hold_offer(resumed));
  CHECK(sdp::media_direction(resumed, resumed.media[0]) == sdp::direction::sendrecv);
  CHECK(resumed.origin.sess_version == "4714");
  // Exactly one direction attribute is left in the stream.
  int directions = 0;
  for (const auto& a : resumed.media[0].attributes)
    directions += sdp::parse_direction(a.name).has_value() && !a.value;
  CHECK(directions == 1);
  auto back = sdp::parse(sdp::serialize(held));
  REQUIRE(back);
  CHECK(*back == held);
}

TEST_CASE("sdp hold: recvonly becomes inactive and session direction is dropped",
          "[sdp][hold]") {
  const auto s = body("a=recvonly\r\n", "");
  const auto held = sdp::make_hold(s);
  CHECK(held.attributes.empty());
  CHECK(sdp::media_direction(held, held.media[0]) == sdp::direction::inactive);
  CHECK(sdp::is_hold_offer(held));
}

TEST_CASE("sdp hold: versions from an origin state and digit carry", "[sdp][hold]") {
  sdp::origin_state origin{"10.0.0.1", 7, 41};
  const auto first = origin.next();
  CHECK(first.sess_version == "41");
  auto s = body("", "");
  s.origin = first;
  const auto held = sdp::make_hold(s, origin);
  CHECK(held.origin.sess_version == "42");
  const auto resumed = sdp::make_resume(held, origin);
  CHECK(resumed.origin.sess_version == "43");
  sdp::origin o;
  o.sess_version = "1999";
  CHECK(sdp::increment_version(o));
  CHECK(o.sess_version == "2000");
  o.sess_version = "99";
  CHECK(sdp::increment_version(o));
  CHECK(o.sess_version == "100");
  o.sess_version = "x";
  CHECK_FALSE(sdp::increment_version(o));
  CHECK(o.sess_version == "x");
}
