#include "net/rtp/tone.hpp"

#include <algorithm>
#include <spandsp.h>

#include "base/assert.hpp"
#include "net/rtp/mixer.hpp"

namespace ringdown::rtp {
namespace {

constexpr std::uint32_t samples_per_ms = sample_rate_hz / 1000;

tone_spec make(std::string_view name, std::vector<tone_segment> cadence) {
  return tone_spec{std::string(name), std::move(cadence), true};
}

} // namespace

tone_spec default_tone(std::string_view name) {
  if (name == "dial") {
    return make(name, {{425, 0, -13, 1000, 0}});
  }
  if (name == "ringback") {
    return make(name, {{425, 0, -13, 1000, 4000}});
  }
  if (name == "busy") {
    return make(name, {{425, 0, -13, 500, 500}});
  }
  if (name == "congestion") {
    return make(name, {{425, 0, -13, 250, 250}});
  }
  if (name == "ringback_uk") {
    return make(name, {{400, 450, -13, 400, 200}, {400, 450, -13, 400, 2000}});
  }
  if (name == "moh") {
    return make(name, {{523, 0, -16, 300, 0},
                       {659, 0, -16, 300, 0},
                       {784, 0, -16, 300, 0},
                       {659, 0, -16, 300, 0}});
  }
  return tone_spec{std::string(name), {}, false};
}

tone_player::tone_player(const tone_spec& spec) : repeat_(spec.repeat) {
  RINGDOWN_ASSERT(valid(spec), "tone spec not playable");
  steps_.reserve(spec.cadence.size());
  for (const tone_segment& s : spec.cadence) {
    step st;
    st.rate1 = s.freq1_hz != 0 ? dds_phase_rate(static_cast<float>(s.freq1_hz)) : 0;
    st.rate2 = s.freq2_hz != 0 ? dds_phase_rate(static_cast<float>(s.freq2_hz)) : 0;
    st.scale = dds_scaling_dbm0(static_cast<float>(s.level_dbm0));
    // A segment with no frequency is silence for its whole length.
    const bool audible = s.freq1_hz != 0 || s.freq2_hz != 0;
    st.on_samples = audible ? s.on_ms * samples_per_ms : 0;
    st.off_samples = (audible ? s.off_ms : s.on_ms + s.off_ms) * samples_per_ms;
    steps_.push_back(st);
  }
  restart();
}

void tone_player::restart() noexcept {
  index_ = 0;
  pos_ = 0;
  phase1_ = 0;
  phase2_ = 0;
  finished_ = steps_.empty();
  // Skips leading zero-length segments so render always has samples to give.
  if (!finished_ && steps_[0].on_samples + steps_[0].off_samples == 0) {
    next_step();
  }
}

void tone_player::next_step() noexcept {
  // valid() guarantees a repeating cadence has at least one sample, so this
  // loop ends.
  do {
    pos_ = 0;
    if (++index_ == steps_.size()) {
      if (!repeat_) {
        finished_ = true;
        return;
      }
      index_ = 0;
    }
  } while (steps_[index_].on_samples + steps_[index_].off_samples == 0);
}

void tone_player::render(frame& out) noexcept {
  std::size_t k = 0;
  while (k < frame_samples && !finished_) {
    const step& s = steps_[index_];
    const std::size_t left = frame_samples - k;
    if (pos_ < s.on_samples) {
      const std::size_t n = std::min<std::size_t>(left, s.on_samples - pos_);
      for (std::size_t i = 0; i < n; ++i) {
        std::int32_t v = dds_mod(&phase1_, s.rate1, s.scale, 0);
        if (s.rate2 != 0) {
          v += dds_mod(&phase2_, s.rate2, s.scale, 0);
        }
        out[k + i] = saturate16(v);
      }
      k += n;
      pos_ += static_cast<std::uint32_t>(n);
    } else {
      const std::uint32_t end = s.on_samples + s.off_samples;
      const std::size_t n = std::min<std::size_t>(left, end - pos_);
      std::fill_n(out.begin() + static_cast<std::ptrdiff_t>(k), n, std::int16_t{0});
      k += n;
      pos_ += static_cast<std::uint32_t>(n);
    }
    if (pos_ >= s.on_samples + s.off_samples) {
      next_step();
    }
  }
  std::fill(out.begin() + static_cast<std::ptrdiff_t>(k), out.end(), std::int16_t{0});
}

} // namespace ringdown::rtp
