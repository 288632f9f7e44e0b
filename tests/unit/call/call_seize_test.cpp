// call_stm line seizure: a holder INVITEs its line, the bridge answers at
// once with dial tone and collects digits; the dialled number is called
// with ringback (or its own early media) meanwhile; its answer bridges the
// two; a failure plays busy or congestion tone, then BYE.
#include "tests/unit/call/call_fixture.hpp"

using namespace ringdown;
using namespace ringdown::call;
using namespace ringdown::call::test;

namespace {

constexpr std::string_view gateway = "sip:442071234567@10.0.0.9:5060";

struct seize_fixture : call_fixture {
  fake_bridge bridge;

  /// alice seizes the line: returns the effects of the seizure.
  effects seize(bool with_bridge = true, std::string_view body = sdp_with("sendrecv")) {
    a_invite = make_invite(body);
    call_targets t;
    t.line = "sip:wire@example.com";
    t.zone = "london";
    t.node = "node-1";
    stm = std::make_unique<call_stm>(cfg, ids);
    if (with_bridge)
      stm->set_media(&bridge);
    effects fx = stm->seize(1, a_invite, t, now());
    const auto r = answers(fx, 1);
    if (!r.empty() && r[0].msg.to())
      a_tag = std::string(r[0].msg.to()->tag());
    return fx;
  }

  /// Seized, ACKed, one digit heard, the number dialled: our INVITE to it.
  send_request dialled(call_targets t = trunk_targets()) {
    (void)seize();
    (void)stm->on_request(0, 0, ack_from_a(), now());
    (void)stm->on_digit(leg_a, now());
    const effects fx = stm->dial(t, now());
    const auto inv = sent(fx, 1, "INVITE");
    REQUIRE(inv.size() == 1);
    return inv[0];
  }

  static call_targets trunk_targets() {
    call_targets t;
    t.uris = {std::string(gateway)};
    t.trunk = "lse";
    t.dialled = "442071234567";
    return t;
  }

  std::optional<call_summary> cdr_of(const effects& fx) const {
    const auto c = all_of<cdr_ready>(fx);
    if (c.empty())
      return std::nullopt;
    return c.front().summary;
  }
};

} // namespace

TEST_CASE("a seized line is answered at once by the bridge, with dial tone and digits "
          "collected",
          "[call][seize]") {
  seize_fixture f;
  const effects fx = f.seize();
  const auto r = answers(fx, 1);
  REQUIRE(r.size() == 1);
  CHECK(r[0].msg.status_code() == 200); // no provisional first: hard phones need none
  CHECK(r[0].msg.body().find("m=audio 30004") != std::string_view::npos);
  CHECK(f.stm->current() == call_stm::state::dialling);
  CHECK(f.bridge.answered == std::vector<leg_id>{leg_a});
  CHECK(f.bridge.playing(leg_a) == "dial");
  CHECK(f.bridge.collecting == std::vector<leg_id>{leg_a});
  CHECK(count_of<send_request>(fx) == 0); // nothing is dialled yet
}

TEST_CASE("the first digit stops the dial tone: later digits change nothing",
          "[call][seize]") {
  seize_fixture f;
  (void)f.seize();
  (void)f.stm->on_digit(leg_a, f.now());
  CHECK(f.bridge.playing(leg_a).empty());
  const auto tones = f.bridge.tones.size();
  (void)f.stm->on_digit(leg_a, f.now());
  CHECK(f.bridge.tones.size() == tones);
}

TEST_CASE("the dialled number rings with ringback, and its answer bridges the parties",
          "[call][seize]") {
  seize_fixture f;
  const send_request inv = f.dialled();
  CHECK(inv.destination == gateway);
  CHECK(inv.msg.body() == sdp_with("sendrecv")); // the caller's offer, through the bridge

  const effects ringing =
      f.stm->on_response(inv.request, f.response_to(inv.msg, 180), f.now());
  CHECK(f.bridge.playing(leg_a) == "ringback");
  CHECK(has_event(ringing, call_event_kind::ringing));
  CHECK(answers(ringing, 1).empty()); // the caller was answered already

  f.clk.advance(std::chrono::seconds{3});
  const effects ok = f.stm->on_response(
      inv.request, f.response_to(inv.msg, 200, "btag", sdp_b()), f.now());
  CHECK(count_of<send_ack>(ok) == 1);
  CHECK(f.bridge.playing(leg_a).empty());
  CHECK(f.stm->current() == call_stm::state::confirmed);
  CHECK(f.stm->pair() == std::array<leg_id, 2>{leg_a, 1});
  CHECK(has_event(ok, call_event_kind::answered));
  CHECK(answers(ok, 1).empty());

  f.clk.advance(std::chrono::seconds{10});
  const effects bye = f.stm->on_request(200, 0, f.from_a("BYE"), f.now());
  CHECK(sent(bye, 1, "BYE").size() == 1);
  const auto cdr = f.cdr_of(bye);
  REQUIRE(cdr);
  CHECK(cdr->disposition == disposition::answered);
  CHECK(cdr->to == "442071234567");
  CHECK(cdr->trunk == "lse");
  CHECK(cdr->line == "sip:wire@example.com");
  CHECK(cdr->billable_s == 10); // from the dialled party's answer, not the seizure
}

TEST_CASE("early media from the dialled party replaces the bridge's ringback",
          "[call][seize]") {
  seize_fixture f;
  const send_request inv = f.dialled();
  (void)f.stm->on_response(inv.request, f.response_to(inv.msg, 183, "btag", sdp_b()),
                           f.now());
  CHECK(f.bridge.playing(leg_a).empty());
  for (const auto& [leg, name] : f.bridge.tones)
    CHECK(name != "ringback");
}

TEST_CASE("a busy number plays busy tone, then the caller gets BYE", "[call][seize]") {
  seize_fixture f;
  const send_request inv = f.dialled();
  const effects busy =
      f.stm->on_response(inv.request, f.response_to(inv.msg, 486), f.now());
  CHECK(f.bridge.playing(leg_a) == "busy");
  const auto timers = all_of<arm_timer>(busy);
  REQUIRE(timers.size() == 1);
  CHECK(timers[0].name.kind == timer_kind::progress_tone);
  CHECK(timers[0].deadline == f.now().now + f.cfg.failure_tone);
  CHECK(f.stm->current() == call_stm::state::dialling); // the caller hears the tone

  f.clk.advance(f.cfg.failure_tone);
  const effects over = f.stm->on_timer({timer_kind::progress_tone, leg_a}, f.now());
  CHECK(sent(over, leg_a, "BYE").size() == 1);
  const auto cdr = f.cdr_of(over);
  REQUIRE(cdr);
  CHECK(cdr->disposition == disposition::busy);
  CHECK(cdr->final_status == 486);
  CHECK(cdr->ended_by == "callee");
  CHECK(cdr->answer_ms == 0);
}

TEST_CASE("a number no trunk takes plays congestion: the caller's BYE ends the call with "
          "that failure",
          "[call][seize]") {
  seize_fixture f;
  (void)f.seize();
  call_targets t;
  t.dialled = "999";
  t.reject_status = 404;
  const effects fx = f.stm->dial(t, f.now());
  CHECK(count_of<send_request>(fx) == 0);
  CHECK(f.bridge.playing(leg_a) == "congestion");
  const effects bye = f.stm->on_request(200, 0, f.from_a("BYE"), f.now());
  REQUIRE(answers(bye, 200).size() == 1);
  CHECK(answers(bye, 200)[0].msg.status_code() == 200);
  CHECK(sent(bye, leg_a, "BYE").empty()); // the caller left already
  const auto cdr = f.cdr_of(bye);
  REQUIRE(cdr);
  CHECK(cdr->disposition == disposition::rejected);
  CHECK(cdr->final_status == 404);
  CHECK(cdr->to == "999");
}

TEST_CASE("nothing dialled is Address Incomplete: congestion, then 484 in the CDR",
          "[call][seize]") {
  seize_fixture f;
  (void)f.seize();
  (void)f.stm->dial(call_targets{}, f.now());
  CHECK(f.bridge.playing(leg_a) == "congestion");
  const effects over = f.stm->on_timer({timer_kind::progress_tone, leg_a}, f.now());
  const auto cdr = f.cdr_of(over);
  REQUIRE(cdr);
  CHECK(cdr->final_status == 484);
}

TEST_CASE("the caller hanging up while the number rings cancels it", "[call][seize]") {
  seize_fixture f;
  const send_request inv = f.dialled();
  (void)f.stm->on_response(inv.request, f.response_to(inv.msg, 180), f.now());
  const effects bye = f.stm->on_request(200, 0, f.from_a("BYE"), f.now());
  const auto cancels = all_of<cancel_request>(bye);
  REQUIRE(cancels.size() == 1);
  CHECK(cancels[0].request == inv.request);
  const auto cdr = f.cdr_of(bye);
  REQUIRE(cdr);
  CHECK(cdr->disposition == disposition::cancelled);
  CHECK(cdr->ended_by == "caller");
  CHECK(f.stm->current() == call_stm::state::terminated);
}

TEST_CASE("a dialled number that does not answer in time plays congestion",
          "[call][seize]") {
  seize_fixture f;
  const send_request inv = f.dialled();
  f.clk.advance(f.cfg.ring_timeout);
  const effects fx = f.stm->on_timer({timer_kind::ring_no_answer, leg_a}, f.now());
  CHECK(all_of<cancel_request>(fx).size() == 1);
  CHECK(f.bridge.playing(leg_a) == "congestion");
  // A 200 that crosses the CANCEL is ACKed and hung up, not bridged.
  const effects late = f.stm->on_response(
      inv.request, f.response_to(inv.msg, 200, "btag", sdp_b()), f.now());
  CHECK(f.stm->current() == call_stm::state::dialling);
  CHECK(sent(late, 1, "BYE").size() == 1);
}

TEST_CASE("the seizure's 200 is retransmitted until the caller's ACK", "[call][seize]") {
  seize_fixture f;
  (void)f.seize();
  f.clk.advance(f.cfg.t1);
  const effects again = f.stm->on_timer({timer_kind::retransmit_2xx, leg_a}, f.now());
  REQUIRE(answers(again, 1).size() == 1);
  CHECK(answers(again, 1)[0].msg.status_code() == 200);
  (void)f.stm->on_request(0, 0, f.ack_from_a(), f.now());
  f.clk.advance(2 * f.cfg.t1);
  CHECK(answers(f.stm->on_timer({timer_kind::retransmit_2xx, leg_a}, f.now()), 1).empty());
}

TEST_CASE("a seizure without a media bridge or an answerable offer is refused",
          "[call][seize]") {
  SECTION("no bridge: 501") {
    seize_fixture f;
    const effects fx = f.seize(false);
    REQUIRE(answers(fx, 1).size() == 1);
    CHECK(answers(fx, 1)[0].msg.status_code() == 501);
    CHECK(f.stm->current() == call_stm::state::terminated);
    CHECK(count_of<cdr_ready>(fx) == 1);
  }
  SECTION("no offer: 488") {
    seize_fixture f;
    const effects fx = f.seize(true, {});
    REQUIRE(answers(fx, 1).size() == 1);
    CHECK(answers(fx, 1)[0].msg.status_code() == 488);
    CHECK(f.bridge.tones.empty());
  }
  SECTION("an offer the bridge cannot answer: 488") {
    seize_fixture f;
    f.bridge.can_answer = false;
    const effects fx = f.seize();
    REQUIRE(answers(fx, 1).size() == 1);
    CHECK(answers(fx, 1)[0].msg.status_code() == 488);
  }
}

TEST_CASE("a hosted call (a conference seat) is answered by the bridge and ends answered",
          "[call][conference]") {
  seize_fixture f;
  f.a_invite = call_fixture::make_invite(sdp_with("sendrecv"));
  f.stm = std::make_unique<call_stm>(f.cfg, f.ids);
  f.stm->set_media(&f.bridge);
  call_targets t;
  t.zone = "london";
  const effects fx = f.stm->host(1, f.a_invite, t, f.now());
  const auto r = answers(fx, 1);
  REQUIRE(r.size() == 1);
  CHECK(r[0].msg.status_code() == 200);
  CHECK(r[0].msg.body().find("m=audio 30004") != std::string_view::npos);
  CHECK(has_event(fx, call_event_kind::answered));
  CHECK(f.bridge.tones.empty()); // no dial tone: nothing is dialled
  CHECK(f.bridge.collecting.empty());
  f.a_tag = std::string(r[0].msg.to()->tag());
  (void)f.stm->on_request(0, 0, f.ack_from_a(), f.now());

  // A re-INVITE (hold, a new address) is answered by the bridge itself.
  const effects re =
      f.stm->on_request(30, 0, f.from_a("INVITE", sdp_with("sendonly", 2)), f.now());
  REQUIRE(answers(re, 30).size() == 1);
  CHECK(answers(re, 30)[0].msg.status_code() == 200);
  CHECK(answers(re, 30)[0].msg.body().find("m=audio 30004") != std::string_view::npos);
  CHECK(f.bridge.answered == std::vector<leg_id>{leg_a, leg_a});
  CHECK(count_of<send_request>(re) == 0);

  f.clk.advance(std::chrono::seconds{5});
  const effects bye = f.stm->on_request(31, 0, f.from_a("BYE"), f.now());
  const auto cdr = f.cdr_of(bye);
  REQUIRE(cdr);
  CHECK(cdr->disposition == disposition::answered);
  CHECK(cdr->final_status == 200);
  CHECK(cdr->billable_s == 5);
  CHECK(sent(bye, leg_a, "BYE").empty());
}

TEST_CASE("digits dialled by SIP INFO go to the bridge's collection", "[call][seize]") {
  seize_fixture f;
  (void)f.seize();
  (void)f.stm->on_request(0, 0, f.ack_from_a(), f.now());
  effects fx = f.stm->on_request(
      7, 0, f.from_a("INFO", "Signal=4\r\nDuration=160\r\n", "application/dtmf-relay"),
      f.now());
  auto r = answers(fx, 7);
  REQUIRE(r.size() == 1);
  CHECK(r[0].msg.status_code() == 200);
  fx = f.stm->on_request(8, 0, f.from_a("INFO", "#", "application/dtmf"), f.now());
  r = answers(fx, 8);
  REQUIRE(r.size() == 1);
  CHECK(r[0].msg.status_code() == 200);
  CHECK(f.bridge.dialled ==
        std::vector<std::pair<leg_id, char>>{{leg_a, '4'}, {leg_a, '#'}});
  // A DTMF body that names no digit is refused and collects nothing.
  fx = f.stm->on_request(
      9, 0, f.from_a("INFO", "Duration=160\r\n", "application/dtmf-relay"), f.now());
  r = answers(fx, 9);
  REQUIRE(r.size() == 1);
  CHECK(r[0].msg.status_code() == 400);
  // Other INFO bodies are answered and not collected.
  fx = f.stm->on_request(10, 0, f.from_a("INFO", "<x/>", "application/xml"), f.now());
  r = answers(fx, 10);
  REQUIRE(r.size() == 1);
  CHECK(r[0].msg.status_code() == 200);
  CHECK(f.bridge.dialled.size() == 2);
  CHECK(f.stm->current() == call_stm::state::dialling);
}

TEST_CASE("INFO digits after the number was dialled are not collected", "[call][seize]") {
  seize_fixture f;
  (void)f.dialled();
  const effects fx = f.stm->on_request(
      7, 0, f.from_a("INFO", "Signal=5\r\n", "application/dtmf-relay"), f.now());
  const auto r = answers(fx, 7);
  REQUIRE(r.size() == 1);
  CHECK(r[0].msg.status_code() == 200);
  CHECK(f.bridge.dialled.empty());
}

namespace {

/// An extension dialled on the seized line: bob's contact, diverting to
/// carol's as `how` says.
call_targets extension_targets(bool on_busy, bool on_unavailable, bool bob_registered) {
  call_targets t;
  if (bob_registered)
    t.uris = {"sip:bob@127.0.0.3:5080"};
  else
    t.reject_status = 480;
  t.dialled = "2001";
  t.divert.from_aor = "sip:2001@example.com";
  t.divert.to_aor = "sip:carol@example.com";
  t.divert.uris = {"sip:carol@127.0.0.4:5090"};
  t.divert.on_busy = on_busy;
  t.divert.on_unavailable = on_unavailable;
  return t;
}

} // namespace

TEST_CASE("an extension dialled on a seized line diverts when busy, as a call to it does",
          "[call][seize][divert]") {
  seize_fixture f;
  const auto to_bob = f.dialled(extension_targets(true, false, true));
  CHECK(to_bob.destination == "sip:bob@127.0.0.3:5080");
  const effects busy = f.stm->on_response(
      to_bob.request, call_fixture::response_to(to_bob.msg, 486), f.now());
  const auto to_carol = sent(busy, 2, "INVITE");
  REQUIRE(to_carol.size() == 1);
  CHECK(to_carol[0].destination == "sip:carol@127.0.0.4:5090");
  CHECK(to_carol[0].msg.header("Diversion") ==
        "<sip:2001@example.com>;reason=user-busy;counter=1");
  CHECK(f.bridge.playing(leg_a) != "busy"); // no busy tone: carol rings instead
  CHECK(f.stm->current() == call_stm::state::dialling);
  CHECK(f.stm->summary().diverted_to == "sip:carol@example.com");
}

TEST_CASE("an unregistered extension dialled on a seized line diverts at once when it says "
          "so",
          "[call][seize][divert]") {
  seize_fixture f;
  const auto to_carol = f.dialled(extension_targets(false, true, false));
  CHECK(to_carol.destination == "sip:carol@127.0.0.4:5090");
  CHECK(to_carol.msg.header("Diversion") ==
        "<sip:2001@example.com>;reason=unavailable;counter=1");
}

TEST_CASE("an unregistered extension with no diversion plays congestion",
          "[call][seize][divert]") {
  seize_fixture f;
  (void)f.seize();
  (void)f.stm->on_request(0, 0, f.ack_from_a(), f.now());
  const effects fx = f.stm->dial(extension_targets(false, false, false), f.now());
  CHECK(count_of<send_request>(fx) == 0);
  CHECK(f.bridge.playing(leg_a) == "congestion");
}
