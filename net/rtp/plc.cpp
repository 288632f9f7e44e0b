#include "net/rtp/plc.hpp"

#include <algorithm>
#include <limits>

#include "base/assert.hpp"

namespace ringdown::rtp {
namespace {

int length_of(std::span<std::int16_t> samples) noexcept {
  RINGDOWN_ASSERT(samples.size() <=
                      static_cast<std::size_t>(std::numeric_limits<int>::max()),
                  "concealment frame too long");
  return static_cast<int>(samples.size());
}

} // namespace

concealer::concealer() noexcept : state_{} {
  plc_init(&state_);
}

// plc_init on a caller's state allocates nothing; plc_release frees nothing.
concealer::~concealer() {
  plc_release(&state_);
}

void concealer::good(std::span<std::int16_t> samples) noexcept {
  plc_rx(&state_, samples.data(), length_of(samples));
}

void concealer::fill(std::span<std::int16_t> samples) noexcept {
  // spandsp starts a concealment by rotating its history ring to index 0
  // with a memcpy between overlapping ranges (undefined behaviour, and an
  // ASan error). Rotating it here first leaves it nothing to do.
  if (state_.missing_samples == 0 && state_.buf_ptr != 0) {
    std::rotate(std::begin(state_.history), std::begin(state_.history) + state_.buf_ptr,
                std::end(state_.history));
    state_.buf_ptr = 0;
  }
  plc_fillin(&state_, samples.data(), length_of(samples));
}

void concealer::reset() noexcept {
  plc_init(&state_);
}

} // namespace ringdown::rtp
