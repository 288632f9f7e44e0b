#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "net/sdp/session.hpp"

namespace sdp = ringdown::sdp;

namespace {

constexpr std::string_view head = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\n"
                                  "c=IN IP4 10.0.0.1\r\nt=0 0\r\n";

struct bad {
  std::string text;
  std::string_view error_part; ///< must appear in the error text
};

const bad cases[] = {
    {"", "empty SDP"},
    {"\r\n\r\n", "empty SDP"},
    {"o=- 1 1 IN IP4 10.0.0.1\r\n", "line 1 \"o=- 1 1 IN IP4 10.0.0.1\": expected v="},
    {"v=1\r\n", "line 1 \"v=1\": unsupported protocol version"},
    {"v=0\r\ns=-\r\n", "line 2 \"s=-\": expected o="},
    {"v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\nt=0 0\r\n", "line 3 \"t=0 0\": expected s="},
    {"v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\n", "missing s="},
    {"v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\n", "missing t="},
    {"v=0\r\no=- 1 1 IN IP4\r\ns=-\r\nt=0 0\r\n", "line 2 \"o=- 1 1 IN IP4\": o= needs 6"},
    {"v=0\r\no=- 1 x IN IP4 1.1.1.1\r\ns=-\r\nt=0 0\r\n",
     "line 2 \"o=- 1 x IN IP4 1.1.1.1\": o= sess-version"},
    {std::string(head) + "hello\r\n", "line 6 \"hello\": not a <type>=<value> line"},
    {std::string(head) + "a sendrecv\r\n", "line 6 \"a sendrecv\": not a <type>=<value>"},
    {std::string(head) + "A=x\r\n", "line 6 \"A=x\": not a <type>=<value>"},
    {std::string(head) + "x=foo\r\n", "line 6 \"x=foo\": unknown line type"},
    {std::string(head) + "m=audio abc RTP/AVP 0\r\n",
     "line 6 \"m=audio abc RTP/AVP 0\": m= port is not a number"},
    {std::string(head) + "m=audio 70000 RTP/AVP 0\r\n",
     "line 6 \"m=audio 70000 RTP/AVP 0\": m= port above"},
    {std::string(head) + "m=audio 4000/0 RTP/AVP 0\r\n",
     "line 6 \"m=audio 4000/0 RTP/AVP 0\": m= port count"},
    {std::string(head) + "m=audio 4000 RTP/AVP\r\n",
     "line 6 \"m=audio 4000 RTP/AVP\": m= has no formats"},
    {std::string(head) + "m=audio 4000\r\n", "line 6 \"m=audio 4000\": m= needs"},
    {std::string(head) + "m=audio 4000 RTP/AVP 0\r\nt=0 0\r\n",
     "line 7 \"t=0 0\": session-level line inside"},
    {std::string(head) + "c=IN IP4 10.0.0.2\r\n",
     "line 6 \"c=IN IP4 10.0.0.2\": duplicate session-level c="},
    {std::string(head) + "b=AS:fast\r\n",
     "line 6 \"b=AS:fast\": b= bandwidth is not a number"},
    {std::string(head) + "b=AS64\r\n", "line 6 \"b=AS64\": b= needs"},
    {std::string(head) + "a=:x\r\n", "line 6 \"a=:x\": a= attribute name is not a token"},
    {std::string(head) + "a=a b\r\n", "line 6 \"a=a b\": a= attribute name"},
    {std::string(head) + "r=7d\r\n", "line 6 \"r=7d\": r= needs"},
    {std::string(head) + "z=1 2 3\r\n", "line 6 \"z=1 2 3\": z= needs pairs"},
    {std::string(head) + "o=- 1 1 IN IP4 10.0.0.1\r\n",
     "line 6 \"o=- 1 1 IN IP4 10.0.0.1\": duplicate line"},
    {"v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 1.2.3.4/300\r\nt=0 0\r\n",
     "line 4 \"c=IN IP4 1.2.3.4/300\": c= multicast ttl above 255"},
    {"v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4\r\nt=0 0\r\n",
     "line 4 \"c=IN IP4\": c= needs 3"},
    {"v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n",
     "line 5 \"m=audio 4000 RTP/AVP 0\": media section has no c= line"},
    {"v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nm=audio 4000 RTP/AVP 0\r\n",
     "line 4 \"m=audio 4000 RTP/AVP 0\": m= line before any t="},
    {std::string(head) + "t=x 0\r\n", "line 6 \"t=x 0\": t= needs two numbers"},
    {std::string(head) + std::string("a=x\0y\r\n", 7),
     "line 6 \"a=x?y\": control character"},
    {std::string(head) + "a=x\ry\r\n", "line 6 \"a=x?y\": control character"},
};

} // namespace

TEST_CASE("sdp parse: malformed bodies are rejected with the line named",
          "[sdp][malformed]") {
  for (const auto& c : cases) {
    INFO(c.text);
    std::string err;
    CHECK_FALSE(sdp::parse(c.text, &err));
    CHECK_THAT(err, Catch::Matchers::Contains(std::string(c.error_part)));
  }
}

TEST_CASE("sdp parse: a null error pointer is allowed", "[sdp][malformed]") {
  CHECK_FALSE(sdp::parse("garbage"));
  CHECK(sdp::parse(std::string(head)));
}

TEST_CASE("sdp parse: limits on size media and attributes", "[sdp][malformed][limits]") {
  std::string err;
  SECTION("body over 64 KiB") {
    std::string text(head);
    while (text.size() <= 64 * 1024)
      text += "a=padding:" + std::string(100, 'x') + "\r\n";
    CHECK_FALSE(sdp::parse(text, &err));
    CHECK_THAT(err, Catch::Matchers::Contains("exceeds the limit of 65536"));
  }
  SECTION("17 media sections") {
    std::string text(head);
    for (int m = 0; m < 17; ++m)
      text += "m=audio 4000 RTP/AVP 0\r\n";
    CHECK_FALSE(sdp::parse(text, &err));
    CHECK_THAT(err, Catch::Matchers::StartsWith(
                        "line 22 \"m=audio 4000 RTP/AVP 0\": more than 16 media"));
  }
  SECTION("129 attributes in a media section") {
    std::string text(head);
    text += "m=audio 4000 RTP/AVP 0\r\n";
    for (int a = 0; a < 129; ++a)
      text += "a=x\r\n";
    CHECK_FALSE(sdp::parse(text, &err));
    CHECK_THAT(err,
               Catch::Matchers::StartsWith("line 135 \"a=x\": more than 128 attributes"));
  }
  SECTION("129 session attributes") {
    std::string text(head);
    for (int a = 0; a < 129; ++a)
      text += "a=x\r\n";
    CHECK_FALSE(sdp::parse(text, &err));
    CHECK_THAT(err, Catch::Matchers::Contains("more than 128 attributes"));
  }
  SECTION("custom limits") {
    sdp::limits lim;
    lim.media_max = 1;
    std::string text(head);
    text += "m=audio 4000 RTP/AVP 0\r\nm=audio 4002 RTP/AVP 0\r\n";
    CHECK(sdp::parse(text));
    CHECK_FALSE(sdp::parse(text, lim, &err));
    CHECK_THAT(err, Catch::Matchers::Contains("more than 1 media"));
  }
}
