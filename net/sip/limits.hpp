#pragma once

#include "config/config.hpp"

namespace ringdown::sip {

/// Parser bounds; the same struct as the `[limits]` configuration section.
using limits = config::sip_limits;

} // namespace ringdown::sip
