// timer_queue: deadlines served by one Asio timer, in deadline order,
// cancelled ones never called.
#include <chrono>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "net/transport/timer_queue.hpp"

using namespace ringdown;
using namespace std::chrono_literals;

TEST_CASE("timer_queue fires in deadline order and skips cancelled timers", "[transport]") {
  boost::asio::io_context io;
  transport::timer_queue q(io);
  std::vector<int> fired;
  q.arm(400ms, [&] { fired.push_back(3); });
  const auto cancelled = q.arm(300ms, [&] { fired.push_back(99); });
  q.arm(200ms, [&] { fired.push_back(1); });
  q.arm(-5ms, [&] { fired.push_back(0); }); // clamped at 0
  // Armed from a callback, earlier than the wait outstanding then (200 ms).
  q.arm(5ms, [&] {
    fired.push_back(2);
    q.arm(1ms, [&] { fired.push_back(4); });
  });
  CHECK(q.pending() == 5);
  q.cancel(cancelled);
  q.cancel(cancelled); // unknown by now: ignored
  CHECK(q.pending() == 4);
  io.run(); // returns once no wait is outstanding
  CHECK(fired == std::vector<int>{0, 2, 4, 1, 3});
  CHECK(q.pending() == 0);
}

TEST_CASE("timer_queue cancel_all drops every pending timer", "[transport]") {
  boost::asio::io_context io;
  transport::timer_queue q(io);
  int fired = 0;
  q.arm(1ms, [&] { ++fired; });
  q.arm(2ms, [&] { ++fired; });
  q.cancel_all();
  CHECK(q.pending() == 0);
  io.run();
  CHECK(fired == 0);
}
