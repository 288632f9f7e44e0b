#include "actors/bridge/conference_stm.hpp"

#include <algorithm>

namespace ringdown::bridge {

namespace {

std::size_t taken(const std::vector<std::string>& v) {
  return static_cast<std::size_t>(
      std::count_if(v.begin(), v.end(), [](const std::string& s) { return !s.empty(); }));
}

} // namespace

std::optional<std::uint32_t> conference_stm::seat(std::string_view call_id) {
  auto it = std::find(seats_.begin(), seats_.end(), std::string{});
  if (it == seats_.end()) {
    if (seats_.size() >= seats_max)
      return std::nullopt;
    it = seats_.emplace(seats_.end());
  }
  *it = std::string(call_id);
  return static_cast<std::uint32_t>(it - seats_.begin()) + 1;
}

bool conference_stm::leave(std::string_view call_id) {
  const auto it = std::find(seats_.begin(), seats_.end(), call_id);
  if (call_id.empty() || it == seats_.end())
    return false;
  it->clear();
  return true;
}

std::string_view conference_stm::seated_at(std::uint32_t leg) const noexcept {
  if (leg == 0 || leg > seats_.size())
    return {};
  return seats_[leg - 1];
}

std::uint32_t conference_stm::link(std::string_view part) {
  auto it = std::find(links_.begin(), links_.end(), part);
  if (it == links_.end())
    it = links_.emplace(links_.end(), part);
  return first_link + static_cast<std::uint32_t>(it - links_.begin());
}

std::optional<std::uint32_t> conference_stm::unlink(std::string_view part) {
  const auto it = std::find(links_.begin(), links_.end(), part);
  if (part.empty() || it == links_.end())
    return std::nullopt;
  it->clear(); // the other links keep their legs
  return first_link + static_cast<std::uint32_t>(it - links_.begin());
}

std::size_t conference_stm::seated() const noexcept {
  return taken(seats_);
}

std::size_t conference_stm::linked() const noexcept {
  return taken(links_);
}

} // namespace ringdown::bridge
