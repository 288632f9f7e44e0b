#include <catch2/catch.hpp>

#include "apps/ringdownd/request_responder.hpp"
#include "base/random.hpp"
#include "net/sip/parser.hpp"
#include "tests/unit/transport/sip_text.hpp"

using namespace ringdown;

namespace {

constexpr std::string_view via = "SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKr1";

sip::message parse(const std::string& text) {
  sip::limits lim;
  sip::parser p{lim};
  sip::message m;
  const auto r = p.parse(text, m);
  REQUIRE(r.ok());
  return m;
}

/// The response as it goes on the wire, parsed back.
sip::message wire(const sip::message& response) {
  return parse(response.serialize());
}

struct responder_case {
  const char* name;
  const char* method;
  const char* extra;
  int status;
  const char* header; ///< a header the response must carry ("" for none)
  const char* value;  ///< its expected value
};

} // namespace

TEST_CASE("request_responder answers per RFC 3261 8.2", "[responder]") {
  constexpr const char* allow_all = "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, "
                                    "SUBSCRIBE, NOTIFY, PUBLISH, REFER, UPDATE, INFO";
  const responder_case cases[] = {
      {"OPTIONS", "OPTIONS", "", 200, "Allow", allow_all},
      {"OPTIONS Accept", "OPTIONS", "", 200, "Accept", "application/sdp"},
      {"OPTIONS Max-Forwards 0", "OPTIONS", "Max-Forwards: 0\r\n", 200, "Allow", allow_all},
      {"MESSAGE not served", "MESSAGE", "", 405, "Allow", allow_all},
      {"unknown method", "FROB", "", 501, "Allow", allow_all},
      {"CANCEL without transaction", "CANCEL", "", 481, "", ""},
      {"Require unknown", "OPTIONS", "Require: foo, bar\r\n", 420, "Unsupported",
       "foo, bar"},
      {"Max-Forwards 0 on INVITE", "INVITE", "Max-Forwards: 0\r\n", 483, "", ""},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    rng gen{42};
    id_generator ids{gen, "test"};
    ringdownd::request_responder responder{ids, "Ringdown/test"};
    auto text = test::request_text(c.method, via, c.extra);
    if (std::string_view{c.extra}.starts_with("Max-Forwards")) {
      // Replace the default Max-Forwards: 70 by the case's own.
      text.erase(text.find("Max-Forwards: 70\r\n"), 18);
    }
    const auto request = parse(text);
    const auto response = responder.respond(request);
    REQUIRE(response);
    const auto out = wire(*response);
    CHECK(out.status_code() == c.status);
    CHECK(out.call_id() == "c1@t");
    CHECK(out.header("Server") == "Ringdown/test");
    CHECK(out.content_length() == std::optional<std::uint32_t>{0});
    const auto to = out.to();
    REQUIRE(to);
    CHECK_FALSE(to->tag().empty());
    const auto top = out.top_via();
    REQUIRE(top);
    CHECK(top->branch() == "z9hG4bKr1");
    if (*c.header != '\0')
      CHECK(out.header(c.header) == c.value);
  }
}

TEST_CASE("request_responder OPTIONS carries Supported", "[responder]") {
  rng gen{1};
  id_generator ids{gen, "test"};
  ringdownd::request_responder responder{ids, ringdownd::request_responder::product()};
  const auto response = responder.respond(parse(test::request_text("OPTIONS", via)));
  REQUIRE(response);
  const auto out = wire(*response);
  CHECK(out.count(sip::header_id::supported) == 1);
  CHECK(out.header("Server").starts_with("Ringdown/"));
}

TEST_CASE("request_responder absorbs ACK", "[responder]") {
  rng gen{2};
  id_generator ids{gen, "test"};
  ringdownd::request_responder responder{ids, "Ringdown/test"};
  CHECK_FALSE(responder.respond(parse(test::request_text("ACK", via))).has_value());
}

TEST_CASE("request_responder keeps an existing To-tag", "[responder]") {
  rng gen{3};
  id_generator ids{gen, "test"};
  ringdownd::request_responder responder{ids, "Ringdown/test"};
  auto text = test::request_text("OPTIONS", via);
  text.replace(text.find("To: <sip:ringdown@127.0.0.1>"), 28,
               "To: <sip:ringdown@127.0.0.1>;tag=existing");
  const auto response = responder.respond(parse(text));
  REQUIRE(response);
  const auto out = wire(*response);
  const auto to = out.to();
  REQUIRE(to);
  CHECK(to->tag() == "existing");
}
