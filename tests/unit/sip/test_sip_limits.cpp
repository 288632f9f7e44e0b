// sip::limits enforcement: 413 for size, 400 for header count and line
// length, 414 for the Request-URI, and whether each is answerable.
#include <catch2/catch.hpp>

#include "net/sip/parser.hpp"
#include "tests/unit/sip/sip_samples.hpp"

namespace sip = ringdown::sip;
using sip::parse_error;
using namespace ringdown::sip::test;

TEST_CASE("a request over message_bytes_max is answered 413", "[sip][limits]") {
  sip::limits lim;
  lim.message_bytes_max = 300;
  const sip::parser p{lim};
  sip::message m;
  const std::string text = sample_invite();
  REQUIRE(text.size() > 300);
  const auto r = p.parse(text, m);
  CHECK(r.error == parse_error::too_large);
  CHECK(r.status == 413);
  CHECK(r.answerable);
  CHECK(m.call_id() == "a84b4c76e66710@pc33.atlanta.example.com");
  lim.message_bytes_max = text.size();
  CHECK(sip::parser{lim}.parse(text, m).ok());
}

TEST_CASE("a response over message_bytes_max is refused and not answerable",
          "[sip][limits]") {
  sip::limits lim;
  lim.message_bytes_max = 100;
  sip::message m;
  const auto r = sip::parser{lim}.parse(sample_response(), m);
  CHECK(r.error == parse_error::too_large);
  CHECK_FALSE(r.answerable);
}

TEST_CASE("too many header fields is answered 400", "[sip][limits]") {
  sip::limits lim;
  lim.headers_max = 13;
  sip::message m;
  const std::string text = sample_invite();
  CHECK(sip::parser{lim}.parse(text, m).ok()); // exactly 13 fields
  lim.headers_max = 12;
  const auto r = sip::parser{lim}.parse(text, m);
  CHECK(r.error == parse_error::too_many_headers);
  CHECK(r.status == 400);
  CHECK(r.answerable);
}

TEST_CASE("a header line over line_bytes_max is answered 400", "[sip][limits]") {
  sip::limits lim;
  lim.line_bytes_max = 200;
  const std::string text = replace(
      sample_invite(), "X-Custom-Thing:", "X-Long: " + std::string(250, 'a') + "\r\nX-C:");
  sip::message m;
  const auto r = sip::parser{lim}.parse(text, m);
  CHECK(r.error == parse_error::line_too_long);
  CHECK(r.status == 400);
  CHECK(r.answerable);
  // Folded lines count as one logical line.
  const std::string folded = replace(sample_invite(), "X-Custom-Thing:",
                                     "X-Long: " + std::string(150, 'a') + "\r\n " +
                                         std::string(150, 'b') + "\r\nX-C:");
  CHECK(sip::parser{lim}.parse(folded, m).error == parse_error::line_too_long);
}

TEST_CASE("a Request-URI over line_bytes_max is answered 414", "[sip][limits]") {
  sip::limits lim;
  lim.line_bytes_max = 200;
  const std::string text =
      replace(sample_invite(), "sip:bob@biloxi.example.com SIP",
              "sip:" + std::string(250, 'b') + "@biloxi.example.com SIP");
  sip::message m;
  const auto r = sip::parser{lim}.parse(text, m);
  CHECK(r.error == parse_error::line_too_long);
  CHECK(r.status == 414);
  CHECK(r.answerable);
}

TEST_CASE("an over-long line without a usable Via is not answerable", "[sip][limits]") {
  sip::limits lim;
  lim.line_bytes_max = 40;
  const std::string text = replace(sample_invite(), "pc33.atlanta.example.com;branch",
                                   "pc33.atlanta.example.com;;=");
  sip::message m;
  const auto r = sip::parser{lim}.parse(text, m);
  CHECK(r.error == parse_error::line_too_long);
  CHECK_FALSE(r.answerable);
}
