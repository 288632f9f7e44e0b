#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "sim/event_queue.hpp"
#include "sim/link_model.hpp"

namespace ringdown::sim {

/// Why the simulated network lost a packet.
enum class drop_reason : std::uint8_t {
  loss,            ///< the link's loss probability
  partition,       ///< the direction is blocked (at send or at arrival)
  dead_node,       ///< the receiver is killed when the packet arrives
  unknown_address, ///< no node has the destination address
  overflow,        ///< too many packets in flight or held
};
inline constexpr std::size_t drop_reasons = 5;
[[nodiscard]] std::string_view to_string(drop_reason r) noexcept;

/// What the network counted so far.
struct network_counters {
  std::uint64_t sent = 0;
  std::uint64_t delivered = 0;
  std::uint64_t duplicated = 0;
  std::uint64_t reordered = 0;
  std::uint64_t held = 0; ///< packets a clog held at least once
  std::array<std::uint64_t, drop_reasons> dropped{};
  [[nodiscard]] std::uint64_t dropped_total() const noexcept;
};

/// What happens to one sent packet: dropped (with a reason), or delivered
/// after `delays[0]` and, when duplicated, again after `delays[1]`.
struct route_plan {
  std::optional<drop_reason> dropped;
  std::uint8_t copies = 0;
  std::array<duration, 2> delays{};
};

/// The simulated network between the nodes of one world: addresses
/// ("host:port"), per-link behaviour (latency, loss, duplication,
/// reordering), partitions (per direction: symmetric, asymmetric,
/// isolation, split by zone) and clogs (packets held until the clog ends).
/// Decides the fate of packets; the world carries them. Every random draw
/// comes from the world's `rng`. Owned by the world; the simulator's thread.
class sim_network {
public:
  static constexpr std::size_t nodes_max = 1024;

  explicit sim_network(rng& r) : rng_{r} {}

  /// A new node; its address must be unique. Returns its id (0, 1, ...).
  node_id add_node(std::string address, std::string zone);
  [[nodiscard]] std::optional<node_id> find(std::string_view address) const;
  [[nodiscard]] const std::string& address(node_id n) const;
  [[nodiscard]] const std::string& zone(node_id n) const;
  [[nodiscard]] std::size_t size() const noexcept { return addresses_.size(); }

  /// The behaviour of every link without one of its own.
  void set_default(const link_model& m) { default_ = m; }
  [[nodiscard]] const link_model& default_link() const noexcept { return default_; }
  /// The behaviour of the direction from -> to.
  void set_link(node_id from, node_id to, const link_model& m);
  [[nodiscard]] const link_model& link(node_id from, node_id to) const;

  /// Blocks from -> to only (an asymmetric partition).
  void block(node_id from, node_id to);
  /// Blocks both directions between every node of `a` and every node of `b`.
  void partition(std::span<const node_id> a, std::span<const node_id> b);
  /// Blocks every direction into and out of `n`.
  void isolate(node_id n);
  /// Blocks both directions between nodes of different zones.
  void split_zones();
  /// Removes every block.
  void heal();
  [[nodiscard]] bool blocked(node_id from, node_id to) const;

  /// Holds packets on from -> to until `until` (a later clog extends it).
  void clog_link(node_id from, node_id to, time_point until);
  /// Holds packets `n` sends (`out`) and/or receives (`in`) until `until`.
  void clog_node(node_id n, bool out, bool in, time_point until);
  /// Ends every clog now.
  void unclog_all();
  /// When the clog on from -> to ends, if it lasts past `now`.
  [[nodiscard]] std::optional<time_point> clogged_until(node_id from, node_id to,
                                                        time_point now) const;

  /// Draws the fate of one packet sent now on from -> to and counts it.
  [[nodiscard]] route_plan route(node_id from, node_id to);
  void count_delivered() noexcept { ++counters_.delivered; }
  void count_held() noexcept { ++counters_.held; }
  void count_dropped(drop_reason r) noexcept;
  void count_sent() noexcept { ++counters_.sent; }
  [[nodiscard]] const network_counters& counters() const noexcept { return counters_; }

private:
  [[nodiscard]] std::size_t at(node_id from, node_id to) const;

  rng& rng_;
  link_model default_;
  std::vector<std::string> addresses_;
  std::vector<std::string> zones_;
  std::vector<std::optional<link_model>> links_; ///< n*n, [from * n + to]
  std::vector<std::uint8_t> blocked_;            ///< n*n
  std::vector<time_point> clog_link_;            ///< n*n
  std::vector<time_point> clog_out_;             ///< per node
  std::vector<time_point> clog_in_;              ///< per node
  network_counters counters_;
};

} // namespace ringdown::sim
