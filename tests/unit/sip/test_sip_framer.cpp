// stream_framer: RFC 3261 §18.3 framing by Content-Length and RFC 5626
// §4.4.1 CRLF keep-alives on TCP/TLS.
#include <catch2/catch.hpp>

#include "net/sip/stream_framer.hpp"
#include "tests/unit/sip/sip_samples.hpp"

namespace sip = ringdown::sip;
using kind = sip::stream_framer::kind;
using namespace ringdown::sip::test;

TEST_CASE("framer returns a message split across feeds once complete", "[sip][framer]") {
  const std::string msg = sample_invite();
  for (std::size_t cut :
       {std::size_t{1}, std::size_t{40}, msg.size() - 149, msg.size() - 1}) {
    INFO(cut);
    sip::stream_framer f{sip::limits{}};
    f.feed(std::string_view(msg).substr(0, cut));
    CHECK(f.next().what == kind::need_more);
    f.feed(std::string_view(msg).substr(cut));
    auto it = f.next();
    REQUIRE(it.what == kind::message);
    CHECK(it.bytes == msg);
    CHECK(f.next().what == kind::need_more);
    CHECK(f.buffered() == 0);
  }
}

TEST_CASE("framer returns two messages from one feed in order", "[sip][framer]") {
  sip::stream_framer f{sip::limits{}};
  f.feed(sample_invite() + sample_response() + "SIP/2.0 2");
  auto a = f.next();
  REQUIRE(a.what == kind::message);
  CHECK(a.bytes == sample_invite());
  auto b = f.next();
  REQUIRE(b.what == kind::message);
  CHECK(b.bytes == sample_response());
  CHECK(f.next().what == kind::need_more);
  CHECK(f.buffered() == 9);
}

TEST_CASE("framer reports a CRLFCRLF ping and skips a lone CRLF", "[sip][framer]") {
  sip::stream_framer f{sip::limits{}};
  f.feed("\r\n\r\n");
  CHECK(f.next().what == kind::ping);
  CHECK(f.next().what == kind::need_more);
  f.feed("\r\n"); // could be half a ping: wait
  CHECK(f.next().what == kind::need_more);
  f.feed("\r\n");
  CHECK(f.next().what == kind::ping);
  f.feed("\r\n" + sample_response()); // a pong before a message
  auto it = f.next();
  REQUIRE(it.what == kind::message);
  CHECK(it.bytes == sample_response());
  f.feed(sample_response() + "\r\n\r\n");
  CHECK(f.next().what == kind::message);
  CHECK(f.next().what == kind::ping);
}

TEST_CASE("framer refuses missing bad or repeated Content-Length", "[sip][framer]") {
  const std::string variants[] = {
      replace(sample_response(), "Content-Length: 0\r\n", ""),
      replace(sample_response(), "Content-Length: 0", "Content-Length: -5"),
      replace(sample_response(), "Content-Length: 0", "Content-Length: 1x"),
      replace(sample_response(), "Content-Length: 0", "Content-Length: 0\r\nl: 0"),
      replace(sample_response(), "Content-Length: 0", "Content-Length: 99999999"),
  };
  for (const std::string& v : variants) {
    INFO(v);
    sip::stream_framer f{sip::limits{}};
    f.feed(v);
    CHECK(f.next().what == kind::error);
    f.feed(sample_response()); // the stream cannot recover
    CHECK(f.next().what == kind::error);
  }
}

TEST_CASE("framer accepts compact and folded Content-Length", "[sip][framer]") {
  sip::stream_framer f{sip::limits{}};
  const std::string compact =
      replace(sample_response(), "Content-Length: 0", "l:\r\n 4") + "abcd";
  f.feed(compact);
  auto it = f.next();
  REQUIRE(it.what == kind::message);
  CHECK(it.bytes == compact);
}

TEST_CASE("framer bounds its buffer by message_bytes_max", "[sip][framer]") {
  sip::limits lim;
  lim.message_bytes_max = 1000;
  sip::stream_framer f{lim};
  f.feed("INVITE sip:a@b SIP/2.0\r\n");
  for (int i = 0; i < 100 && f.next().what == kind::need_more; ++i)
    f.feed("X-Filler: 0123456789\r\n");
  CHECK(f.next().what == kind::error);
  sip::stream_framer g{lim};
  g.feed(replace(sample_response(), "Content-Length: 0", "Content-Length: 900"));
  CHECK(g.next().what == kind::error); // headers + body over the limit
}
