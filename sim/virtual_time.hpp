#pragma once

#include <string>

#include "base/clock.hpp"

namespace ringdown::sim {

/// Virtual time as the simulator reports it: milliseconds with three
/// decimals since the start of the run (`12.345ms`), for traces.
std::string format_virtual_time(duration since_start);

} // namespace ringdown::sim
