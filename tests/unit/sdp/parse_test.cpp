#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "net/sdp/session.hpp"
#include "tests/unit/sdp/samples.hpp"

namespace sdp = ringdown::sdp;
namespace samples = ringdown::sdp::samples;

namespace {

struct sample {
  std::string_view name;
  std::string_view text;
  std::size_t media;
  std::size_t first_media_attributes;
};

const sample all_samples[] = {
    {"polycom", samples::polycom, 1, 8},       {"cisco", samples::cisco, 1, 5},
    {"yealink", samples::yealink, 1, 11},      {"baresip", samples::baresip, 1, 9},
    {"turret", samples::turret, 1, 5},         {"srtp", samples::srtp, 1, 7},
    {"ipv6_mixed", samples::ipv6_mixed, 2, 1}, {"multicast", samples::multicast, 1, 0},
};

std::string to_lf(std::string_view crlf) {
  std::string out;
  for (char c : crlf)
    if (c != '\r')
      out += c;
  return out;
}

} // namespace

TEST_CASE("sdp parse: real-world bodies parse and serialize back byte for byte",
          "[sdp][parse]") {
  for (const auto& s : all_samples) {
    INFO(s.name);
    std::string err;
    auto parsed = sdp::parse(s.text, &err);
    REQUIRE(parsed);
    CHECK(err.empty());
    CHECK(parsed->media.size() == s.media);
    CHECK(parsed->media.front().attributes.size() == s.first_media_attributes);
    CHECK(sdp::serialize(*parsed) == s.text);
    auto again = sdp::parse(sdp::serialize(*parsed));
    REQUIRE(again);
    CHECK(*again == *parsed);
  }
}

TEST_CASE("sdp parse: LF-only line ends and trailing blanks are tolerated",
          "[sdp][parse]") {
  for (const auto& s : all_samples) {
    INFO(s.name);
    auto crlf = sdp::parse(s.text);
    auto lf = sdp::parse(to_lf(s.text));
    REQUIRE(crlf);
    REQUIRE(lf);
    CHECK(*lf == *crlf);
  }
  auto sloppy = sdp::parse("v=0 \no=- 1 1 IN IP4 10.0.0.1  \r\ns=-\nc=IN IP4 10.0.0.1\t\n"
                           "t=0 0 \nm=audio 4000 RTP/AVP 0 8  \na=sendrecv \n\r\n\n");
  REQUIRE(sloppy);
  CHECK(sloppy->media[0].formats == std::vector<std::string>{"0", "8"});
  CHECK(sloppy->media[0].attributes[0].name == "sendrecv");
  CHECK(sdp::serialize(*sloppy) == "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\n"
                                   "c=IN IP4 10.0.0.1\r\nt=0 0\r\n"
                                   "m=audio 4000 RTP/AVP 0 8\r\na=sendrecv\r\n");
}

TEST_CASE("sdp parse: fields of the origin connection and media lines", "[sdp][parse]") {
  auto s = sdp::parse(samples::ipv6_mixed);
  REQUIRE(s);
  CHECK(s->origin.username == "alice");
  CHECK(s->origin.sess_id == "2890844526");
  CHECK(s->origin.sess_version == "2890842807");
  CHECK(s->origin.addrtype == "IP6");
  REQUIRE(s->connection);
  CHECK(s->connection->addrtype == "IP6");
  CHECK(s->connection->address == "2001:db8::10");
  CHECK(s->information == std::optional<std::string>("Trading floor desk"));
  CHECK(s->emails == std::vector<std::string>{"ops@example.com"});
  CHECK(s->phones == std::vector<std::string>{"+44 20 7946 0000"});
  REQUIRE(s->timings.size() == 1);
  CHECK(s->timings[0].start == 2873397496u);
  CHECK(s->timings[0].repeats.at(0) == std::vector<std::string>{"7d", "1h", "0", "25h"});
  CHECK(s->zones.size() == 4);
  const auto& audio = s->media[0];
  CHECK(audio.port == 49170);
  CHECK(audio.port_count == std::optional<std::uint32_t>(2));
  CHECK(audio.information == std::optional<std::string>("Main audio"));
  const auto& video = s->media[1];
  CHECK(video.type == "video");
  CHECK(video.key == std::optional<std::string>("prompt"));
  REQUIRE(video.bandwidths.size() == 1);
  CHECK(video.bandwidths[0] == sdp::bandwidth{"AS", 512});
  CHECK(sdp::effective_connection(*s, video)->address == "2001:db8::11");
  CHECK(sdp::effective_connection(*s, audio)->address == "2001:db8::10");
}

TEST_CASE("sdp parse: multicast connection forms", "[sdp][parse]") {
  auto s = sdp::parse(samples::multicast);
  REQUIRE(s);
  CHECK(*s->connection == sdp::connection{"IN", "IP4", "224.2.1.1", 127u, 3u});
  const auto& cs = s->media[0].connections;
  REQUIRE(cs.size() == 2);
  CHECK(cs[0] == sdp::connection{"IN", "IP6", "FF15::101", std::nullopt, 3u});
  CHECK(cs[1] == sdp::connection{"IN", "IP4", "224.2.1.9", 64u, std::nullopt});
}

TEST_CASE("sdp parse: bandwidth kinds and unknown attributes are kept in order",
          "[sdp][parse]") {
  auto s = sdp::parse(samples::cisco);
  REQUIRE(s);
  CHECK(s->bandwidths == std::vector<sdp::bandwidth>{{"AS", 64}});
  CHECK(s->media[0].bandwidths == std::vector<sdp::bandwidth>{{"TIAS", 64000}});
  const auto& attrs = s->media[0].attributes;
  CHECK(attrs.back() == sdp::attribute{"X-cisco-media", std::string("umoh")});
  auto b = sdp::parse(samples::baresip);
  REQUIRE(b);
  CHECK(b->attributes ==
        std::vector<sdp::attribute>{{"tool", std::string("baresip 2.0.0")}});
  CHECK(b->media[0].attributes[5] == sdp::attribute{"rtcp-mux", std::nullopt});
  CHECK(b->media[0].attributes[8].value ==
        std::optional<std::string>("3377443 cname:d3a1-c0ff-ee"));
}

TEST_CASE("sdp parse: session lines out of RFC order are accepted and reordered",
          "[sdp][parse]") {
  auto s = sdp::parse("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\na=x\r\n"
                      "c=IN IP4 10.0.0.1\r\nb=CT:100\r\nm=audio 4000 RTP/AVP 0\r\n");
  REQUIRE(s);
  CHECK(sdp::serialize(*s) ==
        "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\n"
        "b=CT:100\r\nt=0 0\r\na=x\r\nm=audio 4000 RTP/AVP 0\r\n");
}

TEST_CASE("sdp parse: text fields keep their blanks and empty values", "[sdp][parse]") {
  const std::string_view text =
      "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns= \r\nc=IN IP4 10.0.0.1\r\n"
      "t=0 0\r\na=empty:\r\nm=audio 0 RTP/AVP\r\n";
  auto s = sdp::parse(text);
  REQUIRE(s);
  CHECK(s->name == " ");
  CHECK(s->attributes[0].value == std::optional<std::string>(""));
  CHECK(s->media[0].formats.empty());
  CHECK(sdp::serialize(*s) == text);
}

TEST_CASE("sdp parse: a rejected stream may lack a connection line", "[sdp][parse]") {
  const std::string_view text = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\n"
                                "m=audio 4000 RTP/AVP 0\r\nc=IN IP4 10.0.0.1\r\n"
                                "m=video 0 RTP/AVP 31\r\n";
  auto s = sdp::parse(text);
  REQUIRE(s);
  CHECK(sdp::effective_connection(*s, s->media[1]) == nullptr);
  CHECK(sdp::serialize(*s) == text);
}

TEST_CASE("sdp parse: a body at the limits parses", "[sdp][parse][limits]") {
  std::string text =
      "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n";
  for (int a = 0; a < 128; ++a)
    text += "a=s" + std::to_string(a) + "\r\n";
  for (int m = 0; m < 16; ++m) {
    text += "m=audio " + std::to_string(4000 + 2 * m) + " RTP/AVP 0\r\n";
    for (int a = 0; a < 128; ++a)
      text += "a=x:" + std::to_string(a) + "\r\n";
  }
  REQUIRE(text.size() < 64 * 1024);
  auto s = sdp::parse(text);
  REQUIRE(s);
  CHECK(s->media.size() == 16);
  CHECK(s->media.back().attributes.size() == 128);
  CHECK(sdp::serialize(*s) == text);
}
