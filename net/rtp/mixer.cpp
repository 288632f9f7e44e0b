#include "net/rtp/mixer.hpp"

#include <array>

#include "base/assert.hpp"

namespace ringdown::rtp {
namespace {

// The loops below take distinct or identical buffers only, never partly
// overlapping ones; __restrict (and the single-pointer in-place forms) lets
// the compiler vectorize them without runtime alias checks.

void saturate_into(std::int16_t* __restrict out,
                   const std::int32_t* __restrict sum) noexcept {
  for (std::size_t k = 0; k < frame_samples; ++k) {
    out[k] = saturate16(sum[k]);
  }
}

void minus_own(std::int16_t* __restrict out, const std::int32_t* __restrict sum,
               const std::int16_t* __restrict own) noexcept {
  for (std::size_t k = 0; k < frame_samples; ++k) {
    out[k] = saturate16(sum[k] - own[k]);
  }
}

void minus_own_in_place(std::int16_t* __restrict io,
                        const std::int32_t* __restrict sum) noexcept {
  for (std::size_t k = 0; k < frame_samples; ++k) {
    io[k] = saturate16(sum[k] - io[k]);
  }
}

void accumulate(std::int32_t* __restrict sum, const std::int16_t* __restrict in) noexcept {
  for (std::size_t k = 0; k < frame_samples; ++k) {
    sum[k] += in[k];
  }
}

} // namespace

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
    accumulate(sum, in->data());
  }
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    frame* out = outputs[i];
    if (out == nullptr) {
      continue;
    }
    std::int16_t* o = out->data();
    const frame* own = inputs[i];
    if (own == nullptr) {
      saturate_into(o, sum);
    } else if (own == out) {
      minus_own_in_place(o, sum);
    } else {
      minus_own(o, sum, own->data());
    }
  }
}

void add_saturating(frame& into, const frame& from) noexcept {
  std::array<std::int32_t, frame_samples> sum;
  for (std::size_t k = 0; k < frame_samples; ++k) {
    sum[k] = std::int32_t{into[k]} + from[k];
  }
  saturate_into(into.data(), sum.data());
}

} // namespace ringdown::rtp
