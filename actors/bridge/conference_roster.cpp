#include "actors/bridge/conference_roster.hpp"

#include <algorithm>

#include "base/json.hpp"

namespace ringdown::bridge {

bool conference_roster::put(part_view view) {
  std::lock_guard lock(mutex_);
  auto key = std::make_pair(view.room, view.zone);
  const auto it = parts_.find(key);
  if (it != parts_.end()) {
    it->second = std::move(view);
    return true;
  }
  if (parts_.size() >= parts_max)
    return false;
  parts_.emplace(std::move(key), std::move(view));
  return true;
}

void conference_roster::erase(std::string_view room, std::string_view zone) {
  std::lock_guard lock(mutex_);
  const auto it = parts_.find(std::make_pair(std::string(room), std::string(zone)));
  if (it != parts_.end())
    parts_.erase(it);
}

std::vector<conference_roster::part_view> conference_roster::all() const {
  std::lock_guard lock(mutex_);
  std::vector<part_view> out;
  out.reserve(parts_.size());
  for (const auto& [key, view] : parts_)
    out.push_back(view);
  return out;
}

std::vector<conference_roster::part_view>
conference_roster::room(std::string_view room) const {
  std::lock_guard lock(mutex_);
  std::vector<part_view> out;
  for (auto it = parts_.lower_bound(std::make_pair(std::string(room), std::string{}));
       it != parts_.end() && it->first.first == room; ++it)
    out.push_back(it->second);
  return out;
}

std::optional<std::string> conference_roster::zone_of(std::string_view room,
                                                      std::string_view call_id) const {
  for (const auto& p : this->room(room))
    if (std::any_of(p.parties.begin(), p.parties.end(),
                    [&](const party& x) { return x.call_id == call_id; }))
      return p.zone;
  return std::nullopt;
}

std::string conference_roster::to_json(std::string_view node,
                                       const std::vector<part_view>& parts) {
  json_writer w;
  w.begin_object().key("node").value_string(node).key("conferences").begin_array();
  for (const auto& p : parts) {
    w.begin_object()
        .key("room")
        .value_string(p.room)
        .key("zone")
        .value_string(p.zone)
        .key("part")
        .value_string(p.part)
        .key("home")
        .value_bool(p.home)
        .key("parties")
        .begin_array();
    for (const auto& x : p.parties)
      w.begin_object()
          .key("call_id")
          .value_string(x.call_id)
          .key("from")
          .value_string(x.who)
          .end_object();
    w.end_array().key("links").begin_array();
    for (const auto& l : p.links)
      w.value_string(l);
    w.end_array().end_object();
  }
  w.end_array().end_object();
  return w.str();
}

} // namespace ringdown::bridge
