#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "cluster/broadcast_queue.hpp"
#include "cluster/members_table.hpp"
#include "cluster/suspicion.hpp"
#include "cluster/swim_codec.hpp"
#include "cluster/swim_types.hpp"

namespace ringdown::cluster {

/// SWIM membership of one node as a pure state machine: no sockets, no
/// threads, no clock reads; time comes in as `now`, randomness from the
/// injected rng, packets out as swim_output.sends. Owned by the node's
/// cluster shell (Asio in production, the simulator in tests), which calls
/// it from one thread.
///
/// Failure detection (Das et al. 2002 §3, §4.3): every probe interval the
/// next member of a randomised round-robin (shuffled each round, new
/// members inserted at random places) gets a ping; without an ack within
/// the probe timeout, k others get a ping-req and ping it for us; without
/// any ack by the end of the interval, or once every one of them nacked,
/// it is suspected (§4.2). Suspicion
/// (Lifeguard §IV-B) turns into dead after a timeout that shrinks with
/// independent confirmations. Incarnations (§4.2): a member told it is
/// suspect, dead or left refutes with a higher incarnation; alive(i)
/// overrides suspect(j) iff i > j; suspect(i) overrides alive(j) iff i >= j;
/// dead and left override both and stay as tombstones for
/// dead_retention_ms, so late gossip cannot resurrect them, until the
/// member itself comes back with a higher incarnation.
/// Local health (Lifeguard §IV-A): a missed ack or nack raises our
/// awareness, a successful probe or ack lowers it, being suspected raises
/// it; probe interval and timeout, and (a Ringdown addition) our own
/// suspicion timeouts, stretch by (awareness + 1). Buddy system (Lifeguard
/// §IV-C): a ping to a suspect carries its suspicion first, and a member
/// that hears of a suspicion raised by another probes the suspect at once,
/// out of turn (a Ringdown addition): a live suspect refutes in its ack,
/// a crashed one is confirmed within a probe timeout or two, so the
/// suspicion timeout can start long and still end short.
/// Dissemination (§4.1, §4.4): updates ride on every packet but push-pull,
/// newest and least sent first, a bounded number of times
/// (broadcast_queue), never telling a member of its own liveness; while
/// any are queued, a gossip timer (as memberlist's) sends them to a few
/// random members every gossip interval, so news travels a hop in tens of
/// ms rather than a probe interval; a refutation leaves at once, to the
/// accuser and a few random members, and so do a new suspicion and a new
/// confirmation (they race to shorten the suspicion timeout); a joiner
/// announces itself; a member that hears a stale suspicion of itself
/// repeats its alive record. Push-pull: on join through the seeds, every
/// push_pull_interval_ms with one random alive or dead member (so that
/// partitions heal), and with any member that writes to us while unknown
/// or held dead, full member lists are exchanged (dead ones are taken as
/// suspect). Packets are authenticated (swim_codec); bad ones are dropped
/// and counted.
///
/// Driving it: call join() once (no seeds for the first node), feed every
/// datagram to receive(), call tick() at out.next_wakeup (early or late is
/// harmless), leave() at shutdown.
class swim_stm {
public:
  static constexpr std::size_t relays_max = 64; ///< ping-reqs served at once
  static constexpr std::size_t seeds_max = 16;

  swim_stm(member self, swim_config config, std::vector<std::uint8_t> cluster_key,
           rng& gen);

  /// Starts the timers and asks every seed (cluster addresses) for its
  /// member list; repeats every join_retry_ms while no other member is
  /// alive. The first node of a cluster passes no seed.
  void join(std::vector<std::string> seed_addresses, time_point now, swim_output& out);
  /// One datagram from `from_address`.
  void receive(std::string_view from_address, std::span<const std::uint8_t> bytes,
               time_point now, swim_output& out);
  /// Timers; harmless when called early.
  void tick(time_point now, swim_output& out);
  /// Graceful leave: tells every live member, then stays silent.
  void leave(time_point now, swim_output& out);

  [[nodiscard]] const members_table& members() const noexcept { return table_; }
  [[nodiscard]] const swim_counters& counters() const noexcept { return counters_; }
  [[nodiscard]] const member& self() const;
  [[nodiscard]] std::uint32_t awareness() const noexcept { return awareness_; }
  [[nodiscard]] const swim_config& config() const noexcept { return config_; }
  [[nodiscard]] bool has_left() const noexcept { return left_; }
  /// The pending piggy-back queue (tests look at dissemination).
  [[nodiscard]] const broadcast_queue& broadcasts() const noexcept { return broadcasts_; }
  /// The Lifeguard suspicion timer of `id`, if it is suspect.
  [[nodiscard]] const suspicion* suspicion_of(std::string_view id) const noexcept;

private:
  struct probe_state {
    std::string target_id;
    std::string target_address;
    std::uint32_t seq = 0;
    time_point indirect_at;
    time_point deadline;
    bool indirect_sent = false;
    std::uint32_t nacks_expected = 0;
    std::uint32_t nacks_received = 0;
  };
  struct relay {
    std::uint32_t seq = 0; ///< of our ping to the target
    std::uint32_t requester_seq = 0;
    std::string requester_address;
    std::string requester_id;
    time_point nack_at;
  };

  // swim_probe.cpp: failure detection.
  void start_probe(time_point now, swim_output& out);
  /// Probes probe_next_ now unless a probe is in flight (then at the next
  /// probe tick); the probe cadence restarts from now.
  void probe_suspect_now(time_point now, swim_output& out);
  void probe_timers(time_point now, swim_output& out);
  void on_ack(std::uint32_t seq, swim_output& out);
  void on_nack(std::uint32_t seq, time_point now, swim_output& out);
  /// The probe got no ack: suspect its target.
  void fail_probe(time_point now, swim_output& out);
  void on_ping_req(std::string_view from_address, const swim_message& m, time_point now,
                   swim_output& out);
  void adjust_awareness(int delta);
  [[nodiscard]] duration scaled(std::uint32_t ms) const noexcept;
  void random_live(std::size_t k, std::string_view exclude, bool alive_only,
                   std::vector<const member*>& out);
  void add_to_probe_order(const std::string& id);

  // swim_merge.cpp: applying updates (SWIM §4.2 and §4.4).
  void apply(const swim_update& u, time_point now, swim_output& out);
  void merge_remote(const member& m, std::string_view from, time_point now,
                    swim_output& out);
  void on_alive(const swim_update& u, swim_output& out);
  void on_suspect(const swim_update& u, time_point now, swim_output& out);
  void on_gone(const swim_update& u, time_point now, swim_output& out);
  void suspect(member& m, std::string_view from, time_point now, swim_output& out);
  void refute(std::uint64_t heard, std::string_view accuser, swim_output& out);
  void urge_refutation(std::string_view accuser);
  /// The news just queued goes out at the end of this call, not at the
  /// next gossip tick.
  void urge_gossip() noexcept { urgent_pending_ = true; }
  void gossip(const member& m, std::string_view from);
  void collect_garbage(time_point now);

  // swim_gossip.cpp: the gossip timer and immediate refutations.
  [[nodiscard]] duration gossip_interval() const noexcept;
  /// Every gossip interval while updates are queued.
  void gossip_timer(time_point now, swim_output& out);
  /// Sends queued updates to gossip_nodes random members (live, or dead
  /// for less than gossip_to_dead_ms) and to `also_id` if known.
  void gossip_now(time_point now, std::string_view also_id, swim_output& out);
  /// A refutation, suspicion or confirmation queued during this call goes
  /// out now (to the accuser first, if a refutation named one).
  void flush_urgent(time_point now, swim_output& out);

  // swim_stm.cpp: sending and the timers.
  /// Encodes `m` with `members` (push-pull, which carries no gossip) or
  /// piggy-backs `lead` then the queued updates, as many as fit, for
  /// member `to_id` (empty if unknown) at `to`.
  encode_result send(swim_message& m, std::span<const member> members, std::string_view to,
                     std::string_view to_id, swim_output& out,
                     const swim_update* lead = nullptr);
  void send_push_pull(std::string_view to, bool request, bool join, swim_output& out);
  void push_pull_target(std::vector<const member*>& out);
  [[nodiscard]] std::uint32_t retransmit_limit() const noexcept;
  void set_wakeup(swim_output& out) const;
  /// Arms the probe and push-pull timers if not yet (a node may be driven
  /// by receive() or tick() without a join()).
  void start_timers(time_point now);
  member& me();

  swim_config config_;
  std::vector<std::uint8_t> key_;
  rng& gen_;
  std::string self_id_;
  members_table table_;
  broadcast_queue broadcasts_;
  swim_counters counters_;

  std::vector<std::string> probe_order_;
  std::size_t probe_index_ = 0;
  std::optional<probe_state> probe_;
  /// A member another one suspects, probed out of turn (see swim_probe.cpp).
  std::string probe_next_;
  std::vector<relay> relays_;
  std::map<std::string, suspicion, std::less<>> suspicions_;
  std::map<std::string, time_point, std::less<>> gone_since_; ///< tombstones

  std::vector<std::string> seeds_;
  std::optional<time_point> next_probe_at_;
  std::optional<time_point> next_push_pull_at_;
  std::optional<time_point> next_join_at_;
  std::optional<time_point> next_gossip_at_;
  bool urgent_pending_ = false;
  std::string refute_to_; ///< the accuser to answer directly, if known
  std::optional<time_point> last_stranger_sync_;
  std::uint32_t seq_ = 0;
  std::uint32_t awareness_ = 0; ///< 0 .. awareness_max - 1
  bool left_ = false;

  swim_message rx_; ///< scratch, capacity reused
  std::vector<swim_update> piggyback_;
  std::vector<member> members_scratch_;
  std::vector<const member*> picked_;
  std::vector<const member*> gossip_to_;
};

} // namespace ringdown::cluster
