#include "cluster/suspicion.hpp"

#include <algorithm>
#include <cmath>

namespace ringdown::cluster {

suspicion::suspicion(std::string_view first_from, std::size_t expected_k, duration min,
                     duration max, time_point start)
    : start_(start), min_(min), max_(std::max(min, max)),
      k_(expected_k), confirmers_{std::string(first_from)},
      deadline_(start + timeout(min_, max_, k_, 0)) {}

bool suspicion::confirm(std::string_view from) {
  if (confirmers_.size() - 1 >= k_ ||
      std::find(confirmers_.begin(), confirmers_.end(), from) != confirmers_.end())
    return false;
  confirmers_.emplace_back(from);
  deadline_ = start_ + timeout(min_, max_, k_, confirmations());
  return true;
}

duration suspicion::timeout(duration min, duration max, std::size_t k,
                            std::size_t c) noexcept {
  if (max <= min)
    return min;
  // Nobody can confirm: min, unless min is zero (a suspicion is never over
  // before the suspect could refute it).
  if (k == 0)
    return min > duration::zero() ? min : max;
  const double frac =
      std::log(static_cast<double>(c) + 1.0) / std::log(static_cast<double>(k) + 1.0);
  const auto span = static_cast<double>((max - min).count());
  const auto t =
      duration{static_cast<duration::rep>(static_cast<double>(max.count()) - span * frac)};
  return std::max(min, t);
}

} // namespace ringdown::cluster
