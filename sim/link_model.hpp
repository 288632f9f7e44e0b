#pragma once

#include <string>

#include "base/clock.hpp"
#include "base/random.hpp"

namespace ringdown::sim {

/// How long a packet takes on a link. Sampled from the world's `rng` with
/// portable arithmetic (no std:: distributions, whose output differs
/// between standard libraries), so a seed replays on any toolchain.
struct latency_model {
  enum class kind {
    fixed,   ///< always `a`
    uniform, ///< uniform in [a, b]
    normal,  ///< mean a, standard deviation b, clamped at 0
    pareto,  ///< long tail: scale a, shape `shape` (> 0)
  };
  /// The longest latency any model yields (a limit on the long tail).
  static constexpr duration latency_max = std::chrono::seconds{10};

  kind type = kind::fixed;
  duration a = std::chrono::milliseconds{1};
  duration b = duration{0};
  double shape = 2.0;

  static latency_model fixed(duration d) { return {kind::fixed, d, {}, 0}; }
  static latency_model uniform(duration lo, duration hi) {
    return {kind::uniform, lo, hi, 0};
  }
  static latency_model normal(duration mean, duration stddev) {
    return {kind::normal, mean, stddev, 0};
  }
  static latency_model pareto(duration scale, double alpha) {
    return {kind::pareto, scale, {}, alpha};
  }

  /// One latency drawn from `r`, in [0, latency_max].
  [[nodiscard]] duration sample(rng& r) const;
  /// "uniform(1ms,5ms)" and the like, for traces and messages.
  [[nodiscard]] std::string describe() const;
};

/// The behaviour of one direction of a link (or the network's default).
struct link_model {
  latency_model latency;
  double loss = 0.0;      ///< probability a packet is dropped
  double duplicate = 0.0; ///< probability a packet arrives twice
  double reorder = 0.0;   ///< probability a packet gets an extra delay
  duration reorder_delay_max = std::chrono::milliseconds{20}; ///< that extra, at most
};

} // namespace ringdown::sim
