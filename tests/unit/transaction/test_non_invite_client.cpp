#include "net/sip/transaction_non_invite_client.hpp"
#include "tests/unit/transaction/fixture.hpp"

using namespace ringdown;
using namespace ringdown::sip;
using namespace ringdown::sip::test;
using state = non_invite_client_stm::state;

namespace {

struct nict {
  manual_clock clk;
  message_ptr req = request_ptr({.method = "OPTIONS", .branch = "z9hG4bK-n1"});
  non_invite_client_stm stm;
  transaction_effects started;

  explicit nict(bool reliable = false) : stm(req, default_timers(), reliable) {
    stm.start(clk.now(), started);
  }
  transaction_effects on(int status) {
    transaction_effects out;
    stm.handle(response_received{response_ptr(
                   {.status = status, .method = "OPTIONS", .branch = "z9hG4bK-n1"})},
               clk.now(), out);
    return out;
  }
  transaction_effects fire_timer(timer_name t) {
    return fire<non_invite_client_stm, client_event>(stm, clk, t);
  }
};

} // namespace

TEST_CASE("non-INVITE client start sends the request and arms Timers E and F",
          "[transaction][nict]") {
  nict t;
  REQUIRE(count_of<send_message>(t.started) == 1);
  CHECK(all_of<send_message>(t.started)[0].msg == t.req);
  CHECK(armed_at(t.started, timer_name::e) == t.clk.now() + 500ms);
  CHECK(armed_at(t.started, timer_name::f) == t.clk.now() + 32s);
}

TEST_CASE("non-INVITE client Timer E doubles up to T2 then Timer F times out",
          "[transaction][nict]") {
  nict t;
  const time_point t0 = t.clk.now();
  // §17.1.2.2: T1, 2*T1 ... capped at T2 = 4 s. Fires at 0.5 1.5 3.5 7.5
  // 11.5 ... 31.5 s: 10 retransmissions before F at 32 s.
  const std::vector<std::chrono::milliseconds> intervals{
      500ms, 1000ms, 2000ms, 4000ms, 4000ms, 4000ms, 4000ms, 4000ms, 4000ms, 4000ms};
  time_point last = t0;
  std::size_t sends = 0;
  for (const auto expected : intervals) {
    const auto at = t.stm.timers().deadline(timer_name::e);
    REQUIRE(at.has_value());
    CHECK(ms(*at - last) == expected);
    last = *at;
    sends += count_of<send_message>(t.fire_timer(timer_name::e));
  }
  CHECK(sends == intervals.size());
  CHECK(*t.stm.timers().deadline(timer_name::e) > *t.stm.timers().deadline(timer_name::f));
  const auto out = t.fire_timer(timer_name::f);
  CHECK(count_of<tu_timeout>(out) == 1);
  CHECK(ms(t.clk.now() - t0) == 32000ms);
  CHECK(ends_terminated(out));
  CHECK(t.stm.current() == state::terminated);
}

TEST_CASE("non-INVITE client Proceeding retransmits every T2", "[transaction][nict]") {
  nict t;
  (void)t.fire_timer(timer_name::e); // at 0.5 s, next E in 1 s
  const auto out = t.on(100);
  CHECK(t.stm.current() == state::proceeding);
  CHECK(count_of<pass_to_tu>(out) == 1);
  CHECK_FALSE(cancels(out, timer_name::e));
  for (int i = 0; i < 3; ++i) {
    const time_point before = t.clk.now();
    const auto fired = t.fire_timer(timer_name::e);
    CHECK(count_of<send_message>(fired) == 1);
    CHECK(ms(*armed_at(fired, timer_name::e) - t.clk.now()) == 4000ms);
    CHECK(t.clk.now() > before);
  }
}

TEST_CASE("non-INVITE client transitions table", "[transaction][nict]") {
  struct row {
    const char* what;
    bool reliable;
    std::vector<int> responses;
    state expected;
    std::size_t to_tu;
  };
  const std::vector<row> rows{
      {"1xx", false, {100}, state::proceeding, 1},
      {"1xx 1xx", false, {100, 180}, state::proceeding, 2},
      {"200 from Trying", false, {200}, state::completed, 1},
      {"1xx then 404", false, {100, 404}, state::completed, 2},
      {"final retransmissions absorbed", false, {200, 200, 500}, state::completed, 1},
      {"200 reliable", true, {200}, state::terminated, 1},
      {"1xx reliable", true, {180}, state::proceeding, 1},
  };
  for (const auto& r : rows) {
    INFO(r.what);
    nict t{r.reliable};
    transaction_effects all;
    for (const int code : r.responses) {
      auto out = t.on(code);
      all.insert(all.end(), out.begin(), out.end());
    }
    CHECK(t.stm.current() == r.expected);
    CHECK(count_of<pass_to_tu>(all) == r.to_tu);
    CHECK(count_of<send_message>(all) == 0);
  }
}

TEST_CASE("non-INVITE client Completed waits Timer K then terminates",
          "[transaction][nict]") {
  nict t;
  const auto out = t.on(200);
  CHECK(cancels(out, timer_name::e));
  CHECK(cancels(out, timer_name::f));
  CHECK(armed_at(out, timer_name::k) == t.clk.now() + 5s); // T4
  const auto end = t.fire_timer(timer_name::k);
  CHECK(ends_terminated(end));
  CHECK(count_of<tu_timeout>(end) == 0);
}

TEST_CASE("non-INVITE client on a reliable transport has no Timer E and K is zero",
          "[transaction][nict]") {
  nict t{true};
  CHECK_FALSE(armed_at(t.started, timer_name::e).has_value());
  CHECK(armed_at(t.started, timer_name::f) == t.clk.now() + 32s);
  const auto out = t.on(202);
  CHECK_FALSE(armed_at(out, timer_name::k).has_value());
  CHECK(ends_terminated(out));
  CHECK_FALSE(t.stm.timers().any_armed());
}

TEST_CASE("non-INVITE client transport error informs the TU and terminates",
          "[transaction][nict]") {
  for (const int before : {0, 100}) {
    INFO("after response " << before);
    nict t;
    if (before != 0)
      (void)t.on(before);
    transaction_effects out;
    t.stm.handle(transport_error{}, t.clk.now(), out);
    CHECK(count_of<tu_transport_error>(out) == 1);
    CHECK(ends_terminated(out));
    CHECK_FALSE(t.stm.timers().any_armed());
    transaction_effects after;
    t.stm.handle(timer_fired{timer_name::f}, t.clk.now(), after);
    CHECK(after.empty());
  }
}

TEST_CASE("non-INVITE client Timer F also times out Proceeding", "[transaction][nict]") {
  nict t;
  (void)t.on(100);
  REQUIRE(t.stm.current() == state::proceeding);
  // Walk Timer E until F is the earliest deadline, then fire F.
  while (*t.stm.timers().deadline(timer_name::e) < *t.stm.timers().deadline(timer_name::f))
    (void)t.fire_timer(timer_name::e);
  const auto out = t.fire_timer(timer_name::f);
  CHECK(count_of<tu_timeout>(out) == 1);
  CHECK(cancels(out, timer_name::e));
  CHECK(ends_terminated(out));
}

TEST_CASE("timer values follow the configured T1 T2 T4", "[transaction][timers]") {
  struct row {
    config::sip_timers cfg;
    std::chrono::milliseconds timeout, d_unreliable, i_k_unreliable, j_unreliable;
  };
  const std::vector<row> rows{
      {{500, 4000, 5000}, 32000ms, 32000ms, 5000ms, 32000ms},
      {{100, 1000, 2000}, 6400ms, 32000ms, 2000ms, 6400ms},
      {{1000, 8000, 5000}, 64000ms, 64000ms, 5000ms, 64000ms}, // D never below 64*T1
  };
  for (const auto& r : rows) {
    INFO("T1 " << r.cfg.t1_ms);
    const auto v = timer_values::from(r.cfg);
    CHECK(ms(v.timeout()) == r.timeout);
    CHECK(ms(v.d(false)) == r.d_unreliable);
    CHECK(ms(v.i_k(false)) == r.i_k_unreliable);
    CHECK(ms(v.j(false)) == r.j_unreliable);
    CHECK(v.d(true) == duration::zero());
    CHECK(v.i_k(true) == duration::zero());
    CHECK(v.j(true) == duration::zero());
    // A client transaction started with these values uses them.
    manual_clock clk;
    non_invite_client_stm stm{request_ptr({.method = "OPTIONS"}), v, false};
    transaction_effects out;
    stm.start(clk.now(), out);
    CHECK(ms(*armed_at(out, timer_name::e) - clk.now()) == ms(v.t1));
    CHECK(ms(*armed_at(out, timer_name::f) - clk.now()) == r.timeout);
  }
}
