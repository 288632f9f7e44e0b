#include <catch2/catch.hpp>

#include "sim/event_queue.hpp"

using namespace ringdown;
using namespace std::chrono_literals;

TEST_CASE("event queue pops by virtual time, then by scheduling order", "[sim][queue]") {
  sim::event_queue q;
  const time_point t0{1s};
  q.push(t0 + 5ms, sim::fault_event{0});
  q.push(t0 + 1ms, sim::fault_event{1});
  q.push(t0 + 5ms, sim::fault_event{2});
  q.push(t0, sim::fault_event{3});
  q.push(t0 + 1ms, sim::check_event{4});
  q.push(t0 + 5ms, sim::fault_event{5});
  REQUIRE(q.size() == 6);

  struct expected {
    time_point at;
    std::uint32_t index;
  };
  const expected order[] = {{t0, 3},       {t0 + 1ms, 1}, {t0 + 1ms, 4},
                            {t0 + 5ms, 0}, {t0 + 5ms, 2}, {t0 + 5ms, 5}};
  for (const auto& e : order) {
    const auto got = q.pop();
    CHECK(got.at == e.at);
    const std::uint32_t index = std::visit(
        [](const auto& b) -> std::uint32_t {
          if constexpr (requires { b.index; })
            return b.index;
          else
            return 999;
        },
        got.body);
    CHECK(index == e.index);
  }
  CHECK(q.empty());
}

TEST_CASE("event queue keeps FIFO order among many equal times", "[sim][queue]") {
  sim::event_queue q;
  const time_point t{1s};
  for (std::uint32_t i = 0; i < 1000; ++i)
    q.push(t + std::chrono::milliseconds{i % 3}, sim::check_event{i});
  std::vector<std::uint32_t> got;
  while (!q.empty())
    got.push_back(std::get<sim::check_event>(q.pop().body).index);
  REQUIRE(got.size() == 1000);
  // First every i % 3 == 0 in increasing order, then 1, then 2.
  std::size_t k = 0;
  for (std::uint32_t r = 0; r < 3; ++r)
    for (std::uint32_t i = r; i < 1000; i += 3)
      CHECK(got[k++] == i);
}
