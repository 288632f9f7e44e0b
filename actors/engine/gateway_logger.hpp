#pragma once

#include "base/logging.hpp"

namespace ringdown::actors {

/// The logger of the SIP gateway and its relay ("engine.gateway"); its
/// lines name the Call-ID they are about.
inline spdlog::logger& gateway_logger() {
  static const auto lg = log::get("engine.gateway");
  return *lg;
}

} // namespace ringdown::actors
