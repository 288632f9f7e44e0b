#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "sim/check.hpp"
#include "sim/event_queue.hpp"
#include "sim/network.hpp"
#include "sim/packet_store.hpp"
#include "sim/process.hpp"
#include "sim/trace_log.hpp"

namespace ringdown::sim {

/// A node of the topology: unique name and address, and its zone.
struct node_spec {
  std::string name;
  std::string address;
  std::string zone;
};

/// A check that failed: which, why, and when (virtual time since start).
struct check_failure {
  std::string check;
  std::string message;
  duration at{};
};

/// The limits of one world.
struct world_limits {
  std::size_t queue_events_max = event_queue::default_events_max;
  std::size_t trace_lines_max = trace_log::default_lines_max;
  std::size_t packets_in_flight_max = std::size_t{1} << 20;
  std::size_t packets_held_max = std::size_t{1} << 20;
  std::size_t packet_bytes_max = 65'507; ///< a UDP datagram's payload
  std::uint64_t run_events_max = 50'000'000;
};

/// One simulated cluster: a virtual clock, the run's seeded rng, the
/// simulated network, one process per node and the event queue that drives
/// them, one event at a time in (time, sequence) order. Every event is
/// written to the trace, whose hash identifies the run: the same seed and
/// scenario give the same hash. Faults and checks are scheduled events;
/// checks are registered by name by the protocol under test. Owned by the
/// runner (or a test); single-threaded.
class world {
public:
  world(std::uint64_t seed, process_factory factory, world_limits limits = {});
  ~world();
  world(const world&) = delete;
  world& operator=(const world&) = delete;

  node_id add_node(node_spec spec);
  /// The seed nodes' addresses every process is given in its node_info.
  void set_seeds(std::vector<std::string> addresses) { seeds_ = std::move(addresses); }
  /// A node by name or address.
  [[nodiscard]] std::optional<node_id> find_node(std::string_view name_or_address) const;
  [[nodiscard]] std::size_t size() const noexcept { return nodes_.size(); }
  [[nodiscard]] const node_info& info(node_id n) const;
  [[nodiscard]] bool alive(node_id n) const;
  /// The node's process; nullptr while it is dead.
  [[nodiscard]] process* get(node_id n);
  [[nodiscard]] const process* get(node_id n) const;

  /// Starts every node never started, in the order they were added.
  void start_all();
  /// Creates and starts the node's process (it must be dead).
  void start(node_id n);
  /// Stops the node: its process is destroyed, its wake-up dropped, and
  /// packets that reach it from now on are lost.
  void kill(node_id n);
  /// A graceful departure: the process's leave() (its goodbyes go out),
  /// then a kill.
  void leave(node_id n);
  /// Kills the node if alive, then starts a new process (incarnation + 1).
  void restart(node_id n);

  [[nodiscard]] sim_network& network() noexcept { return network_; }
  [[nodiscard]] const sim_network& network() const noexcept { return network_; }
  /// Ends every clog and delivers what they held.
  void unclog_all();

  /// Runs `action` at `at`; `what` names it in the trace.
  void schedule_fault(time_point at, std::string what, std::function<void(world&)> action);
  void add_check(std::string name, check_fn fn);
  [[nodiscard]] bool has_check(std::string_view name) const;
  /// Runs `fn` after every event from now on; its first failure is a
  /// check failure named `name` (later ones are not reported again).
  void add_invariant(std::string name, check_fn fn);
  /// Runs check `name` at `at`, then every `every` until `at + within`.
  /// Eventually (`always` false): it must pass once; it fails if it has
  /// not passed by `at + within`. Always: it must pass at every try; it
  /// fails at the first try that does not.
  void schedule_check(time_point at, std::string name, param_map params,
                      duration within = {}, duration every = std::chrono::milliseconds{10},
                      bool always = false);

  /// Runs the earliest event; false when there is none.
  bool step();
  /// Runs every event up to `end`, then sets the clock to `end`; stops
  /// early at the first check failure when stop_on_failure is set.
  void run_until(time_point end);
  void set_stop_on_failure(bool stop) noexcept { stop_on_failure_ = stop; }

  [[nodiscard]] time_point now() const noexcept { return clock_.now(); }
  [[nodiscard]] time_point start_time() const noexcept { return start_; }
  [[nodiscard]] duration elapsed() const noexcept { return now() - start_; }
  [[nodiscard]] const ringdown::clock& clock() const noexcept { return clock_; }
  [[nodiscard]] ringdown::rng& rng() noexcept { return rng_; }
  [[nodiscard]] std::uint64_t seed() const noexcept { return seed_; }
  [[nodiscard]] const trace_log& trace() const noexcept { return trace_; }
  [[nodiscard]] std::uint64_t trace_hash() const noexcept { return trace_.hash(); }
  [[nodiscard]] std::uint64_t events() const noexcept { return events_; }
  [[nodiscard]] const std::vector<check_failure>& failures() const noexcept {
    return failures_;
  }
  /// Appends "<time> <who> <kind> <text>" to the trace.
  void trace(std::string_view who, std::string_view kind, std::string_view text);

private:
  struct node;
  class node_context;
  struct fault_entry {
    std::string what;
    std::function<void(world&)> action;
  };
  struct check_entry {
    std::string name;
    param_map params;
    time_point deadline;
    duration every;
    bool always;
  };

  void send(node_id from, std::string_view to, std::span<const std::uint8_t> bytes);
  void wake_at(node_id n, std::optional<time_point> at);
  void on(const deliver_event& e);
  void on(const wakeup_event& e);
  void on(const fault_event& e);
  void on(const check_event& e);
  void on(const release_event& e);
  void fail(std::string check, std::string message);
  node& at(node_id n);
  const node& at(node_id n) const;

  std::uint64_t seed_;
  ringdown::rng rng_;
  manual_clock clock_;
  time_point start_;
  world_limits limits_;
  process_factory factory_;
  sim_network network_;
  event_queue queue_;
  packet_store packets_;
  trace_log trace_;
  std::vector<std::unique_ptr<node>> nodes_;
  std::vector<std::string> seeds_;
  std::vector<deliver_event> held_;
  std::set<time_point> releases_; ///< times a release_event is queued for
  std::vector<fault_entry> faults_;
  std::vector<check_entry> checks_;
  std::map<std::string, check_fn, std::less<>> check_fns_;
  struct invariant {
    std::string name;
    check_fn fn;
    bool failed = false;
  };
  std::vector<invariant> invariants_;
  std::vector<check_failure> failures_;
  std::vector<std::uint8_t> scratch_;
  std::string line_;
  std::uint64_t events_ = 0;
  bool stop_on_failure_ = true;
};

} // namespace ringdown::sim
