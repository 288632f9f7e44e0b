// call_stm mid-call: hold and resume, UPDATE, INFO, OPTIONS, CSeq order.
#include "tests/unit/call/call_fixture.hpp"

using namespace ringdown;
using namespace ringdown::call;
using namespace ringdown::call::test;

namespace {

/// A re-INVITE or UPDATE from A relayed to B and answered 200 by B.
effects relay_from_a(call_fixture& f, std::string_view method, const std::string& sdp,
                     std::uint64_t tx) {
  const effects fx = f.stm->on_request(tx, 0, f.from_a(method, sdp), f.now());
  const auto out = sent(fx, 1, method);
  REQUIRE(out.size() == 1);
  CHECK(out[0].msg.body() == sdp);
  CHECK(answers(fx, tx).empty()); // waits for B
  effects done = f.stm->on_response(
      out[0].request, call_fixture::response_to(out[0].msg, 200, "btag", sdp_b(2)),
      f.now());
  const auto r = answers(done, tx);
  REQUIRE(r.size() == 1);
  CHECK(r[0].msg.status_code() == 200);
  CHECK(r[0].msg.body() == sdp_b(2));
  CHECK(count_of<send_ack>(done) == (method == "INVITE" ? 1U : 0U));
  return done;
}

} // namespace

TEST_CASE("hold and resume by re-INVITE are relayed and tracked", "[call][hold]") {
  call_fixture f;
  f.answered();
  f.clk.advance(std::chrono::seconds{5});
  const effects hold = relay_from_a(f, "INVITE", sdp_with("sendonly", 2), 20);
  CHECK(has_event(hold, call_event_kind::held));
  CHECK(f.stm->held());
  f.clk.advance(std::chrono::seconds{30});
  const effects resume = relay_from_a(f, "INVITE", sdp_with("sendrecv", 3), 21);
  CHECK(has_event(resume, call_event_kind::resumed));
  CHECK_FALSE(f.stm->held());
  f.clk.advance(std::chrono::seconds{1});
  (void)relay_from_a(f, "UPDATE", sdp_with("inactive", 4), 22); // held again, by UPDATE
  CHECK(f.stm->held());
  f.clk.advance(std::chrono::seconds{10});
  const effects bye = f.stm->on_request(23, 0, f.from_a("BYE"), f.now());
  const auto cdr = all_of<cdr_ready>(bye);
  REQUIRE(cdr.size() == 1);
  CHECK(cdr[0].summary.hold_count == 2);
  CHECK(cdr[0].summary.hold_total_ms == 40'000); // 30 s, then 10 s until the BYE
}

TEST_CASE("hold by the callee is relayed to the caller", "[call][hold]") {
  call_fixture f;
  const sip::message ours = f.answered();
  const effects fx = f.stm->on_request(
      30, 0, call_fixture::from_b(ours, "INVITE", 2, sdp_with("sendonly", 5)), f.now());
  const auto to_a = sent(fx, leg_a, "INVITE");
  REQUIRE(to_a.size() == 1);
  CHECK(to_a[0].msg.to()->tag() == "atag");
  CHECK(to_a[0].msg.body() == sdp_with("sendonly", 5));
  const effects ok = f.stm->on_response(
      to_a[0].request,
      call_fixture::response_to(to_a[0].msg, 200, "atag", sdp_with("recvonly")), f.now());
  CHECK(has_event(ok, call_event_kind::held));
  REQUIRE(answers(ok, 30).size() == 1);
  CHECK(answers(ok, 30)[0].msg.body() == sdp_with("recvonly"));
  CHECK(f.stm->leg(1)->held);
}

TEST_CASE("INFO is relayed with its body and the answer comes back", "[call][info]") {
  call_fixture f;
  f.answered();
  const effects fx =
      f.stm->on_request(40, 0,
                        f.from_a("INFO", "Signal=5\r\n", "application/dtmf-relay",
                                 {{"Info-Package", "dtmf"}}),
                        f.now());
  const auto info = sent(fx, 1, "INFO");
  REQUIRE(info.size() == 1);
  CHECK(info[0].msg.body() == "Signal=5\r\n");
  CHECK(info[0].msg.header("Info-Package") == "dtmf");
  CHECK(info[0].msg.header(sip::header_id::content_type) == "application/dtmf-relay");
  const effects r = f.stm->on_response(
      info[0].request, call_fixture::response_to(info[0].msg, 200, "btag"), f.now());
  REQUIRE(answers(r, 40).size() == 1);
  CHECK(answers(r, 40)[0].msg.status_code() == 200);
  CHECK(count_of<send_ack>(r) == 0);
}

TEST_CASE("UPDATE from the callee is relayed and a failure comes back", "[call][update]") {
  call_fixture f;
  const sip::message ours = f.answered();
  const effects fx =
      f.stm->on_request(41, 0, call_fixture::from_b(ours, "UPDATE", 2, sdp_b(3)), f.now());
  const auto up = sent(fx, leg_a, "UPDATE");
  REQUIRE(up.size() == 1);
  CHECK(up[0].msg.body() == sdp_b(3));
  const effects r = f.stm->on_response(
      up[0].request, call_fixture::response_to(up[0].msg, 488, "atag"), f.now());
  REQUIRE(answers(r, 41).size() == 1);
  CHECK(answers(r, 41)[0].msg.status_code() == 488);
  CHECK(f.stm->current() == call_stm::state::confirmed);
}

TEST_CASE("OPTIONS in dialog is answered locally", "[call][options]") {
  call_fixture f;
  f.answered();
  const effects fx = f.stm->on_request(50, 0, f.from_a("OPTIONS"), f.now());
  CHECK(count_of<send_request>(fx) == 0);
  REQUIRE(answers(fx, 50).size() == 1);
  CHECK(answers(fx, 50)[0].msg.status_code() == 200);
  CHECK(answers(fx, 50)[0].msg.lists_token(sip::header_id::allow, "REFER"));
}

TEST_CASE("in-dialog request out of order gets 500 and unknown dialog 481",
          "[call][dialog]") {
  call_fixture f;
  f.answered();
  (void)f.stm->on_request(60, 0, f.from_a("OPTIONS", {}, {}, {}, 10), f.now());
  const effects low =
      f.stm->on_request(61, 0, f.from_a("INFO", "x", "text/plain", {}, 9), f.now());
  REQUIRE(answers(low, 61).size() == 1);
  CHECK(answers(low, 61)[0].msg.status_code() == 500);
  CHECK(count_of<send_request>(low) == 0);
  f.a_tag = "wrong";
  const effects unknown = f.stm->on_request(62, 0, f.from_a("BYE"), f.now());
  REQUIRE(answers(unknown, 62).size() == 1);
  CHECK(answers(unknown, 62)[0].msg.status_code() == 481);
  CHECK(f.stm->current() == call_stm::state::confirmed);
}

TEST_CASE("re-INVITE while one is pending gets 491", "[call][hold]") {
  call_fixture f;
  const sip::message ours = f.answered();
  const effects first =
      f.stm->on_request(70, 0, f.from_a("INVITE", sdp_with("sendonly", 2)), f.now());
  REQUIRE(sent(first, 1, "INVITE").size() == 1);
  const effects second = f.stm->on_request(
      71, 0, call_fixture::from_b(ours, "INVITE", 2, sdp_with("sendonly", 9)), f.now());
  REQUIRE(answers(second, 71).size() == 1);
  CHECK(answers(second, 71)[0].msg.status_code() == 491);
}

TEST_CASE("a refused re-INVITE changes nothing and the same offer is relayed again",
          "[call][hold]") {
  call_fixture f;
  f.answered();
  const std::string hold = sdp_with("sendonly", 2);
  for (int round = 0; round < 2; ++round) {
    const std::uint64_t tx = 100 + static_cast<std::uint64_t>(round);
    const effects fx = f.stm->on_request(tx, 0, f.from_a("INVITE", hold), f.now());
    const auto out = sent(fx, 1, "INVITE");
    REQUIRE(out.size() == 1); // relayed both times, never answered locally
    const effects r = f.stm->on_response(
        out[0].request, call_fixture::response_to(out[0].msg, 488, "btag"), f.now());
    REQUIRE(answers(r, tx).size() == 1);
    CHECK(answers(r, tx)[0].msg.status_code() == 488);
    CHECK(count_of<send_ack>(r) == 0); // the transaction ACKs a non-2xx
    CHECK_FALSE(f.stm->held());
  }
}

TEST_CASE("CANCEL of a relayed re-INVITE cancels its copy on the other leg",
          "[call][hold]") {
  call_fixture f;
  f.answered();
  const effects fx =
      f.stm->on_request(110, 0, f.from_a("INVITE", sdp_with("sendonly", 2)), f.now());
  const auto out = sent(fx, 1, "INVITE");
  REQUIRE(out.size() == 1);
  const effects c =
      f.stm->on_request(111, 110, f.from_a("CANCEL", {}, {}, {}, f.a_cseq), f.now());
  CHECK(answers(c, 111).at(0).msg.status_code() == 200);
  const auto cancels = all_of<cancel_request>(c);
  REQUIRE(cancels.size() == 1);
  CHECK(cancels[0].request == out[0].request);
  CHECK(cancels[0].leg == 1);
  const effects r = f.stm->on_response(
      out[0].request, call_fixture::response_to(out[0].msg, 487, "btag"), f.now());
  CHECK(answers(r, 110).at(0).msg.status_code() == 487);
  CHECK(f.stm->current() == call_stm::state::confirmed);
}
