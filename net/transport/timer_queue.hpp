#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "base/clock.hpp"

namespace boost::asio {
class io_context;
} // namespace boost::asio

namespace ringdown::transport {

/// Deadlines on the I/O thread: one Asio steady_timer per armed deadline.
/// Used to feed transaction timers (RFC 3261 §17) back into the
/// transaction table. Owned by the `sip_stack`; single-threaded. A callback
/// never runs after `cancel(id)` or after the queue is destroyed.
class timer_queue {
public:
  using timer_id = std::uint64_t;

  explicit timer_queue(boost::asio::io_context& io);
  ~timer_queue();
  timer_queue(const timer_queue&) = delete;
  timer_queue& operator=(const timer_queue&) = delete;

  /// Calls `fn` once after `delay` (clamped at 0); returns an id for cancel.
  timer_id arm(duration delay, std::function<void()> fn);
  /// Cancels a pending timer; unknown or fired ids are ignored.
  void cancel(timer_id id);
  /// Cancels everything.
  void cancel_all();
  [[nodiscard]] std::size_t pending() const noexcept;

private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

} // namespace ringdown::transport
