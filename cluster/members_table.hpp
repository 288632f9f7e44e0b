#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cluster/member.hpp"

namespace ringdown::cluster {

/// The membership data of one node: member id -> member record, sorted by
/// id, self included, dead and left members kept as tombstones until
/// membership forgets them. Owned by the node's swim_stm (which alone
/// writes it); read by placement and the directory on the same thread.
class members_table {
public:
  using map_type = std::map<std::string, member, std::less<>>;
  static constexpr std::size_t members_max = 1024;

  [[nodiscard]] const member* find(std::string_view id) const noexcept;
  [[nodiscard]] member* find(std::string_view id) noexcept;
  /// Inserts or replaces the record of `m.id`; false (and nothing changes)
  /// when the id is new and the table holds members_max records.
  bool upsert(const member& m);
  /// Forgets a member; false when unknown.
  bool erase(std::string_view id);

  [[nodiscard]] std::size_t size() const noexcept { return members_.size(); }
  [[nodiscard]] bool empty() const noexcept { return members_.empty(); }
  [[nodiscard]] map_type::const_iterator begin() const noexcept { return members_.begin(); }
  [[nodiscard]] map_type::const_iterator end() const noexcept { return members_.end(); }
  [[nodiscard]] const map_type& all() const noexcept { return members_; }

  /// Members of `zone` that are alive or suspect (a suspect stays a member
  /// until confirmed dead, SWIM §4.2, so keys do not move on a mere
  /// suspicion), in id order: the candidates of placement.
  [[nodiscard]] std::vector<const member*> alive_in_zone(std::string_view zone) const;
  /// The same, appended to `out` (its capacity reused).
  void alive_in_zone(std::string_view zone, std::vector<const member*>& out) const;
  /// Members alive or suspect, every zone, self included.
  [[nodiscard]] std::size_t live_count() const noexcept;
  /// Members in state `s`.
  [[nodiscard]] std::size_t count(member_state s) const noexcept;

private:
  map_type members_;
};

} // namespace ringdown::cluster
