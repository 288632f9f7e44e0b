#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "cluster/swim_codec.hpp"

namespace ringdown::cluster {

/// The updates waiting to be piggy-backed on outgoing SWIM packets
/// (infection-style dissemination, Das et al. 2002 §4.1 and §5): at most
/// one per member (a newer update replaces the queued one), sent the
/// fewest-times-sent first, newest first among equals, and dropped once
/// sent `limit` times (swim_stm passes retransmit_mult × ceil(log10(n+1))).
/// Owned by swim_stm; pure.
class broadcast_queue {
public:
  static constexpr std::size_t entries_max = 1024;

  /// Queues `u`, replacing any update about the same member. When full,
  /// the most-sent entry makes room.
  void push(swim_update u);
  /// Appends to `out` at most `n` queued updates in sending order,
  /// leaving out news of `recipient`'s own liveness (useless to it); the
  /// queue must not change before the matching sent().
  void candidates(std::size_t n, std::string_view recipient, std::vector<swim_update>& out);
  /// The first `sent_count` candidates went out: counts them, drops those
  /// sent `limit` times.
  void sent(std::size_t sent_count, std::uint32_t limit);
  /// Forgets any queued update about `id`.
  void erase(std::string_view id);

  [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }
  [[nodiscard]] bool empty() const noexcept { return entries_.empty(); }
  /// Whether candidates() would offer `recipient` anything.
  [[nodiscard]] bool has_news_for(std::string_view recipient) const noexcept;
  /// The queued update about `id`, or nullptr.
  [[nodiscard]] const swim_update* find(std::string_view id) const noexcept;
  /// How many times the queued update about `id` went out (0 if none).
  [[nodiscard]] std::uint32_t transmits(std::string_view id) const noexcept;

private:
  struct entry {
    swim_update u;
    std::uint32_t transmits = 0;
    std::uint64_t order = 0; ///< larger is newer
  };
  std::vector<entry> entries_;
  std::vector<std::size_t> offered_; ///< entries_ indices of the last candidates
  std::uint64_t next_order_ = 0;
};

} // namespace ringdown::cluster
