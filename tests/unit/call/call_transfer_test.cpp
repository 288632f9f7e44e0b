// call_stm transfers: blind REFER and attended REFER with Replaces.
#include "tests/unit/call/call_fixture.hpp"

using namespace ringdown;
using namespace ringdown::call;
using namespace ringdown::call::test;

namespace {

std::string sipfrag_of(const send_request& s) {
  CHECK(s.msg.header(sip::header_id::event) == "refer");
  return std::string(s.msg.body());
}

} // namespace

TEST_CASE("blind transfer by the callee with NOTIFY sipfrag progress", "[call][transfer]") {
  call_fixture f;
  const sip::message ours = f.answered();
  const effects refer =
      f.stm->on_request(90, 0,
                        call_fixture::from_b(ours, "REFER", 2, {}, {},
                                             {{"Refer-To", "<sip:carol@10.0.0.9>"}}),
                        f.now());
  REQUIRE(answers(refer, 90).size() == 1);
  CHECK(answers(refer, 90)[0].msg.status_code() == 202);
  const auto n1 = sent(refer, 1, "NOTIFY");
  REQUIRE(n1.size() == 1);
  CHECK(sipfrag_of(n1[0]) == "SIP/2.0 100 Trying\r\n");
  CHECK(n1[0].msg.header(sip::header_id::subscription_state).starts_with("active"));
  CHECK(n1[0].msg.header(sip::header_id::content_type) == "message/sipfrag;version=2.0");
  const auto inv = sent(refer, 2, "INVITE");
  REQUIRE(inv.size() == 1);
  CHECK(inv[0].destination == "sip:carol@10.0.0.9");
  CHECK(inv[0].msg.body() == sdp_with("sendrecv")); // the transferee's (A's) SDP
  CHECK(count_of<bind_call_id>(refer) == 1);

  const effects ring = f.stm->on_response(
      inv[0].request, call_fixture::response_to(inv[0].msg, 180, "ctag"), f.now());
  const auto n2 = sent(ring, 1, "NOTIFY");
  REQUIRE(n2.size() == 1);
  CHECK(sipfrag_of(n2[0]) == "SIP/2.0 180 Ringing\r\n");
  CHECK(answers(ring, 1).empty()); // nothing to A

  f.clk.advance(std::chrono::seconds{3});
  const std::string carol_sdp = sdp_b(9);
  const effects ok = f.stm->on_response(
      inv[0].request, call_fixture::response_to(inv[0].msg, 200, "ctag", carol_sdp),
      f.now());
  REQUIRE(all_of<send_ack>(ok).size() == 1);
  CHECK(all_of<send_ack>(ok)[0].leg == 2);
  const auto reinv = sent(ok, leg_a, "INVITE");
  REQUIRE(reinv.size() == 1);
  CHECK(reinv[0].msg.body() == carol_sdp);
  const auto n3 = sent(ok, 1, "NOTIFY");
  REQUIRE(n3.size() == 1);
  CHECK(sipfrag_of(n3[0]) == "SIP/2.0 200 OK\r\n");
  CHECK(n3[0].msg.header(sip::header_id::subscription_state).starts_with("terminated"));
  CHECK(sent(ok, 1, "BYE").size() == 1);
  CHECK(has_event(ok, call_event_kind::transferred));
  CHECK(f.stm->pair()[0] == leg_a);
  CHECK(f.stm->pair()[1] == 2);
  const effects reok = f.stm->on_response(
      reinv[0].request,
      call_fixture::response_to(reinv[0].msg, 200, "atag", sdp_with("sendrecv", 2)),
      f.now());
  CHECK(count_of<send_ack>(reok) == 1);

  // The old callee's BYE answer changes nothing; carol hangs up later.
  const effects bye = f.stm->on_request(
      91, 0, call_fixture::from_b(inv[0].msg, "BYE", 1, {}, {}, {}, "ctag"), f.now());
  CHECK(answers(bye, 91).at(0).msg.status_code() == 200);
  CHECK(sent(bye, leg_a, "BYE").size() == 1);
  const auto cdr = all_of<cdr_ready>(bye);
  REQUIRE(cdr.size() == 1);
  CHECK(cdr[0].summary.transfer == transfer_kind::blind);
  CHECK(cdr[0].summary.transfer_target == "sip:carol@10.0.0.9");
  CHECK(cdr[0].summary.transfer_by == "callee");
  CHECK(cdr[0].summary.disposition == disposition::answered);
}

TEST_CASE("blind transfer to a busy target reports 486 and keeps the call",
          "[call][transfer]") {
  call_fixture f;
  f.answered();
  const effects refer = f.stm->on_request(
      92, 0, f.from_a("REFER", {}, {}, {{"Refer-To", "sip:dave@10.0.0.8"}}), f.now());
  CHECK(answers(refer, 92).at(0).msg.status_code() == 202);
  const auto inv = sent(refer, 2, "INVITE");
  REQUIRE(inv.size() == 1);
  CHECK(inv[0].msg.body() == sdp_b()); // the transferee is B here
  const effects busy = f.stm->on_response(
      inv[0].request, call_fixture::response_to(inv[0].msg, 486, "d"), f.now());
  const auto n = sent(busy, leg_a, "NOTIFY");
  REQUIRE(n.size() == 1);
  CHECK(n[0].msg.body() == "SIP/2.0 486 Busy Here\r\n");
  CHECK(count_of<send_request>(busy) == 1); // no BYE anywhere
  CHECK(f.stm->current() == call_stm::state::confirmed);
  CHECK(f.stm->pair()[1] == 1);
}

TEST_CASE("attended transfer with Replaces joins the other call", "[call][transfer]") {
  call_fixture call1; // alice talks to bob
  const sip::message bob_dialog = call1.answered();
  call_fixture call2; // alice talks to carol (same caller, another call)
  call2.answered(sdp_b(5));
  const std::string refer_to =
      "<sip:carol@10.0.0.9?Replaces=call-a%40127.0.0.2%3Bto-tag%3D" + call2.a_tag +
      "%3Bfrom-tag%3Datag>";
  const effects refer = call1.stm->on_request(
      93, 0, call1.from_a("REFER", {}, {}, {{"Refer-To", refer_to}}), call1.now());
  CHECK(answers(refer, 93).at(0).msg.status_code() == 202);
  const auto joins = all_of<join_replaces>(refer);
  REQUIRE(joins.size() == 1);
  CHECK(joins[0].replaces_call_id == "call-a@127.0.0.2");
  CHECK(joins[0].replaces_to_tag == call2.a_tag);
  CHECK(joins[0].replaces_from_tag == "atag");
  CHECK(joins[0].transferee == 1);
  CHECK(joins[0].transferee_sdp == sdp_b());
  CHECK(count_of<send_request>(refer) == 1); // the NOTIFY 100 only

  CHECK(joins[0].from_call_id == "call-a@127.0.0.2");

  // The shell hands the join to the call owning the replaced dialog.
  join_replaces wrong = joins[0];
  wrong.replaces_from_tag = "nope";
  effects none;
  CHECK_FALSE(call2.stm->replace_leg(wrong, call2.now(), none));
  CHECK(none.empty());
  effects joined;
  const auto carol_sdp = call2.stm->replace_leg(joins[0], call2.now(), joined);
  REQUIRE(carol_sdp);
  CHECK(*carol_sdp == sdp_b(5));
  const auto reinv = sent(joined, 1, "INVITE"); // carol gets bob's SDP
  REQUIRE(reinv.size() == 1);
  CHECK(reinv[0].msg.body() == sdp_b());
  CHECK(sent(joined, leg_a, "BYE").size() == 1); // alice leaves call 2

  const effects done = call1.stm->transfer_result(200, *carol_sdp, call1.now());
  const auto to_bob = sent(done, 1, "INVITE"); // bob gets carol's SDP
  REQUIRE(to_bob.size() == 1);
  CHECK(to_bob[0].msg.body() == sdp_b(5));
  const auto n = sent(done, leg_a, "NOTIFY");
  REQUIRE(n.size() == 1);
  CHECK(n[0].msg.body() == "SIP/2.0 200 OK\r\n");
  CHECK(sent(done, leg_a, "BYE").size() == 1); // alice leaves call 1
  CHECK(has_event(done, call_event_kind::transferred));
  CHECK(call1.stm->summary().transfer == transfer_kind::attended);
  CHECK(call1.stm->summary().transfer_by == "caller");

  // Bob hangs up: call 1 ends and asks the shell to end call 2 too.
  const effects bye =
      call1.stm->on_request(94, 0, call_fixture::from_b(bob_dialog, "BYE", 5), call1.now());
  CHECK(answers(bye, 94).at(0).msg.status_code() == 200);
  const auto linked = all_of<hangup_linked>(bye);
  REQUIRE(linked.size() == 1);
  CHECK(linked[0].call_id == "call-a@127.0.0.2");
  REQUIRE(count_of<cdr_ready>(bye) == 1);
  const effects other = call2.stm->hangup(call2.now());
  CHECK(sent(other, 1, "BYE").size() == 1);   // carol is hung up
  CHECK(count_of<hangup_linked>(other) == 0); // no ping-pong
  REQUIRE(count_of<cdr_ready>(other) == 1);
  CHECK(all_of<cdr_ready>(other)[0].summary.transfer == transfer_kind::attended);
}

TEST_CASE("attended transfer whose dialog is gone reports the failure",
          "[call][transfer]") {
  call_fixture f;
  f.answered();
  const effects refer = f.stm->on_request(
      120, 0,
      f.from_a("REFER", {}, {},
               {{"Refer-To",
                 "<sip:carol@10.0.0.9?Replaces=gone%40x%3Bto-tag%3D1%3Bfrom-tag%3D2>"}}),
      f.now());
  REQUIRE(count_of<join_replaces>(refer) == 1);
  const effects failed = f.stm->transfer_result(481, {}, f.now());
  const auto n = sent(failed, leg_a, "NOTIFY");
  REQUIRE(n.size() == 1);
  CHECK(n[0].msg.body() == "SIP/2.0 481 Call/Transaction Does Not Exist\r\n");
  CHECK(sent(failed, leg_a, "BYE").empty());
  CHECK(f.stm->summary().transfer == transfer_kind::none);
  CHECK(f.stm->current() == call_stm::state::confirmed);
}

TEST_CASE("hangup from outside ends a ringing call with 480", "[call][basic]") {
  call_fixture f;
  (void)f.start({"sip:bob@10.0.0.1"});
  const effects out = f.stm->hangup(f.now());
  CHECK(count_of<cancel_request>(out) == 1);
  REQUIRE(answers(out, 1).size() == 1);
  CHECK(answers(out, 1)[0].msg.status_code() == 480);
  CHECK(count_of<cdr_ready>(out) == 1);
  CHECK(f.stm->hangup(f.now()).empty()); // once only
}

TEST_CASE("hangup from outside of a talking call records why (media timeout)",
          "[call][basic]") {
  call_fixture f;
  f.answered();
  const effects out = f.stm->hangup(f.now(), "Media Timeout");
  CHECK(sent(out, leg_a, "BYE").size() == 1);
  CHECK(sent(out, 1, "BYE").size() == 1);
  const auto cdr = all_of<cdr_ready>(out);
  REQUIRE(cdr.size() == 1);
  CHECK(cdr[0].summary.final_reason == "Media Timeout");
  CHECK(cdr[0].summary.ended_by == "system");
}

TEST_CASE("blind transfer target that never answers is CANCELled and reported",
          "[call][transfer]") {
  call_fixture f;
  f.answered();
  const effects refer =
      f.stm->on_request(94, 0,
                        f.from_a("REFER", {}, {},
                                 {{"Refer-To", "<sip:erin@10.0.0.7>"},
                                  {"Referred-By", "<sip:alice@example.com>"}}),
                        f.now());
  const auto inv = sent(refer, 2, "INVITE");
  REQUIRE(inv.size() == 1);
  CHECK(inv[0].msg.header(sip::header_id::referred_by) == "<sip:alice@example.com>");
  const arm_timer* ring = nullptr;
  for (const effect& e : refer)
    if (const auto* a = std::get_if<arm_timer>(&e); a && a->name.leg == 2)
      ring = a;
  REQUIRE(ring != nullptr);
  f.clk.advance(std::chrono::seconds{60});
  const effects out = f.stm->on_timer(ring->name, f.now());
  REQUIRE(all_of<cancel_request>(out).size() == 1);
  const auto n = sent(out, leg_a, "NOTIFY");
  REQUIRE(n.size() == 1);
  CHECK(n[0].msg.body() == "SIP/2.0 480 Temporarily Unavailable\r\n");
  CHECK(f.stm->current() == call_stm::state::confirmed);
  // A second REFER may start again.
  const effects again = f.stm->on_request(
      95, 0, f.from_a("REFER", {}, {}, {{"Refer-To", "<sip:erin@10.0.0.7>"}}), f.now());
  CHECK(answers(again, 95).at(0).msg.status_code() == 202);
}

TEST_CASE("transferor hanging up at once does not end a blind transfer",
          "[call][transfer]") {
  for (const int target_status : {200, 486}) {
    call_fixture f;
    const sip::message ours = f.answered();
    const effects refer =
        f.stm->on_request(96, 0,
                          call_fixture::from_b(ours, "REFER", 2, {}, {},
                                               {{"Refer-To", "<sip:carol@10.0.0.9>"}}),
                          f.now());
    const auto inv = sent(refer, 2, "INVITE");
    REQUIRE(inv.size() == 1);
    const effects bye =
        f.stm->on_request(97, 0, call_fixture::from_b(ours, "BYE", 3), f.now());
    CHECK(answers(bye, 97).at(0).msg.status_code() == 200);
    CHECK(count_of<send_request>(bye) == 0); // A is not hung up
    CHECK(count_of<cdr_ready>(bye) == 0);
    const effects end = f.stm->on_response(
        inv[0].request,
        call_fixture::response_to(inv[0].msg, target_status, "ctag", sdp_b(4)), f.now());
    CHECK(sent(end, 1, "NOTIFY").empty()); // the transferor is gone
    if (target_status == 200) {
      CHECK(sent(end, leg_a, "INVITE").size() == 1);
      CHECK(f.stm->current() == call_stm::state::confirmed);
      CHECK(f.stm->pair()[1] == 2);
    } else {
      CHECK(sent(end, leg_a, "BYE").size() == 1);
      REQUIRE(count_of<cdr_ready>(end) == 1);
      CHECK(f.stm->current() == call_stm::state::terminated);
    }
  }
}

TEST_CASE("the transferee hanging up during a transfer cancels the target",
          "[call][transfer]") {
  call_fixture f;
  const sip::message ours = f.answered();
  const effects refer =
      f.stm->on_request(98, 0,
                        call_fixture::from_b(ours, "REFER", 2, {}, {},
                                             {{"Refer-To", "<sip:carol@10.0.0.9>"}}),
                        f.now());
  const auto inv = sent(refer, 2, "INVITE");
  REQUIRE(inv.size() == 1);
  (void)f.stm->on_response(inv[0].request,
                           call_fixture::response_to(inv[0].msg, 180, "ctag"), f.now());
  const effects bye = f.stm->on_request(99, 0, f.from_a("BYE"), f.now());
  const auto cancels = all_of<cancel_request>(bye);
  REQUIRE(cancels.size() == 1);
  CHECK(cancels[0].request == inv[0].request);
  CHECK(sent(bye, 1, "BYE").size() == 1);
  CHECK(count_of<cdr_ready>(bye) == 1);
  // Its late 200 is ACKed and hung up.
  const effects late = f.stm->on_response(
      inv[0].request, call_fixture::response_to(inv[0].msg, 200, "ctag", sdp_b()), f.now());
  CHECK(count_of<send_ack>(late) == 1);
  CHECK(sent(late, 2, "BYE").size() == 1);
}
