// RFC 4475 messages arriving on a stream transport (TCP/TLS): what the RFC
// says about framing them with Content-Length (RFC 3261 §18.3).
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "net/sip/stream_framer.hpp"
#include "tests/torture/torture_cases.hpp"

namespace {

namespace sip = ringdown::sip;
using kind = sip::stream_framer::kind;

// Valid messages whose Content-Length frames them exactly (dblreq and
// inv2543 are datagram cases: trailing noise / no Content-Length).
constexpr std::string_view framed_valid[] = {
    "wsinv",   "intmeth", "esc01",      "escnull", "esc02",    "lwsdisp",
    "longreq", "semiuri", "transports", "mpart01", "unreason", "noreason",
};

} // namespace

TEST_CASE("RFC 4475 valid messages frame whole on a stream", "[torture][framer]") {
  for (std::string_view name : framed_valid) {
    DYNAMIC_SECTION(name) {
      const std::string bytes = ringdown::torture::load_message(name);
      sip::stream_framer framer{sip::limits{}};
      framer.feed(bytes);
      auto item = framer.next();
      REQUIRE(item.what == kind::message);
      CHECK(item.bytes == bytes);
      CHECK(framer.next().what == kind::need_more);
      CHECK(framer.buffered() == 0);
    }
  }
}

TEST_CASE("RFC 4475 valid messages frame the same when fed byte by byte",
          "[torture][framer]") {
  for (std::string_view name : framed_valid) {
    DYNAMIC_SECTION(name) {
      const std::string bytes = ringdown::torture::load_message(name);
      sip::stream_framer framer{sip::limits{}};
      int messages = 0;
      for (char ch : bytes) {
        framer.feed(std::string_view(&ch, 1));
        for (auto item = framer.next(); item.what != kind::need_more;
             item = framer.next()) {
          REQUIRE(item.what == kind::message);
          CHECK(item.bytes == bytes);
          ++messages;
        }
      }
      CHECK(messages == 1);
    }
  }
}

TEST_CASE("RFC 4475 clerr on a stream waits for the missing body", "[torture][framer]") {
  // §3.1.2.2: over TCP "there's not much the receiving party could do but
  // wait for more data on the stream".
  sip::stream_framer framer{sip::limits{}};
  framer.feed(ringdown::torture::load_message("clerr"));
  CHECK(framer.next().what == kind::need_more);
}

TEST_CASE("RFC 4475 negative or conflicting Content-Length closes a stream",
          "[torture][framer]") {
  // §3.1.2.3 ncl and §3.3.9 mcl01: over TCP "the framing error is not
  // recoverable, and the connection should be closed".
  for (std::string_view name : {std::string_view("ncl"), std::string_view("mcl01")}) {
    DYNAMIC_SECTION(name) {
      sip::stream_framer framer{sip::limits{}};
      framer.feed(ringdown::torture::load_message(name));
      CHECK(framer.next().what == kind::error);
    }
  }
}
