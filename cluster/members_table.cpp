#include "cluster/members_table.hpp"

#include <algorithm>

namespace ringdown::cluster {

const member* members_table::find(std::string_view id) const noexcept {
  const auto it = members_.find(id);
  return it == members_.end() ? nullptr : &it->second;
}

member* members_table::find(std::string_view id) noexcept {
  const auto it = members_.find(id);
  return it == members_.end() ? nullptr : &it->second;
}

bool members_table::upsert(const member& m) {
  if (const auto it = members_.find(m.id); it != members_.end()) {
    it->second = m;
    return true;
  }
  if (members_.size() >= members_max)
    return false;
  members_.emplace(m.id, m);
  return true;
}

bool members_table::erase(std::string_view id) {
  const auto it = members_.find(id);
  if (it == members_.end())
    return false;
  members_.erase(it);
  return true;
}

std::vector<const member*> members_table::alive_in_zone(std::string_view zone) const {
  std::vector<const member*> out;
  alive_in_zone(zone, out);
  return out;
}

void members_table::alive_in_zone(std::string_view zone,
                                  std::vector<const member*>& out) const {
  for (const auto& [id, m] : members_)
    if (m.zone == zone && is_live(m.state))
      out.push_back(&m);
}

std::size_t members_table::live_count() const noexcept {
  return static_cast<std::size_t>(
      std::count_if(members_.begin(), members_.end(),
                    [](const auto& kv) { return is_live(kv.second.state); }));
}

std::size_t members_table::count(member_state s) const noexcept {
  return static_cast<std::size_t>(
      std::count_if(members_.begin(), members_.end(),
                    [s](const auto& kv) { return kv.second.state == s; }));
}

} // namespace ringdown::cluster
