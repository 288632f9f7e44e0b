// swim_stm probing: ping/ack, ping-req through k members, nacks, suspicion
// and its Lifeguard timeout.
#include "tests/unit/cluster/swim_test_support.hpp"

using namespace swim_test;

TEST_CASE("a ping is answered by an ack carrying its sequence number", "[cluster][swim]") {
  solo s(3);
  auto ping = message(message_kind::ping, 2, 77);
  ping.target_id = "node1";
  s.deliver(2, ping);
  REQUIRE(s.out.sends.size() == 1);
  CHECK(s.out.sends[0].to_address == cluster_address(2));
  const auto ack = opened(s.out.sends[0]);
  CHECK(ack.kind == message_kind::ack);
  CHECK(ack.seq == 77);
  CHECK(ack.from_id == "node1");

  s.clear();
  ping.target_id = "node9"; // meant for somebody else
  s.deliver(2, ping);
  CHECK(s.out.sends.empty());
}

TEST_CASE("a probe answered directly needs no ping-req", "[cluster][swim]") {
  solo s(3);
  s.responsive = {"node2", "node3", "node4"};
  s.advance(t0 + ms{100});
  const auto pings = s.sent(message_kind::ping);
  REQUIRE(pings.size() == 1);
  CHECK(s.stm.counters().probes == 1);
  s.advance(t0 + ms{1000});
  CHECK(s.sent(message_kind::ping).size() == 10); // one probe per interval
  CHECK(s.sent(message_kind::ping_req).empty());
  CHECK(s.stm.counters().suspicions == 0);
  CHECK(s.stm.awareness() == 0);
  // Randomised round-robin: every member once per round of three.
  const auto all = s.sent(message_kind::ping);
  for (std::size_t round = 0; round + 3 <= 9; round += 3) {
    std::set<std::string> targets;
    for (std::size_t i = round; i < round + 3; ++i)
      targets.insert(all[i].target_id);
    CHECK(targets.size() == 3);
  }
}

TEST_CASE("a probe timeout sends ping-req through k others: an indirect ack keeps it alive",
          "[cluster][swim]") {
  solo s(4);
  s.advance(t0 + ms{100});
  const auto pings = s.sent(message_kind::ping);
  REQUIRE(pings.size() == 1);
  const std::string target = pings[0].target_id;
  const std::uint32_t seq = pings[0].seq;
  s.advance(t0 + ms{149});
  CHECK(s.sent(message_kind::ping_req).empty());
  s.advance(t0 + ms{150}); // probe timeout
  const auto reqs = s.sent(message_kind::ping_req);
  REQUIRE(reqs.size() == 3); // k = indirect_checks = 3 of the 3 others
  std::set<std::string> via;
  for (std::size_t i = 0; i < s.out.sends.size(); ++i) {
    const auto m = opened(s.out.sends[i]);
    if (m.kind != message_kind::ping_req)
      continue;
    CHECK(m.target_id == target);
    CHECK(m.seq == seq);
    CHECK(m.target_address == "10.0.0." + target.substr(4) + ":7946");
    via.insert(s.out.sends[i].to_address);
  }
  CHECK(via.size() == 3);
  CHECK(via.count("10.0.0." + target.substr(4) + ":7946") == 0);
  CHECK(s.stm.counters().ping_reqs == 3);
  // One intermediary forwards the target's ack.
  s.deliver(std::stoi(std::string(1, (*via.begin())[7])),
            message(message_kind::ack, 9, seq));
  s.advance(t0 + ms{200});
  CHECK(s.state_of(std::stoi(target.substr(4))) == member_state::alive);
  CHECK(count_events(s.out.events, swim_event::suspected, target) == 0);
}

TEST_CASE("an intermediary pings the target and forwards its ack, or nacks in time",
          "[cluster][swim]") {
  for (const bool target_answers : {true, false}) {
    solo s(3);
    auto req = message(message_kind::ping_req, 2, 500);
    req.target_id = "node3";
    req.target_address = cluster_address(3);
    s.deliver(2, req);
    const auto pings = s.sent(message_kind::ping);
    REQUIRE(pings.size() == 1);
    CHECK(s.out.sends[0].to_address == cluster_address(3));
    CHECK(pings[0].target_id == "node3");
    s.clear();
    if (target_answers) {
      s.deliver(3, message(message_kind::ack, 3, pings[0].seq));
      REQUIRE(s.out.sends.size() == 1);
      CHECK(s.out.sends[0].to_address == cluster_address(2));
      CHECK(opened(s.out.sends[0]).kind == message_kind::ack);
      CHECK(opened(s.out.sends[0]).seq == 500);
    } else {
      s.advance(t0 + ms{39});
      CHECK(s.sent(message_kind::nack).empty());
      s.advance(t0 + ms{40}); // 80% of the probe timeout
      const auto nacks = s.sent(message_kind::nack);
      REQUIRE(nacks.size() == 1);
      CHECK(nacks[0].seq == 500);
    }
  }
}

TEST_CASE(
    "no ack at all: suspect once every relay nacked, dead after the suspicion timeout",
    "[cluster][swim]") {
  swim_config cfg = fast_config();
  cfg.gossip_nodes = 0; // the suspicion stays queued for probe traffic
  solo s(3, cfg);
  s.advance(t0 + ms{100});
  const std::string target = s.sent(message_kind::ping).at(0).target_id;
  const int t = std::stoi(target.substr(4));
  for (int i = 2; i <= 4; ++i)
    if (i != t)
      s.responsive.insert(node_id(i)); // they nack at once
  s.advance(t0 + ms{149});
  CHECK(s.state_of(t) == member_state::alive);
  s.advance(t0 + ms{150}); // probe timeout: ping-reqs, both nacked
  CHECK(s.state_of(t) == member_state::suspect);
  CHECK(count_events(s.out.events, swim_event::suspected, target) == 1);
  CHECK(s.stm.counters().suspicions == 1);
  CHECK(s.stm.awareness() == 0); // every relay answered
  const suspicion* sus = s.stm.suspicion_of(target);
  REQUIRE(sus != nullptr);
  // n = 4: k = min(3, n - 2) = 2 confirmations expected; none came, so the
  // full maximum, 24 intervals.
  CHECK(sus->deadline() == t0 + ms{150} + ms{2400});
  // The suspicion rides on the next packets.
  const auto* queued = s.stm.broadcasts().find(target);
  REQUIRE(queued != nullptr);
  CHECK(queued->subject.state == member_state::suspect);
  CHECK(queued->from == "node1");
  s.advance(t0 + ms{2549});
  CHECK(s.state_of(t) == member_state::suspect);
  CHECK(count_events(s.out.events, swim_event::failed, target) == 0);
  s.advance(t0 + ms{2550});
  CHECK(s.state_of(t) == member_state::dead);
  CHECK(count_events(s.out.events, swim_event::failed, target) == 1);
  CHECK(s.stm.counters().deaths == 1);
  CHECK(s.stm.suspicion_of(target) == nullptr);
  // The dead are not probed.
  s.clear();
  s.advance(t0 + ms{4000});
  for (const auto& p : s.sent(message_kind::ping))
    CHECK(p.target_id != target);
}

TEST_CASE("no ack and no nack: suspect at the end of the interval", "[cluster][swim]") {
  solo s(3);
  s.advance(t0 + ms{100});
  const std::string target = s.sent(message_kind::ping).at(0).target_id;
  const int t = std::stoi(target.substr(4));
  s.advance(t0 + ms{199}); // relays silent too
  CHECK(s.state_of(t) == member_state::alive);
  s.advance(t0 + ms{200});
  CHECK(s.state_of(t) == member_state::suspect);
  CHECK(s.stm.awareness() == 2); // two nacks missing
}

TEST_CASE("Lifeguard suspicion timeout formula", "[cluster][swim]") {
  const duration min = ms{400};
  const duration max = ms{2400};
  struct row {
    std::size_t k, c;
    double expected_ms;
  };
  for (const row& r : {row{3, 0, 2400}, row{3, 1, 2400 - 2000 * std::log(2) / std::log(4)},
                       row{3, 2, 2400 - 2000 * std::log(3) / std::log(4)}, row{3, 3, 400},
                       row{3, 9, 400}, row{0, 0, 400}}) {
    const auto got =
        std::chrono::duration<double, std::milli>(suspicion::timeout(min, max, r.k, r.c));
    CHECK(got.count() == Approx(r.expected_ms).margin(0.001));
  }
}

TEST_CASE("independent suspicions shorten the suspicion timeout", "[cluster][swim]") {
  solo s(5); // n = 6: k = 3
  auto sus = message(message_kind::ack, 2, 1);
  sus.updates = {update(member_state::suspect, 6, 0, 2)};
  s.deliver(2, sus);
  CHECK(count_events(s.out.events, swim_event::suspected, "node6") == 1);
  const suspicion* timer = s.stm.suspicion_of("node6");
  REQUIRE(timer != nullptr);
  const auto scale = std::log10(6.0); // the timeouts grow with log10(n) past n = 10 only
  REQUIRE(scale < 1.0);
  auto last = timer->deadline();
  CHECK(last == t0 + ms{2400});
  struct row {
    int from;
    bool shortens;
  };
  for (const row& r : {row{3, true}, row{3, false}, row{2, false}, row{4, true},
                       row{5, true}, row{6, false}}) {
    INFO("suspicion from node" << r.from);
    auto confirm = message(message_kind::ack, r.from, 1);
    confirm.updates = {update(member_state::suspect, 6, 0, r.from)};
    s.deliver(r.from, confirm);
    if (r.shortens)
      CHECK(timer->deadline() < last);
    else
      CHECK(timer->deadline() == last);
    last = timer->deadline();
  }
  CHECK(timer->confirmations() == 3);
  CHECK(last == t0 + ms{400});
  s.advance(t0 + ms{400});
  CHECK(s.state_of(6) == member_state::dead);
}

TEST_CASE("a suspicion heard from another member makes us probe the suspect at once",
          "[cluster][swim]") {
  solo s(5);
  s.advance(t0 + ms{30}); // the first probe is due at t0 + 100 ms
  REQUIRE(s.sent(message_kind::ping).empty());
  auto sus = message(message_kind::gossip, 2);
  sus.updates = {update(member_state::suspect, 6, 0, 2)};
  s.deliver(2, sus);
  // Out of turn, and (buddy system) leading with the suspicion so that
  // node6 can refute in its ack.
  const auto pings = s.sent(message_kind::ping);
  REQUIRE(pings.size() == 1);
  CHECK(pings[0].target_id == "node6");
  REQUIRE(!pings[0].updates.empty());
  CHECK(pings[0].updates[0].subject.id == "node6");
  CHECK(pings[0].updates[0].subject.state == member_state::suspect);
  // The probe cadence restarts from now: no other ping before t0 + 130 ms.
  s.clear();
  s.advance(t0 + ms{129});
  CHECK(s.sent(message_kind::ping).empty());
  s.advance(t0 + ms{130});
  CHECK(s.sent(message_kind::ping).size() == 1);
}

TEST_CASE("a suspicion heard during a probe is probed when that probe ends",
          "[cluster][swim]") {
  solo s(5);
  s.advance(t0 + ms{100});
  const auto first = s.sent(message_kind::ping);
  REQUIRE(first.size() == 1);
  const int t = std::stoi(first[0].target_id.substr(4));
  const int other = t == 6 ? 5 : 6;
  s.clear();
  auto sus = message(message_kind::gossip, 2);
  sus.updates = {update(member_state::suspect, other, 0, 2)};
  s.deliver(2, sus);
  CHECK(s.sent(message_kind::ping).empty()); // the probe in flight goes on
  s.deliver(t, message(message_kind::ack, t, first[0].seq));
  const auto pings = s.sent(message_kind::ping);
  REQUIRE(pings.size() == 1);
  CHECK(pings[0].target_id == node_id(other));
}

TEST_CASE("a member we suspect ourselves is not probed again out of turn",
          "[cluster][swim]") {
  solo s(5);
  s.advance(t0 + ms{100});
  const std::string target = s.sent(message_kind::ping).at(0).target_id;
  s.clear();
  s.advance(t0 + ms{200}); // nobody answers: we suspect it, and probe the next
  REQUIRE(s.state_of(std::stoi(target.substr(4))) == member_state::suspect);
  const auto pings = s.sent(message_kind::ping);
  REQUIRE(!pings.empty());
  CHECK(pings.back().target_id != target);
}

TEST_CASE(
    "suspicion_min_mult = 0: dead once k members confirmed, never at once unconfirmed",
    "[cluster][swim]") {
  CHECK(suspicion::timeout(ms{0}, ms{500}, 3, 3) == duration::zero());
  CHECK(suspicion::timeout(ms{0}, ms{500}, 0, 0) == ms{500}); // nobody can confirm
  CHECK(suspicion::timeout(ms{100}, ms{500}, 0, 0) == ms{100});
  swim_config cfg = fast_config();
  cfg.suspicion_min_mult = 0;
  cfg.suspicion_max_mult = 5;
  SECTION("n = 6: k = 3") {
    solo s(5, cfg);
    for (const int from : {2, 3, 4}) {
      auto sus = message(message_kind::gossip, from);
      sus.updates = {update(member_state::suspect, 6, 0, from)};
      s.deliver(from, sus);
      s.advance(s.now);
      CHECK(s.state_of(6) == member_state::suspect);
    }
    auto last = message(message_kind::gossip, 5);
    last.updates = {update(member_state::suspect, 6, 0, 5)};
    s.deliver(5, last);
    s.advance(s.now); // the third confirmation: no more waiting
    CHECK(s.state_of(6) == member_state::dead);
  }
  SECTION("n = 2: k = 0, the full maximum") {
    solo s(1, cfg);
    s.advance(t0 + ms{200}); // node2 never answers
    REQUIRE(s.state_of(2) == member_state::suspect);
    const suspicion* sus = s.stm.suspicion_of("node2");
    REQUIRE(sus != nullptr);
    CHECK(sus->deadline() == s.now + ms{500} * (s.stm.awareness() + 1));
  }
}
