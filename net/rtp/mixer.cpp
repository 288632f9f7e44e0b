#include "net/rtp/mixer.hpp"

#include "base/assert.hpp"

namespace ringdown::rtp {

void mix_n_minus_1(std::span<const frame* const> inputs, std::span<frame*> outputs,
                   std::span<std::int32_t, frame_samples> scratch) noexcept {
  RINGDOWN_ASSERT(inputs.size() == outputs.size(), "one output per mixed leg");
  RINGDOWN_ASSERT(inputs.size() <= mix_legs_max, "too many legs in one mix");
  std::int32_t* sum = scratch.data();
  for (std::size_t k = 0; k < frame_samples; ++k) {
    sum[k] = 0;
  }
  for (const frame* in : inputs) {
    if (in == nullptr) {
      continue;
    }
    const std::int16_t* s = in->data();
    for (std::size_t k = 0; k < frame_samples; ++k) {
      sum[k] += s[k];
    }
  }
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    frame* out = outputs[i];
    if (out == nullptr) {
      continue;
    }
    std::int16_t* o = out->data();
    const frame* own = inputs[i];
    if (own == nullptr) {
      for (std::size_t k = 0; k < frame_samples; ++k) {
        o[k] = saturate16(sum[k]);
      }
      continue;
    }
    // `own` may be `out`: each sample is read before it is written.
    const std::int16_t* s = own->data();
    for (std::size_t k = 0; k < frame_samples; ++k) {
      o[k] = saturate16(sum[k] - s[k]);
    }
  }
}

void add_saturating(frame& into, const frame& from) noexcept {
  for (std::size_t k = 0; k < frame_samples; ++k) {
    into[k] = saturate16(std::int32_t{into[k]} + from[k]);
  }
}

} // namespace ringdown::rtp
