// call_stm set-up: basic call, forking, CANCEL, busy, no answer, failures.
#include "tests/unit/call/call_fixture.hpp"

using namespace ringdown;
using namespace ringdown::call;
using namespace ringdown::call::test;

TEST_CASE("basic call A INVITE then 180 200 ACK and BYE from A", "[call][basic]") {
  call_fixture f;
  const effects fx = f.start({"sip:bob@127.0.0.3:5080"});
  CHECK(has_event(fx, call_event_kind::offered));
  REQUIRE(count_of<bind_call_id>(fx) == 1);
  const auto inv = sent(fx, 1, "INVITE");
  REQUIRE(inv.size() == 1);
  CHECK(inv[0].destination == "sip:bob@127.0.0.3:5080");
  CHECK(inv[0].msg.body() == sdp_with("sendrecv")); // media seam: identity today
  CHECK(inv[0].msg.call_id() != f.a_invite.call_id());
  CHECK(inv[0].msg.from()->uri_text == "sip:alice@example.com");
  CHECK(inv[0].msg.header(sip::header_id::session_expires) == "1800");
  CHECK(inv[0].msg.max_forwards() == std::optional<std::uint32_t>{69});
  CHECK(all_of<bind_call_id>(fx)[0].call_id == inv[0].msg.call_id());

  f.clk.advance(std::chrono::seconds{1});
  const effects ring = f.stm->on_response(
      inv[0].request, call_fixture::response_to(inv[0].msg, 180), f.now());
  const auto r180 = answers(ring, 1);
  REQUIRE(r180.size() == 1);
  CHECK(r180[0].msg.status_code() == 180);
  CHECK_FALSE(r180[0].msg.to()->tag().empty());
  CHECK(has_event(ring, call_event_kind::ringing));
  CHECK(f.stm->current() == call_stm::state::early);

  f.clk.advance(std::chrono::seconds{2});
  const effects ok = f.stm->on_response(
      inv[0].request, call_fixture::response_to(inv[0].msg, 200, "btag", sdp_b()), f.now());
  const auto acks = all_of<send_ack>(ok);
  REQUIRE(acks.size() == 1);
  CHECK(acks[0].msg.cseq()->number == 1);
  CHECK(acks[0].msg.to()->tag() == "btag");
  CHECK(acks[0].destination == "sip:bob@127.0.0.3:5080");
  const auto r200 = answers(ok, 1);
  REQUIRE(r200.size() == 1);
  CHECK(r200[0].msg.status_code() == 200);
  CHECK(r200[0].msg.body() == sdp_b());
  CHECK(r200[0].msg.to()->tag() == r180[0].msg.to()->tag());
  CHECK(r200[0].msg.count(sip::header_id::contact) == 1);
  CHECK(has_event(ok, call_event_kind::answered));
  CHECK(f.stm->current() == call_stm::state::confirmed);
  f.a_tag = std::string(r200[0].msg.to()->tag());

  // Our 2xx is retransmitted until A's ACK (RFC 3261 §13.3.1.4).
  REQUIRE(count_of<arm_timer>(ok) >= 1);
  f.clk.advance(std::chrono::milliseconds{500});
  const effects re = f.stm->on_timer({timer_kind::retransmit_2xx, leg_a}, f.now());
  REQUIRE(answers(re, 1).size() == 1);
  const effects acked = f.stm->on_request(0, 0, f.ack_from_a(), f.now());
  CHECK(count_of<cancel_timer>(acked) == 1);
  CHECK(f.stm->on_timer({timer_kind::retransmit_2xx, leg_a}, f.now()).empty());

  f.clk.advance(std::chrono::milliseconds{10'400});
  const effects bye = f.stm->on_request(7, 0, f.from_a("BYE"), f.now());
  const auto r = answers(bye, 7);
  REQUIRE(r.size() == 1);
  CHECK(r[0].msg.status_code() == 200);
  const auto bye_b = sent(bye, 1, "BYE");
  REQUIRE(bye_b.size() == 1);
  CHECK(bye_b[0].msg.request_uri_text() == "sip:bob@127.0.0.3:5080");
  CHECK(bye_b[0].msg.to()->tag() == "btag");
  CHECK(has_event(bye, call_event_kind::ended));
  const auto cdr = all_of<cdr_ready>(bye);
  REQUIRE(cdr.size() == 1);
  const call_summary& s = cdr[0].summary;
  CHECK(s.call_id == "call-a@127.0.0.2");
  CHECK(s.from == "sip:alice@example.com");
  CHECK(s.to == "sip:bob@example.com");
  CHECK(s.line == "sip:line1@example.com");
  CHECK(s.zone == "london");
  CHECK(s.node == "node-1");
  CHECK(s.disposition == disposition::answered);
  CHECK(s.final_status == 200);
  CHECK(s.ended_by == "caller");
  CHECK(s.ring_ms - s.start_ms == 1000);
  CHECK(s.answer_ms - s.start_ms == 3000);
  CHECK(s.duration_ms == 3000 + 500 + 10'400);
  CHECK(s.billable_s == 11); // 10.9 s of talk, rounded up
  CHECK(s.hold_count == 0);
  CHECK(s.transfer == transfer_kind::none);
  CHECK(f.stm->current() == call_stm::state::terminated);
}

TEST_CASE("basic call ends with BYE from B", "[call][basic]") {
  call_fixture f;
  const sip::message ours = f.answered();
  const effects bye =
      f.stm->on_request(9, 0, call_fixture::from_b(ours, "BYE", 1), f.now());
  REQUIRE(answers(bye, 9).size() == 1);
  CHECK(answers(bye, 9)[0].msg.status_code() == 200);
  const auto to_a = sent(bye, leg_a, "BYE");
  REQUIRE(to_a.size() == 1);
  CHECK(to_a[0].msg.request_uri_text() == "sip:alice@127.0.0.2:5070");
  CHECK(to_a[0].destination == "sip:proxy.example.com;lr"); // A's Record-Route
  CHECK(to_a[0].msg.to()->tag() == "atag");
  const auto cdr = all_of<cdr_ready>(bye);
  REQUIRE(cdr.size() == 1);
  CHECK(cdr[0].summary.ended_by == "callee");
  // A request after the end gets 481.
  const effects late =
      f.stm->on_request(10, 0, f.from_a("INFO", "x", "text/plain"), f.now());
  REQUIRE(answers(late, 10).size() == 1);
  CHECK(answers(late, 10)[0].msg.status_code() == 481);
}

TEST_CASE("forking to three contacts the first 200 wins and the others are CANCELled",
          "[call][fork]") {
  call_fixture f;
  const effects fx = f.start({"sip:bob@10.0.0.1", "sip:bob@10.0.0.2", "sip:bob@10.0.0.3"});
  const auto all = all_of<send_request>(fx);
  REQUIRE(all.size() == 3);
  CHECK(count_of<bind_call_id>(fx) == 3);
  for (const auto& s : all)
    (void)f.stm->on_response(
        s.request, call_fixture::response_to(s.msg, 180, "t" + std::to_string(s.leg)),
        f.now());
  const effects ok = f.stm->on_response(
      all[1].request, call_fixture::response_to(all[1].msg, 200, "t2", sdp_b()), f.now());
  const auto cancels = all_of<cancel_request>(ok);
  REQUIRE(cancels.size() == 2);
  CHECK(cancels[0].request == all[0].request);
  CHECK(cancels[1].request == all[2].request);
  CHECK(answers(ok, 1).at(0).msg.status_code() == 200);
  CHECK(f.stm->pair()[1] == all[1].leg);

  // The cancelled forks answer 487: nothing more for A.
  const effects r487 = f.stm->on_response(
      all[0].request, call_fixture::response_to(all[0].msg, 487, "t1"), f.now());
  CHECK(answers(r487, 1).empty());
  // A late 200 on a cancelled fork: ACK it and BYE it.
  const effects late = f.stm->on_response(
      all[2].request, call_fixture::response_to(all[2].msg, 200, "t3", sdp_b()), f.now());
  const auto acks = all_of<send_ack>(late);
  REQUIRE(acks.size() == 1);
  CHECK(acks[0].leg == all[2].leg);
  const auto byes = sent(late, all[2].leg, "BYE");
  REQUIRE(byes.size() == 1);
  CHECK(byes[0].msg.to()->tag() == "t3");
  CHECK(answers(late, 1).empty());
  CHECK(f.stm->current() == call_stm::state::confirmed);
}

TEST_CASE("CANCEL before answer gives 487 and CANCELs every fork", "[call][cancel]") {
  call_fixture f;
  const effects fx = f.start({"sip:bob@10.0.0.1", "sip:bob@10.0.0.2"});
  const auto all = all_of<send_request>(fx);
  (void)f.stm->on_response(all[0].request, call_fixture::response_to(all[0].msg, 180, "x"),
                           f.now());
  f.clk.advance(std::chrono::seconds{4});
  sip::message_builder c("CANCEL", "sip:bob@example.com");
  c.header("Via", "SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bKa1;rport")
      .header("Max-Forwards", "70")
      .header("From", "\"Alice\" <sip:alice@example.com>;tag=atag")
      .header("To", "<sip:bob@example.com>")
      .header("Call-ID", "call-a@127.0.0.2")
      .header("CSeq", "1 CANCEL");
  const effects out = f.stm->on_request(5, 1, c.build(), f.now());
  REQUIRE(answers(out, 5).size() == 1);
  CHECK(answers(out, 5)[0].msg.status_code() == 200);
  REQUIRE(answers(out, 1).size() == 1);
  CHECK(answers(out, 1)[0].msg.status_code() == 487);
  CHECK(count_of<cancel_request>(out) == 2);
  const auto cdr = all_of<cdr_ready>(out);
  REQUIRE(cdr.size() == 1);
  CHECK(cdr[0].summary.disposition == disposition::cancelled);
  CHECK(cdr[0].summary.final_status == 487);
  CHECK(cdr[0].summary.ended_by == "caller");
  CHECK(cdr[0].summary.duration_ms == 4000);
  CHECK(cdr[0].summary.billable_s == 0);
  CHECK(cdr[0].summary.answer_ms == 0);
  // The forks' 487s change nothing; there is one CDR only.
  const effects after = f.stm->on_response(
      all[0].request, call_fixture::response_to(all[0].msg, 487, "x"), f.now());
  CHECK(after.empty());
}

TEST_CASE("busy callee 486 is relayed and the CDR says busy", "[call][busy]") {
  call_fixture f;
  const auto inv = sent(f.start({"sip:bob@10.0.0.1"}), 1, "INVITE");
  const effects out = f.stm->on_response(
      inv[0].request, call_fixture::response_to(inv[0].msg, 486, "b"), f.now());
  REQUIRE(answers(out, 1).size() == 1);
  CHECK(answers(out, 1)[0].msg.status_code() == 486);
  CHECK(answers(out, 1)[0].msg.reason_phrase() == "Busy Here");
  const auto cdr = all_of<cdr_ready>(out);
  REQUIRE(cdr.size() == 1);
  CHECK(cdr[0].summary.disposition == disposition::busy);
  CHECK(cdr[0].summary.final_status == 486);
  CHECK(cdr[0].summary.final_reason == "Busy Here");
  CHECK(has_event(out, call_event_kind::ended));
}

TEST_CASE("no answer the ring timer CANCELs and answers with the configured code",
          "[call][noanswer]") {
  for (const int code : {480, 408}) {
    call_fixture f;
    f.cfg.no_answer_status = code;
    const effects fx = f.start({"sip:bob@10.0.0.1"});
    const auto arms = all_of<arm_timer>(fx);
    REQUIRE(arms.size() == 1);
    CHECK(arms[0].name.kind == timer_kind::ring_no_answer);
    CHECK(arms[0].deadline - f.clk.now() == std::chrono::seconds{60});
    f.clk.advance(std::chrono::seconds{60});
    const effects out = f.stm->on_timer(arms[0].name, f.now());
    CHECK(count_of<cancel_request>(out) == 1);
    REQUIRE(answers(out, 1).size() == 1);
    CHECK(answers(out, 1)[0].msg.status_code() == code);
    const auto cdr = all_of<cdr_ready>(out);
    REQUIRE(cdr.size() == 1);
    CHECK(cdr[0].summary.disposition == disposition::no_answer);
    CHECK(cdr[0].summary.ended_by == "system");
  }
}

TEST_CASE("all forks fail the best response goes to the caller", "[call][fork]") {
  struct row {
    std::vector<int> codes;
    int best;
  };
  const std::vector<row> table{
      {{486, 408, 503}, 486}, {{408, 404}, 404}, {{486, 603}, 603}, {{503, 408}, 408},
      {{500, 480}, 480},      {{302, 500}, 500}, {{487, 486}, 486}, {{503}, 503},
  };
  for (const row& r : table) {
    call_fixture f;
    std::vector<std::string> uris;
    for (std::size_t i = 0; i < r.codes.size(); ++i)
      uris.push_back("sip:bob@10.0.0." + std::to_string(i + 1));
    const auto all = all_of<send_request>(f.start(uris));
    REQUIRE(all.size() == r.codes.size());
    effects last;
    for (std::size_t i = 0; i < all.size(); ++i) {
      last = f.stm->on_response(
          all[i].request, call_fixture::response_to(all[i].msg, r.codes[i], "t"), f.now());
      if (i + 1 < all.size())
        CHECK(answers(last, 1).empty()); // wait for every fork
    }
    INFO("best of " << r.codes.size() << " forks expected " << r.best);
    REQUIRE(answers(last, 1).size() == 1);
    CHECK(answers(last, 1)[0].msg.status_code() == r.best);
  }
}

TEST_CASE("unknown user gets 404 and a user without contacts 480", "[call][reject]") {
  for (const int code : {404, 480}) {
    call_fixture f;
    f.a_invite = call_fixture::make_invite(sdp_with("sendrecv"));
    call_targets t;
    t.reject_status = code;
    f.stm = std::make_unique<call_stm>(f.cfg, f.ids);
    const effects out = f.stm->start(1, f.a_invite, t, f.now());
    CHECK(count_of<send_request>(out) == 0);
    REQUIRE(answers(out, 1).size() == 1);
    CHECK(answers(out, 1)[0].msg.status_code() == code);
    const auto cdr = all_of<cdr_ready>(out);
    REQUIRE(cdr.size() == 1);
    CHECK(cdr[0].summary.disposition ==
          (code == 404 ? disposition::rejected : disposition::no_answer));
  }
}

TEST_CASE("late offer the callee offer goes to A and A answer rides on B ACK",
          "[call][basic]") {
  call_fixture f;
  const auto inv = sent(f.start({"sip:bob@10.0.0.1"}, ""), 1, "INVITE");
  CHECK(inv[0].msg.body().empty());
  const effects ok = f.stm->on_response(
      inv[0].request, call_fixture::response_to(inv[0].msg, 200, "b", sdp_b()), f.now());
  CHECK(count_of<send_ack>(ok) == 0);
  f.a_tag = std::string(answers(ok, 1).at(0).msg.to()->tag());
  const effects ack =
      f.stm->on_request(0, 0, f.ack_from_a(1, sdp_with("sendrecv")), f.now());
  const auto acks = all_of<send_ack>(ack);
  REQUIRE(acks.size() == 1);
  CHECK(acks[0].msg.body() == sdp_with("sendrecv"));
}

TEST_CASE("an INVITE with Max-Forwards 0 gets 483", "[call][reject]") {
  call_fixture f;
  f.a_invite = call_fixture::make_invite(sdp_with("sendrecv"));
  sip::message_builder b("INVITE", "sip:bob@example.com");
  b.header("Via", "SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bKmf")
      .header("Max-Forwards", "0")
      .header("From", "<sip:alice@example.com>;tag=atag")
      .header("To", "<sip:bob@example.com>")
      .header("Call-ID", "mf@x")
      .header("CSeq", "1 INVITE")
      .header("Contact", "<sip:alice@127.0.0.2>");
  call_targets t;
  t.uris = {"sip:bob@10.0.0.1"};
  f.stm = std::make_unique<call_stm>(f.cfg, f.ids);
  const effects out = f.stm->start(1, b.build(), t, f.now());
  CHECK(count_of<send_request>(out) == 0);
  REQUIRE(answers(out, 1).size() == 1);
  CHECK(answers(out, 1)[0].msg.status_code() == 483);
  CHECK(count_of<cdr_ready>(out) == 1);
}

TEST_CASE("an INVITE without Contact gets 400", "[call][reject]") {
  call_fixture f;
  sip::message_builder b("INVITE", "sip:bob@example.com");
  b.header("Via", "SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bKnc")
      .header("Max-Forwards", "70")
      .header("From", "<sip:alice@example.com>;tag=atag")
      .header("To", "<sip:bob@example.com>")
      .header("Call-ID", "nc@x")
      .header("CSeq", "1 INVITE");
  call_targets t;
  t.uris = {"sip:bob@10.0.0.1"};
  f.stm = std::make_unique<call_stm>(f.cfg, f.ids);
  const effects out = f.stm->start(1, b.build(), t, f.now());
  CHECK(count_of<send_request>(out) == 0);
  REQUIRE(answers(out, 1).size() == 1);
  CHECK(answers(out, 1)[0].msg.status_code() == 400);
  REQUIRE(count_of<cdr_ready>(out) == 1);
  CHECK(all_of<cdr_ready>(out)[0].summary.disposition == disposition::rejected);
}

TEST_CASE("forks beyond legs_max are not sent", "[call][fork]") {
  call_fixture f;
  f.cfg.legs_max = 3;
  const effects fx = f.start({"sip:b@10.0.0.1", "sip:b@10.0.0.2", "sip:b@10.0.0.3",
                              "sip:b@10.0.0.4", "sip:b@10.0.0.5"});
  CHECK(count_of<send_request>(fx) == 2);
  CHECK(f.stm->leg(3) == nullptr);
}

TEST_CASE("no ACK for our 2xx within 64 T1 ends the call with BYE", "[call][basic]") {
  call_fixture f;
  const effects fx = f.start({"sip:bob@10.0.0.1"});
  const auto inv = sent(fx, 1, "INVITE");
  effects last = f.stm->on_response(
      inv[0].request, call_fixture::response_to(inv[0].msg, 200, "btag", sdp_b()), f.now());
  std::vector<duration> gaps;
  for (int i = 0; i < 20 && count_of<cdr_ready>(last) == 0; ++i) {
    const arm_timer* next = nullptr;
    for (const effect& e : last)
      if (const auto* a = std::get_if<arm_timer>(&e);
          a && a->name.kind == timer_kind::retransmit_2xx)
        next = a;
    REQUIRE(next != nullptr);
    gaps.push_back(next->deadline - f.clk.now());
    const timer_name name = next->name;
    f.clk.set(next->deadline);
    last = f.stm->on_timer(name, f.now());
  }
  REQUIRE(count_of<cdr_ready>(last) == 1);
  CHECK(all_of<cdr_ready>(last)[0].summary.final_reason == "No ACK");
  CHECK(sent(last, leg_a, "BYE").size() == 1);
  CHECK(sent(last, 1, "BYE").size() == 1);
  REQUIRE(gaps.size() >= 4);
  CHECK(gaps[0] == std::chrono::milliseconds{500});
  CHECK(gaps[1] == std::chrono::seconds{1});
  CHECK(gaps[2] == std::chrono::seconds{2});
  CHECK(gaps[3] == std::chrono::seconds{4});
  CHECK(gaps.back() == std::chrono::seconds{4}); // capped at T2
}

TEST_CASE("legs share a body relayed unchanged and keep bodies that differ",
          "[call][basic]") {
  call_leg a;
  call_leg b;
  a.sdp_received = sdp_with("sendrecv");
  b.sdp_sent = sdp_with("sendrecv"); // relayed unchanged
  b.sdp_received = sdp_with("recvonly");
  a.sdp_sent = sdp_with("sendonly"); // rewritten
  CHECK_FALSE(b.sdp_sent.shares(a.sdp_received));
  share_sdp(a, b);
  CHECK(b.sdp_sent.shares(a.sdp_received));
  CHECK(b.sdp_sent == sdp_with("sendrecv"));
  CHECK_FALSE(a.sdp_sent.shares(b.sdp_received));
  CHECK(a.sdp_sent == sdp_with("sendonly"));
  CHECK(sdp_text{}.empty());
  CHECK(sdp_text{std::string{}}.empty());
}

TEST_CASE("reliable provisional responses are PRACKed in RSeq order and passed on "
          "unreliably",
          "[call][prack]") {
  call_fixture f;
  const effects fx = f.start({"sip:bob@127.0.0.3:5080"});
  const auto inv = sent(fx, 1, "INVITE");
  REQUIRE(inv.size() == 1);
  CHECK(inv[0].msg.lists_token(sip::header_id::supported, "100rel"));
  const auto reliable = [&](int status, const char* rseq) {
    return call_fixture::response_to(inv[0].msg, status, "btag", sdp_b(),
                                     {{"Require", "100rel"}, {"RSeq", rseq}});
  };
  const auto cseq = std::to_string(inv[0].msg.cseq()->number);

  effects e = f.stm->on_response(inv[0].request, reliable(183, "7"), f.now());
  auto prack = sent(e, 1, "PRACK");
  REQUIRE(prack.size() == 1);
  CHECK(prack[0].msg.header("RAck") == "7 " + cseq + " INVITE");
  CHECK(prack[0].msg.to()->tag() == "btag"); // in the early dialog
  CHECK(prack[0].msg.cseq()->number == inv[0].msg.cseq()->number + 1);
  auto to_a = answers(e, 1);
  REQUIRE(to_a.size() == 1);
  CHECK(to_a[0].msg.status_code() == 183);
  CHECK(to_a[0].msg.header("Require").empty()); // unreliable toward the caller
  CHECK(to_a[0].msg.header("RSeq").empty());

  // Its retransmission (our PRACK crossed it) is neither PRACKed nor relayed.
  e = f.stm->on_response(inv[0].request, reliable(183, "7"), f.now());
  CHECK(sent(e, 1, "PRACK").empty());
  CHECK(answers(e, 1).empty());
  // One out of order likewise; the next in order is PRACKed.
  e = f.stm->on_response(inv[0].request, reliable(180, "9"), f.now());
  CHECK(sent(e, 1, "PRACK").empty());
  e = f.stm->on_response(inv[0].request, reliable(180, "8"), f.now());
  prack = sent(e, 1, "PRACK");
  REQUIRE(prack.size() == 1);
  CHECK(prack[0].msg.header("RAck") == "8 " + cseq + " INVITE");
  // A reliable one without a valid RSeq is dropped.
  e = f.stm->on_response(inv[0].request, reliable(180, "x"), f.now());
  CHECK(sent(e, 1, "PRACK").empty());
  CHECK(answers(e, 1).empty());
  // An ordinary provisional response needs no PRACK.
  e = f.stm->on_response(inv[0].request, call_fixture::response_to(inv[0].msg, 180),
                         f.now());
  CHECK(sent(e, 1, "PRACK").empty());
  CHECK(answers(e, 1).size() == 1);
}

TEST_CASE("a 3xx before the answer calls its contacts, once each, a few times at most",
          "[call][redirect]") {
  call_fixture f;
  const effects fx = f.start({"sip:bob@127.0.0.3:5080"});
  const auto to_bob = sent(fx, 1, "INVITE");
  REQUIRE(to_bob.size() == 1);
  // bob's phone forwards: 302 with two contacts, one of them a tel: URI.
  auto moved = call_fixture::response_to(
      to_bob[0].msg, 302, "btag", {},
      {{"Contact", "<sip:carol@127.0.0.4:5090>, <tel:+442071234567>"}});
  effects e = f.stm->on_response(to_bob[0].request, moved, f.now());
  CHECK(answers(e, 1).empty()); // the caller is not told
  const auto to_carol = sent(e, 2, "INVITE");
  REQUIRE(to_carol.size() == 1);
  CHECK(to_carol[0].msg.request_uri().text == "sip:carol@127.0.0.4:5090");
  CHECK(to_carol[0].msg.body() == sdp_with("sendrecv")); // the caller's offer
  CHECK(f.stm->leg_count() == 3);                        // no leg for the tel: URI

  // carol redirects back to bob (tried already): not followed; the call
  // fails, 480 to the caller (a 3xx of ours would carry no contact).
  auto back = call_fixture::response_to(to_carol[0].msg, 302, "ctag", {},
                                        {{"Contact", "<sip:bob@127.0.0.3:5080>"}});
  e = f.stm->on_response(to_carol[0].request, back, f.now());
  CHECK(count_of<send_request>(e) == 0);
  const auto r = answers(e, 1);
  REQUIRE(r.size() == 1);
  CHECK(r[0].msg.status_code() == 480);
}

TEST_CASE("a 3xx answered by the redirected contact bridges the caller to it",
          "[call][redirect]") {
  call_fixture f;
  const effects fx = f.start({"sip:bob@127.0.0.3:5080"});
  const auto to_bob = sent(fx, 1, "INVITE");
  REQUIRE(to_bob.size() == 1);
  effects e = f.stm->on_response(
      to_bob[0].request,
      call_fixture::response_to(to_bob[0].msg, 302, "btag", {},
                                {{"Contact", "<sip:carol@127.0.0.4:5090>"}}),
      f.now());
  const auto to_carol = sent(e, 2, "INVITE");
  REQUIRE(to_carol.size() == 1);
  e = f.stm->on_response(to_carol[0].request,
                         call_fixture::response_to(to_carol[0].msg, 200, "ctag", sdp_b()),
                         f.now());
  const auto r = answers(e, 1);
  REQUIRE(r.size() == 1);
  CHECK(r[0].msg.status_code() == 200);
  CHECK(f.stm->current() == call_stm::state::confirmed);
}

TEST_CASE("redirections stop after redirects_max", "[call][redirect]") {
  call_fixture f;
  effects e = f.start({"sip:hop0@127.0.0.3:5080"});
  for (int hop = 0;; ++hop) {
    const auto inv = sent(e, static_cast<leg_id>(hop + 1), "INVITE");
    if (inv.empty()) {
      // Not followed: the call fails, 480 to the caller.
      const auto r = answers(e, 1);
      REQUIRE(r.size() == 1);
      CHECK(r[0].msg.status_code() == 480);
      CHECK(hop == 4); // the first target, then three redirections
      break;
    }
    REQUIRE(hop < 10);
    e = f.stm->on_response(
        inv[0].request,
        call_fixture::response_to(
            inv[0].msg, 302, "t" + std::to_string(hop), {},
            {{"Contact", "<sip:hop" + std::to_string(hop + 1) + "@127.0.0.3:5080>"}}),
        f.now());
  }
}
