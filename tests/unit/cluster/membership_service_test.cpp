#include <chrono>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "base/clock.hpp"
#include "cluster/membership_service.hpp"

using namespace ringdown;
using namespace ringdown::cluster;

namespace {

membership_settings settings_of(const std::string& id, const std::string& address,
                                std::vector<std::uint8_t> key) {
  membership_settings s;
  s.self.id = id;
  s.self.zone = "london";
  s.self.addresses.cluster = address;
  s.self.addresses.sip = "127.0.0.1:5060";
  s.key = std::move(key);
  return s;
}

/// Runs `io` until `done()` or `handlers_max` handlers ran; loopback UDP
/// delivers at send time, so no timer has to fire.
template <typename Done>
bool run_until(boost::asio::io_context& io, Done done, int handlers_max = 200) {
  for (int i = 0; i < handlers_max && !done(); ++i)
    if (io.run_one_for(std::chrono::milliseconds{200}) == 0)
      break;
  return done();
}

} // namespace

TEST_CASE("describe_event gives the line the system tests read", "[cluster][service]") {
  member m;
  m.id = "node-2";
  m.zone = "london";
  m.addresses.cluster = "127.0.0.12:7946";
  CHECK(describe_event({swim_event::failed, "node-2"}, &m) ==
        "member node-2 (zone london, 127.0.0.12:7946) failed");
  CHECK(describe_event({swim_event::refuted, "node-2"}, &m) ==
        "member node-2 (zone london, 127.0.0.12:7946) alive again");
  CHECK(describe_event({swim_event::joined, "node-2"}, &m).ends_with(") joined"));
  CHECK(describe_event({swim_event::suspected, "node-2"}, &m).ends_with(") suspected"));
  CHECK(describe_event({swim_event::left, "node-2"}, &m).ends_with(") left"));
  CHECK(describe_event({swim_event::left, "node-9"}, nullptr) ==
        "member node-9 (zone ?, ?) left");
}

TEST_CASE("two services on loopback join, leave and refuse another key",
          "[cluster][service]") {
  boost::asio::io_context io;
  manual_clock clk;
  const std::vector<std::uint8_t> key(16, 0x5a);
  membership_service a{io, clk, settings_of("node-a", "127.0.0.1:17946", key), 1};
  membership_service b{io, clk, settings_of("node-b", "127.0.0.1:17947", key), 2};
  std::string error;
  REQUIRE(a.start({"127.0.0.1:17946"}, error)); // its own address: skipped
  REQUIRE(b.start({"127.0.0.1:17946"}, error));
  const auto live = [](const membership_service& s) {
    std::size_t n = 0;
    for (const auto& m : s.members())
      n += is_live(m.state) ? 1 : 0;
    return n;
  };
  REQUIRE(run_until(io, [&] { return live(a) == 2 && live(b) == 2; }));
  CHECK(a.counters().packets_in > 0);
  CHECK(a.counters().dropped_bad_mac == 0);

  // A node with another key is dropped and counted, never admitted.
  membership_service c{
      io, clk,
      settings_of("node-c", "127.0.0.1:17948", std::vector<std::uint8_t>(16, 0x33)), 3};
  REQUIRE(c.start({"127.0.0.1:17946"}, error));
  REQUIRE(run_until(io, [&] { return a.counters().dropped_bad_mac >= 1; }));
  CHECK(live(a) == 2);
  c.stop();

  // A second bind of the same address fails with a message.
  membership_service d{io, clk, settings_of("node-d", "127.0.0.1:17946", key), 4};
  CHECK_FALSE(d.start({}, error));
  CHECK_THAT(error, Catch::Contains("cannot bind the cluster socket on 127.0.0.1:17946"));

  b.leave();
  REQUIRE(run_until(io, [&] {
    const auto ms = a.members();
    for (const auto& m : ms)
      if (m.id == "node-b")
        return m.state == member_state::left;
    return false;
  }));
  CHECK(a.summary().find("dropped_bad_mac=") != std::string::npos);
  a.stop();
}
