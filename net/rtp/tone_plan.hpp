#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "base/tone_spec.hpp"

namespace ringdown::rtp {

inline constexpr std::size_t tone_plan_tones_max = 32;

/// The tones a deployment plays, by name: the defaults of `default_tone`
/// (dial, ringback, busy, congestion, ringback_uk, moh) with the operators'
/// `[media.tones]` overrides and additions set over them. A value: the
/// daemon fills one at start-up into `media_engine_config::tones`; read-only
/// afterwards, so any thread may `get` from it.
class tone_plan {
public:
  /// The default plan.
  tone_plan();

  /// Sets the tone `name` to `spec` (its name becomes `name`), replacing a
  /// tone of that name. False, and nothing changed, when `name` is not
  /// `valid_tone_name`, `spec` is not `valid`, or the plan already holds
  /// tone_plan_tones_max other tones.
  bool set(std::string_view name, tone_spec spec);

  /// The tone `name`; an unknown name gives one shared silent spec that does
  /// not repeat (empty name, no cadence). No allocation.
  [[nodiscard]] const tone_spec& get(std::string_view name) const noexcept;

  /// The tones, defaults first, then added ones in the order set.
  [[nodiscard]] const std::vector<tone_spec>& tones() const noexcept { return tones_; }

private:
  std::vector<tone_spec> tones_; ///< at most tone_plan_tones_max, names unique
};

} // namespace ringdown::rtp
