#include "sim/link_model.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "sim/virtual_time.hpp"

namespace ringdown::sim {

namespace {

duration from_ns(double ns) {
  const double max_ns = static_cast<double>(latency_model::latency_max.count());
  return duration{static_cast<duration::rep>(std::clamp(ns, 0.0, max_ns))};
}

double to_ns(duration d) {
  return static_cast<double>(d.count());
}

} // namespace

duration latency_model::sample(rng& r) const {
  switch (type) {
  case kind::fixed:
    return std::clamp(a, duration{0}, latency_max);
  case kind::uniform: {
    if (b <= a)
      return std::clamp(a, duration{0}, latency_max);
    const auto span = static_cast<std::uint64_t>((b - a).count()) + 1;
    return std::clamp(a + duration{static_cast<duration::rep>(r.below(span))}, duration{0},
                      latency_max);
  }
  case kind::normal: {
    // Box-Muller; 1 - unit() lies in (0, 1], so the logarithm is finite.
    const double u1 = 1.0 - r.unit();
    const double u2 = r.unit();
    const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    return from_ns(to_ns(a) + z * to_ns(b));
  }
  case kind::pareto: {
    const double u = 1.0 - r.unit();
    const double alpha = shape > 0 ? shape : 1.0;
    return from_ns(to_ns(a) / std::pow(u, 1.0 / alpha));
  }
  }
  return a;
}

std::string latency_model::describe() const {
  const auto ms = [](duration d) { return format_virtual_time(d); };
  switch (type) {
  case kind::fixed:
    return fmt::format("fixed({})", ms(a));
  case kind::uniform:
    return fmt::format("uniform({},{})", ms(a), ms(b));
  case kind::normal:
    return fmt::format("normal({},{})", ms(a), ms(b));
  case kind::pareto:
    return fmt::format("pareto({},{})", ms(a), shape);
  }
  return "?";
}

} // namespace ringdown::sim
