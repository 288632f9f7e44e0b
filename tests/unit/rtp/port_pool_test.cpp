#include <deque>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "net/rtp/port_pool.hpp"

using namespace ringdown::rtp;

TEST_CASE("port ranges are validated with a message", "[rtp][port_pool]") {
  CHECK_FALSE(port_pool::validate(40000, 40010).has_value());
  CHECK_FALSE(port_pool::validate(40000, 40001).has_value()); // one pair
  CHECK_FALSE(port_pool::validate(65534, 65535).has_value());

  const auto odd = port_pool::validate(40001, 40010);
  REQUIRE(odd.has_value());
  CHECK(odd->find("even") != std::string::npos);
  CHECK(odd->find("40001-40010") != std::string::npos);

  const auto privileged = port_pool::validate(80, 100);
  REQUIRE(privileged.has_value());
  CHECK(privileged->find("1024") != std::string::npos);

  CHECK(port_pool::validate(40000, 40000).has_value());
  CHECK(port_pool::validate(40010, 40000).has_value());
}

TEST_CASE("a range is handed out pair by pair until exhausted", "[rtp][port_pool]") {
  // 40000..40010 holds 11 ports; 40010's RTCP port would be 40011, outside,
  // so the pairs are 40000, 40002, 40004, 40006, 40008.
  port_pool pool(40000, 40010);
  CHECK(pool.capacity() == 5);
  CHECK(pool.available() == 5);

  std::vector<std::uint16_t> got;
  for (int i = 0; i < 5; ++i) {
    const auto port = pool.allocate();
    REQUIRE(port.has_value());
    got.push_back(*port);
  }
  CHECK(got == std::vector<std::uint16_t>{40000, 40002, 40004, 40006, 40008});
  CHECK(pool.available() == 0);
  CHECK(pool.in_use() == 5);

  CHECK_FALSE(pool.allocate().has_value());
  CHECK_FALSE(pool.lease().has_value());
  CHECK(pool.exhaustions() == 2);
  CHECK(pool.in_use() == 5); // exhaustion disturbs nothing

  CHECK(pool.release(40004));
  CHECK(pool.available() == 1);
  CHECK(pool.allocate() == std::uint16_t{40004});
  CHECK_FALSE(pool.allocate().has_value());
}

TEST_CASE("allocation rotates past the pair handed out last", "[rtp][port_pool]") {
  port_pool pool(40000, 40009); // 5 pairs
  CHECK(pool.allocate() == std::uint16_t{40000});
  CHECK(pool.allocate() == std::uint16_t{40002});
  CHECK(pool.release(40000));
  CHECK(pool.allocate() == std::uint16_t{40004}); // not the pair just freed
  CHECK(pool.allocate() == std::uint16_t{40006});
  CHECK(pool.allocate() == std::uint16_t{40008});
  CHECK(pool.allocate() == std::uint16_t{40000}); // wraps round to it
  CHECK_FALSE(pool.allocate().has_value());
}

TEST_CASE("stray and double releases are ignored and counted", "[rtp][port_pool]") {
  port_pool pool(40000, 40009);
  const auto port = pool.allocate();
  REQUIRE(port == std::uint16_t{40000});
  CHECK(pool.release(40000));
  CHECK_FALSE(pool.release(40000)); // double
  CHECK_FALSE(pool.release(40002)); // never allocated
  CHECK_FALSE(pool.release(40001)); // odd
  CHECK_FALSE(pool.release(39998)); // below the range
  CHECK_FALSE(pool.release(40010)); // above the pairs
  CHECK(pool.stray_releases() == 5);
  CHECK(pool.available() == 5);
  CHECK(pool.in_use() == 0);
}

TEST_CASE("a lease releases its pair on scope exit, once", "[rtp][port_pool]") {
  port_pool pool(40000, 40009);
  {
    auto a = pool.lease();
    REQUIRE(a.has_value());
    CHECK(a->held());
    CHECK(a->rtp_port() == 40000);
    CHECK(a->rtcp_port() == 40001);
    CHECK(pool.available() == 4);

    port_lease b = std::move(*a);
    CHECK_FALSE(a->held()); // NOLINT(bugprone-use-after-move): moved-from state
    CHECK(b.held());
    CHECK(pool.available() == 4);

    auto c = pool.lease();
    REQUIRE(c.has_value());
    b = std::move(*c); // b's old pair goes back
    CHECK(b.rtp_port() == 40002);
    CHECK(pool.available() == 4);

    b.release();
    CHECK_FALSE(b.held());
    CHECK(pool.available() == 5);
  }
  CHECK(pool.available() == 5);
  CHECK(pool.stray_releases() == 0);
}

TEST_CASE("quarantined pairs stay out for the pool's lifetime", "[rtp][port_pool]") {
  port_pool pool(40000, 40009);
  CHECK(pool.quarantine(40002)); // free pair
  CHECK(pool.available() == 4);
  CHECK_FALSE(pool.quarantine(40003)); // its RTCP port: same pair, already out
  CHECK_FALSE(pool.quarantine(50000));

  auto held = pool.lease();
  REQUIRE(held.has_value());
  CHECK(held->rtp_port() == 40000);
  CHECK(pool.quarantine(40001)); // RTCP bind of an allocated pair failed
  held.reset();                  // the lease's release is then ignored
  CHECK(pool.quarantined() == 2);
  CHECK(pool.available() == 3);
  CHECK(pool.capacity() == 5);
  CHECK(pool.stray_releases() == 0);

  std::set<std::uint16_t> seen;
  while (const auto port = pool.allocate())
    seen.insert(*port);
  CHECK(seen == std::set<std::uint16_t>{40004, 40006, 40008});
}

TEST_CASE("lease_bound quarantines pairs that cannot be bound", "[rtp][port_pool]") {
  port_pool pool(40000, 40009);
  std::vector<std::uint16_t> tried;
  const auto busy_below_40004 = [&](std::uint16_t port) {
    tried.push_back(port);
    return port >= 40004;
  };
  auto held = pool.lease_bound(busy_below_40004, 4);
  REQUIRE(held.has_value());
  CHECK(held->rtp_port() == 40004);
  CHECK(tried == std::vector<std::uint16_t>{40000, 40002, 40004});
  CHECK(pool.quarantined() == 2);

  const auto never = [](std::uint16_t) { return false; };
  CHECK_FALSE(pool.lease_bound(never, 1).has_value());
  CHECK(pool.quarantined() == 3);
  CHECK(pool.available() == 1);
}

TEST_CASE("two threads never get the same pair", "[rtp][port_pool]") {
  port_pool pool(40000, 40015); // 8 pairs for two threads holding up to 3 each
  std::mutex mutex;
  std::set<std::uint16_t> out; // pairs handed out and not yet released
  int doubles = 0;
  int allocations = 0;

  const auto worker = [&] {
    std::deque<std::uint16_t> held;
    for (int i = 0; i < 5000; ++i) {
      if (held.size() < 3 && i % 4 != 3) {
        if (const auto port = pool.allocate()) {
          std::lock_guard lock(mutex);
          ++allocations;
          if (!out.insert(*port).second)
            ++doubles;
          held.push_back(*port);
        }
      } else if (!held.empty()) {
        const auto port = held.front();
        held.pop_front();
        {
          std::lock_guard lock(mutex);
          out.erase(port); // before the pool may hand it out again
        }
        pool.release(port);
      }
    }
    for (const auto port : held) {
      {
        std::lock_guard lock(mutex);
        out.erase(port);
      }
      pool.release(port);
    }
  };
  std::thread a(worker);
  std::thread b(worker);
  a.join();
  b.join();

  CHECK(doubles == 0);
  CHECK(allocations > 1000);
  CHECK(out.empty());
  CHECK(pool.available() == pool.capacity());
  CHECK(pool.stray_releases() == 0);
  CHECK(pool.exhaustions() == 0);
}
