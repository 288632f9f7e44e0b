#include <catch2/catch.hpp>

#include "sim/world.hpp"
#include "tests/unit/sim/scripted.hpp"

using namespace ringdown;
using namespace std::chrono_literals;
namespace scripted = ringdown::sim::scripted;

namespace {

constexpr auto a_addr = "10.0.0.1:5000";
constexpr auto b_addr = "10.0.0.2:5000";
constexpr auto c_addr = "10.0.1.1:5000";

/// Three nodes a, b (zone ldn) and c (zone nyc) on a 1 ms fixed-latency
/// network, running scripted senders.
struct fixture {
  explicit fixture(std::map<std::string, scripted::plan> plans, std::uint64_t seed = 1,
                   sim::link_model net = {})
      : j{std::make_shared<scripted::journal>()}, w{seed, scripted::factory(j, plans)} {
    j->origin = w.start_time();
    a = w.add_node({"a", a_addr, "ldn"});
    b = w.add_node({"b", b_addr, "ldn"});
    c = w.add_node({"c", c_addr, "nyc"});
    net.latency = sim::latency_model::fixed(1ms);
    w.network().set_default(net);
  }
  void run_ms(int ms) { w.run_until(w.start_time() + std::chrono::milliseconds{ms}); }

  std::shared_ptr<scripted::journal> j;
  sim::world w;
  sim::node_id a = 0, b = 0, c = 0;
};

std::vector<std::string> numbers(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i)
    out.push_back(std::to_string(i));
  return out;
}

std::uint64_t hash_of_run(std::uint64_t seed) {
  sim::link_model net;
  fixture f{{{"a", {b_addr, 200, 1ms}}, {"b", {c_addr, 200, 1ms}}}, seed};
  net.latency = sim::latency_model::uniform(1ms, 20ms);
  net.loss = 0.05;
  f.w.network().set_default(net);
  f.w.start_all();
  f.run_ms(1000);
  return f.w.trace_hash();
}

} // namespace

TEST_CASE("world: packets arrive after their latency, in order", "[sim][world]") {
  fixture f{{{"a", {b_addr, 5, 10ms}}}};
  f.w.start_all();
  f.run_ms(100);
  REQUIRE(f.j->arrivals.size() == 5);
  for (int i = 0; i < 5; ++i) {
    CHECK(f.j->arrivals[i].from == a_addr);
    CHECK(f.j->arrivals[i].at == std::chrono::milliseconds{10 * i + 1});
  }
  CHECK(f.w.network().counters().delivered == 5);
  CHECK(f.w.now() == f.w.start_time() + 100ms);
}

TEST_CASE("world: the same seed replays the same trace", "[sim][world]") {
  const auto first = hash_of_run(7);
  CHECK(hash_of_run(7) == first);
  CHECK(hash_of_run(8) != first);
  CHECK(hash_of_run(9) != first);
}

TEST_CASE("world: duplication delivers a packet twice", "[sim][world]") {
  sim::link_model net;
  net.duplicate = 1.0;
  fixture f{{{"a", {b_addr, 10, 1ms}}}, 1, net};
  f.w.start_all();
  f.run_ms(100);
  CHECK(f.j->arrivals.size() == 20);
  CHECK(f.w.network().counters().duplicated == 10);
}

TEST_CASE("world: reordering happens only when enabled", "[sim][world]") {
  for (const double reorder : {0.0, 0.5}) {
    sim::link_model net;
    net.reorder = reorder;
    net.reorder_delay_max = 20ms;
    fixture f{{{"a", {b_addr, 200, 100us}}}, 3, net};
    f.w.start_all();
    f.run_ms(200);
    const auto got = f.j->payloads_at("b");
    REQUIRE(got.size() == 200);
    if (reorder == 0.0)
      CHECK(got == numbers(0, 200));
    else
      CHECK(got != numbers(0, 200));
  }
}

TEST_CASE("world: partitions block directions and heal restores", "[sim][world]") {
  fixture f{{{"a", {b_addr, 100, 1ms}}, {"b", {a_addr, 100, 1ms}}}};
  f.w.schedule_fault(f.w.start_time() + 20ms, "split", [&](sim::world& w) {
    const sim::node_id l[] = {f.a};
    const sim::node_id r[] = {f.b};
    w.network().partition(l, r);
  });
  f.w.schedule_fault(f.w.start_time() + 40ms, "heal",
                     [](sim::world& w) { w.network().heal(); });
  f.w.schedule_fault(f.w.start_time() + 60ms, "a->b",
                     [&](sim::world& w) { w.network().block(f.a, f.b); });
  f.w.start_all();
  f.run_ms(200);
  const auto at_b = f.j->payloads_at("b");
  const auto at_a = f.j->payloads_at("a");
  // Sent at 0..99 ms, 1 ms in flight: b gets 0..18 and 40..58 (the
  // packets sent at 19 and 59 ms arrive when the block is in place).
  auto want_b = numbers(0, 19);
  for (const auto& s : numbers(40, 59))
    want_b.push_back(s);
  CHECK(at_b == want_b);
  // a: nothing during the split, everything after the heal.
  auto want_a = numbers(0, 19);
  for (const auto& s : numbers(40, 100))
    want_a.push_back(s);
  CHECK(at_a == want_a);
  CHECK(f.w.network().counters().dropped[1] == 21 + 41 + 21);
}

TEST_CASE("world: an isolated node neither sends nor receives", "[sim][world]") {
  fixture f{{{"a", {c_addr, 10, 1ms}}, {"c", {b_addr, 10, 1ms}}, {"b", {a_addr, 10, 1ms}}}};
  f.w.network().isolate(f.c);
  f.w.start_all();
  f.run_ms(100);
  CHECK(f.j->payloads_at("c").empty());
  CHECK(f.j->payloads_at("b").empty());
  CHECK(f.j->payloads_at("a").size() == 10);
}

TEST_CASE("world: a clog holds packets, then delivers them in order", "[sim][world]") {
  fixture f{{{"a", {b_addr, 10, 1ms}}, {"c", {b_addr, 10, 1ms}}}};
  f.w.network().clog_node(f.b, false, true, f.w.start_time() + 50ms);
  f.w.network().clog_link(f.c, f.b, f.w.start_time() + 70ms);
  f.w.schedule_fault(f.w.start_time() + 60ms, "unclog",
                     [](sim::world& w) { w.unclog_all(); });
  f.w.start_all();
  f.run_ms(100);
  std::vector<std::string> from_a, from_c;
  for (const auto& x : f.j->arrivals) {
    if (x.from == a_addr) {
      CHECK(x.at == 50ms);
      from_a.push_back(x.payload);
    } else {
      CHECK(x.at == 60ms); // released by the unclog before its 70 ms end
      from_c.push_back(x.payload);
    }
  }
  CHECK(from_a == numbers(0, 10));
  CHECK(from_c == numbers(0, 10));
  CHECK(f.w.network().counters().held == 20);
}

TEST_CASE("world: a killed node gets no packet and no wake-up", "[sim][world]") {
  fixture f{{{"a", {b_addr, 50, 2ms}}, {"b", {a_addr, 50, 2ms}}}};
  f.w.schedule_fault(f.w.start_time() + 21ms, "kill b",
                     [&](sim::world& w) { w.kill(f.b); });
  f.w.start_all();
  f.run_ms(200);
  CHECK_FALSE(f.w.alive(f.b));
  CHECK(f.w.get(f.b) == nullptr);
  CHECK(f.j->stops["b"] == 1);
  // b woke at 0, 2, ..., 20 ms only; a got b's 11 packets.
  CHECK(std::count(f.j->wakes.begin(), f.j->wakes.end(), "b") == 11);
  CHECK(f.j->payloads_at("a") == numbers(0, 11));
  // b received a's packets sent at 0..18 ms; the rest are lost.
  CHECK(f.j->payloads_at("b") == numbers(0, 10));
  CHECK(f.w.network().counters().dropped[2] == 40);
}

TEST_CASE("world: a restart creates a new process", "[sim][world]") {
  fixture f{{{"b", {a_addr, 3, 1ms}}}};
  f.w.schedule_fault(f.w.start_time() + 50ms, "restart b",
                     [&](sim::world& w) { w.restart(f.b); });
  f.w.start_all();
  f.run_ms(100);
  CHECK(f.w.alive(f.b));
  CHECK(f.j->starts["b"] == 2);
  CHECK(f.j->stops["b"] == 1);
  CHECK(f.w.info(f.b).incarnation == 1);
  // The new process starts its script again: 0 1 2 twice.
  CHECK(f.j->payloads_at("a") == std::vector<std::string>{"0", "1", "2", "0", "1", "2"});
}

TEST_CASE("world: checks retry until their bound, then fail", "[sim][world]") {
  fixture f{{}};
  int calls = 0;
  f.w.add_check("eventually", [&](const sim::world& w, const sim::param_map& p) {
    ++calls;
    return w.elapsed() >= std::chrono::milliseconds{*p.integer("after_ms")}
               ? sim::check_result::pass()
               : sim::check_result::fail("not yet");
  });
  sim::param_map early, late;
  early.set("after_ms", "30");
  late.set("after_ms", "500");
  f.w.schedule_check(f.w.start_time() + 10ms, "eventually", early, 50ms, 10ms);
  f.w.schedule_check(f.w.start_time() + 100ms, "eventually", late, 50ms, 10ms);
  f.w.schedule_check(f.w.start_time() + 300ms, "missing", {});
  f.w.set_stop_on_failure(false);
  f.w.start_all();
  f.run_ms(400);
  REQUIRE(f.w.failures().size() == 2);
  CHECK(f.w.failures()[0].check == "eventually");
  CHECK(f.w.failures()[0].message == "not yet");
  CHECK(f.w.failures()[0].at == 150ms);
  CHECK(f.w.failures()[1].check == "missing");
  CHECK(calls == 3 + 6);
}

TEST_CASE("world: an invariant fails at the first event breaking it", "[sim][world]") {
  fixture f{{{"a", {b_addr, 10, 10ms}}}};
  f.w.add_invariant("b_gets_two", [&](const sim::world&, const sim::param_map&) {
    return f.j->payloads_at("b").size() < 3 ? sim::check_result::pass()
                                            : sim::check_result::fail("third packet");
  });
  f.w.start_all();
  f.run_ms(100);
  REQUIRE(f.w.failures().size() == 1);
  CHECK(f.w.failures()[0].check == "b_gets_two");
  CHECK(f.w.failures()[0].at == 21ms);
  CHECK(f.w.now() == f.w.start_time() + 21ms); // stopped at the failure
}

namespace {

/// Arms its wake-up as told at start, records when it wakes and whether it
/// left; says goodbye to a when it leaves.
class waker final : public sim::process {
public:
  waker(std::vector<duration> arms, std::vector<duration>& woke, int& left)
      : arms_{std::move(arms)}, woke_{woke}, left_{left} {}
  void start(sim::context& ctx) override {
    origin_ = ctx.now();
    for (const auto d : arms_)
      ctx.wake_at(origin_ + d);
  }
  void receive(sim::context&, std::string_view, std::span<const std::uint8_t>) override {}
  void wakeup(sim::context& ctx) override { woke_.push_back(ctx.now() - origin_); }
  void leave(sim::context& ctx) override {
    ++left_;
    static constexpr std::uint8_t bye[] = {'b', 'y', 'e'};
    ctx.send(a_addr, bye);
  }

private:
  std::vector<duration> arms_;
  std::vector<duration>& woke_;
  int& left_;
  time_point origin_{};
};

} // namespace

TEST_CASE("world: a later wake_at replaces the pending one", "[sim][world]") {
  std::vector<duration> woke;
  int left = 0;
  sim::world w{1, [&](const sim::node_info&) -> std::unique_ptr<sim::process> {
                 return std::make_unique<waker>(
                     std::vector<duration>{30ms, 10ms, 10ms, 20ms}, woke, left);
               }};
  w.add_node({"x", b_addr, "ldn"});
  w.start_all();
  w.run_until(w.start_time() + 100ms);
  CHECK(woke == std::vector<duration>{20ms});
  CHECK(w.events() ==
        3); // 30 ms and the first 10 ms are stale; the second 10 ms is not queued
}

TEST_CASE("world: leave lets the process say goodbye, then kills it", "[sim][world]") {
  std::vector<duration> woke;
  int left = 0;
  auto j = std::make_shared<scripted::journal>();
  sim::world w{1, [&](const sim::node_info& info) -> std::unique_ptr<sim::process> {
                 if (info.name == "a")
                   return std::make_unique<scripted::sender>(j, info, scripted::plan{});
                 return std::make_unique<waker>(std::vector<duration>{50ms}, woke, left);
               }};
  j->origin = w.start_time();
  const auto a = w.add_node({"a", a_addr, "ldn"});
  const auto x = w.add_node({"x", b_addr, "ldn"});
  w.network().set_default({sim::latency_model::fixed(5ms)});
  w.schedule_fault(w.start_time() + 10ms, "leave x", [x](sim::world& v) { v.leave(x); });
  w.start_all();
  w.run_until(w.start_time() + 100ms);
  CHECK(left == 1);
  CHECK_FALSE(w.alive(x));
  CHECK(w.alive(a));
  CHECK(woke.empty()); // its wake-up died with it
  REQUIRE(j->arrivals.size() == 1);
  CHECK(j->arrivals[0].payload == "bye");
  CHECK(j->arrivals[0].at == 15ms);
}
