// call_stm barge (RFC 3911 Join on a shared line that allows it): the call's
// media bridge answers the barger, who joins the two parties; the parties
// are told by INFO; the barger leaves by BYE, or gets BYE with the call.
#include "tests/unit/call/call_fixture.hpp"

using namespace ringdown;
using namespace ringdown::call;
using namespace ringdown::call::test;

namespace {

constexpr std::uint64_t barger_tx = 60;

const std::string barger_sdp =
    "v=0\r\no=- 7 1 IN IP4 10.0.0.7\r\ns=-\r\nc=IN IP4 10.0.0.7\r\n"
    "t=0 0\r\nm=audio 7000 RTP/AVP 0\r\n";

sip::message barger_invite(std::string_view body = barger_sdp) {
  sip::message_builder b("INVITE", "sip:line1@example.com");
  b.header("Via", "SIP/2.0/UDP 127.0.0.7:5090;branch=z9hG4bKbarge")
      .header("Max-Forwards", "70")
      .header("From", "<sip:desk3@example.com>;tag=btag")
      .header("To", "<sip:line1@example.com>")
      .header("Call-ID", "barge@127.0.0.7")
      .header("CSeq", "1 INVITE")
      .header("Contact", "<sip:desk3@127.0.0.7:5090>")
      .header("Join", "call-a@127.0.0.2;to-tag=x;from-tag=atag");
  if (!body.empty())
    b.body("application/sdp", body);
  return b.build();
}

sip::message from_barger(std::string_view method, std::uint32_t cseq,
                         std::string_view our_tag) {
  sip::message_builder b(method, "sip:b2bua@127.0.0.1:5060");
  b.header("Via", "SIP/2.0/UDP 127.0.0.7:5090;branch=z9hG4bKb" + std::to_string(cseq))
      .header("Max-Forwards", "70")
      .header("From", "<sip:desk3@example.com>;tag=btag")
      .header("To", "<sip:line1@example.com>;tag=" + std::string(our_tag))
      .header("Call-ID", "barge@127.0.0.7")
      .header("CSeq", std::to_string(cseq) + " " + std::string(method));
  return b.build();
}

} // namespace

TEST_CASE("a barger is answered by the bridge and joins the talking call",
          "[call][barge]") {
  call_fixture f;
  fake_bridge bridge;
  const sip::message ours = f.answered();
  f.stm->set_media(&bridge);

  const effects fx = f.stm->barge(barger_tx, barger_invite(), f.now());
  const auto r = answers(fx, barger_tx);
  REQUIRE(r.size() == 1);
  CHECK(r[0].msg.status_code() == 200);
  CHECK(r[0].msg.body().find("m=audio 30004") != std::string_view::npos);
  CHECK(bridge.answered == std::vector<leg_id>{2});
  CHECK(f.stm->joined() == std::vector<leg_id>{2});
  CHECK(f.stm->pair() == std::array<leg_id, 2>{leg_a, 1}); // the parties stay paired
  CHECK(sent(fx, leg_a, "INVITE").empty());                // nobody is re-INVITEd

  // The line's announcement reaches both parties by INFO.
  const effects info = f.stm->announce("application/x-barge", "desk3 joined");
  REQUIRE(sent(info, leg_a, "INFO").size() == 1);
  REQUIRE(sent(info, 1, "INFO").size() == 1);
  CHECK(sent(info, leg_a, "INFO")[0].msg.body() == "desk3 joined");
  CHECK(sent(info, 2, "INFO").empty());

  // The barger leaves: 200, the call goes on.
  const std::string our_tag(r[0].msg.to()->tag());
  (void)f.stm->on_request(0, 0, from_barger("ACK", 1, our_tag), f.now());
  const effects bye = f.stm->on_request(61, 0, from_barger("BYE", 2, our_tag), f.now());
  REQUIRE(answers(bye, 61).size() == 1);
  CHECK(answers(bye, 61)[0].msg.status_code() == 200);
  CHECK(sent(bye, leg_a, "BYE").empty());
  CHECK(f.stm->current() == call_stm::state::confirmed);
  CHECK(f.stm->joined().empty());
  // Its line learns it left (the shell reports its Call-ID to the line).
  const auto left = all_of<call_event>(bye);
  REQUIRE(left.size() == 1);
  CHECK(left[0].kind == call_event_kind::left);
  CHECK(left[0].leg == 2);
  (void)ours;
}

TEST_CASE("a barger still in the call gets BYE when the call ends", "[call][barge]") {
  call_fixture f;
  fake_bridge bridge;
  f.answered();
  f.stm->set_media(&bridge);
  REQUIRE(answers(f.stm->barge(barger_tx, barger_invite(), f.now()), barger_tx).size() ==
          1);
  const effects bye = f.stm->on_request(40, 0, f.from_a("BYE"), f.now());
  CHECK(sent(bye, 1, "BYE").size() == 1);
  CHECK(sent(bye, 2, "BYE").size() == 1);
  CHECK(f.stm->current() == call_stm::state::terminated);
}

TEST_CASE("a barge is refused when it cannot join", "[call][barge]") {
  SECTION("no media bridge: 501") {
    call_fixture f;
    f.answered();
    const auto r = answers(f.stm->barge(barger_tx, barger_invite(), f.now()), barger_tx);
    REQUIRE(r.size() == 1);
    CHECK(r[0].msg.status_code() == 501);
  }
  SECTION("the call is not talking: 481") {
    call_fixture f;
    fake_bridge bridge;
    (void)f.start({"sip:bob@127.0.0.3:5080"});
    f.stm->set_media(&bridge);
    const auto r = answers(f.stm->barge(barger_tx, barger_invite(), f.now()), barger_tx);
    REQUIRE(r.size() == 1);
    CHECK(r[0].msg.status_code() == 481);
  }
  SECTION("no offer, or one the bridge cannot answer: 488") {
    call_fixture f;
    fake_bridge bridge;
    f.answered();
    f.stm->set_media(&bridge);
    auto r = answers(f.stm->barge(barger_tx, barger_invite(""), f.now()), barger_tx);
    REQUIRE(r.size() == 1);
    CHECK(r[0].msg.status_code() == 488);
    bridge.can_answer = false;
    r = answers(f.stm->barge(barger_tx + 1, barger_invite(), f.now()), barger_tx + 1);
    REQUIRE(r.size() == 1);
    CHECK(r[0].msg.status_code() == 488);
    CHECK(f.stm->joined().empty());
    CHECK(f.stm->leg_count() == 2);
  }
}
