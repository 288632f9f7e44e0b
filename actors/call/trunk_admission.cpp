#include "actors/call/trunk_admission.hpp"

namespace ringdown::call {

void trunk_admission::configure(const std::string& trunk, std::uint32_t calls_max) {
  trunks_[trunk].calls_max = calls_max;
}

trunk_admission::verdict trunk_admission::admit(const std::string& trunk) {
  const auto it = trunks_.find(trunk);
  if (it == trunks_.end())
    return {false, 404, 0};
  slot& s = it->second;
  if (s.current >= s.calls_max)
    return {false, 503, retry_after_s_};
  ++s.current;
  return {true, 0, 0};
}

void trunk_admission::release(const std::string& trunk) {
  const auto it = trunks_.find(trunk);
  if (it != trunks_.end() && it->second.current > 0)
    --it->second.current;
}

std::uint32_t trunk_admission::current(const std::string& trunk) const {
  const auto it = trunks_.find(trunk);
  return it == trunks_.end() ? 0 : it->second.current;
}

std::uint32_t trunk_admission::calls_max(const std::string& trunk) const {
  const auto it = trunks_.find(trunk);
  return it == trunks_.end() ? 0 : it->second.calls_max;
}

} // namespace ringdown::call
