// call_stm after an attended transfer: the transferee (bob, on call 1) and
// the transfer target (carol, on call 2) talk through the two linked
// calls; their re-INVITEs, UPDATEs and INFOs go from one call to the other
// (relay_linked → on_linked_request → answer_linked → on_linked_response).
#include "tests/unit/call/call_fixture.hpp"

using namespace ringdown;
using namespace ringdown::call;
using namespace ringdown::call::test;

namespace {

/// Answers every request in `fx` with 200 (`body` to INVITEs).
void answer_all(call_fixture& f, const effects& fx, std::string_view body) {
  for (const send_request& s : all_of<send_request>(fx)) {
    const bool invite = s.msg.method_text() == "INVITE";
    (void)f.stm->on_response(
        s.request, call_fixture::response_to(s.msg, 200, "btag", invite ? body : ""),
        f.now());
  }
}

/// Call 1: alice (caller) talks to bob; call 2: alice talks to carol.
/// Alice transfers bob to carol with REFER + Replaces; both calls end up
/// linked with every request of the transfer answered.
struct linked_calls {
  call_fixture call1;
  call_fixture call2;
  sip::message to_bob;   ///< call 1's INVITE to bob (his dialog)
  sip::message to_carol; ///< call 2's INVITE to carol

  linked_calls() {
    to_bob = call1.answered();
    to_carol = call2.answered(sdp_b(5));
    const std::string refer_to =
        "<sip:carol@10.0.0.9?Replaces=call-a%40127.0.0.2%3Bto-tag%3D" + call2.a_tag +
        "%3Bfrom-tag%3Datag>";
    const effects refer = call1.stm->on_request(
        90, 0, call1.from_a("REFER", {}, {}, {{"Refer-To", refer_to}}), call1.now());
    answer_all(call1, refer, {});
    const auto joins = all_of<join_replaces>(refer);
    REQUIRE(joins.size() == 1);
    effects joined;
    const auto carol_sdp = call2.stm->replace_leg(joins[0], call2.now(), joined);
    REQUIRE(carol_sdp);
    answer_all(call2, joined, sdp_b(5));
    answer_all(call1, call1.stm->transfer_result(200, *carol_sdp, call1.now()), sdp_b());
  }

  /// Bob's offer (server transaction `tx`) relayed by call 1 and handed
  /// to call 2: returns call 2's request to carol.
  send_request bob_offers(std::uint64_t tx, std::uint32_t cseq, const std::string& sdp) {
    const effects fx = call1.stm->on_request(
        tx, 0, call_fixture::from_b(to_bob, "INVITE", cseq, sdp), call1.now());
    const auto rl = all_of<relay_linked>(fx);
    REQUIRE(rl.size() == 1);
    request = rl[0].request;
    const auto out =
        sent(call2.stm->on_linked_request(rl[0].relay, *rl[0].request, call2.now()), 1,
             "INVITE");
    REQUIRE(out.size() == 1);
    return out[0];
  }
  std::shared_ptr<const sip::message> request; ///< bob's last relayed request
};

struct relay_case {
  std::string_view name;
  std::string_view method;
  std::string_view content_type;
  std::string body;
  bool from_bob; ///< the transferee on call 1, else the target on call 2
  bool holds;    ///< the offer puts the call on hold
};

} // namespace

TEST_CASE("requests after an attended transfer are relayed between the linked calls",
          "[call][transfer][linked]") {
  const std::string info = "Signal=5\r\nDuration=160\r\n";
  const relay_case cases[] = {
      {"bob holds by re-INVITE", "INVITE", "application/sdp", sdp_with("sendonly", 2), true,
       true},
      {"carol holds by re-INVITE", "INVITE", "application/sdp", sdp_with("sendonly", 2),
       false, true},
      {"bob holds by UPDATE", "UPDATE", "application/sdp", sdp_with("inactive", 2), true,
       true},
      {"carol changes media by re-INVITE", "INVITE", "application/sdp",
       sdp_with("sendrecv", 3), false, false},
      {"bob sends INFO", "INFO", "application/dtmf-relay", info, true, false},
      {"carol sends INFO", "INFO", "application/dtmf-relay", info, false, false},
  };
  for (const relay_case& c : cases) {
    SECTION(std::string(c.name)) {
      linked_calls l;
      call_fixture& from = c.from_bob ? l.call1 : l.call2;
      call_fixture& to = c.from_bob ? l.call2 : l.call1;
      const sip::message& dlg = c.from_bob ? l.to_bob : l.to_carol;
      const sip::message req =
          call_fixture::from_b(dlg, c.method, 20, c.body, c.content_type);

      const effects sent_fx = from.stm->on_request(500, 0, req, from.now());
      CHECK(answers(sent_fx, 500).empty()); // answered by the other party
      const auto relays = all_of<relay_linked>(sent_fx);
      REQUIRE(relays.size() == 1);
      CHECK(relays[0].request->method_text() == c.method);

      const effects in_fx =
          to.stm->on_linked_request(relays[0].relay, *relays[0].request, to.now());
      const auto out = sent(in_fx, 1, c.method); // the other call's remaining party
      REQUIRE(out.size() == 1);
      CHECK(out[0].msg.body() == c.body);
      CHECK(out[0].msg.header(sip::header_id::content_type) == c.content_type);

      const bool offer = c.method != "INFO";
      const std::string answer_sdp = sdp_b(9);
      const effects ok_fx = to.stm->on_response(
          out[0].request,
          call_fixture::response_to(out[0].msg, 200, "btag", offer ? answer_sdp : ""),
          to.now());
      CHECK(count_of<send_ack>(ok_fx) == (c.method == "INVITE" ? 1U : 0U));
      const auto back = all_of<answer_linked>(ok_fx);
      REQUIRE(back.size() == 1);
      CHECK(back[0].relay == relays[0].relay);
      CHECK(back[0].status == 200);
      CHECK(count_of<call_event>(ok_fx) == 0); // no line event on the other call

      const effects done =
          from.stm->on_linked_response(back[0].relay, back[0].status, back[0].reason,
                                       back[0].content_type, back[0].body, from.now());
      const auto r = answers(done, 500);
      REQUIRE(r.size() == 1);
      CHECK(r[0].msg.status_code() == 200);
      CHECK(r[0].msg.body() == (offer ? answer_sdp : ""));
      CHECK(has_event(done, call_event_kind::held) == c.holds);
      const std::uint32_t holds = c.holds ? 1 : 0;
      CHECK(from.stm->summary().hold_count == holds);
      CHECK(to.stm->summary().hold_count == holds);
      CHECK(from.stm->held() == c.holds);
      CHECK(to.stm->held() == c.holds);
    }
  }
}

TEST_CASE("hold and resume after an attended transfer time the hold in both CDRs",
          "[call][transfer][linked]") {
  linked_calls l;
  const auto relay_offer = [&](const std::string& sdp, std::uint32_t cseq) {
    const send_request out = l.bob_offers(600 + cseq, cseq, sdp);
    const effects ok = l.call2.stm->on_response(
        out.request, call_fixture::response_to(out.msg, 200, "btag", sdp_b(7)),
        l.call2.now());
    const auto back = all_of<answer_linked>(ok);
    REQUIRE(back.size() == 1);
    const effects done =
        l.call1.stm->on_linked_response(back[0].relay, back[0].status, back[0].reason,
                                        back[0].content_type, back[0].body, l.call1.now());
    REQUIRE(answers(done, 600 + cseq).size() == 1);
    CHECK(answers(done, 600 + cseq)[0].msg.status_code() == 200);
    return done;
  };
  CHECK(has_event(relay_offer(sdp_with("sendonly", 2), 30), call_event_kind::held));
  l.call1.clk.advance(std::chrono::seconds{5});
  l.call2.clk.advance(std::chrono::seconds{5});
  CHECK(has_event(relay_offer(sdp_with("sendrecv", 3), 31), call_event_kind::resumed));
  for (const call_fixture* f : {&l.call1, &l.call2}) {
    CHECK(f->stm->summary().hold_count == 1);
    CHECK(f->stm->summary().hold_total_ms == 5000);
    CHECK_FALSE(f->stm->held());
  }
}

TEST_CASE("requests between linked calls that cannot be relayed",
          "[call][transfer][linked]") {
  SECTION("a call not linked refuses a linked request with 481") {
    call_fixture f;
    const sip::message to_b = f.answered();
    const auto req = call_fixture::from_b(to_b, "INVITE", 5, sdp_with("sendonly", 2));
    const effects fx = f.stm->on_linked_request(7, req, f.now());
    const auto back = all_of<answer_linked>(fx);
    REQUIRE(back.size() == 1);
    CHECK(back[0].relay == 7);
    CHECK(back[0].status == 481);
    CHECK(count_of<send_request>(fx) == 0);
  }
  SECTION("an offer while the other party's offer is unanswered gets 491") {
    linked_calls l;
    (void)l.bob_offers(700, 40, sdp_with("sendonly", 2));
    // Bob offers again before the answer: glare on his own call.
    const effects again = l.call1.stm->on_request(
        701, 0, call_fixture::from_b(l.to_bob, "UPDATE", 41, sdp_with("inactive", 3)),
        l.call1.now());
    REQUIRE(answers(again, 701).size() == 1);
    CHECK(answers(again, 701)[0].msg.status_code() == 491);
    // Call 2 refuses a second offer to carol while hers is pending.
    const effects second = l.call2.stm->on_linked_request(99, *l.request, l.call2.now());
    REQUIRE(all_of<answer_linked>(second).size() == 1);
    CHECK(all_of<answer_linked>(second)[0].status == 491);
  }
  SECTION("a session refresh is answered on its own call") {
    linked_calls l;
    const sip::message refresh = call_fixture::from_b(l.to_bob, "UPDATE", 50);
    const effects fx = l.call1.stm->on_request(800, 0, refresh, l.call1.now());
    CHECK(count_of<relay_linked>(fx) == 0);
    REQUIRE(answers(fx, 800).size() == 1);
    CHECK(answers(fx, 800)[0].msg.status_code() == 200);
  }
  SECTION("the linked call gone: the sender gets 481") {
    linked_calls l;
    const effects fx = l.call1.stm->on_request(
        900, 0, call_fixture::from_b(l.to_bob, "INFO", 60, "x", "text/plain"),
        l.call1.now());
    const auto rl = all_of<relay_linked>(fx);
    REQUIRE(rl.size() == 1);
    const effects done =
        l.call1.stm->on_linked_response(rl[0].relay, 481, {}, {}, {}, l.call1.now());
    REQUIRE(answers(done, 900).size() == 1);
    CHECK(answers(done, 900)[0].msg.status_code() == 481);
    // A late or repeated answer finds nothing pending.
    CHECK(l.call1.stm->on_linked_response(rl[0].relay, 200, {}, {}, {}, l.call1.now())
              .empty());
  }
  SECTION("the other party's dialog is gone: its call ends and ends the linked one") {
    linked_calls l;
    const send_request out = l.bob_offers(950, 70, sdp_with("sendonly", 2));
    const effects gone = l.call2.stm->on_response(
        out.request, call_fixture::response_to(out.msg, 481), l.call2.now());
    REQUIRE(all_of<answer_linked>(gone).size() == 1);
    CHECK(all_of<answer_linked>(gone)[0].status == 481);
    CHECK(count_of<hangup_linked>(gone) == 1);
    CHECK(count_of<cdr_ready>(gone) == 1);
    CHECK(l.call2.stm->current() == call_stm::state::terminated);
  }
}
