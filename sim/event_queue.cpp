#include "sim/event_queue.hpp"

#include <algorithm>

#include "base/assert.hpp"

namespace ringdown::sim {

namespace {

/// Heap order for std::push_heap (a max-heap): "a comes after b".
bool later(const event& a, const event& b) noexcept {
  if (a.at != b.at)
    return a.at > b.at;
  return a.seq > b.seq;
}

} // namespace

std::uint64_t event_queue::push(time_point at, event_body body) {
  RINGDOWN_ASSERT(heap_.size() < events_max_, "simulator event queue is full");
  const std::uint64_t seq = next_seq_++;
  heap_.push_back(event{at, seq, body});
  std::push_heap(heap_.begin(), heap_.end(), later);
  return seq;
}

const event& event_queue::top() const {
  RINGDOWN_ASSERT(!heap_.empty(), "top() of an empty event queue");
  return heap_.front();
}

event event_queue::pop() {
  RINGDOWN_ASSERT(!heap_.empty(), "pop() of an empty event queue");
  std::pop_heap(heap_.begin(), heap_.end(), later);
  event e = heap_.back();
  heap_.pop_back();
  return e;
}

} // namespace ringdown::sim
