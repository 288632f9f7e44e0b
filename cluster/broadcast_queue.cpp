#include "cluster/broadcast_queue.hpp"

#include <algorithm>
#include <utility>

namespace ringdown::cluster {

void broadcast_queue::push(swim_update u) {
  erase(u.subject.id);
  if (entries_.size() >= entries_max) {
    const auto most = std::max_element(
        entries_.begin(), entries_.end(),
        [](const entry& a, const entry& b) { return a.transmits < b.transmits; });
    entries_.erase(most);
  }
  entries_.push_back({std::move(u), 0, next_order_++});
}

void broadcast_queue::candidates(std::size_t n, std::string_view recipient,
                                 std::vector<swim_update>& out) {
  std::sort(entries_.begin(), entries_.end(), [](const entry& a, const entry& b) {
    if (a.transmits != b.transmits)
      return a.transmits < b.transmits;
    return a.order > b.order;
  });
  offered_.clear();
  for (std::size_t i = 0; i < entries_.size() && offered_.size() < n; ++i) {
    const auto& u = entries_[i].u;
    if (u.subject.state == member_state::alive && u.subject.id == recipient)
      continue;
    offered_.push_back(i);
    out.push_back(u);
  }
}

void broadcast_queue::sent(std::size_t sent_count, std::uint32_t limit) {
  const std::size_t count = std::min(sent_count, offered_.size());
  for (std::size_t i = 0; i < count; ++i)
    ++entries_[offered_[i]].transmits;
  offered_.clear();
  std::erase_if(entries_, [limit](const entry& e) { return e.transmits >= limit; });
}

bool broadcast_queue::has_news_for(std::string_view recipient) const noexcept {
  return std::any_of(entries_.begin(), entries_.end(), [recipient](const entry& e) {
    return e.u.subject.state != member_state::alive || e.u.subject.id != recipient;
  });
}

void broadcast_queue::erase(std::string_view id) {
  std::erase_if(entries_, [id](const entry& e) { return e.u.subject.id == id; });
}

const swim_update* broadcast_queue::find(std::string_view id) const noexcept {
  for (const auto& e : entries_)
    if (e.u.subject.id == id)
      return &e.u;
  return nullptr;
}

std::uint32_t broadcast_queue::transmits(std::string_view id) const noexcept {
  for (const auto& e : entries_)
    if (e.u.subject.id == id)
      return e.transmits;
  return 0;
}

} // namespace ringdown::cluster
