#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ringdown::bridge {

/// The conference parts a node runs, as the admin API shows them
/// (GET /v1/conferences): each part's room, zone, whether it is the room's
/// home, its parties and (at the home) the parts linked to it. Written by
/// the parts' actors whenever a party or a link comes or goes, read by the
/// admin plane's thread: every member is thread-safe (one mutex, taken per
/// change, never per packet). One per node, owned by ringdownd; bounded by
/// the parts themselves (parts_max, seats and links per part).
class conference_roster {
public:
  static constexpr std::size_t parts_max = 10'000;

  struct party {
    std::string call_id;
    std::string who; ///< the caller's From URI
    bool operator==(const party&) const = default;
  };
  struct part_view {
    std::string room;
    std::string zone;
    std::string part; ///< "<zone>/<node>"
    bool home = false;
    std::vector<party> parties;
    std::vector<std::string> links; ///< parts linked to this one (at the home)
    bool operator==(const part_view&) const = default;
  };

  /// Records the part's current view (replacing the last one); false, and
  /// nothing recorded, when parts_max other parts are recorded.
  bool put(part_view view);
  /// The part of `room` in `zone` ended.
  void erase(std::string_view room, std::string_view zone);
  /// Every part, ordered by room then zone.
  [[nodiscard]] std::vector<part_view> all() const;
  /// The parts of `room` on this node (one per zone it has parties in).
  [[nodiscard]] std::vector<part_view> room(std::string_view room) const;
  /// The zone whose part of `room` seats `call_id`, if any.
  [[nodiscard]] std::optional<std::string> zone_of(std::string_view room,
                                                   std::string_view call_id) const;

  /// `parts` as the admin API's JSON: {"node":..,"conferences":[{"room",
  /// "zone","part","home","parties":[{"call_id","from"}],"links":[..]}]}.
  [[nodiscard]] static std::string to_json(std::string_view node,
                                           const std::vector<part_view>& parts);

private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, part_view, std::less<>> parts_;
};

} // namespace ringdown::bridge
