#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"

namespace ringdown::cluster {

/// The suspicion timer of one suspect member, Lifeguard's "Local Health
/// Aware Suspicion" (Dadgar et al. 2018 §IV-B): the timeout starts at
/// `max` and shrinks towards `min` as independent members confirm the
/// suspicion, timeout = max(min, max - (max - min) * log(C + 1) / log(K + 1))
/// with C confirmations of the K expected. With K = 0 it is `min` at once,
/// or `max` if `min` is zero. A zero `min` declares the suspect dead as
/// soon as K members confirmed.
/// Owned by swim_stm, one per suspect member; pure.
class suspicion {
public:
  /// `first_from` raised the suspicion (not a confirmation itself).
  suspicion(std::string_view first_from, std::size_t expected_k, duration min, duration max,
            time_point start);

  /// Records `from` as confirming; true when it is a new independent
  /// confirmation (the deadline moved and the news is worth re-gossiping).
  bool confirm(std::string_view from);

  [[nodiscard]] time_point deadline() const noexcept { return deadline_; }
  [[nodiscard]] std::size_t confirmations() const noexcept {
    return confirmers_.size() - 1;
  }

  /// The formula above.
  [[nodiscard]] static duration timeout(duration min, duration max, std::size_t k,
                                        std::size_t c) noexcept;

private:
  time_point start_;
  duration min_;
  duration max_;
  std::size_t k_;
  std::vector<std::string> confirmers_; ///< the first suspecter, then confirmers
  time_point deadline_;
};

} // namespace ringdown::cluster
