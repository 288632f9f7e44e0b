#include "net/transport/timer_queue.hpp"

#include <map>
#include <unordered_map>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace ringdown::transport {

// One Asio timer serves every deadline: it waits for the earliest one. A
// timer per deadline cost ~270 bytes each (the timer, its wait operation
// and a map node), and each transaction of a call holds one for 32 s
// (RFC 6026 Timers L and M).
struct timer_queue::impl {
  using clock = boost::asio::steady_timer::clock_type;
  explicit impl(boost::asio::io_context& context) : timer(context) {}
  boost::asio::steady_timer timer;
  timer_id next_id = 1;
  /// By deadline, then id (arming order among equal deadlines).
  std::map<std::pair<clock::time_point, timer_id>, std::function<void()>> queue;
  std::unordered_map<timer_id, clock::time_point> deadlines; ///< of `queue`'s entries
  bool waiting = false;            ///< an async_wait is outstanding
  clock::time_point waiting_for{}; ///< its expiry, when `waiting`

  /// Makes the outstanding wait (if any) end no later than the earliest deadline.
  static void wait(const std::shared_ptr<impl>& self);
  static void on_expiry(const std::weak_ptr<impl>& weak,
                        const boost::system::error_code& ec);
};

void timer_queue::impl::wait(const std::shared_ptr<impl>& self) {
  if (self->queue.empty())
    return;
  const auto first = self->queue.begin()->first.first;
  if (self->waiting && self->waiting_for <= first)
    return;
  // Re-setting the expiry aborts an outstanding wait (its handler sees
  // operation_aborted and does nothing); one wait is outstanding after.
  self->timer.expires_at(first);
  self->waiting = true;
  self->waiting_for = first;
  std::weak_ptr<impl> weak = self;
  self->timer.async_wait(
      [weak](const boost::system::error_code& ec) { on_expiry(weak, ec); });
}

void timer_queue::impl::on_expiry(const std::weak_ptr<impl>& weak,
                                  const boost::system::error_code& ec) {
  auto self = weak.lock();
  if (ec || !self)
    return; // superseded by an earlier deadline, or the queue is gone
  self->waiting = false;
  const auto now = clock::now();
  // One at a time: a callback may arm or cancel timers.
  while (!self->queue.empty() && self->queue.begin()->first.first <= now) {
    auto node = self->queue.extract(self->queue.begin());
    self->deadlines.erase(node.key().second);
    node.mapped()();
  }
  wait(self);
}

timer_queue::timer_queue(boost::asio::io_context& io) : impl_(std::make_shared<impl>(io)) {}

timer_queue::~timer_queue() {
  cancel_all();
}

timer_queue::timer_id timer_queue::arm(duration delay, std::function<void()> fn) {
  if (delay < duration::zero())
    delay = duration::zero();
  const timer_id id = impl_->next_id++;
  const auto at =
      impl::clock::now() + std::chrono::duration_cast<impl::clock::duration>(delay);
  impl_->queue.emplace(std::pair{at, id}, std::move(fn));
  impl_->deadlines.emplace(id, at);
  impl::wait(impl_);
  return id;
}

void timer_queue::cancel(timer_id id) {
  const auto it = impl_->deadlines.find(id);
  if (it == impl_->deadlines.end())
    return;
  impl_->queue.erase(std::pair{it->second, id});
  impl_->deadlines.erase(it);
  // An outstanding wait for a cancelled deadline wakes up to nothing due.
}

void timer_queue::cancel_all() {
  impl_->queue.clear();
  impl_->deadlines.clear();
  impl_->timer.cancel();
  impl_->waiting = false;
}

std::size_t timer_queue::pending() const noexcept {
  return impl_->deadlines.size();
}

} // namespace ringdown::transport
