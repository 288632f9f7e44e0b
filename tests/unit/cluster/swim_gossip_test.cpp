#include "tests/unit/cluster/swim_test_support.hpp"

using namespace swim_test;

namespace {

swim_config gossip_config() {
  swim_config c = fast_config();
  c.gossip_interval_ms = 20;
  c.gossip_nodes = 3;
  c.probe_interval_ms = 10'000; // no probe in the way
  c.probe_timeout_ms = 5'000;
  return c;
}

/// Drains the news of the join so that the queue starts empty.
void drain(solo& s) {
  for (int i = 0; i < 1000 && !s.stm.broadcasts().empty(); ++i)
    s.advance(s.now + ms{20});
  REQUIRE(s.stm.broadcasts().empty());
  s.clear();
}

} // namespace

TEST_CASE("a queued update goes out on the gossip tick to gossip_nodes members",
          "[cluster][swim][gossip]") {
  solo s(6, gossip_config());
  drain(s);
  const time_point start = s.now;
  // A member that left (a suspect would be probed at once, see swim_stm_test).
  auto bye = message(message_kind::leave, 7);
  bye.updates = {update(member_state::left, 7, 0, 7)};
  s.deliver(7, bye);
  REQUIRE(s.stm.broadcasts().find("node7") != nullptr);
  REQUIRE(s.out.next_wakeup.has_value());
  CHECK(*s.out.next_wakeup <= start + ms{20});
  s.clear();
  s.advance(start + ms{20});
  const auto g = s.sent(message_kind::gossip);
  REQUIRE(g.size() == 3);
  std::set<std::string> to;
  for (const auto& send : s.out.sends)
    to.insert(send.to_address);
  CHECK(to.size() == 3);
  CHECK(to.count(cluster_address(1)) == 0);
  for (const auto& m : g) {
    REQUIRE(m.updates.size() == 1);
    CHECK(m.updates[0].subject.id == "node7");
    CHECK(m.updates[0].subject.state == member_state::left);
  }
  CHECK(s.stm.broadcasts().transmits("node7") == 3);
}

TEST_CASE("nothing is gossiped while nothing is queued", "[cluster][swim][gossip]") {
  solo s(6, gossip_config());
  drain(s);
  const time_point start = s.now;
  s.advance(start + ms{5000});
  CHECK(s.out.sends.empty());
  // Idle, the gossip timer does not even wake the node.
  REQUIRE(s.out.next_wakeup.has_value());
  CHECK(*s.out.next_wakeup >= start + ms{5000});
}

TEST_CASE("gossip_nodes = 0 turns the gossip timer off", "[cluster][swim][gossip]") {
  swim_config c = gossip_config();
  c.gossip_nodes = 0;
  solo s(6, c);
  s.advance(s.now + ms{1000});
  CHECK(s.sent(message_kind::gossip).empty());
  CHECK(!s.stm.broadcasts().empty()); // the join news waits for probe traffic
}

TEST_CASE("a suspected member refutes at once, to its accuser and gossip_nodes others",
          "[cluster][swim][gossip]") {
  solo s(6, gossip_config());
  drain(s);
  auto sus = message(message_kind::ack, 4, 1);
  sus.updates = {update(member_state::suspect, 1, 0, 4)};
  s.deliver(4, sus); // no tick in between
  CHECK(count_events(s.out.events, swim_event::refuted, "node1") == 1);
  CHECK(s.stm.self().incarnation == 1);
  const auto g = s.sent(message_kind::gossip);
  REQUIRE(g.size() == 4);
  REQUIRE(!s.out.sends.empty());
  CHECK(s.out.sends[0].to_address == cluster_address(4)); // the accuser first
  std::set<std::string> to;
  for (const auto& send : s.out.sends)
    to.insert(send.to_address);
  CHECK(to.size() == 4);
  for (const auto& m : g) {
    REQUIRE(!m.updates.empty());
    CHECK(m.updates[0].subject.id == "node1");
    CHECK(m.updates[0].subject.state == member_state::alive);
    CHECK(m.updates[0].subject.incarnation == 1);
  }
}

TEST_CASE("a new suspicion or confirmation is gossiped at once, a repeat is not",
          "[cluster][swim][gossip]") {
  solo s(6, gossip_config());
  drain(s);
  const auto gossip_about = [&s](const std::string& id) {
    int n = 0;
    for (const auto& m : s.sent(message_kind::gossip))
      if (!m.updates.empty() && m.updates[0].subject.id == id &&
          m.updates[0].subject.state == member_state::suspect)
        ++n;
    return n;
  };
  struct row {
    int from;
    int gossiped;
  };
  // node2 raises it, node3 confirms, node3 again and node2 are no news.
  for (const row& r : {row{2, 3}, row{3, 3}, row{3, 0}, row{2, 0}}) {
    INFO("suspicion from node" << r.from);
    s.clear();
    auto sus = message(message_kind::gossip, r.from);
    sus.updates = {update(member_state::suspect, 7, 0, r.from)};
    s.deliver(r.from, sus); // no tick in between
    CHECK(gossip_about("node7") == r.gossiped);
  }
}

TEST_CASE("a stale suspicion is answered at once with the current alive record",
          "[cluster][swim][gossip]") {
  solo s(6, gossip_config());
  drain(s);
  auto sus = message(message_kind::ack, 4, 1);
  sus.updates = {update(member_state::suspect, 1, 0, 4)};
  s.deliver(4, sus);
  drain(s);
  sus = message(message_kind::ack, 5, 2); // node5 missed the refutation
  sus.updates = {update(member_state::suspect, 1, 0, 5)};
  s.deliver(5, sus);
  CHECK(s.stm.self().incarnation == 1);
  REQUIRE(!s.out.sends.empty());
  CHECK(s.out.sends[0].to_address == cluster_address(5));
  const auto m = opened(s.out.sends[0]);
  CHECK(m.kind == message_kind::gossip);
  REQUIRE(!m.updates.empty());
  CHECK(m.updates[0].subject.incarnation == 1);
}

TEST_CASE("gossip spreads a death to all of 20 nodes within a few gossip intervals",
          "[cluster][swim][gossip]") {
  swim_config c = fast_config();
  c.gossip_interval_ms = 20;
  network net(20, c, 3);
  net.join(1, {});
  for (int i = 2; i <= 20; ++i)
    net.join(i, {cluster_address(1)});
  net.run_until(t0 + ms{10'000});
  for (int i = 2; i <= 20; ++i)
    REQUIRE(net.view(i, 7) == member_state::alive);
  net.drop = [](const std::string& from, const std::string& to) {
    return from == cluster_address(7) || to == cluster_address(7);
  };
  net.run_until(t0 + ms{30'000});
  std::optional<time_point> first, last;
  for (int i = 1; i <= 20; ++i) {
    if (i == 7)
      continue;
    const auto t = net.first_event(i, swim_event::failed, 7);
    REQUIRE(t.has_value());
    first = first ? std::min(*first, *t) : *t;
    last = last ? std::max(*last, *t) : *t;
  }
  CHECK(*last - *first <= ms{100});
}
