#include "net/sip/transaction_invite_server.hpp"
#include "tests/unit/transaction/fixture.hpp"

using namespace ringdown;
using namespace ringdown::sip;
using namespace ringdown::sip::test;
using state = invite_server_stm::state;

namespace {

struct ist {
  manual_clock clk;
  message_ptr invite = request_ptr({.branch = "z9hG4bK-s1"});
  invite_server_stm stm;
  transaction_effects started;

  explicit ist(bool reliable = false, trying_policy p = trying_policy::immediate)
      : stm(invite, default_timers(), reliable, p) {
    stm.start(clk.now(), started);
  }
  transaction_effects respond(int status, std::string to_tag = "srv1") {
    transaction_effects out;
    stm.handle(tu_response{response_ptr({.status = status,
                                         .branch = "z9hG4bK-s1",
                                         .to_tag = status == 100 ? "" : to_tag})},
               clk.now(), out);
    return out;
  }
  transaction_effects retransmit() {
    transaction_effects out;
    stm.handle(request_received{request_ptr({.branch = "z9hG4bK-s1"})}, clk.now(), out);
    return out;
  }
  transaction_effects ack() {
    transaction_effects out;
    stm.handle(request_received{request_ptr(
                   {.method = "ACK", .branch = "z9hG4bK-s1", .to_tag = "srv1"})},
               clk.now(), out);
    return out;
  }
  transaction_effects fire_timer(timer_name t) {
    return fire<invite_server_stm, server_event>(stm, clk, t);
  }
};

} // namespace

TEST_CASE("INVITE server passes the INVITE to the TU and sends 100 Trying at once",
          "[transaction][ist]") {
  ist t;
  REQUIRE(t.started.size() == 2);
  REQUIRE(std::holds_alternative<pass_to_tu>(t.started[0]));
  CHECK(std::get<pass_to_tu>(t.started[0]).msg == t.invite);
  CHECK(sent_statuses(t.started) == std::vector<int>{100});
  const message& trying = *all_of<send_message>(t.started)[0].msg;
  CHECK(trying.call_id() == t.invite->call_id());
  CHECK(trying.top_via()->branch() == "z9hG4bK-s1");
  CHECK(trying.to()->tag().empty());
  // A retransmitted INVITE gets the 100 again.
  CHECK(sent_statuses(t.retransmit()) == std::vector<int>{100});
  CHECK(t.stm.current() == state::proceeding);
}

TEST_CASE("INVITE server delayed 100 Trying is sent only if the TU is silent for 200 ms",
          "[transaction][ist]") {
  SECTION("TU silent") {
    ist t{false, trying_policy::after_200ms};
    CHECK(count_of<send_message>(t.started) == 0);
    CHECK(armed_at(t.started, timer_name::trying) == t.clk.now() + 200ms);
    CHECK(t.retransmit().empty()); // nothing to resend yet
    CHECK(sent_statuses(t.fire_timer(timer_name::trying)) == std::vector<int>{100});
  }
  SECTION("TU answers first") {
    ist t{false, trying_policy::after_200ms};
    t.clk.advance(50ms);
    const auto out = t.respond(180);
    CHECK(cancels(out, timer_name::trying));
    CHECK(sent_statuses(out) == std::vector<int>{180});
    CHECK_FALSE(t.stm.timers().armed(timer_name::trying));
  }
}

TEST_CASE("INVITE server Proceeding resends the last provisional", "[transaction][ist]") {
  ist t;
  CHECK(sent_statuses(t.respond(180)) == std::vector<int>{180});
  CHECK(sent_statuses(t.retransmit()) == std::vector<int>{180});
  CHECK(sent_statuses(t.respond(183)) == std::vector<int>{183});
  CHECK(sent_statuses(t.retransmit()) == std::vector<int>{183});
  CHECK(t.stm.current() == state::proceeding);
  CHECK(t.ack().empty()); // an ACK before any final is meaningless
}

TEST_CASE("INVITE server Timer G doubles up to T2 until Timer H times out",
          "[transaction][ist]") {
  ist t;
  const time_point t0 = t.clk.now();
  const auto fin = t.respond(486);
  CHECK(t.stm.current() == state::completed);
  CHECK(sent_statuses(fin) == std::vector<int>{486});
  CHECK(armed_at(fin, timer_name::h) == t0 + 32s);
  // G at 0.5 1.5 3.5 7.5 11.5 ... 31.5 s (§17.2.1: min(2*G, T2)).
  const std::vector<std::chrono::milliseconds> intervals{
      500ms, 1000ms, 2000ms, 4000ms, 4000ms, 4000ms, 4000ms, 4000ms, 4000ms, 4000ms};
  time_point last = t0;
  for (const auto expected : intervals) {
    const auto at = t.stm.timers().deadline(timer_name::g);
    REQUIRE(at.has_value());
    CHECK(ms(*at - last) == expected);
    last = *at;
    CHECK(sent_statuses(t.fire_timer(timer_name::g)) == std::vector<int>{486});
  }
  const auto out = t.fire_timer(timer_name::h);
  CHECK(count_of<tu_timeout>(out) == 1);
  CHECK(cancels(out, timer_name::g));
  CHECK(ends_terminated(out));
  CHECK(t.stm.current() == state::terminated);
}

TEST_CASE("INVITE server Completed resends the final and the ACK confirms",
          "[transaction][ist]") {
  ist t;
  (void)t.respond(180);
  (void)t.respond(603);
  CHECK(sent_statuses(t.retransmit()) == std::vector<int>{603});
  CHECK(t.respond(200).empty()); // later TU responses discarded
  const auto acked = t.ack();
  CHECK(t.stm.current() == state::confirmed);
  CHECK(cancels(acked, timer_name::g));
  CHECK(cancels(acked, timer_name::h));
  CHECK(count_of<pass_to_tu>(acked) == 0); // the ACK of a non-2xx stays here
  CHECK(armed_at(acked, timer_name::i) == t.clk.now() + 5s); // T4
  CHECK(t.ack().empty());                                    // absorbed
  CHECK(t.retransmit().empty());
  CHECK(ends_terminated(t.fire_timer(timer_name::i)));
}

TEST_CASE("INVITE server on a reliable transport has no Timer G and I is zero",
          "[transaction][ist]") {
  ist t{true};
  const auto fin = t.respond(500);
  CHECK_FALSE(armed_at(fin, timer_name::g).has_value());
  CHECK(armed_at(fin, timer_name::h) == t.clk.now() + 32s);
  const auto acked = t.ack();
  CHECK_FALSE(armed_at(acked, timer_name::i).has_value());
  CHECK(ends_terminated(acked));
}

TEST_CASE("INVITE server 2xx enters Accepted until Timer L", "[transaction][ist]") {
  ist t;
  const auto ok = t.respond(200);
  CHECK(t.stm.current() == state::accepted);
  CHECK(armed_at(ok, timer_name::l) == t.clk.now() + 32s);
  CHECK_FALSE(armed_at(ok, timer_name::g).has_value());
  CHECK(t.retransmit().empty()); // INVITE retransmissions absorbed (RFC 6026)
  const auto acked = t.ack();
  REQUIRE(count_of<pass_to_tu>(acked) == 1); // ACK of the 2xx goes to the TU
  CHECK(all_of<pass_to_tu>(acked)[0].msg->method() == method::ack);
  CHECK(t.stm.current() == state::accepted);
  CHECK(sent_statuses(t.respond(200)) == std::vector<int>{200}); // TU's retransmission
  CHECK(t.respond(486).empty());
  transaction_effects err;
  t.stm.handle(transport_error{}, t.clk.now(), err);
  CHECK(count_of<tu_transport_error>(err) == 1);
  CHECK(t.stm.current() == state::accepted); // RFC 6026 Figure 7
  CHECK(ends_terminated(t.fire_timer(timer_name::l)));
}

TEST_CASE("INVITE server transport error informs the TU and terminates",
          "[transaction][ist]") {
  for (const int before : {0, 180, 486}) {
    INFO("after response " << before);
    ist t;
    if (before != 0)
      (void)t.respond(before);
    transaction_effects out;
    t.stm.handle(transport_error{}, t.clk.now(), out);
    CHECK(count_of<tu_transport_error>(out) == 1);
    CHECK(ends_terminated(out));
    CHECK_FALSE(t.stm.timers().any_armed());
  }
}

TEST_CASE("timer_set keeps each armed timer's deadline, re-armed in place",
          "[transaction]") {
  timer_set ts;
  transaction_effects out;
  const time_point t0{std::chrono::seconds{1000}};
  ts.arm(timer_name::trying, t0 + 200ms, out);
  ts.arm(timer_name::g, t0 + 500ms, out);
  ts.arm(timer_name::h, t0 + 32s, out);
  ts.arm(timer_name::g, t0 + 1s, out); // doubled: the same slot
  CHECK(ts.deadline(timer_name::g) == t0 + 1s);
  CHECK(ts.deadline(timer_name::h) == t0 + 32s);
  CHECK(ts.deadline(timer_name::trying) == t0 + 200ms);
  CHECK_FALSE(ts.armed(timer_name::i));
  CHECK(ts.take(timer_name::trying));
  CHECK_FALSE(ts.take(timer_name::trying));
  ts.arm(timer_name::i, t0 + 5s, out); // into the slot `trying` freed
  CHECK(ts.deadline(timer_name::i) == t0 + 5s);
  out.clear();
  ts.cancel_all(out);
  CHECK(out.size() == 3); // G, H, I: one cancel_timer each
  CHECK_FALSE(ts.any_armed());
}
