#include "sim/virtual_time.hpp"

#include <fmt/format.h>

namespace ringdown::sim {

std::string format_virtual_time(duration since_start) {
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(since_start).count();
  return fmt::format("{}.{:03}ms", us / 1000, us % 1000);
}

} // namespace ringdown::sim
