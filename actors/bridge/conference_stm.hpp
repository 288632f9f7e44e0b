#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ringdown::bridge {

/// The seats and links of one conference part (actors/bridge/
/// conference_actor.cpp), as legs of its bridge: seats are legs
/// 1..seats_max, one per seated call; a part that is not the home reaches
/// the home's bridge by leg `uplink`; links (the legs toward the parts
/// linked here, at the home or at a former home) are legs first_link.. in
/// the order the parts linked. A free seat is taken again; a link's leg
/// stays its part's. Pure: the actor carries out the legs on the media
/// engine.
class conference_stm {
public:
  static constexpr std::uint32_t seats_max = 256;
  static constexpr std::uint32_t uplink = seats_max + 1;
  static constexpr std::uint32_t first_link = seats_max + 2;

  /// The leg of a seat for `call_id`; nullopt when every seat is taken.
  [[nodiscard]] std::optional<std::uint32_t> seat(std::string_view call_id);
  /// Frees the seat of `call_id`; false when it had none.
  bool leave(std::string_view call_id);
  /// The call seated at leg `leg`, "" for none (a link, a free seat).
  [[nodiscard]] std::string_view seated_at(std::uint32_t leg) const noexcept;
  /// The leg of `part`'s link (the same leg if it linked already).
  [[nodiscard]] std::uint32_t link(std::string_view part);
  /// The leg `part` was linked at, now free; nullopt when it was not.
  std::optional<std::uint32_t> unlink(std::string_view part);

  [[nodiscard]] std::size_t seated() const noexcept;
  [[nodiscard]] std::size_t linked() const noexcept;
  /// Nobody seated and no part linked: the part ends.
  [[nodiscard]] bool empty() const noexcept { return seated() == 0 && linked() == 0; }

private:
  std::vector<std::string> seats_; ///< index = leg - 1; "" = free
  std::vector<std::string> links_; ///< index = leg - first_link; "" = unlinked
};

} // namespace ringdown::bridge
