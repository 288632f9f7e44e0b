#include "base/clock.hpp"

#include "base/assert.hpp"

namespace ringdown {

time_point real_clock::now() const {
  return std::chrono::time_point_cast<duration>(std::chrono::steady_clock::now());
}

std::int64_t real_clock::wall_ms() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::int64_t manual_clock::wall_ms() const {
  using namespace std::chrono;
  return wall_origin_ms_ + duration_cast<milliseconds>(now_ - origin_).count();
}

void manual_clock::advance(duration d) {
  RINGDOWN_ASSERT(d.count() >= 0, "manual_clock cannot go backwards");
  now_ += d;
}

void manual_clock::set(time_point t) {
  RINGDOWN_ASSERT(t >= now_, "manual_clock cannot go backwards");
  now_ = t;
}

} // namespace ringdown
