#pragma once

#include <cstdint>
#include <limits>

#include "config/config.hpp"

namespace ringdown::sip {

/// Parser bounds; the same struct as the `[limits]` configuration section.
using limits = config::sip_limits;

/// Bounds for re-parsing text this process built or edited itself: the
/// configured limits guard against peers, not against our own output.
[[nodiscard]] inline limits unbounded_limits() noexcept {
  limits l;
  l.message_bytes_max = std::numeric_limits<std::uint32_t>::max() / 2;
  l.headers_max = std::numeric_limits<std::uint32_t>::max();
  l.line_bytes_max = std::numeric_limits<std::uint32_t>::max();
  l.via_max = std::numeric_limits<std::uint32_t>::max();
  return l;
}

} // namespace ringdown::sip
