#include "net/sip/transaction_non_invite_server.hpp"
#include "tests/unit/transaction/fixture.hpp"

using namespace ringdown;
using namespace ringdown::sip;
using namespace ringdown::sip::test;
using state = non_invite_server_stm::state;

namespace {

struct nist {
  manual_clock clk;
  message_ptr req = request_ptr({.method = "BYE", .branch = "z9hG4bK-b1", .to_tag = "t"});
  non_invite_server_stm stm;
  transaction_effects started;

  explicit nist(bool reliable = false) : stm(req, default_timers(), reliable) {
    stm.start(clk.now(), started);
  }
  transaction_effects respond(int status) {
    transaction_effects out;
    stm.handle(tu_response{response_ptr(
                   {.status = status, .method = "BYE", .branch = "z9hG4bK-b1"})},
               clk.now(), out);
    return out;
  }
  transaction_effects retransmit() {
    transaction_effects out;
    stm.handle(request_received{req}, clk.now(), out);
    return out;
  }
};

} // namespace

TEST_CASE("non-INVITE server passes the request to the TU and absorbs retransmissions",
          "[transaction][nist]") {
  nist t;
  REQUIRE(t.started.size() == 1);
  CHECK(std::get<pass_to_tu>(t.started[0]).msg == t.req);
  CHECK(t.retransmit().empty());
  CHECK(t.stm.current() == state::trying);
}

TEST_CASE("non-INVITE server transitions table", "[transaction][nist]") {
  struct row {
    const char* what;
    bool reliable;
    std::vector<int> tu; // responses from the TU, in order
    state expected;
    std::vector<int> sent;   // statuses sent for them
    std::vector<int> resent; // what a retransmitted request then gets
  };
  const std::vector<row> rows{
      {"1xx", false, {100}, state::proceeding, {100}, {100}},
      {"1xx 1xx", false, {100, 180}, state::proceeding, {100, 180}, {180}},
      {"final", false, {200}, state::completed, {200}, {200}},
      {"1xx final", false, {100, 404}, state::completed, {100, 404}, {404}},
      {"finals after final discarded",
       false,
       {200, 500, 180},
       state::completed,
       {200},
       {200}},
      {"final reliable", true, {200}, state::terminated, {200}, {}},
  };
  for (const auto& r : rows) {
    INFO(r.what);
    nist t{r.reliable};
    transaction_effects all;
    for (const int code : r.tu) {
      auto out = t.respond(code);
      all.insert(all.end(), out.begin(), out.end());
    }
    CHECK(t.stm.current() == r.expected);
    CHECK(sent_statuses(all) == r.sent);
    CHECK(sent_statuses(t.retransmit()) == r.resent);
  }
}

TEST_CASE("non-INVITE server Timer J is 64 T1 unreliable and zero reliable",
          "[transaction][nist]") {
  nist u;
  const auto out = u.respond(200);
  CHECK(armed_at(out, timer_name::j) == u.clk.now() + 32s);
  const auto end = fire<non_invite_server_stm, server_event>(u.stm, u.clk, timer_name::j);
  CHECK(ends_terminated(end));
  CHECK(u.stm.current() == state::terminated);

  nist r{true};
  const auto rel = r.respond(200);
  CHECK_FALSE(armed_at(rel, timer_name::j).has_value());
  CHECK(ends_terminated(rel));
}

TEST_CASE("non-INVITE server transport error informs the TU and terminates",
          "[transaction][nist]") {
  for (const int before : {0, 100, 200}) {
    INFO("after response " << before);
    nist t;
    if (before != 0)
      (void)t.respond(before);
    transaction_effects out;
    t.stm.handle(transport_error{}, t.clk.now(), out);
    CHECK(count_of<tu_transport_error>(out) == 1);
    CHECK(ends_terminated(out));
    CHECK_FALSE(t.stm.timers().any_armed());
  }
}
