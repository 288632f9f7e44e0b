#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "base/clock.hpp"
#include "base/random.hpp"

namespace ringdown::sim {

/// What a simulated node knows about itself when its process is created.
struct node_info {
  std::string name;
  std::string address; ///< "host:port", unique in the world
  std::string zone;
  std::vector<std::string> seeds; ///< addresses of the topology's seed nodes
  std::uint64_t seed = 0;         ///< for the process's own rng, drawn from the run seed
  std::uint32_t incarnation = 0;  ///< 0 at first start, +1 per restart
};

/// The world as one process sees it while it runs: virtual time, the
/// network, its single wake-up timer, the run's rng and the trace. Valid
/// only during the call that received it. The simulator's thread.
class context {
public:
  virtual ~context() = default;
  [[nodiscard]] virtual time_point now() const = 0;
  [[nodiscard]] virtual const node_info& self() const = 0;
  /// Sends `bytes` (copied) to the node at `to` through the simulated network.
  virtual void send(std::string_view to, std::span<const std::uint8_t> bytes) = 0;
  /// Arms the process's one wake-up at `at` (now if earlier), replacing
  /// any pending one.
  virtual void wake_at(time_point at) = 0;
  /// Disarms the pending wake-up, if any.
  virtual void cancel_wakeup() = 0;
  /// The run's generator: every draw here is part of the replay.
  virtual ringdown::rng& rng() = 0;
  /// Appends a line to the run's trace (and its hash).
  virtual void trace_line(std::string_view text) = 0;

  template <class... Args>
  void trace(fmt::format_string<Args...> f, Args&&... args) {
    trace_line(fmt::format(f, std::forward<Args>(args)...));
  }
};

/// One simulated node's protocol logic: a pure machine driven by the
/// world. It reacts to its start, to packets and to its wake-up, and acts
/// only through the context. A kill destroys it (stop() first, then no
/// more calls); a restart creates a new one through the world's factory.
/// A machine with join/receive/tick/leave entry points filling an output
/// of sends and a next wake-up plugs in as-is through stm_process
/// (sim/stm_process.hpp). Owned by the world; the simulator's thread.
class process {
public:
  virtual ~process() = default;
  /// The node starts (or restarts): join the cluster, arm a wake-up.
  virtual void start(context& ctx) = 0;
  /// A packet from the node at `from` arrived.
  virtual void receive(context& ctx, std::string_view from,
                       std::span<const std::uint8_t> bytes) = 0;
  /// The wake-up armed by wake_at fired.
  virtual void wakeup(context& ctx) = 0;
  /// The node leaves the cluster gracefully (a `leave` fault): it may send
  /// its goodbyes; a kill (stop()) follows at once, its packets still go.
  virtual void leave(context& /*ctx*/) {}
  /// The node is killed: nothing may be sent any more.
  virtual void stop() {}
};

/// Creates the process of a node at its start and at every restart.
using process_factory = std::function<std::unique_ptr<process>(const node_info&)>;

} // namespace ringdown::sim
