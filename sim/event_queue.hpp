#pragma once

#include <cstddef>
#include <cstdint>
#include <variant>
#include <vector>

#include "base/clock.hpp"

namespace ringdown::sim {

/// Index of a simulated node in its world (and in its network).
using node_id = std::uint32_t;

/// A packet reaches `to`; its bytes wait in the world's packet store.
struct deliver_event {
  node_id from = 0;
  node_id to = 0;
  std::uint32_t slot = 0;
};

/// A process's wake-up fires, unless a later `wake_at` or a kill replaced
/// it (then `generation` no longer matches the node's and it is ignored).
struct wakeup_event {
  node_id node = 0;
  std::uint64_t generation = 0;
};

/// A scheduled fault (kill, partition...): index into the world's faults.
struct fault_event {
  std::uint32_t index = 0;
};

/// A scheduled check: index into the world's scheduled checks.
struct check_event {
  std::uint32_t index = 0;
};

/// Packets held by a clog are looked at again (the clog may have ended).
struct release_event {};

using event_body =
    std::variant<deliver_event, wakeup_event, fault_event, check_event, release_event>;

/// One entry of the queue: `body` happens at virtual time `at`; `seq`
/// (the order of scheduling) breaks ties, so equal times keep FIFO order.
struct event {
  time_point at;
  std::uint64_t seq = 0;
  event_body body;
};

/// The simulator's single event queue, ordered by (virtual time, sequence
/// number): a binary min-heap over a vector, no allocation per event once
/// the vector has grown. Holds at most `events_max` events; `push` beyond
/// that is an invariant failure (a runaway protocol). Owned by the world;
/// the simulator's one thread.
class event_queue {
public:
  static constexpr std::size_t default_events_max = std::size_t{4} << 20;

  explicit event_queue(std::size_t events_max = default_events_max)
      : events_max_{events_max} {}

  /// Schedules `body` at `at`; returns its sequence number.
  std::uint64_t push(time_point at, event_body body);
  /// The earliest event; the queue must not be empty.
  [[nodiscard]] const event& top() const;
  /// Removes and returns the earliest event; the queue must not be empty.
  event pop();

  [[nodiscard]] bool empty() const noexcept { return heap_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return heap_.size(); }
  [[nodiscard]] std::size_t events_max() const noexcept { return events_max_; }

private:
  std::vector<event> heap_;
  std::uint64_t next_seq_ = 0;
  std::size_t events_max_;
};

} // namespace ringdown::sim
