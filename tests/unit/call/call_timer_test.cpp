// call_stm and RFC 4028 session timers, per leg.
#include "tests/unit/call/call_fixture.hpp"

using namespace ringdown;
using namespace ringdown::call;
using namespace ringdown::call::test;

namespace {

const arm_timer* find_arm(const effects& fx, timer_kind k, leg_id leg) {
  for (const effect& e : fx)
    if (const auto* a = std::get_if<arm_timer>(&e);
        a && a->name.kind == k && a->name.leg == leg)
      return a;
  return nullptr;
}

} // namespace

TEST_CASE("an INVITE with too small a Session-Expires gets 422 with Min-SE",
          "[call][timer]") {
  call_fixture f;
  const effects out =
      f.start({"sip:bob@10.0.0.1"}, sdp_with("sendrecv"), "Session-Expires: 30");
  CHECK(count_of<send_request>(out) == 0);
  REQUIRE(answers(out, 1).size() == 1);
  CHECK(answers(out, 1)[0].msg.status_code() == 422);
  CHECK(answers(out, 1)[0].msg.header(sip::header_id::min_se) == "90");
  REQUIRE(count_of<cdr_ready>(out) == 1);
  CHECK(all_of<cdr_ready>(out)[0].summary.final_status == 422);
}

TEST_CASE("the caller refreshes and we answer the refresh ourselves", "[call][timer]") {
  call_fixture f;
  const effects fx = f.start({"sip:bob@10.0.0.1"}, sdp_with("sendrecv"),
                             "Session-Expires: 600;refresher=uac");
  const auto inv = sent(fx, 1, "INVITE");
  // B does not support timers: its 2xx has no Session-Expires.
  const effects ok = f.stm->on_response(
      inv[0].request, call_fixture::response_to(inv[0].msg, 200, "btag", sdp_b()), f.now());
  const auto r = answers(ok, 1);
  REQUIRE(r.size() == 1);
  CHECK(r[0].msg.header(sip::header_id::session_expires) == "600;refresher=uac");
  const arm_timer* expiry = find_arm(ok, timer_kind::session_expiry, leg_a);
  REQUIRE(expiry != nullptr);
  CHECK(expiry->deadline - f.clk.now() == std::chrono::seconds{600 - 32});
  CHECK(find_arm(ok, timer_kind::session_expiry, 1) == nullptr); // no timer on B
  CHECK(find_arm(ok, timer_kind::session_refresh, 1) == nullptr);
  f.a_tag = std::string(r[0].msg.to()->tag());
  (void)f.stm->on_request(0, 0, f.ack_from_a(), f.now());

  f.clk.advance(std::chrono::seconds{300});
  // Refresh by UPDATE without SDP, then by re-INVITE with the same SDP.
  for (const std::string_view m : {"UPDATE", "INVITE"}) {
    const std::string body = m == "INVITE" ? sdp_with("sendrecv") : std::string{};
    const effects ref = f.stm->on_request(
        80, 0,
        f.from_a(m, body, "application/sdp", {{"Session-Expires", "600;refresher=uac"}}),
        f.now());
    CHECK(count_of<send_request>(ref) == 0); // never relayed to B
    const auto rs = answers(ref, 80);
    REQUIRE(rs.size() == 1);
    const sip::message& resp = rs[0].msg;
    CHECK(resp.status_code() == 200);
    CHECK(resp.header(sip::header_id::session_expires) == "600;refresher=uac");
    CHECK(resp.body() == (m == "INVITE" ? sdp_b() : std::string{}));
    const arm_timer* again = find_arm(ref, timer_kind::session_expiry, leg_a);
    REQUIRE(again != nullptr);
    CHECK(again->deadline == f.clk.now() + std::chrono::seconds{568});
  }
  // A refresh below Min-SE is refused with 422.
  const effects small = f.stm->on_request(
      81, 0, f.from_a("UPDATE", {}, {}, {{"Session-Expires", "20"}}), f.now());
  REQUIRE(answers(small, 81).size() == 1);
  CHECK(answers(small, 81)[0].msg.status_code() == 422);
}

TEST_CASE("we refresh the callee leg when its 2xx makes us the refresher",
          "[call][timer]") {
  call_fixture f;
  const effects fx = f.start({"sip:bob@10.0.0.1"});
  const auto inv = sent(fx, 1, "INVITE");
  const effects ok = f.stm->on_response(
      inv[0].request,
      call_fixture::response_to(inv[0].msg, 200, "btag", sdp_b(),
                                {{"Session-Expires", "120;refresher=uac"},
                                 {"Require", "timer"},
                                 {"Allow", "INVITE, ACK, BYE, UPDATE"}}),
      f.now());
  const arm_timer* ref = find_arm(ok, timer_kind::session_refresh, 1);
  REQUIRE(ref != nullptr);
  CHECK(ref->deadline - f.clk.now() == std::chrono::seconds{60});
  f.clk.advance(std::chrono::seconds{60});
  const effects fire = f.stm->on_timer(ref->name, f.now());
  const auto up = sent(fire, 1, "UPDATE");
  REQUIRE(up.size() == 1);
  CHECK(up[0].msg.header(sip::header_id::session_expires) == "120;refresher=uac");
  CHECK(up[0].msg.body().empty());
  CHECK(count_of<send_request>(fire) == 1); // A is not bothered
  const effects done = f.stm->on_response(
      up[0].request,
      call_fixture::response_to(up[0].msg, 200, "btag", {},
                                {{"Session-Expires", "120;refresher=uac"}}),
      f.now());
  CHECK(find_arm(done, timer_kind::session_refresh, 1) != nullptr);
  CHECK(f.stm->current() == call_stm::state::confirmed);
}

TEST_CASE("a 422 from the callee retries the INVITE with its Min-SE", "[call][timer]") {
  call_fixture f;
  const auto inv = sent(f.start({"sip:bob@10.0.0.1"}), 1, "INVITE");
  const effects retry = f.stm->on_response(
      inv[0].request,
      call_fixture::response_to(inv[0].msg, 422, "b", {}, {{"Min-SE", "3600"}}), f.now());
  CHECK(answers(retry, 1).empty());
  const auto again = sent(retry, 1, "INVITE");
  REQUIRE(again.size() == 1);
  CHECK(again[0].msg.header(sip::header_id::session_expires) == "3600");
  CHECK(again[0].msg.cseq()->number == 2);
  CHECK(again[0].msg.call_id() == inv[0].msg.call_id());
  const effects ok = f.stm->on_response(
      again[0].request, call_fixture::response_to(again[0].msg, 200, "b", sdp_b()),
      f.now());
  CHECK(answers(ok, 1).at(0).msg.status_code() == 200);
}

TEST_CASE("session expiry without refresh ends the call only when configured",
          "[call][timer]") {
  for (const bool bye : {true, false}) {
    call_fixture f;
    f.cfg.bye_on_session_expiry = bye;
    const auto inv = sent(f.start({"sip:bob@10.0.0.1"}), 1, "INVITE");
    const effects ok = f.stm->on_response(
        inv[0].request,
        call_fixture::response_to(inv[0].msg, 200, "btag", sdp_b(),
                                  {{"Session-Expires", "90;refresher=uas"}}),
        f.now());
    const arm_timer* exp = find_arm(ok, timer_kind::session_expiry, 1);
    REQUIRE(exp != nullptr);
    CHECK(exp->deadline - f.clk.now() == std::chrono::seconds{60}); // 90 - 90/3
    f.clk.advance(std::chrono::seconds{60});
    const effects out = f.stm->on_timer(exp->name, f.now());
    CHECK(count_of<cdr_ready>(out) == (bye ? 1U : 0U));
    CHECK(sent(out, 1, "BYE").size() == (bye ? 1U : 0U));
    CHECK(sent(out, leg_a, "BYE").size() == (bye ? 1U : 0U));
  }
}

TEST_CASE("refresh by re-INVITE when the callee does not allow UPDATE", "[call][timer]") {
  call_fixture f;
  const auto inv = sent(f.start({"sip:bob@10.0.0.1"}), 1, "INVITE");
  const effects ok = f.stm->on_response(
      inv[0].request,
      call_fixture::response_to(inv[0].msg, 200, "btag", sdp_b(),
                                {{"Session-Expires", "1800;refresher=uac"}}),
      f.now());
  const arm_timer* ref = find_arm(ok, timer_kind::session_refresh, 1);
  REQUIRE(ref != nullptr);
  f.clk.set(ref->deadline);
  const effects fire = f.stm->on_timer(ref->name, f.now());
  const auto re = sent(fire, 1, "INVITE");
  REQUIRE(re.size() == 1);
  CHECK(re[0].msg.body() == sdp_with("sendrecv")); // our last offer, unchanged
  CHECK(re[0].msg.cseq()->number == 2);
  const effects done = f.stm->on_response(
      re[0].request,
      call_fixture::response_to(re[0].msg, 200, "btag", sdp_b(),
                                {{"Session-Expires", "1800;refresher=uac"}}),
      f.now());
  REQUIRE(count_of<send_ack>(done) == 1);
  CHECK(all_of<send_ack>(done)[0].msg.cseq()->number == 2);
  CHECK(find_arm(done, timer_kind::session_refresh, 1) != nullptr);
  // A refresh the dialog no longer knows (481) ends the call.
  f.clk.advance(std::chrono::seconds{900});
  const effects fire2 = f.stm->on_timer(ref->name, f.now());
  const auto re2 = sent(fire2, 1, "INVITE");
  REQUIRE(re2.size() == 1);
  const effects gone = f.stm->on_response(
      re2[0].request, call_fixture::response_to(re2[0].msg, 481, "btag"), f.now());
  CHECK(sent(gone, leg_a, "BYE").size() == 1);
  REQUIRE(count_of<cdr_ready>(gone) == 1);
  CHECK(all_of<cdr_ready>(gone)[0].summary.ended_by == "system");
}
