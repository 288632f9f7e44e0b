#include "net/sip/transaction_invite_client.hpp"
#include "tests/unit/transaction/fixture.hpp"

using namespace ringdown;
using namespace ringdown::sip;
using namespace ringdown::sip::test;
using state = invite_client_stm::state;

namespace {

struct ict {
  manual_clock clk;
  message_ptr invite = request_ptr();
  invite_client_stm stm;
  transaction_effects started;

  explicit ict(bool reliable = false) : stm(invite, default_timers(), reliable) {
    stm.start(clk.now(), started);
  }
  transaction_effects on(message_ptr rsp) {
    transaction_effects out;
    stm.handle(response_received{std::move(rsp)}, clk.now(), out);
    return out;
  }
  transaction_effects fire_timer(timer_name t) {
    return fire<invite_client_stm, client_event>(stm, clk, t);
  }
};

} // namespace

TEST_CASE("INVITE client start sends the INVITE and arms Timers A and B",
          "[transaction][ict]") {
  ict t;
  REQUIRE(count_of<send_message>(t.started) == 1);
  CHECK(all_of<send_message>(t.started)[0].msg == t.invite);
  CHECK(armed_at(t.started, timer_name::a) == t.clk.now() + 500ms);
  CHECK(armed_at(t.started, timer_name::b) == t.clk.now() + 32s);
  CHECK(t.stm.current() == state::calling);
}

TEST_CASE("INVITE client Timer A doubles from T1 until Timer B times out",
          "[transaction][ict]") {
  ict t;
  const time_point t0 = t.clk.now();
  // Retransmissions at T1, 2*T1, 4*T1 ... (§17.1.1.2): 500, 1000, 2000 ... ms apart.
  const std::vector<std::chrono::milliseconds> intervals{500ms,  1000ms, 2000ms,
                                                         4000ms, 8000ms, 16000ms};
  time_point last = t0;
  for (const auto expected : intervals) {
    const auto at = t.stm.timers().deadline(timer_name::a);
    REQUIRE(at.has_value());
    CHECK(ms(*at - last) == expected);
    last = *at;
    const auto out = t.fire_timer(timer_name::a);
    REQUIRE(count_of<send_message>(out) == 1);
    CHECK(all_of<send_message>(out)[0].msg == t.invite);
  }
  // Next A would be at 63.5 s; B (64*T1 = 32 s) comes first.
  CHECK(ms(*t.stm.timers().deadline(timer_name::b) - t0) == 32000ms);
  const auto out = t.fire_timer(timer_name::b);
  CHECK(count_of<tu_timeout>(out) == 1);
  CHECK(cancels(out, timer_name::a));
  CHECK(ends_terminated(out));
  CHECK(t.stm.current() == state::terminated);
}

TEST_CASE("INVITE client on a reliable transport never arms Timer A",
          "[transaction][ict]") {
  ict t{true};
  CHECK_FALSE(armed_at(t.started, timer_name::a).has_value());
  CHECK(armed_at(t.started, timer_name::b) == t.clk.now() + 32s);
}

TEST_CASE("INVITE client transitions table", "[transaction][ict]") {
  struct row {
    const char* what;
    bool reliable;
    std::vector<int> responses; // fed in order
    state expected;
    std::size_t to_tu; // pass_to_tu in total
    std::size_t acks;  // ACKs sent in total
  };
  const std::vector<row> rows{
      {"1xx", false, {180}, state::proceeding, 1, 0},
      {"1xx 1xx", false, {100, 180}, state::proceeding, 2, 0},
      {"2xx from Calling", false, {200}, state::accepted, 1, 0},
      {"1xx then 2xx", false, {180, 200}, state::accepted, 2, 0},
      {"2xx retransmissions in Accepted", false, {200, 200, 200}, state::accepted, 3, 0},
      {"1xx in Accepted ignored", false, {200, 180}, state::accepted, 1, 0},
      {"486 from Calling", false, {486}, state::completed, 1, 1},
      {"1xx then 603", false, {183, 603}, state::completed, 2, 1},
      {"486 retransmitted", false, {486, 486, 486}, state::completed, 1, 3},
      {"302 reliable", true, {302}, state::terminated, 1, 1},
      {"2xx reliable", true, {200}, state::accepted, 1, 0},
  };
  for (const auto& r : rows) {
    INFO(r.what);
    ict t{r.reliable};
    transaction_effects all;
    for (const int code : r.responses) {
      auto out = t.on(response_ptr({.status = code}));
      all.insert(all.end(), out.begin(), out.end());
    }
    CHECK(t.stm.current() == r.expected);
    CHECK(count_of<pass_to_tu>(all) == r.to_tu);
    std::size_t acks = 0;
    for (const auto& s : all_of<send_message>(all))
      acks += s.msg->method() == method::ack ? 1 : 0;
    CHECK(acks == r.acks);
    CHECK(count_of<send_message>(all) == r.acks); // no INVITE resent on responses
  }
}

TEST_CASE("INVITE client 1xx stops Timers A and B", "[transaction][ict]") {
  ict t;
  const auto out = t.on(response_ptr({.status = 180}));
  CHECK(cancels(out, timer_name::a));
  CHECK(cancels(out, timer_name::b));
  CHECK_FALSE(t.stm.timers().any_armed());
  // A stale Timer A event after the cancel does nothing.
  transaction_effects stale;
  t.stm.handle(timer_fired{timer_name::a}, t.clk.now(), stale);
  CHECK(stale.empty());
}

TEST_CASE("INVITE client builds the ACK for a non-2xx final per 17.1.1.3",
          "[transaction][ict]") {
  ict t;
  const auto out = t.on(response_ptr({.status = 486, .to_tag = "busy7"}));
  REQUIRE(count_of<send_message>(out) == 1);
  const message& ack = *all_of<send_message>(out)[0].msg;
  const message& inv = *t.invite;
  CHECK(ack.method() == method::ack);
  CHECK(ack.request_uri_text() == inv.request_uri_text());
  CHECK(ack.call_id() == inv.call_id());
  CHECK(ack.header(header_id::from) == inv.header(header_id::from));
  REQUIRE(ack.to().has_value());
  CHECK(ack.to()->tag() == "busy7");
  REQUIRE(ack.cseq().has_value());
  CHECK(ack.cseq()->number == inv.cseq()->number);
  CHECK(ack.cseq()->method == method::ack);
  const auto vias = ack.values(header_id::via);
  REQUIRE(vias.size() == 1);
  CHECK(vias[0] == inv.values(header_id::via)[0]);
  CHECK(ack.top_via()->branch() == inv.top_via()->branch());
  CHECK(ack.values(header_id::route) == inv.values(header_id::route));
  CHECK(ack.max_forwards() == inv.max_forwards());
  CHECK(ack.body().empty());
  // ACK first, then the response goes to the TU; Timer D armed at 32 s.
  CHECK(std::holds_alternative<send_message>(out[2]));
  CHECK(armed_at(out, timer_name::d) == t.clk.now() + 32s);
}

TEST_CASE("INVITE client Completed resends the ACK and ends on Timer D",
          "[transaction][ict]") {
  ict t;
  const auto first = t.on(response_ptr({.status = 500}));
  const auto ack = all_of<send_message>(first)[0].msg;
  t.clk.advance(1s);
  const auto again = t.on(response_ptr({.status = 500}));
  REQUIRE(count_of<send_message>(again) == 1);
  CHECK(all_of<send_message>(again)[0].msg == ack);
  CHECK(count_of<pass_to_tu>(again) == 0);
  const auto end = t.fire_timer(timer_name::d);
  CHECK(ends_terminated(end));
  CHECK(count_of<tu_timeout>(end) == 0);
  CHECK(t.stm.current() == state::terminated);
}

TEST_CASE("INVITE client reliable non-2xx terminates at once", "[transaction][ict]") {
  ict t{true};
  const auto out = t.on(response_ptr({.status = 404}));
  CHECK_FALSE(armed_at(out, timer_name::d).has_value());
  CHECK(ends_terminated(out));
  CHECK(count_of<send_message>(out) == 1);
}

TEST_CASE("INVITE client Accepted passes 2xx to the TU until Timer M",
          "[transaction][ict]") {
  ict t;
  const auto out = t.on(response_ptr({.status = 200, .to_tag = "a"}));
  CHECK(count_of<send_message>(out) == 0); // the TU sends the ACK for a 2xx
  CHECK(armed_at(out, timer_name::m) == t.clk.now() + 32s);
  // A 2xx from another fork is passed too (RFC 6026 §8.4).
  const auto fork = t.on(response_ptr({.status = 200, .to_tag = "b"}));
  REQUIRE(count_of<pass_to_tu>(fork) == 1);
  CHECK(all_of<pass_to_tu>(fork)[0].msg->to()->tag() == "b");
  const auto end = t.fire_timer(timer_name::m);
  CHECK(ends_terminated(end));
  const auto late = t.on(response_ptr({.status = 200}));
  CHECK(late.empty());
}

TEST_CASE("INVITE client transport error informs the TU and terminates",
          "[transaction][ict]") {
  for (const int before : {0, 180, 486}) {
    INFO("after response " << before);
    ict t;
    if (before != 0)
      (void)t.on(response_ptr({.status = before}));
    transaction_effects out;
    t.stm.handle(transport_error{}, t.clk.now(), out);
    CHECK(count_of<tu_transport_error>(out) == 1);
    CHECK(ends_terminated(out));
    CHECK_FALSE(t.stm.timers().any_armed());
  }
}
