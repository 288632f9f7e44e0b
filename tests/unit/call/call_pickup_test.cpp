// call_stm open-hold pick-up (RFC 7463 §5.3): a device of the line sends
// INVITE + Replaces for the held call; the other party is re-INVITEd with
// the picker's offer, the picker gets 200 with the answer, the holder BYE.
#include "tests/unit/call/call_fixture.hpp"

using namespace ringdown;
using namespace ringdown::call;
using namespace ringdown::call::test;

namespace {

constexpr std::uint64_t picker_tx = 50;

std::string sdp_picker(int version = 1) {
  return "v=0\r\no=- 99 " + std::to_string(version) +
         " IN IP4 10.0.0.9\r\ns=-\r\nc=IN IP4 10.0.0.9\r\nt=0 0\r\n"
         "m=audio 6000 RTP/AVP 0\r\na=sendrecv\r\n";
}

/// The picking device's INVITE to the line with Replaces.
sip::message picker_invite(std::string_view body = sdp_picker()) {
  sip::message_builder b("INVITE", "sip:line1@example.com");
  b.header("Via", "SIP/2.0/UDP 127.0.0.9:5090;branch=z9hG4bKpick")
      .header("Max-Forwards", "70")
      .header("From", "<sip:desk2@example.com>;tag=ptag")
      .header("To", "<sip:line1@example.com>")
      .header("Call-ID", "pick@127.0.0.9")
      .header("CSeq", "7 INVITE")
      .header("Contact", "<sip:desk2@127.0.0.9:5090>")
      .header("Replaces", "call-a@127.0.0.2;to-tag=x;from-tag=atag");
  if (!body.empty())
    b.body("application/sdp", body);
  return b.build();
}

/// A request from the picker inside its dialog with us (`our_tag`: our
/// To-tag from the 200).
sip::message from_picker(std::string_view method, std::uint32_t cseq,
                         std::string_view our_tag) {
  sip::message_builder b(method, "sip:b2bua@127.0.0.1:5060");
  b.header("Via", "SIP/2.0/UDP 127.0.0.9:5090;branch=z9hG4bKp" + std::to_string(cseq))
      .header("Max-Forwards", "70")
      .header("From", "<sip:desk2@example.com>;tag=ptag")
      .header("To", "<sip:line1@example.com>;tag=" + std::string(our_tag))
      .header("Call-ID", "pick@127.0.0.9")
      .header("CSeq", std::to_string(cseq) + " " + std::string(method));
  return b.build();
}

sip::message cancel_from_picker() {
  sip::message_builder b("CANCEL", "sip:line1@example.com");
  b.header("Via", "SIP/2.0/UDP 127.0.0.9:5090;branch=z9hG4bKpick")
      .header("Max-Forwards", "70")
      .header("From", "<sip:desk2@example.com>;tag=ptag")
      .header("To", "<sip:line1@example.com>")
      .header("Call-ID", "pick@127.0.0.9")
      .header("CSeq", "7 CANCEL");
  return b.build();
}

/// An answered call, then held by the callee (B, the line's device).
sip::message held_by_b(call_fixture& f) {
  const sip::message ours = f.answered();
  const effects fx = f.stm->on_request(
      30, 0, call_fixture::from_b(ours, "INVITE", 2, sdp_with("sendonly", 5)), f.now());
  const auto to_a = sent(fx, leg_a, "INVITE");
  REQUIRE(to_a.size() == 1);
  const effects ok = f.stm->on_response(
      to_a[0].request,
      call_fixture::response_to(to_a[0].msg, 200, "atag", sdp_with("recvonly")), f.now());
  REQUIRE(has_event(ok, call_event_kind::held));
  return ours;
}

} // namespace

TEST_CASE("open-hold pick-up re-anchors the caller on the picking device",
          "[call][pickup]") {
  call_fixture f;
  held_by_b(f);
  f.clk.advance(std::chrono::seconds{20});

  const effects fx = f.stm->pick_up(picker_tx, picker_invite(), f.now());
  CHECK(answers(fx, picker_tx).empty()); // waits for the caller's answer
  CHECK(f.stm->leg_count() == 3);
  const auto to_a = sent(fx, leg_a, "INVITE");
  REQUIRE(to_a.size() == 1);
  CHECK(to_a[0].msg.body() == sdp_picker()); // the picker's offer
  CHECK(sent(fx, 1, "BYE").empty());         // the holder stays until then

  const effects ok = f.stm->on_response(
      to_a[0].request,
      call_fixture::response_to(to_a[0].msg, 200, "atag", sdp_with("sendrecv", 3)),
      f.now());
  CHECK(count_of<send_ack>(ok) == 1);
  const auto r = answers(ok, picker_tx);
  REQUIRE(r.size() == 1);
  CHECK(r[0].msg.status_code() == 200);
  CHECK(r[0].msg.body() == sdp_with("sendrecv", 3));
  CHECK_FALSE(r[0].msg.to()->tag().empty());
  CHECK(sent(ok, 1, "BYE").size() == 1); // the holder's appearance is released
  const auto events = all_of<call_event>(ok);
  REQUIRE(events.size() == 1);
  CHECK(events[0].kind == call_event_kind::resumed);
  CHECK(events[0].leg == 2);
  CHECK_FALSE(f.stm->held());
  CHECK(f.stm->pair() == std::array<leg_id, 2>{leg_a, 2});

  // Our 2xx is retransmitted until the picker's ACK (RFC 3261 §13.3.1.4).
  const std::string our_tag(r[0].msg.to()->tag());
  f.clk.advance(f.cfg.t1);
  const effects again = f.stm->on_timer({timer_kind::retransmit_2xx, 2}, f.now());
  CHECK(answers(again, picker_tx).size() == 1);
  const effects acked = f.stm->on_request(0, 0, from_picker("ACK", 7, our_tag), f.now());
  CHECK(all_of<cancel_timer>(acked).size() == 1);

  // The call goes on between the caller and the picker: the picker's BYE
  // reaches the caller and the CDR tells the pick-up.
  f.clk.advance(std::chrono::seconds{10});
  const effects bye = f.stm->on_request(51, 0, from_picker("BYE", 8, our_tag), f.now());
  CHECK(sent(bye, leg_a, "BYE").size() == 1);
  const auto cdr = all_of<cdr_ready>(bye);
  REQUIRE(cdr.size() == 1);
  CHECK(cdr[0].summary.transfer == transfer_kind::pick_up);
  CHECK(cdr[0].summary.transfer_target == "sip:desk2@example.com");
  CHECK(cdr[0].summary.transfer_by == "callee");
  CHECK(cdr[0].summary.hold_count == 1);
  CHECK(cdr[0].summary.hold_total_ms == 20'000);
}

TEST_CASE("pick-up refusals change nothing", "[call][pickup]") {
  struct row {
    const char* what;
    bool hold;
    std::string body;
    int status;
  };
  const row rows[] = {
      {"a call that is not held", false, sdp_picker(), 481},
      {"an INVITE without an offer", true, "", 488},
  };
  for (const row& r : rows) {
    DYNAMIC_SECTION(r.what) {
      call_fixture f;
      if (r.hold)
        held_by_b(f);
      else
        f.answered();
      const effects fx = f.stm->pick_up(picker_tx, picker_invite(r.body), f.now());
      const auto a = answers(fx, picker_tx);
      REQUIRE(a.size() == 1);
      CHECK(a[0].msg.status_code() == r.status);
      CHECK(all_of<send_request>(fx).empty());
      CHECK(f.stm->leg_count() == 2);
      CHECK(f.stm->held() == r.hold);
    }
  }
}

TEST_CASE("a second pick-up while one runs gets 491", "[call][pickup]") {
  call_fixture f;
  held_by_b(f);
  (void)f.stm->pick_up(picker_tx, picker_invite(), f.now());
  const effects fx = f.stm->pick_up(picker_tx + 1, picker_invite(), f.now());
  const auto a = answers(fx, picker_tx + 1);
  REQUIRE(a.size() == 1);
  CHECK(a[0].msg.status_code() == 491);
}

TEST_CASE("the caller refusing the re-INVITE fails the pick-up and keeps the hold",
          "[call][pickup]") {
  call_fixture f;
  held_by_b(f);
  const effects fx = f.stm->pick_up(picker_tx, picker_invite(), f.now());
  const auto to_a = sent(fx, leg_a, "INVITE");
  REQUIRE(to_a.size() == 1);
  const effects no = f.stm->on_response(
      to_a[0].request, call_fixture::response_to(to_a[0].msg, 488, "atag"), f.now());
  const auto a = answers(no, picker_tx);
  REQUIRE(a.size() == 1);
  CHECK(a[0].msg.status_code() == 488);
  CHECK(all_of<send_request>(no).empty()); // no BYE to the holder
  CHECK(f.stm->held());
  CHECK(f.stm->pair() == std::array<leg_id, 2>{leg_a, 1});
}

TEST_CASE("a picker that CANCELs gets 487 and the caller goes back on hold",
          "[call][pickup]") {
  call_fixture f;
  held_by_b(f);
  const effects fx = f.stm->pick_up(picker_tx, picker_invite(), f.now());
  const auto to_a = sent(fx, leg_a, "INVITE");
  REQUIRE(to_a.size() == 1);
  const effects cancel = f.stm->on_request(52, picker_tx, cancel_from_picker(), f.now());
  REQUIRE(answers(cancel, picker_tx).size() == 1);
  CHECK(answers(cancel, picker_tx)[0].msg.status_code() == 487);
  const effects late = f.stm->on_response(
      to_a[0].request,
      call_fixture::response_to(to_a[0].msg, 200, "atag", sdp_with("sendrecv", 3)),
      f.now());
  CHECK(count_of<send_ack>(late) == 1);
  const auto back = sent(late, leg_a, "INVITE");
  REQUIRE(back.size() == 1);
  CHECK(back[0].msg.body() == sdp_with("sendonly", 5)); // the hold offer again
  CHECK(sent(late, 1, "BYE").empty());
  CHECK(answers(late, picker_tx).empty());
  CHECK(f.stm->held());
}
