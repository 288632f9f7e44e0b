#pragma once

// The plain data that swim_stm takes and gives: its configuration, the
// datagrams and events it produces, its counters.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"

namespace ringdown::cluster {

/// Knobs of membership. Defaults suit a LAN; the simulator's benchmarks
/// run with probe_interval_ms = 100 and probe_timeout_ms = 20. Tuned in
/// the simulator (ringdown-sim --bench): members probe a suspect out of
/// turn and gossip suspicions at once, so a crash has its k confirmations
/// within a probe timeout or two and suspicion can end there (min 0),
/// while an unconfirmed suspicion lasts 5 × max(1, log10(n)) intervals,
/// ample for a refutation (memberlist waits 4 to 24).
struct swim_config {
  std::uint32_t probe_interval_ms = 1000; ///< one probe per interval (SWIM §4.3)
  std::uint32_t probe_timeout_ms = 200;   ///< direct ack wait before ping-req
  std::uint32_t indirect_checks = 3;      ///< k of ping-req (SWIM §3.1)
  /// Suspicion timeout bounds, in probe intervals × max(1, log10(n)) ×
  /// our local health multiplier (Lifeguard §IV-B; memberlist's
  /// SuspicionMult and 6× that): max with no confirmation, min with k
  /// (min 0: dead as soon as k members confirmed).
  std::uint32_t suspicion_min_mult = 0;
  std::uint32_t suspicion_max_mult = 5;
  /// An update is piggy-backed retransmit_mult × ceil(log10(n + 1)) times.
  std::uint32_t retransmit_mult = 4;
  /// Gossip timer (memberlist's GossipInterval and GossipNodes): while
  /// updates are queued, every gossip interval they go to gossip_nodes
  /// random live members and to members dead for less than
  /// gossip_to_dead_ms. Interval 0 = probe_interval_ms / 5; nodes 0 = no
  /// gossip timer (updates then ride on probe traffic only).
  std::uint32_t gossip_interval_ms = 0;
  std::uint32_t gossip_nodes = 3;
  std::uint32_t gossip_to_dead_ms = 5'000;
  std::uint32_t push_pull_interval_ms = 30'000; ///< full state sync, 0 = never
  /// Lifeguard local health (§IV-A): the multiplier of probe interval and
  /// timeout ranges over 1..awareness_max.
  std::uint32_t awareness_max = 8;
  std::uint32_t dead_retention_ms = 30'000; ///< tombstones of dead and left members
  std::uint32_t join_retry_ms = 1'000;      ///< re-ask the seeds while alone
};

/// A datagram to send to a member's cluster address ("host:port").
struct swim_send {
  std::string to_address;
  std::vector<std::uint8_t> bytes;
};

/// What membership learnt: `member_id` joined (or came back with a higher
/// incarnation), is suspected, failed (confirmed dead), left, refuted a
/// suspicion (its id, or ours when we refuted), or changed its record.
struct swim_event {
  enum kind { joined, suspected, failed, left, refuted, updated };
  kind what;
  std::string member_id;
};

std::string_view to_string(swim_event::kind k) noexcept;

/// What one entry point produced. The caller clears it between calls; the
/// state machine appends (so the vectors' capacity is reused) and sets
/// next_wakeup on every call (empty once the node has left).
struct swim_output {
  std::vector<swim_send> sends;
  std::vector<swim_event> events;
  std::optional<time_point> next_wakeup; ///< call tick() at or after this
};

/// Traffic and protocol counters of one node's membership.
struct swim_counters {
  std::uint64_t packets_in = 0, packets_out = 0, bytes_in = 0, bytes_out = 0;
  std::uint64_t dropped_bad_mac = 0, dropped_malformed = 0, dropped_too_big = 0;
  std::uint64_t probes = 0, ping_reqs = 0, nacks = 0;
  std::uint64_t suspicions = 0, deaths = 0, refutations = 0;
};

} // namespace ringdown::cluster
