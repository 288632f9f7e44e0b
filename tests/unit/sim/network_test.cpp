#include <catch2/catch.hpp>

#include "sim/network.hpp"

using namespace ringdown;
using namespace std::chrono_literals;

namespace {

struct three {
  rng r{42};
  sim::sim_network net{r};
  sim::node_id a = net.add_node("10.0.0.1:5000", "ldn");
  sim::node_id b = net.add_node("10.0.0.2:5000", "ldn");
  sim::node_id c = net.add_node("10.0.1.1:5000", "nyc");
};

} // namespace

TEST_CASE("network: nodes by address", "[sim][network]") {
  three t;
  CHECK(t.net.find("10.0.0.2:5000") == t.b);
  CHECK_FALSE(t.net.find("10.0.0.9:5000"));
  CHECK(t.net.address(t.c) == "10.0.1.1:5000");
  CHECK(t.net.zone(t.c) == "nyc");
}

TEST_CASE("network: loss probability is honoured", "[sim][network]") {
  three t;
  sim::link_model m;
  m.loss = 0.05;
  t.net.set_default(m);
  int dropped = 0;
  for (int i = 0; i < 10'000; ++i)
    if (t.net.route(t.a, t.b).dropped == sim::drop_reason::loss)
      ++dropped;
  CHECK(dropped >= 400);
  CHECK(dropped <= 600);
  CHECK(t.net.counters().sent == 10'000);
  CHECK(t.net.counters().dropped[0] == static_cast<std::uint64_t>(dropped));
}

TEST_CASE("network: duplication probability is honoured", "[sim][network]") {
  three t;
  sim::link_model m;
  m.duplicate = 0.1;
  t.net.set_default(m);
  int twice = 0;
  for (int i = 0; i < 10'000; ++i) {
    const auto plan = t.net.route(t.a, t.b);
    REQUIRE_FALSE(plan.dropped);
    if (plan.copies == 2)
      ++twice;
  }
  CHECK(twice >= 850);
  CHECK(twice <= 1150);
  CHECK(t.net.counters().duplicated == static_cast<std::uint64_t>(twice));
}

TEST_CASE("network: a link's own model overrides the default one way", "[sim][network]") {
  three t;
  sim::link_model lossy;
  lossy.loss = 1.0;
  t.net.set_link(t.a, t.c, lossy);
  CHECK(t.net.route(t.a, t.c).dropped == sim::drop_reason::loss);
  CHECK_FALSE(t.net.route(t.c, t.a).dropped);
  CHECK_FALSE(t.net.route(t.a, t.b).dropped);
}

TEST_CASE("network: latency models stay in their bounds", "[sim][network]") {
  rng r{7};
  const auto fixed = sim::latency_model::fixed(3ms);
  const auto uni = sim::latency_model::uniform(1ms, 5ms);
  const auto norm = sim::latency_model::normal(10ms, 20ms);
  const auto tail = sim::latency_model::pareto(1ms, 1.5);
  duration sum{0};
  duration tail_max{0};
  for (int i = 0; i < 10'000; ++i) {
    CHECK(fixed.sample(r) == 3ms);
    const auto u = uni.sample(r);
    CHECK((u >= 1ms && u <= 5ms));
    const auto n = norm.sample(r);
    CHECK(n >= duration{0});
    sum += n;
    const auto p = tail.sample(r);
    CHECK((p >= 1ms && p <= sim::latency_model::latency_max));
    tail_max = std::max(tail_max, p);
  }
  // The clamped normal's mean lies above its mean (the negatives become 0).
  CHECK(sum / 10'000 > 10ms);
  CHECK(sum / 10'000 < 20ms);
  CHECK(tail_max > 50ms); // a long tail
}

TEST_CASE("network: partitions block the right directions", "[sim][network]") {
  three t;
  const sim::node_id left[] = {t.a};
  const sim::node_id right[] = {t.b, t.c};
  t.net.partition(left, right);
  CHECK(t.net.blocked(t.a, t.b));
  CHECK(t.net.blocked(t.b, t.a));
  CHECK(t.net.blocked(t.c, t.a));
  CHECK_FALSE(t.net.blocked(t.b, t.c));
  CHECK(t.net.route(t.a, t.b).dropped == sim::drop_reason::partition);
  t.net.heal();
  CHECK_FALSE(t.net.blocked(t.a, t.b));

  t.net.block(t.a, t.b);
  CHECK(t.net.blocked(t.a, t.b));
  CHECK_FALSE(t.net.blocked(t.b, t.a));
  t.net.heal();

  t.net.isolate(t.c);
  CHECK(t.net.blocked(t.c, t.a));
  CHECK(t.net.blocked(t.b, t.c));
  CHECK_FALSE(t.net.blocked(t.a, t.b));
  t.net.heal();

  t.net.split_zones();
  CHECK_FALSE(t.net.blocked(t.a, t.b));
  CHECK(t.net.blocked(t.a, t.c));
  CHECK(t.net.blocked(t.c, t.b));
}

TEST_CASE("network: clogs end at their time and on unclog", "[sim][network]") {
  three t;
  const time_point now{1s};
  t.net.clog_node(t.b, false, true, now + 50ms);
  CHECK(t.net.clogged_until(t.a, t.b, now) == now + 50ms);
  CHECK_FALSE(t.net.clogged_until(t.b, t.a, now)); // only b's incoming
  CHECK_FALSE(t.net.clogged_until(t.a, t.b, now + 50ms));
  t.net.clog_link(t.c, t.a, now + 10ms);
  CHECK(t.net.clogged_until(t.c, t.a, now) == now + 10ms);
  CHECK_FALSE(t.net.clogged_until(t.a, t.c, now));
  t.net.unclog_all();
  CHECK_FALSE(t.net.clogged_until(t.a, t.b, now));
}
