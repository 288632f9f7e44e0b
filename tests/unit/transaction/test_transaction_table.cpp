#include "base/random.hpp"
#include "net/sip/transaction_table.hpp"
#include "tests/unit/transaction/fixture.hpp"

using namespace ringdown;
using namespace ringdown::sip;
using namespace ringdown::sip::test;
using table = transaction_table;

namespace {

struct fixture {
  manual_clock clk;
  rng gen{42};
  id_generator ids{gen, "test.invalid"};
  table tbl;
  table::effects out;

  explicit fixture(std::size_t max = 100) : tbl(config::sip_timers{}, max, ids) {}

  /// Effects of `tx` from `out`, untagged; clears `out`.
  transaction_effects take(tx_id tx) {
    transaction_effects mine;
    for (auto& e : out)
      if (e.tx == tx)
        mine.push_back(e.what);
    out.clear();
    return mine;
  }
};

} // namespace

TEST_CASE("transaction table creates a server transaction and matches retransmissions",
          "[transaction][table]") {
  fixture f;
  const auto r = f.tbl.on_request(request(), f.clk.now(), false, f.out);
  REQUIRE(r.outcome == table::request_outcome::new_transaction);
  CHECK(r.tx != 0);
  CHECK(f.tbl.size() == 1);
  const auto first = f.take(r.tx);
  CHECK(count_of<pass_to_tu>(first) == 1);
  CHECK(sent_statuses(first) == std::vector<int>{100});
  CHECK(f.tbl.get<invite_server_stm>(r.tx) != nullptr);
  CHECK(f.tbl.get<non_invite_server_stm>(r.tx) == nullptr);

  const auto again = f.tbl.on_request(request(), f.clk.now(), false, f.out);
  CHECK(again.outcome == table::request_outcome::matched);
  CHECK(again.tx == r.tx);
  CHECK(sent_statuses(f.take(r.tx)) == std::vector<int>{100});
  CHECK(f.tbl.size() == 1);

  const auto key = f.tbl.key_of(r.tx);
  REQUIRE(key);
  CHECK(std::get<server_key>(*key) == *server_key::of(request()));
}

TEST_CASE("transaction table routes the ACK of a non-2xx to the INVITE server transaction",
          "[transaction][table]") {
  fixture f;
  const auto r = f.tbl.on_request(request(), f.clk.now(), true, f.out);
  f.out.clear();
  REQUIRE(f.tbl.send_response(r.tx, response({.status = 486, .branch = "z9hG4bK-c1"}),
                              f.clk.now(), f.out));
  CHECK(sent_statuses(f.take(r.tx)) == std::vector<int>{486});
  const auto ack = f.tbl.on_request(request({.method = "ACK", .to_tag = "ttag9"}),
                                    f.clk.now(), true, f.out);
  CHECK(ack.outcome == table::request_outcome::matched);
  CHECK(ack.tx == r.tx);
  CHECK(ends_terminated(f.take(r.tx))); // reliable: Timer I is zero
  CHECK(f.tbl.size() == 0);
  CHECK_FALSE(f.tbl.key_of(r.tx).has_value());
  // The same ACK again matches nothing now: stray, for the core.
  CHECK(f.tbl
            .on_request(request({.method = "ACK", .to_tag = "ttag9"}), f.clk.now(), true,
                        f.out)
            .outcome == table::request_outcome::stray_ack);
  CHECK(f.out.empty());
}

TEST_CASE("transaction table CANCEL gets its own transaction and finds the INVITE",
          "[transaction][table]") {
  fixture f;
  const auto inv = f.tbl.on_request(request(), f.clk.now(), false, f.out);
  const auto cancel =
      f.tbl.on_request(request({.method = "CANCEL"}), f.clk.now(), false, f.out);
  REQUIRE(cancel.outcome == table::request_outcome::new_transaction);
  CHECK(cancel.tx != inv.tx);
  CHECK(cancel.cancels == inv.tx);
  CHECK(f.tbl.get<non_invite_server_stm>(cancel.tx) != nullptr);
  CHECK(f.tbl.size() == 2);
  // A CANCEL for an unknown INVITE: the core answers 481.
  const auto lone = f.tbl.on_request(request({.method = "CANCEL", .branch = "z9hG4bK-zz"}),
                                     f.clk.now(), false, f.out);
  CHECK(lone.outcome == table::request_outcome::new_transaction);
  CHECK(lone.cancels == 0);
}

TEST_CASE("transaction table matches client responses by branch and method",
          "[transaction][table]") {
  fixture f;
  const auto inv =
      f.tbl.send_request(request({.branch = "z9hG4bK-k"}), f.clk.now(), false, f.out);
  const auto can = f.tbl.send_request(request({.method = "CANCEL", .branch = "z9hG4bK-k"}),
                                      f.clk.now(), false, f.out);
  REQUIRE(inv.outcome == table::send_outcome::started);
  REQUIRE(can.outcome == table::send_outcome::started);
  CHECK(inv.tx != can.tx);
  f.out.clear();
  const auto r1 = f.tbl.on_response(
      response({.status = 200, .method = "CANCEL", .branch = "z9hG4bK-k"}), f.clk.now(),
      f.out);
  CHECK(r1.outcome == table::response_outcome::matched);
  CHECK(r1.tx == can.tx);
  const auto r2 = f.tbl.on_response(
      response({.status = 487, .method = "INVITE", .branch = "z9hG4bK-k"}), f.clk.now(),
      f.out);
  CHECK(r2.tx == inv.tx);
  CHECK(f.tbl.get<invite_client_stm>(inv.tx)->current() ==
        invite_client_stm::state::completed);
  const auto stray =
      f.tbl.on_response(response({.branch = "z9hG4bK-nobody"}), f.clk.now(), f.out);
  CHECK(stray.outcome == table::response_outcome::stray);
  CHECK(f.tbl
            .send_request(request({.method = "CANCEL", .branch = "z9hG4bK-k"}), f.clk.now(),
                          false, f.out)
            .outcome == table::send_outcome::duplicate);
  CHECK(f.tbl.send_request(request({.method = "ACK"}), f.clk.now(), false, f.out).outcome ==
        table::send_outcome::is_ack);
  CHECK_FALSE(f.tbl.send_response(inv.tx, response(), f.clk.now(), f.out)); // a client tx
}

TEST_CASE("transaction table generates a branch when the TU set none",
          "[transaction][table]") {
  fixture f;
  const auto s = f.tbl.send_request(request({.method = "OPTIONS", .branch = ""}),
                                    f.clk.now(), false, f.out);
  REQUIRE(s.outcome == table::send_outcome::started);
  const auto effs = f.take(s.tx);
  REQUIRE(count_of<send_message>(effs) == 1);
  const auto via = all_of<send_message>(effs)[0].msg->top_via();
  REQUIRE(via);
  const std::string branch{via->branch()};
  CHECK(id_generator::is_rfc3261_branch(branch));
  CHECK(branch.size() > id_generator::branch_cookie.size());
  const auto key = f.tbl.key_of(s.tx);
  REQUIRE(key);
  CHECK(std::get<client_key>(*key).branch == branch);
  const auto r = f.tbl.on_response(response({.method = "OPTIONS", .branch = branch}),
                                   f.clk.now(), f.out);
  CHECK(r.tx == s.tx);
}

TEST_CASE("transaction table removes terminated transactions and feeds timers",
          "[transaction][table]") {
  fixture f;
  const auto s =
      f.tbl.send_request(request({.method = "OPTIONS"}), f.clk.now(), false, f.out);
  const auto started = f.take(s.tx);
  const auto e = armed_at(started, timer_name::e);
  REQUIRE(e);
  f.clk.set(*e);
  f.tbl.on_timer(s.tx, timer_name::e, f.clk.now(), f.out);
  CHECK(count_of<send_message>(f.take(s.tx)) == 1);
  (void)f.tbl.on_response(response({.method = "OPTIONS"}), f.clk.now(), f.out);
  const auto done = f.take(s.tx);
  const auto k = armed_at(done, timer_name::k);
  REQUIRE(k);
  CHECK(f.tbl.size() == 1);
  f.clk.set(*k);
  f.tbl.on_timer(s.tx, timer_name::k, f.clk.now(), f.out);
  CHECK(ends_terminated(f.take(s.tx)));
  CHECK(f.tbl.size() == 0);
  f.tbl.on_timer(s.tx, timer_name::k, f.clk.now(), f.out); // gone: ignored
  f.tbl.on_transport_error(s.tx, f.clk.now(), f.out);
  CHECK(f.out.empty());
}

TEST_CASE("transaction table transport error terminates and informs the TU",
          "[transaction][table]") {
  fixture f;
  const auto r =
      f.tbl.on_request(request({.method = "REGISTER"}), f.clk.now(), true, f.out);
  f.out.clear();
  f.tbl.on_transport_error(r.tx, f.clk.now(), f.out);
  const auto effs = f.take(r.tx);
  CHECK(count_of<tu_transport_error>(effs) == 1);
  CHECK(ends_terminated(effs));
  CHECK(f.tbl.size() == 0);
  CHECK_FALSE(
      f.tbl.send_response(r.tx, response({.method = "REGISTER"}), f.clk.now(), f.out));
}

TEST_CASE("transaction table refuses new transactions when full", "[transaction][table]") {
  fixture f{2};
  const auto a =
      f.tbl.on_request(request({.branch = "z9hG4bK-1"}), f.clk.now(), true, f.out);
  const auto b = f.tbl.send_request(request({.method = "OPTIONS", .branch = "z9hG4bK-2"}),
                                    f.clk.now(), true, f.out);
  REQUIRE(a.outcome == table::request_outcome::new_transaction);
  REQUIRE(b.outcome == table::send_outcome::started);
  f.out.clear();
  CHECK(f.tbl.on_request(request({.branch = "z9hG4bK-3"}), f.clk.now(), true, f.out)
            .outcome == table::request_outcome::refused_full);
  CHECK(f.tbl
            .send_request(request({.method = "OPTIONS", .branch = "z9hG4bK-4"}),
                          f.clk.now(), true, f.out)
            .outcome == table::send_outcome::refused_full);
  CHECK(f.out.empty());
  // Existing transactions still work; ACKs are never refused.
  CHECK(f.tbl.on_request(request({.branch = "z9hG4bK-1"}), f.clk.now(), true, f.out)
            .outcome == table::request_outcome::matched);
  CHECK(f.tbl
            .on_request(request({.method = "ACK", .branch = "z9hG4bK-9"}), f.clk.now(),
                        true, f.out)
            .outcome == table::request_outcome::stray_ack);
  // Once one ends there is room again.
  (void)f.tbl.on_response(response({.method = "OPTIONS", .branch = "z9hG4bK-2"}),
                          f.clk.now(), f.out);
  CHECK(f.tbl.size() == 1);
  CHECK(f.tbl.on_request(request({.branch = "z9hG4bK-3"}), f.clk.now(), true, f.out)
            .outcome == table::request_outcome::new_transaction);
}

TEST_CASE("transaction table RFC 2543 ACK needs the To tag of the response",
          "[transaction][table]") {
  fixture f;
  const auto r = f.tbl.on_request(request({.branch = ""}), f.clk.now(), false, f.out);
  REQUIRE(r.outcome == table::request_outcome::new_transaction);
  REQUIRE(f.tbl.send_response(
      r.tx, response({.status = 404, .branch = "", .to_tag = "t404"}), f.clk.now(), f.out));
  f.out.clear();
  CHECK(f.tbl
            .on_request(request({.method = "ACK", .branch = "", .to_tag = "wrong"}),
                        f.clk.now(), false, f.out)
            .outcome == table::request_outcome::stray_ack);
  const auto ack =
      f.tbl.on_request(request({.method = "ACK", .branch = "", .to_tag = "t404"}),
                       f.clk.now(), false, f.out);
  CHECK(ack.outcome == table::request_outcome::matched);
  CHECK(f.tbl.get<invite_server_stm>(r.tx)->current() ==
        invite_server_stm::state::confirmed);
}

TEST_CASE("transaction table rejects malformed input", "[transaction][table]") {
  fixture f;
  CHECK(f.tbl.on_request(response(), f.clk.now(), false, f.out).outcome ==
        table::request_outcome::malformed);
  CHECK(f.tbl.on_response(request(), f.clk.now(), f.out).outcome ==
        table::response_outcome::malformed);
  CHECK(f.tbl.send_request(response(), f.clk.now(), false, f.out).outcome ==
        table::send_outcome::malformed);
  CHECK(f.tbl.size() == 0);
}
