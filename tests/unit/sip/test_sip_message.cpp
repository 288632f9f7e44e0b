// sip::message: byte-exact round trip, copies and moves that stay valid,
// and edits (Via parameters, headers, body) with Content-Length kept right.
#include <catch2/catch.hpp>

#include "net/sip/parser.hpp"
#include "tests/unit/sip/sip_samples.hpp"

namespace sip = ringdown::sip;
using sip::header_id;
using namespace ringdown::sip::test;

namespace {
sip::message parse_ok(const std::string& text) {
  sip::message m;
  const auto r = sip::parser{sip::limits{}}.parse(text, m);
  INFO("reason " << r.reason);
  REQUIRE(r.ok());
  return m;
}

// Parses the wire form again: an edited message must still be valid.
sip::message reparse(const sip::message& m) {
  return parse_ok(m.serialize());
}
} // namespace

TEST_CASE("serialize returns the received bytes unchanged", "[sip][message]") {
  const std::string odd = replace(
      sample_invite(),
      "X-Custom-Thing:", "x-UNKNOWN  :  a\r\n\tfolded ;;, value \r\nX-Custom-Thing:");
  const sip::message m = parse_ok(odd);
  CHECK(m.serialize() == odd);
  CHECK(m.raw() == odd);
  std::string out = "prefix:";
  m.serialize_to(out);
  CHECK(out == "prefix:" + odd);
  CHECK(m.header("X-Unknown") == "a\r\n\tfolded ;;, value");
}

TEST_CASE("copies and moves keep every view valid", "[sip][message]") {
  auto original = std::make_unique<sip::message>(parse_ok(sample_invite()));
  sip::message copy(*original);
  sip::message assigned;
  assigned = *original;
  original.reset();
  for (const sip::message* m : {&copy, &assigned}) {
    CHECK(m->request_uri().host == "biloxi.example.com");
    CHECK(m->request_uri().text == "sip:bob@biloxi.example.com");
    CHECK(m->call_id() == "a84b4c76e66710@pc33.atlanta.example.com");
  }
  sip::message moved(std::move(copy));
  CHECK(moved.request_uri().user == "bob");
  sip::message move_assigned;
  move_assigned = std::move(moved);
  CHECK(move_assigned.request_uri().user == "bob");
  CHECK(move_assigned.request_uri().user.data() >= move_assigned.raw().data());
  CHECK(move_assigned.request_uri().user.data() <
        move_assigned.raw().data() + move_assigned.raw().size());
  std::vector<sip::message> many(20, move_assigned); // vector growth moves them
  for (int i = 0; i < 50; ++i)
    many.push_back(many.back());
  CHECK(many.front().request_uri().host == "biloxi.example.com");
  CHECK(many.back().request_uri().host == "biloxi.example.com");
}

TEST_CASE("set_top_via_param adds or replaces received and rport", "[sip][message]") {
  sip::message m = parse_ok(sample_invite());
  m.set_top_via_param("received", "192.0.2.50");
  m.set_top_via_param("rport", "5062");
  auto top = m.top_via();
  REQUIRE(top.has_value());
  CHECK(top->received() == "192.0.2.50");
  CHECK(top->rport() == std::optional<std::uint16_t>{5062});
  CHECK(top->branch() == "z9hG4bK776asdhds");
  m.set_top_via_param("received", "192.0.2.51");
  CHECK(m.top_via()->received() == "192.0.2.51");
  CHECK(m.count(header_id::via) == 2);
  const sip::message again = reparse(m);
  CHECK(again.top_via()->received() == "192.0.2.51");
  CHECK(again.body() == sample_sdp());
  CHECK(again.serialize().find("rport=5062;received=192.0.2.51\r\n") != std::string::npos);
  // Only the first value of a multi-value line is touched.
  sip::message r = parse_ok(replace(sample_invite(),
                                    "Via: SIP/2.0/UDP pc33.atlanta.example.com;"
                                    "branch=z9hG4bK776asdhds;rport\r\n",
                                    ""));
  r.set_top_via_param("received", "10.0.0.1");
  std::vector<sip::via> vias;
  CHECK(r.for_each_via([&vias](const sip::via& v) { vias.push_back(v); }));
  REQUIRE(vias.size() == 2);
  CHECK(vias[0].received() == "10.0.0.1");
  CHECK(vias[1].received() == "192.0.2.9");
}

TEST_CASE("prepend append and remove headers", "[sip][message]") {
  sip::message m = parse_ok(sample_invite());
  m.prepend_header("Via", "SIP/2.0/UDP proxy.example.com;branch=z9hG4bKnew");
  CHECK(m.top_via()->host == "proxy.example.com");
  CHECK(m.count(header_id::via) == 3);
  m.prepend_header("Record-Route", "<sip:me.example.com;lr>");
  CHECK(m.record_routes().front().uri.host == "me.example.com");
  m.append_header("Record-Route", "<sip:last.example.com;lr>");
  CHECK(m.record_routes().back().uri.host == "last.example.com");
  m.append_header("X-New", "1");
  CHECK(m.name_of(m.fields().back()) == "X-New");
  m.prepend_header("Route", "<sip:r.example.com;lr>"); // none yet: at the end
  CHECK(m.routes().size() == 1);
  m.remove_first(header_id::via);
  CHECK(m.top_via()->host == "pc33.atlanta.example.com");
  m.remove_first(header_id::route);
  CHECK(m.routes().empty());
  m.remove_first(header_id::subject); // absent: no change
  const sip::message again = reparse(m);
  CHECK(again.body() == sample_sdp());
  CHECK(again.header("X-New") == "1");
  CHECK(again.count(header_id::record_route) == 3);
}

TEST_CASE("remove_first_value pops one element of a comma list", "[sip][message]") {
  const std::string text = "BYE sip:bob@192.0.2.4 SIP/2.0\r\n"
                           "Via: SIP/2.0/UDP a.example;branch=z9hG4bKa, "
                           "SIP/2.0/UDP b.example;branch=z9hG4bKb\r\n"
                           "Route: <sip:p1.example;lr>,  <sip:p2.example;lr>\r\n"
                           "X-Desk: 42\r\n"
                           "Route: <sip:p3.example;lr>\r\n"
                           "Max-Forwards: 70\r\n"
                           "From: <sip:a@example>;tag=1\r\n"
                           "To: <sip:b@example>;tag=2\r\n"
                           "Call-ID: rfv@t\r\n"
                           "CSeq: 2 BYE\r\n"
                           "Content-Length: 0\r\n\r\n";
  sip::message m = parse_ok(text);
  m.remove_first_value(header_id::route);
  REQUIRE(m.routes().size() == 2);
  CHECK(m.routes()[0].uri.host == "p2.example");
  CHECK(m.header(header_id::route) == "<sip:p2.example;lr>");
  m.remove_first_value(header_id::route); // the field's last element: line gone
  REQUIRE(m.routes().size() == 1);
  CHECK(m.routes()[0].uri.host == "p3.example");
  CHECK(m.count(header_id::route) == 1);
  m.remove_first_value(header_id::via);
  CHECK(m.top_via()->host == "b.example");
  CHECK(m.count(header_id::via) == 1);
  m.remove_first_value(header_id::subject); // absent: no change
  const sip::message again = reparse(m);
  CHECK(again.header("X-Desk") == "42");
  CHECK(again.routes().size() == 1);
  // Everything but the edited fields is kept byte for byte.
  CHECK(again.serialize().find("X-Desk: 42\r\nRoute: <sip:p3.example;lr>\r\n") !=
        std::string::npos);
}

TEST_CASE("set_first replaces a value in place or appends it", "[sip][message]") {
  sip::message m = parse_ok(sample_invite());
  const auto before = m.serialize();
  m.set_first(header_id::max_forwards, "69");
  CHECK(m.max_forwards() == 69u);
  auto expected = before;
  const auto at = expected.find("Max-Forwards: 70");
  REQUIRE(at != std::string::npos);
  expected.replace(at, 16, "Max-Forwards: 69");
  CHECK(m.serialize() == expected);
  m.remove_first(header_id::max_forwards);
  m.set_first(header_id::max_forwards, "70");
  CHECK(m.max_forwards() == 70u);
  CHECK(reparse(m).body() == sample_sdp());
}

TEST_CASE("set_body replaces body Content-Length and Content-Type", "[sip][message]") {
  sip::message m = parse_ok(sample_invite());
  m.set_body("text/plain", "hello");
  CHECK(m.body() == "hello");
  CHECK(m.content_length() == std::optional<std::uint32_t>{5});
  CHECK(m.content_type()->value == "text/plain");
  CHECK(m.count(header_id::content_length) == 1);
  CHECK(reparse(m).body() == "hello");
  m.set_body("", "");
  CHECK(m.body().empty());
  CHECK(m.content_length() == std::optional<std::uint32_t>{0});
  CHECK(m.content_type()->value == "text/plain"); // kept when not given

  sip::message no_cl = parse_ok(replace(sample_response(), "Content-Length: 0\r\n", ""));
  no_cl.set_body("application/sdp", sample_sdp());
  CHECK(no_cl.content_length() == std::optional<std::uint32_t>{149});
  CHECK(no_cl.content_type()->value == "application/sdp");
  CHECK(reparse(no_cl).body() == sample_sdp());
}
