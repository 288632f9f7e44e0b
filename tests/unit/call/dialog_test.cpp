// dialog: RFC 3261 §12 creation on both sides, in-dialog requests, ACK.
#include <catch2/catch.hpp>

#include "actors/call/dialog.hpp"
#include "net/sip/builder.hpp"

using namespace ringdown;
using namespace ringdown::call;

namespace {

local_address here() {
  return {"sip:b2bua@127.0.0.1:5060"};
}

sip::message invite_with_routes() {
  return sip::message_builder("INVITE", "sip:bob@example.com")
      .header("Via", "SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bK1")
      .header("Max-Forwards", "70")
      .header("Record-Route", "<sip:p1.example.com;lr>")
      .header("Record-Route", "<sip:p2.example.com;lr>")
      .header("From", "<sip:alice@example.com>;tag=A1")
      .header("To", "<sip:bob@example.com>")
      .header("Call-ID", "c1@x")
      .header("CSeq", "7 INVITE")
      .header("Contact", "<sip:alice@10.0.0.1:5070>")
      .build();
}

} // namespace

TEST_CASE("UAS dialog takes id target route set and remote CSeq from the INVITE",
          "[call][dialog]") {
  const sip::message inv = invite_with_routes();
  dialog d = dialog::from_uas(inv, "L9", here());
  CHECK(d.id() == dialog_id{"c1@x", "L9", "A1"});
  CHECK(d.remote_target() == "sip:alice@10.0.0.1:5070");
  REQUIRE(d.route_set().size() == 2);
  CHECK(d.route_set()[0] == "<sip:p1.example.com;lr>");
  CHECK(d.remote_cseq() == std::optional<std::uint32_t>{7});
  CHECK(d.destination() == "sip:p1.example.com;lr");

  const sip::message bye = d.make_request("BYE");
  CHECK(bye.method() == sip::method::bye);
  CHECK(bye.request_uri_text() == "sip:alice@10.0.0.1:5070"); // loose routing
  REQUIRE(bye.routes().size() == 2);
  CHECK(bye.routes()[0].uri_text == "sip:p1.example.com;lr");
  CHECK(bye.from()->tag() == "L9");
  CHECK(bye.from()->uri_text == "sip:bob@example.com");
  CHECK(bye.to()->tag() == "A1");
  CHECK(bye.cseq()->number == 1);
  // No Via: the transport stamps its own when it sends (sip_stack).
  CHECK(bye.count(sip::header_id::via) == 0);
  CHECK(bye.serialize().find("Via:") == std::string::npos);
  CHECK(bye.call_id() == "c1@x");
  CHECK(bye.count(sip::header_id::contact) == 0); // BYE is no target refresh
  const sip::message reinv = d.make_request("INVITE", {}, "application/sdp", "v=0\r\n");
  CHECK(reinv.cseq()->number == 2);
  CHECK(reinv.count(sip::header_id::contact) == 1);
  CHECK(reinv.body() == "v=0\r\n");
}

TEST_CASE("UAC dialog reverses the Record-Route of the response", "[call][dialog]") {
  const sip::message inv = sip::message_builder("INVITE", "sip:bob@10.0.0.3")
                               .header("Via", "SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK2")
                               .header("Max-Forwards", "70")
                               .header("From", "<sip:alice@example.com>;tag=F1")
                               .header("To", "<sip:bob@example.com>")
                               .header("Call-ID", "c2@x")
                               .header("CSeq", "3 INVITE")
                               .header("Record-Route", "<sip:p1.example.com;lr>")
                               .header("Record-Route", "<sip:p2.example.com;lr>")
                               .build();
  auto ok = sip::message_builder::response(inv, 200, "OK", "T2");
  ok.append_header("Contact", "<sip:bob@10.0.0.3:5080>");
  const auto d = dialog::from_uac(inv, ok, here());
  REQUIRE(d);
  CHECK(d->id() == dialog_id{"c2@x", "F1", "T2"});
  CHECK(d->confirmed());
  CHECK(d->local_cseq() == 3);
  REQUIRE(d->route_set().size() == 2);
  CHECK(d->route_set()[0] == "<sip:p2.example.com;lr>");
  CHECK(d->remote_target() == "sip:bob@10.0.0.3:5080");
  // §13.2.2.4: the ACK has the INVITE's CSeq number and method ACK.
  const sip::message ack = d->make_ack(3);
  CHECK(ack.method() == sip::method::ack);
  CHECK(ack.cseq()->number == 3);
  CHECK(ack.cseq()->method == sip::method::ack);
  CHECK(ack.to()->tag() == "T2");
  CHECK(ack.from()->tag() == "F1");
  CHECK(ack.request_uri_text() == "sip:bob@10.0.0.3:5080");
}

TEST_CASE("UAC dialog needs a To tag", "[call][dialog]") {
  const sip::message inv = invite_with_routes();
  const auto trying = sip::message_builder::response(inv, 100, "Trying");
  CHECK_FALSE(dialog::from_uac(inv, trying, here()));
  const auto ringing = sip::message_builder::response(inv, 180, "Ringing", "T3");
  const auto d = dialog::from_uac(inv, ringing, here());
  REQUIRE(d);
  CHECK_FALSE(d->confirmed()); // early dialog
}

TEST_CASE("strict router becomes the Request-URI and the target the last Route",
          "[call][dialog]") {
  const sip::message inv = sip::message_builder("INVITE", "sip:bob@example.com")
                               .header("Via", "SIP/2.0/UDP 127.0.0.2;branch=z9hG4bK3")
                               .header("Max-Forwards", "70")
                               .header("Record-Route", "<sip:strict.example.com>")
                               .header("From", "<sip:alice@example.com>;tag=A1")
                               .header("To", "<sip:bob@example.com>")
                               .header("Call-ID", "c3@x")
                               .header("CSeq", "1 INVITE")
                               .header("Contact", "<sip:alice@10.0.0.1>")
                               .build();
  dialog d = dialog::from_uas(inv, "L1", here());
  const sip::message bye = d.make_request("BYE");
  CHECK(bye.request_uri_text() == "sip:strict.example.com");
  REQUIRE(bye.routes().size() == 1);
  CHECK(bye.routes()[0].uri_text == "sip:alice@10.0.0.1");
}

TEST_CASE("in-dialog request with a lower CSeq gets 500", "[call][dialog]") {
  const sip::message inv = invite_with_routes();
  dialog d = dialog::from_uas(inv, "L9", here());
  auto req = [](std::uint32_t n) {
    return sip::message_builder("INFO", "sip:b2bua@127.0.0.1")
        .header("Via", "SIP/2.0/UDP 127.0.0.2;branch=z9hG4bK" + std::to_string(n))
        .header("Max-Forwards", "70")
        .header("From", "<sip:alice@example.com>;tag=A1")
        .header("To", "<sip:bob@example.com>;tag=L9")
        .header("Call-ID", "c1@x")
        .header("CSeq", std::to_string(n) + " INFO")
        .build();
  };
  CHECK(d.matches_request(req(8)));
  CHECK(d.accept_request(req(8)) == 0);
  CHECK(d.remote_cseq() == std::optional<std::uint32_t>{8});
  CHECK(d.accept_request(req(5)) == 500);
  CHECK(d.accept_request(req(8)) == 500);
  CHECK(d.accept_request(req(20)) == 0);
  d.refresh_target(sip::message_builder("UPDATE", "sip:b2bua@127.0.0.1")
                       .header("Via", "SIP/2.0/UDP 127.0.0.2;branch=z9hG4bKu")
                       .header("Max-Forwards", "70")
                       .header("From", "<sip:alice@example.com>;tag=A1")
                       .header("To", "<sip:bob@example.com>;tag=L9")
                       .header("Call-ID", "c1@x")
                       .header("CSeq", "21 UPDATE")
                       .header("Contact", "<sip:alice@10.9.9.9>")
                       .build());
  CHECK(d.remote_target() == "sip:alice@10.9.9.9");
}

TEST_CASE("strip_tag keeps display name and other parameters", "[call][dialog]") {
  CHECK(strip_tag("\"Al\" <sip:a@x>;tag=1;foo=bar") == "\"Al\" <sip:a@x>;foo=bar");
  CHECK(strip_tag("sip:a@x;tag=2") == "<sip:a@x>");
  CHECK(uri_of("\"Al\" <sip:a@x>;tag=1") == "sip:a@x");
}
