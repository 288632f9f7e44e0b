#pragma once

#include <cstdint>
#include <span>

#include "net/rtp/types.hpp"

namespace ringdown::rtp {

/// The most legs one mix may hold: keeps the int32 sum of full-scale inputs
/// (32768 × legs) far from overflow.
inline constexpr std::size_t mix_legs_max = 4096;

/// N-1 mixing of one 20 ms tick of a bridge: every leg hears the sum of all
/// the others but not itself.
///
/// `inputs[i]` is leg i's decoded frame, or null when the leg is silent or
/// absent (it then adds nothing). `outputs[i]` receives the sum of every input
/// but `inputs[i]`; a null `outputs[i]` is skipped (a listen-only tap that is
/// not sent anything, or a leg on hold). `outputs[i]` may point to the same
/// frame as `inputs[i]` (mixing in place); no output may alias another leg's
/// input. `scratch` holds the int32 sum of all inputs.
///
/// Cost is O(N × 160): the inputs are summed once into `scratch`, then each
/// output is the sum minus the leg's own input. No allocation.
///
/// Clipping: each output sample is saturated to [-32768, 32767] (hard
/// clipping, no companding or automatic gain), so loud overlapping talkers
/// clip rather than wrap around.
///
/// Preconditions: `inputs.size() == outputs.size() <= mix_legs_max`.
/// Pure; called by the bridge's mixer on its media thread.
void mix_n_minus_1(std::span<const frame* const> inputs, std::span<frame*> outputs,
                   std::span<std::int32_t, frame_samples> scratch) noexcept;

/// Adds `from` into `into` sample by sample, saturating as above (a tone or a
/// prompt laid over a mix).
void add_saturating(frame& into, const frame& from) noexcept;

/// Saturates an int32 sample to int16.
[[nodiscard]] constexpr std::int16_t saturate16(std::int32_t v) noexcept {
  return static_cast<std::int16_t>(v > 32767 ? 32767 : (v < -32768 ? -32768 : v));
}

} // namespace ringdown::rtp
