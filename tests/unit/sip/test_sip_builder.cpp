// message_builder: responses per RFC 3261 §8.2.6 and built requests.
#include <catch2/catch.hpp>

#include "net/sip/builder.hpp"
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
} // namespace

TEST_CASE("a response copies Via in order From Call-ID CSeq and adds the To tag",
          "[sip][builder]") {
  const sip::message req = parse_ok(sample_invite());
  const sip::message res = sip::message_builder::response(req, 486, "", "tt99");
  CHECK(res.is_response());
  CHECK(res.status_code() == 486);
  CHECK(res.reason_phrase() == "Busy Here");
  CHECK(res.values(header_id::via) == req.values(header_id::via));
  CHECK(res.header(header_id::from) == req.header(header_id::from));
  CHECK(res.call_id() == req.call_id());
  CHECK(res.header(header_id::cseq) == req.header(header_id::cseq));
  CHECK(res.to()->tag() == "tt99");
  CHECK(res.to()->uri.user == "bob");
  CHECK(res.content_length() == std::optional<std::uint32_t>{0});
  CHECK(res.count(header_id::record_route) == 0); // not a 18x/2xx
  CHECK(res.count(header_id::contact) == 0);
  // The wire form parses again to the same message.
  CHECK(parse_ok(res.serialize()).serialize() == res.serialize());
}

TEST_CASE("a response keeps an existing To tag and none is added to 100",
          "[sip][builder]") {
  const sip::message req = parse_ok(sample_invite());
  const sip::message trying = sip::message_builder::response(req, 100, "Trying", "tag1");
  CHECK(trying.to()->tag().empty());
  CHECK(trying.reason_phrase() == "Trying");
  const sip::message in_dialog = parse_ok(
      replace(sample_invite(), "<sip:bob@biloxi.example.com>", "<sip:bob@b>;tag=old"));
  const sip::message ok = sip::message_builder::response(in_dialog, 200, "OK", "new");
  CHECK(ok.to()->tag() == "old");
  CHECK(ok.header(header_id::to).find("new") == std::string_view::npos);
  const sip::message no_tag = sip::message_builder::response(req, 404, "Not Found");
  CHECK(no_tag.to()->tag().empty());
}

TEST_CASE("Record-Route is copied into 18x and 2xx of dialog-creating requests",
          "[sip][builder]") {
  const sip::message req = parse_ok(sample_invite());
  const sip::message ringing = sip::message_builder::response(req, 180, "Ringing", "t");
  CHECK(ringing.values(header_id::record_route) == req.values(header_id::record_route));
  const sip::message ok = sip::message_builder::response(req, 200, "OK", "t");
  CHECK(ok.record_routes().size() == 2);
  const sip::message bye = parse_ok(replace(
      replace(sample_invite(), "INVITE sip:", "BYE sip:"), "314159 INVITE", "314159 BYE"));
  CHECK(sip::message_builder::response(bye, 200, "OK").count(header_id::record_route) == 0);
}

TEST_CASE("an error response to a request missing From To and Call-ID", "[sip][builder]") {
  const std::string text =
      "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
      "CSeq: 1 OPTIONS\r\n\r\n";
  sip::message req;
  const auto r = sip::parser{sip::limits{}}.parse(text, req);
  REQUIRE(r.answerable);
  const sip::message res = sip::message_builder::response(req, r.status, r.reason, "x");
  CHECK(res.status_code() == 400);
  CHECK(res.top_via()->branch() == "z9hG4bK1");
  CHECK(res.header(header_id::cseq) == "1 OPTIONS");
  CHECK(res.count(header_id::to) == 0);
}

TEST_CASE("default reason phrases", "[sip][builder]") {
  CHECK(sip::message_builder::default_reason(100) == "Trying");
  CHECK(sip::message_builder::default_reason(200) == "OK");
  CHECK(sip::message_builder::default_reason(413) == "Request Entity Too Large");
  CHECK(sip::message_builder::default_reason(481) == "Call/Transaction Does Not Exist");
  CHECK(sip::message_builder::default_reason(603) == "Decline");
  CHECK(sip::message_builder::default_reason(299).empty());
}

TEST_CASE("a built request has Content-Length and parses as received", "[sip][builder]") {
  sip::message m = sip::message_builder("INVITE", "sip:bob@biloxi.example.com")
                       .header("Via", "SIP/2.0/UDP h.example.com;branch=z9hG4bKb1")
                       .header("Max-Forwards", "70")
                       .header("From", "<sip:alice@a.example.com>;tag=1")
                       .header("To", "<sip:bob@biloxi.example.com>")
                       .header("Call-ID", "built-1")
                       .header("CSeq", "1 INVITE")
                       .body("application/sdp", sample_sdp())
                       .build();
  CHECK(m.method() == sip::method::invite);
  CHECK(m.request_uri().host == "biloxi.example.com");
  CHECK(m.content_length() == std::optional<std::uint32_t>{149});
  CHECK(m.content_type()->value == "application/sdp");
  CHECK(m.body() == sample_sdp());
  CHECK(parse_ok(m.serialize()).call_id() == "built-1");

  const sip::message res = sip::message_builder(404, "Not Here")
                               .header("Via", "SIP/2.0/UDP h;branch=z9hG4bK2")
                               .header("From", "<sip:a@b>;tag=1")
                               .header("To", "<sip:c@d>;tag=2")
                               .header("Call-ID", "x")
                               .header("CSeq", "2 BYE")
                               .build();
  CHECK(res.status_code() == 404);
  CHECK(res.reason_phrase() == "Not Here");
  CHECK(res.content_length() == std::optional<std::uint32_t>{0});
}
