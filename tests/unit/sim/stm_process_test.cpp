#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/stm_process.hpp"
#include "sim/world.hpp"

using namespace ringdown;
using namespace std::chrono_literals;

namespace {

/// A machine shaped like the membership machine's entry points: it greets
/// its seeds on join, answers every "hello" with "welcome", counts its
/// ticks (one every 100 ms) and says "bye" to the seeds when it leaves.
struct greeter_out {
  struct send {
    std::string to_address;
    std::vector<std::uint8_t> bytes;
  };
  std::vector<send> sends;
  std::optional<time_point> next_wakeup;
};

std::vector<std::uint8_t> bytes_of(std::string_view s) {
  return {s.begin(), s.end()};
}

class greeter {
public:
  explicit greeter(std::string self) : self_{std::move(self)} {}

  void join(const std::vector<std::string>& seeds, time_point now, greeter_out& out) {
    seeds_ = seeds;
    for (const auto& s : seeds)
      if (s != self_)
        out.sends.push_back({s, bytes_of("hello")});
    out.next_wakeup = now + 100ms;
  }
  void receive(std::string_view from, std::span<const std::uint8_t> bytes, time_point,
               greeter_out& out) {
    const std::string text{bytes.begin(), bytes.end()};
    heard.push_back(std::string{from} + " " + text);
    if (text == "hello")
      out.sends.push_back({std::string{from}, bytes_of("welcome")});
  }
  void tick(time_point now, greeter_out& out) {
    ++ticks;
    out.next_wakeup = now + 100ms;
  }
  void leave(time_point, greeter_out& out) {
    for (const auto& s : seeds_)
      if (s != self_)
        out.sends.push_back({s, bytes_of("bye")});
  }

  std::vector<std::string> heard;
  int ticks = 0;

private:
  std::string self_;
  std::vector<std::string> seeds_;
};

using greeter_process = sim::stm_process<greeter, greeter_out>;

const greeter& machine(const sim::world& w, sim::node_id n) {
  const auto* p = dynamic_cast<const greeter_process*>(w.get(n));
  REQUIRE(p != nullptr);
  return p->machine();
}

} // namespace

TEST_CASE("stm_process drives a pure machine through the world", "[sim][stm]") {
  sim::world w{3, sim::stm_factory<greeter, greeter_out>([](const sim::node_info& info) {
                 return std::make_unique<greeter>(info.address);
               })};
  const auto seed = w.add_node({"s", "10.0.0.1:7946", "ldn"});
  const auto x = w.add_node({"x", "10.0.0.2:7946", "ldn"});
  const auto y = w.add_node({"y", "10.0.0.3:7946", "nyc"});
  w.set_seeds({"10.0.0.1:7946"});
  w.network().set_default({sim::latency_model::fixed(1ms)});
  w.schedule_fault(w.start_time() + 250ms, "leave y", [y](sim::world& v) { v.leave(y); });
  w.start_all();
  w.run_until(w.start_time() + 450ms);

  CHECK(machine(w, seed).heard == std::vector<std::string>{"10.0.0.2:7946 hello",
                                                           "10.0.0.3:7946 hello",
                                                           "10.0.0.3:7946 bye"});
  CHECK(machine(w, x).heard == std::vector<std::string>{"10.0.0.1:7946 welcome"});
  CHECK(machine(w, seed).ticks == 4); // 100, 200, 300, 400 ms
  CHECK(machine(w, x).ticks == 4);
  CHECK_FALSE(w.alive(y));
}
