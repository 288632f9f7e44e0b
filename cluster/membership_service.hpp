#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "cluster/member.hpp"
#include "cluster/swim_types.hpp"

namespace boost::asio {
class io_context;
} // namespace boost::asio

namespace ringdown::cluster {

/// What a node's membership needs: its own record (id, zone, addresses;
/// addresses.cluster is where the UDP socket binds), the SWIM knobs and
/// the cluster key every packet is authenticated with (HMAC-SHA256).
struct membership_settings {
  member self;
  swim_config swim;
  std::vector<std::uint8_t> key;
};

/// Datagram-level counters of the shell (the protocol's own are in
/// swim_counters).
struct membership_io_counters {
  std::uint64_t send_errors = 0;    ///< send_to failed (would block, unreachable)
  std::uint64_t receive_errors = 0; ///< receive failed
  std::uint64_t bad_addresses = 0;  ///< a send to something not an IP literal host:port
};

/// The SWIM membership of one node on the network: a UDP socket on
/// settings.self.addresses.cluster, a timer, and the swim_stm they drive
/// (every datagram, up to 1500 bytes, into receive(); the timer at
/// out.next_wakeup into tick(); out.sends sent at once, non-blocking).
/// Every membership event is logged on the "cluster" logger as one line:
///   member node-2 (zone london, 127.0.0.12:7946) joined
/// with `joined`, `suspected`, `failed`, `left`, `alive again` (a refuted
/// suspicion) or `updated`. Dropped packets are logged at warn on the
/// 1st, 2nd, 4th, 8th... drop of each kind.
///
/// Owned by ringdownd's run(); every entry point except members() and
/// counters() must be called on the io_context's thread (the one running
/// it). members() and counters() copy a snapshot under a mutex and may be
/// called from any thread.
class membership_service {
public:
  /// Nothing happens until start(); `clk` outlives the service, `seed`
  /// seeds its own rng.
  membership_service(boost::asio::io_context& io, const clock& clk,
                     membership_settings settings, std::uint64_t seed);
  ~membership_service();
  membership_service(const membership_service&) = delete;
  membership_service& operator=(const membership_service&) = delete;

  /// Binds the socket and joins through `seeds` (cluster addresses; ours
  /// and duplicates are skipped; none: the first node of a cluster).
  /// False with `error` set when the socket cannot be bound.
  bool start(const std::vector<std::string>& seeds, std::string& error);
  /// Graceful leave: tells every live member (the datagrams are handed to
  /// the kernel before this returns, so the flush is bounded by the
  /// member count), then stops. Harmless when not started or stopped.
  void leave();
  /// Stops without a word: closes the socket, cancels the timer.
  void stop();

  /// Called on the io_context's thread after the events of one datagram
  /// or timer tick are logged and the snapshot refreshed (members() shows
  /// them). Set before the io_context runs.
  void on_change(std::function<void(const std::vector<swim_event>&)> handler);

  /// A copy of the members table (self included, tombstones too).
  [[nodiscard]] std::vector<member> members() const;
  [[nodiscard]] swim_counters counters() const;
  [[nodiscard]] membership_io_counters io_counters() const;
  /// The counters as one `name=value ...` line.
  [[nodiscard]] std::string summary() const;

private:
  class impl;
  std::unique_ptr<impl> impl_;
};

/// The log line of one event, without the logger's prefix:
/// `member node-2 (zone london, 127.0.0.12:7946) failed`. `m` may be null
/// when the member is unknown (then zone and address are "?").
std::string describe_event(const swim_event& e, const member* m);

} // namespace ringdown::cluster
