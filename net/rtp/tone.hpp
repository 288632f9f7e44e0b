#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/tone_spec.hpp"
#include "net/rtp/types.hpp"

namespace ringdown::rtp {

/// The default tone plan, on the common European values of ETSI ES 201 970
/// and ITU-T E.180 (Supplement 2), all at -13 dBm0:
/// - "dial": 425 Hz continuous;
/// - "ringback": 425 Hz, 1 s on, 4 s off;
/// - "busy": 425 Hz, 500 ms on, 500 ms off;
/// - "congestion": 425 Hz, 250 ms on, 250 ms off;
/// - "ringback_uk": 400+450 Hz, 400 ms on, 200 ms off, 400 ms on, 2 s off.
/// And the music on hold a held party hears (ARCHITECTURE.md §1), a plain
/// melody rather than a call-progress tone, at -16 dBm0 so it sits below
/// speech level:
/// - "moh": C5 E5 G5 E5 (523, 659, 784, 659 Hz), 300 ms each, repeating.
/// Any other name gives a spec with that name and no cadence (silence).
/// `tone_plan` (net/rtp/tone_plan.hpp) starts from these; the engine plays
/// its plan's tones.
[[nodiscard]] tone_spec default_tone(std::string_view name);

/// Plays one tone spec into 20 ms frames, sample-exact across frame
/// boundaries (a 30 ms burst ends mid-frame). Sines come from spandsp's
/// direct digital synthesis (a 32-bit phase accumulator over a sine table),
/// levels from its dBm0 scaling; the phase runs on across segments.
///
/// The cadence is converted to sample counts at construction (the only
/// allocation); `render` allocates nothing. Owned by the bridge's mixer for
/// the leg or the bridge that hears the tone; used on the media thread only.
class tone_player {
public:
  /// Precondition: `valid(spec)`.
  explicit tone_player(const tone_spec& spec);

  /// Writes the next 160 samples; silence once finished.
  void render(frame& out) noexcept;
  /// True once a non-repeating cadence has played to its end.
  [[nodiscard]] bool finished() const noexcept { return finished_; }
  /// Starts the cadence again from its first segment.
  void restart() noexcept;

private:
  struct step {
    std::int32_t rate1 = 0;
    std::int32_t rate2 = 0;
    std::int16_t scale = 0;
    std::uint32_t on_samples = 0;
    std::uint32_t off_samples = 0;
  };

  void next_step() noexcept;

  std::vector<step> steps_;
  bool repeat_ = false;
  bool finished_ = false;
  std::size_t index_ = 0;
  std::uint32_t pos_ = 0; ///< samples into steps_[index_]
  std::uint32_t phase1_ = 0;
  std::uint32_t phase2_ = 0;
};

} // namespace ringdown::rtp
