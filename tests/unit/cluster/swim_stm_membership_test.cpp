// swim_stm beyond probing: incarnations and refutation, tombstones,
// dissemination limits, dropped packets, local health, leave, sync and join.
#include "tests/unit/cluster/swim_test_support.hpp"

using namespace swim_test;

TEST_CASE("told it is suspect, dead or left, a member refutes with a higher incarnation",
          "[cluster][swim]") {
  struct row {
    member_state said;
    std::uint64_t heard;
    std::uint64_t expected;
  };
  for (const row& r : {row{member_state::suspect, 0, 1}, row{member_state::dead, 0, 1},
                       row{member_state::left, 0, 1}, row{member_state::suspect, 5, 6}}) {
    solo s(3);
    auto m = message(message_kind::ack, 2, 1);
    m.updates = {update(r.said, 1, r.heard, 2)};
    s.deliver(2, m);
    CHECK(s.stm.self().incarnation == r.expected);
    CHECK(s.stm.self().state == member_state::alive);
    CHECK(s.stm.counters().refutations == 1);
    CHECK(count_events(s.out.events, swim_event::refuted, "node1") == 1);
    // The news leaves on the next packet: alive with the new incarnation.
    s.clear();
    auto ping = message(message_kind::ping, 3, 9);
    ping.target_id = "node1";
    s.deliver(3, ping);
    bool found = false;
    for (const auto& u : opened(s.out.sends.at(0)).updates)
      if (u.subject.id == "node1") {
        found = true;
        CHECK(u.subject.state == member_state::alive);
        CHECK(u.subject.incarnation == r.expected);
        CHECK(u.subject.addresses == record(1).addresses);
      }
    CHECK(found);
    // A stale suspicion (older incarnation) is ignored.
    s.clear();
    auto stale = message(message_kind::ack, 2, 2);
    stale.updates = {update(member_state::suspect, 1, r.expected - 1, 2)};
    s.deliver(2, stale);
    CHECK(s.stm.self().incarnation == r.expected);
    CHECK(s.stm.counters().refutations == 1);
  }
}

TEST_CASE("incarnation order of alive, suspect and dead about others", "[cluster][swim]") {
  struct step {
    member_state said;
    std::uint64_t inc;
    member_state expected;
    std::uint64_t expected_inc;
    int event; // -1: none
  };
  using st = member_state;
  using ev = swim_event;
  const std::vector<std::vector<step>> tables = {
      // suspect(i) overrides alive(j) iff i >= j; alive(i) overrides suspect(j) iff i > j.
      {{st::suspect, 0, st::suspect, 0, ev::suspected},
       {st::alive, 0, st::suspect, 0, -1},
       {st::alive, 1, st::alive, 1, ev::refuted},
       {st::suspect, 0, st::alive, 1, -1},
       {st::suspect, 1, st::suspect, 1, ev::suspected}},
      // dead overrides; older alive cannot resurrect; a newer one does.
      {{st::dead, 0, st::dead, 0, ev::failed},
       {st::alive, 0, st::dead, 0, -1},
       {st::suspect, 3, st::dead, 0, -1},
       {st::alive, 1, st::alive, 1, ev::joined}},
      // a graceful leave, then a rejoin with a higher incarnation.
      {{st::left, 0, st::left, 0, ev::left},
       {st::dead, 0, st::left, 0, -1},
       {st::alive, 0, st::left, 0, -1},
       {st::alive, 2, st::alive, 2, ev::joined}},
      // a stale dead is ignored; an address change with a newer incarnation is an update.
      {{st::alive, 4, st::alive, 4, -1},
       {st::dead, 3, st::alive, 4, -1},
       {st::alive, 5, st::alive, 5, -1}},
  };
  for (std::size_t t = 0; t < tables.size(); ++t) {
    solo s(3);
    for (std::size_t i = 0; i < tables[t].size(); ++i) {
      const step& x = tables[t][i];
      INFO("table " << t << " step " << i);
      s.clear();
      auto m = message(message_kind::ack, 3, 1);
      m.updates = {update(x.said, 2, x.inc, 3)};
      s.deliver(3, m);
      const member* m2 = s.stm.members().find("node2");
      REQUIRE(m2 != nullptr);
      CHECK(m2->state == x.expected);
      CHECK(m2->incarnation == x.expected_inc);
      if (x.event < 0)
        CHECK(s.out.events.empty());
      else
        CHECK(count_events(s.out.events, static_cast<ev::kind>(x.event), "node2") == 1);
    }
  }
  solo s(3);
  auto moved = update(member_state::alive, 2, 1, 2);
  moved.subject.addresses.sip = "10.9.9.9:5060";
  auto m = message(message_kind::ack, 2, 1);
  m.updates = {moved};
  s.deliver(2, m);
  CHECK(count_events(s.out.events, swim_event::updated, "node2") == 1);
  CHECK(s.stm.members().find("node2")->addresses.sip == "10.9.9.9:5060");
}

TEST_CASE("dead members stay as tombstones for dead_retention_ms", "[cluster][swim]") {
  auto cfg = fast_config();
  cfg.dead_retention_ms = 5'000;
  solo s(3, cfg);
  s.responsive = {"node2", "node3", "node4"};
  auto m = message(message_kind::ack, 3, 1);
  m.updates = {update(member_state::dead, 2, 0, 3)};
  s.deliver(3, m);
  s.advance(t0 + ms{4'999});
  CHECK(s.state_of(2) == member_state::dead);
  s.advance(t0 + ms{5'000});
  CHECK(s.stm.members().find("node2") == nullptr);
  // Forgotten, it may join again from scratch.
  s.clear();
  m.updates = {update(member_state::alive, 2, 0, 2)};
  s.deliver(2, m);
  CHECK(count_events(s.out.events, swim_event::joined, "node2") == 1);
}

TEST_CASE("an update is piggy-backed a bounded number of times", "[cluster][swim]") {
  solo s(3);
  auto news = message(message_kind::ack, 2, 1);
  news.updates = {update(member_state::alive, 5, 0, 2)};
  s.deliver(2, news);
  CHECK(count_events(s.out.events, swim_event::joined, "node5") == 1);
  // n = 5 live: retransmit_mult 4 × ceil(log10(6)) = 4 sends.
  int carried = 0;
  for (int i = 0; i < 10; ++i) {
    s.clear();
    auto ping = message(message_kind::ping, 3, static_cast<std::uint32_t>(i));
    ping.target_id = "node1";
    s.deliver(3, ping);
    for (const auto& u : opened(s.out.sends.at(0)).updates)
      if (u.subject.id == "node5") {
        ++carried;
        CHECK(u.subject.addresses == record(5).addresses);
      }
  }
  CHECK(carried == 4);
  CHECK(s.stm.broadcasts().find("node5") == nullptr);
}

TEST_CASE("unauthenticated, oversized and malformed packets are dropped and counted",
          "[cluster][swim]") {
  solo s(3);
  const auto before = s.stm.members().all();
  auto ping = message(message_kind::ping, 2, 1);
  ping.target_id = "node1";
  ping.updates = {update(member_state::dead, 3, 9, 2)};
  auto good = packet(ping);

  auto bad_mac = good;
  bad_mac[bad_mac.size() - 3] ^= 0x10;
  s.stm.receive(cluster_address(2), bad_mac, s.now, s.out);
  std::vector<std::uint8_t> other;
  encode(ping, std::vector<std::uint8_t>{'x'}, other);
  s.stm.receive(cluster_address(2), other, s.now, s.out);
  const std::vector<std::uint8_t> big(packet_bytes_max + 1, 1);
  s.stm.receive(cluster_address(2), big, s.now, s.out);
  s.stm.receive(cluster_address(2), std::span(good).first(20), s.now, s.out);
  const std::vector<std::uint8_t> empty;
  s.stm.receive(cluster_address(2), empty, s.now, s.out);

  const auto& c = s.stm.counters();
  CHECK(c.dropped_bad_mac == 2);
  CHECK(c.dropped_too_big == 1);
  CHECK(c.dropped_malformed == 2);
  CHECK(s.out.sends.empty());
  CHECK(s.out.events.empty());
  CHECK(s.stm.members().all() == before);
  CHECK(s.out.next_wakeup.has_value());
  // The genuine one goes through.
  s.stm.receive(cluster_address(2), good, s.now, s.out);
  CHECK(s.out.sends.size() == 1);
  CHECK(s.state_of(3) == member_state::dead);
  CHECK(c.packets_in == 7); // with the push-pull that set the node up
}

TEST_CASE("local health: missed nacks raise the multiplier, successes lower it",
          "[cluster][swim]") {
  auto cfg = fast_config();
  cfg.awareness_max = 4;
  solo s(3, cfg);
  // Probe 1 at 100: the target is silent, both intermediaries nack.
  s.advance(t0 + ms{150});
  const auto reqs = s.sent(message_kind::ping_req);
  REQUIRE(reqs.size() == 2);
  for (int i = 2; i <= 4; ++i)
    if (node_id(i) != reqs[0].target_id)
      s.deliver(i, message(message_kind::nack, i, reqs[0].seq));
  s.advance(t0 + ms{200});
  CHECK(s.stm.counters().suspicions == 1);
  CHECK(s.stm.awareness() == 0); // the nacks prove our own health
  // Probe 2 at 200: nobody answers; the one alive member left to ask
  // (the first target is suspect) sent no nack.
  s.advance(t0 + ms{300});
  CHECK(s.stm.awareness() == 1);
  // Probe 3 left at 300 stretched ×2: its interval ends at 500, not 400.
  const std::string third = s.sent(message_kind::ping).back().target_id;
  s.advance(t0 + ms{499});
  CHECK(s.state_of(std::stoi(third.substr(4))) == member_state::alive);
  s.advance(t0 + ms{500});
  CHECK(s.state_of(std::stoi(third.substr(4))) == member_state::suspect);
  CHECK(s.stm.awareness() == 2); // nobody alive to ask: the failure counts
  // Probe 4 left at 500; its ack lowers the multiplier.
  const auto fourth = s.sent(message_kind::ping).back();
  s.deliver(std::stoi(fourth.target_id.substr(4)),
            message(message_kind::ack, std::stoi(fourth.target_id.substr(4)), fourth.seq));
  CHECK(s.stm.awareness() == 1);
  // Silence everywhere caps the multiplier at awareness_max - 1.
  s.advance(t0 + ms{10'000});
  CHECK(s.stm.awareness() == 3);
  // Answers bring it back down, one success at a time.
  s.responsive = {"node2", "node3", "node4"};
  auto refute = message(message_kind::ack, 2, 1);
  for (int i = 2; i <= 4; ++i)
    refute.updates.push_back(update(member_state::alive, i, 10, i));
  s.deliver(2, refute);
  s.advance(t0 + ms{20'000});
  CHECK(s.stm.awareness() == 0);
}

TEST_CASE("with nobody to ask, a failed probe alone raises the multiplier",
          "[cluster][swim]") {
  solo s(1);
  s.advance(t0 + ms{200});
  CHECK(s.sent(message_kind::ping_req).empty());
  CHECK(s.stm.awareness() == 1);
  CHECK(s.state_of(2) == member_state::suspect);
}

TEST_CASE("a graceful leave tells every live member and silences the node",
          "[cluster][swim]") {
  solo s(3);
  s.stm.leave(s.now, s.out);
  REQUIRE(s.out.sends.size() == 3);
  std::set<std::string> to;
  for (const auto& send : s.out.sends) {
    to.insert(send.to_address);
    const auto m = opened(send);
    CHECK(m.kind == message_kind::leave);
    REQUIRE_FALSE(m.updates.empty());
    CHECK(m.updates[0].subject.id == "node1");
    CHECK(m.updates[0].subject.state == member_state::left);
  }
  CHECK(to.size() == 3);
  CHECK(count_events(s.out.events, swim_event::left, "node1") == 1);
  CHECK(s.stm.has_left());
  CHECK_FALSE(s.out.next_wakeup.has_value());
  s.clear();
  auto ping = message(message_kind::ping, 2, 1);
  ping.target_id = "node1";
  s.deliver(2, ping);
  s.advance(t0 + ms{5000});
  CHECK(s.out.sends.empty());
}

TEST_CASE("a member we hold dead learns it from our ack, and we sync with it",
          "[cluster][swim]") {
  solo s(3);
  auto m = message(message_kind::ack, 3, 1);
  m.updates = {update(member_state::dead, 2, 0, 3)};
  s.deliver(3, m);
  s.clear();
  auto ping = message(message_kind::ping, 2, 4);
  ping.target_id = "node1";
  s.deliver(2, ping);
  const auto acks = s.sent(message_kind::ack);
  REQUIRE(acks.size() == 1);
  REQUIRE_FALSE(acks[0].updates.empty());
  CHECK(acks[0].updates[0].subject.id == "node2");
  CHECK(acks[0].updates[0].subject.state == member_state::dead);
  const auto syncs = s.sent(message_kind::push_pull);
  REQUIRE(syncs.size() == 1);
  CHECK(syncs[0].request);
  CHECK(s.out.sends[0].to_address == cluster_address(2));
  // Its answer, alive with a higher incarnation, brings it back.
  s.clear();
  auto answer = message(message_kind::push_pull, 2, 0);
  answer.members = {record(1), record(2, 1), record(3), record(4)};
  s.deliver(2, answer);
  CHECK(s.state_of(2) == member_state::alive);
  CHECK(count_events(s.out.events, swim_event::joined, "node2") == 1);
  CHECK(s.out.sends.empty()); // an answer asks for nothing back
}

TEST_CASE("a stranger's packet makes us sync with it, once per interval",
          "[cluster][swim]") {
  solo s(2);
  auto ping = message(message_kind::ping, 7, 1);
  ping.target_id = "node1";
  s.deliver(7, ping);
  CHECK(s.sent(message_kind::push_pull).size() == 1);
  CHECK(s.sent(message_kind::ack).size() == 1);
  s.clear();
  s.deliver(7, ping);
  CHECK(s.sent(message_kind::push_pull).empty());
  s.now += ms{100};
  s.deliver(7, ping);
  CHECK(s.sent(message_kind::push_pull).size() == 1);
}

TEST_CASE("a stale suspicion of us makes us repeat our alive record", "[cluster][swim]") {
  solo s(3);
  auto m = message(message_kind::ack, 2, 1);
  m.updates = {update(member_state::suspect, 1, 0, 2)};
  s.deliver(2, m);               // refuted: incarnation 1
  for (int i = 0; i < 10; ++i) { // exhaust the refutation's sends
    auto ping = message(message_kind::ping, 3, static_cast<std::uint32_t>(i));
    ping.target_id = "node1";
    s.deliver(3, ping);
  }
  REQUIRE(s.stm.broadcasts().find("node1") == nullptr);
  s.deliver(2, m); // node2 still suspects incarnation 0
  CHECK(s.stm.self().incarnation == 1);
  const auto* again = s.stm.broadcasts().find("node1");
  REQUIRE(again != nullptr);
  CHECK(again->subject.state == member_state::alive);
  CHECK(again->subject.incarnation == 1);
}

TEST_CASE("a node driven without join arms its timers on the first packet",
          "[cluster][swim]") {
  rng gen(3);
  swim_stm stm(record(1), fast_config(), cluster_key, gen);
  swim_output out;
  auto ping = message(message_kind::ping, 2, 1);
  ping.target_id = "node1";
  stm.receive(cluster_address(2), packet(ping), t0, out);
  REQUIRE(out.next_wakeup.has_value());
  CHECK(*out.next_wakeup <= t0 + ms{100});
  CHECK(to_string(swim_event::failed) == "failed");
  CHECK(to_string(swim_event::refuted) == "refuted");
}

TEST_CASE("join asks every seed but itself, and retries while alone", "[cluster][swim]") {
  rng gen(3);
  swim_stm stm(record(1), fast_config(), cluster_key, gen);
  swim_output out;
  stm.join({cluster_address(1), cluster_address(2), cluster_address(3)}, t0, out);
  REQUIRE(out.sends.size() == 2);
  for (const auto& s : out.sends) {
    const auto m = opened(s);
    CHECK(m.kind == message_kind::push_pull);
    CHECK(m.request);
    CHECK(m.join);
    REQUIRE(m.members.size() == 1);
    CHECK(m.members[0] == record(1));
  }
  out.sends.clear();
  stm.tick(t0 + ms{999}, out);
  CHECK(out.sends.empty());
  stm.tick(t0 + ms{1000}, out);
  CHECK(out.sends.size() == 2);
}

TEST_CASE("joining through a seed: its push-pull answer gives the seed's member list",
          "[cluster][swim]") {
  rng gen(4);
  swim_stm stm(record(1), fast_config(), cluster_key, gen);
  swim_output out;
  stm.join({cluster_address(2)}, t0, out);
  REQUIRE(out.sends.size() == 1);
  CHECK(out.sends[0].to_address == cluster_address(2));
  out.sends.clear();
  auto answer = message(message_kind::push_pull, 2);
  answer.members = {record(2), record(3, 4), record(4)};
  answer.members[2].zone = "newyork";
  answer.members.push_back(record(5));
  answer.members.back().state = member_state::dead; // a tombstone: not news to a joiner
  stm.receive(cluster_address(2), packet(answer), t0 + ms{1}, out);
  CHECK(out.sends.empty()); // an answer is not a request
  CHECK(stm.members().size() == 4);
  for (int i = 2; i <= 4; ++i)
    CHECK(count_events(out.events, swim_event::joined, node_id(i)) == 1);
  CHECK(stm.members().find("node3")->incarnation == 4);
  CHECK(stm.members().alive_in_zone("london").size() == 3);
  CHECK(stm.members().alive_in_zone("newyork").size() == 1);
  // No longer alone: no more join requests.
  out.sends.clear();
  stm.tick(t0 + ms{1'000}, out);
  int pings = 0;
  for (const auto& send : out.sends) {
    const auto kind = opened(send).kind;
    CHECK(kind != message_kind::push_pull);
    pings += kind == message_kind::ping ? 1 : 0;
  }
  CHECK(pings == 1); // the probe's; the rest is gossip of the news
}
