#include "net/transport/timer_queue.hpp"

#include <unordered_map>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace ringdown::transport {

struct timer_queue::impl {
  explicit impl(boost::asio::io_context& context) : io(context) {}
  boost::asio::io_context& io;
  timer_id next_id = 1;
  std::unordered_map<timer_id, std::unique_ptr<boost::asio::steady_timer>> timers;
};

timer_queue::timer_queue(boost::asio::io_context& io) : impl_(std::make_shared<impl>(io)) {}

timer_queue::~timer_queue() {
  cancel_all();
}

timer_queue::timer_id timer_queue::arm(duration delay, std::function<void()> fn) {
  if (delay < duration::zero())
    delay = duration::zero();
  const timer_id id = impl_->next_id++;
  auto timer = std::make_unique<boost::asio::steady_timer>(impl_->io);
  timer->expires_after(delay);
  std::weak_ptr<impl> weak = impl_;
  timer->async_wait([weak, id, fn = std::move(fn)](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (ec || !self)
      return; // cancelled, or the queue is gone
    auto it = self->timers.find(id);
    if (it == self->timers.end())
      return;
    self->timers.erase(it);
    fn();
  });
  impl_->timers.emplace(id, std::move(timer));
  return id;
}

void timer_queue::cancel(timer_id id) {
  auto it = impl_->timers.find(id);
  if (it == impl_->timers.end())
    return;
  it->second->cancel();
  impl_->timers.erase(it);
}

void timer_queue::cancel_all() {
  for (auto& [id, timer] : impl_->timers)
    timer->cancel();
  impl_->timers.clear();
}

std::size_t timer_queue::pending() const noexcept {
  return impl_->timers.size();
}

} // namespace ringdown::transport
