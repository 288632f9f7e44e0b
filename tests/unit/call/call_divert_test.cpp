// call_stm call diversion (RFC 5806 Diversion): busy and no answer send
// the call to the diversion's contacts once; the caller is told whom it
// reached by UPDATE with P-Asserted-Identity after its ACK.
#include "tests/unit/call/call_fixture.hpp"

using namespace ringdown;
using namespace ringdown::call;
using namespace ringdown::call::test;

namespace {

constexpr std::string_view bob_contact = "sip:bob@127.0.0.3:5080";
constexpr std::string_view carol_contact = "sip:carol@127.0.0.4:5090";

/// bob diverts to carol on busy and on no answer.
effects start_diverting(call_fixture& f, bool on_busy, bool on_no_answer) {
  f.a_invite = call_fixture::make_invite(sdp_with("sendrecv"));
  call_targets t;
  t.uris = {std::string(bob_contact)};
  t.zone = "london";
  t.divert.from_aor = "sip:bob@example.com";
  t.divert.to_aor = "sip:carol@example.com";
  t.divert.uris = {std::string(carol_contact)};
  t.divert.on_busy = on_busy;
  t.divert.on_no_answer = on_no_answer;
  f.stm = std::make_unique<call_stm>(f.cfg, f.ids);
  return f.stm->start(1, f.a_invite, t, f.now());
}

/// The one INVITE in `fx`, sent to `target`.
send_request invite_to(const effects& fx, std::string_view target) {
  std::vector<send_request> found;
  for (const send_request& s : all_of<send_request>(fx))
    if (s.msg.method_text() == "INVITE" && s.destination == target)
      found.push_back(s);
  REQUIRE(found.size() == 1);
  return found[0];
}

/// carol answers the diverted INVITE and alice ACKs our 200: returns what
/// the ACK made us do.
effects answered_by_carol(call_fixture& f, const send_request& to_carol) {
  const effects ok = f.stm->on_response(
      to_carol.request, call_fixture::response_to(to_carol.msg, 200, "ctag", sdp_b()),
      f.now());
  const auto r = answers(ok, 1);
  REQUIRE(r.size() == 1);
  CHECK(r[0].msg.status_code() == 200);
  f.a_tag = std::string(r[0].msg.to()->tag());
  return f.stm->on_request(0, 0, f.ack_from_a(), f.now());
}

} // namespace

TEST_CASE("a busy callee diverts the call once, with a Diversion header",
          "[call][divert]") {
  call_fixture f;
  const effects fx = start_diverting(f, true, false);
  const auto to_bob = invite_to(fx, bob_contact);
  CHECK(to_bob.msg.header("Diversion").empty());

  const effects busy = f.stm->on_response(
      to_bob.request, call_fixture::response_to(to_bob.msg, 486), f.now());
  CHECK(answers(busy, 1).empty()); // the caller does not hear busy
  const auto to_carol = invite_to(busy, carol_contact);
  CHECK(to_carol.msg.header("Diversion") ==
        "<sip:bob@example.com>;reason=user-busy;counter=1");
  CHECK(to_carol.msg.body() == sdp_with("sendrecv")); // the caller's offer
  CHECK(to_carol.msg.call_id() != to_bob.msg.call_id());

  const effects acked = answered_by_carol(f, to_carol);
  const auto update = sent(acked, leg_a, "UPDATE");
  REQUIRE(update.size() == 1);
  CHECK(update[0].msg.header("P-Asserted-Identity") == "<sip:carol@example.com>");
  CHECK(update[0].msg.body().empty());
  CHECK(update[0].msg.call_id() == "call-a@127.0.0.2");
  // Its answer changes nothing; the call goes on with carol.
  CHECK(f.stm->summary().diverted_from == "sip:bob@example.com");
  CHECK(f.stm->summary().diverted_to == "sip:carol@example.com");
  CHECK(f.stm->summary().divert_reason == "user-busy");
  const effects done = f.stm->on_response(
      update[0].request, call_fixture::response_to(update[0].msg, 200, "atag"), f.now());
  CHECK(all_of<send_request>(done).empty());
  CHECK(f.stm->current() == call_stm::state::confirmed);
}

TEST_CASE("a callee that does not answer in time is CANCELled and the call diverted",
          "[call][divert]") {
  call_fixture f;
  const effects fx = start_diverting(f, false, true);
  const auto to_bob = invite_to(fx, bob_contact);
  (void)f.stm->on_response(to_bob.request, call_fixture::response_to(to_bob.msg, 180),
                           f.now());
  f.clk.advance(f.cfg.ring_timeout);
  const effects timeout = f.stm->on_timer({timer_kind::ring_no_answer, leg_a}, f.now());
  CHECK(all_of<cancel_request>(timeout).size() == 1);
  CHECK(answers(timeout, 1).empty());
  const auto to_carol = invite_to(timeout, carol_contact);
  CHECK(to_carol.msg.header("Diversion") ==
        "<sip:bob@example.com>;reason=no-answer;counter=1");
  // bob's 487 for the CANCEL does not end the call: carol still rings.
  const effects cancelled = f.stm->on_response(
      to_bob.request, call_fixture::response_to(to_bob.msg, 487), f.now());
  CHECK(answers(cancelled, 1).empty());
  // carol does not answer either: one hop only, the caller gets 480.
  f.clk.advance(f.cfg.ring_timeout);
  const effects second = f.stm->on_timer({timer_kind::ring_no_answer, leg_a}, f.now());
  const auto r = answers(second, 1);
  REQUIRE(r.size() == 1);
  CHECK(r[0].msg.status_code() == 480);
  CHECK(sent(second, 3, "INVITE").empty());
}

TEST_CASE("a diversion on no answer may ring for less than the call would",
          "[call][divert]") {
  call_fixture f;
  f.a_invite = call_fixture::make_invite(sdp_with("sendrecv"));
  call_targets t;
  t.uris = {std::string(bob_contact)};
  t.divert.from_aor = "sip:bob@example.com";
  t.divert.to_aor = "sip:carol@example.com";
  t.divert.uris = {std::string(carol_contact)};
  t.divert.on_no_answer = true;
  t.divert.no_answer_after = std::chrono::seconds{15};
  f.stm = std::make_unique<call_stm>(f.cfg, f.ids);
  const effects fx = f.stm->start(1, f.a_invite, t, f.now());
  const auto timers = all_of<arm_timer>(fx);
  REQUIRE(timers.size() == 1);
  CHECK(timers[0].name == timer_name{timer_kind::ring_no_answer, leg_a});
  CHECK(timers[0].deadline == f.clk.now() + std::chrono::seconds{15});
  f.clk.advance(std::chrono::seconds{15});
  const effects timeout = f.stm->on_timer({timer_kind::ring_no_answer, leg_a}, f.now());
  CHECK(all_of<cancel_request>(timeout).size() == 1);
  (void)invite_to(timeout, carol_contact);
  // The diverted call rings for the call's own ring timer.
  const auto again = all_of<arm_timer>(timeout);
  REQUIRE(again.size() == 1);
  CHECK(again[0].deadline == f.clk.now() + f.cfg.ring_timeout);
}

TEST_CASE("without the matching condition a busy callee gives the caller 486",
          "[call][divert]") {
  call_fixture f;
  const effects fx = start_diverting(f, false, true); // no answer only
  const auto to_bob = invite_to(fx, bob_contact);
  const effects busy = f.stm->on_response(
      to_bob.request, call_fixture::response_to(to_bob.msg, 486), f.now());
  const auto r = answers(busy, 1);
  REQUIRE(r.size() == 1);
  CHECK(r[0].msg.status_code() == 486);
  CHECK(all_of<send_request>(busy).empty());
}

TEST_CASE("a diverted call whose target is busy too ends 486", "[call][divert]") {
  call_fixture f;
  const effects fx = start_diverting(f, true, true);
  const auto to_bob = invite_to(fx, bob_contact);
  const effects busy = f.stm->on_response(
      to_bob.request, call_fixture::response_to(to_bob.msg, 486), f.now());
  const auto to_carol = invite_to(busy, carol_contact);
  const effects busy_too = f.stm->on_response(
      to_carol.request, call_fixture::response_to(to_carol.msg, 486, "ctag"), f.now());
  const auto r = answers(busy_too, 1);
  REQUIRE(r.size() == 1);
  CHECK(r[0].msg.status_code() == 486);
  const auto cdr = all_of<cdr_ready>(busy_too);
  REQUIRE(cdr.size() == 1);
  CHECK(cdr[0].summary.disposition == disposition::busy);
}

TEST_CASE("an unconditional diversion puts a Diversion header on every fork",
          "[call][divert]") {
  call_fixture f;
  f.a_invite = call_fixture::make_invite(sdp_with("sendrecv"));
  call_targets t;
  t.uris = {std::string(carol_contact), "sip:carol@127.0.0.5:5090"};
  t.divert.from_aor = "sip:bob@example.com";
  t.divert.to_aor = "sip:carol@example.com";
  t.diverted_reason = "unconditional";
  f.stm = std::make_unique<call_stm>(f.cfg, f.ids);
  const effects fx = f.stm->start(1, f.a_invite, t, f.now());
  const auto forks = all_of<send_request>(fx);
  REQUIRE(forks.size() == 2);
  for (const auto& s : forks)
    CHECK(s.msg.header("Diversion") ==
          "<sip:bob@example.com>;reason=unconditional;counter=1");
  const effects acked = answered_by_carol(f, forks[0]);
  const auto update = sent(acked, leg_a, "UPDATE");
  REQUIRE(update.size() == 1);
  CHECK(update[0].msg.header("P-Asserted-Identity") == "<sip:carol@example.com>");
  CHECK(f.stm->summary().divert_reason == "unconditional");
  CHECK(f.stm->summary().diverted_from == "sip:bob@example.com");
}

TEST_CASE("a callee with no phone is diverted at once when unavailable", "[call][divert]") {
  call_fixture f;
  f.a_invite = call_fixture::make_invite(sdp_with("sendrecv"));
  call_targets t;
  t.reject_status = 480; // no registered contact
  t.divert.from_aor = "sip:bob@example.com";
  t.divert.to_aor = "sip:carol@example.com";
  t.divert.uris = {std::string(carol_contact)};
  t.divert.on_unavailable = true;
  f.stm = std::make_unique<call_stm>(f.cfg, f.ids);
  const effects fx = f.stm->start(1, f.a_invite, t, f.now());
  CHECK(answers(fx, 1).empty());
  const auto to_carol = invite_to(fx, carol_contact);
  CHECK(to_carol.msg.header("Diversion") ==
        "<sip:bob@example.com>;reason=unavailable;counter=1");
  CHECK(f.stm->summary().divert_reason == "unavailable");

  // Without the condition the caller gets the 480.
  call_fixture g;
  t.divert.on_unavailable = false;
  g.stm = std::make_unique<call_stm>(g.cfg, g.ids);
  const effects no = g.stm->start(1, f.a_invite, t, g.now());
  const auto r = answers(no, 1);
  REQUIRE(r.size() == 1);
  CHECK(r[0].msg.status_code() == 480);
}
