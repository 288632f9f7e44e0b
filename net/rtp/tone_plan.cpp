#include "net/rtp/tone_plan.hpp"

#include <algorithm>
#include <array>

#include "net/rtp/tone.hpp"

namespace ringdown::rtp {
namespace {

constexpr std::array<std::string_view, 6> default_names = {
    "dial", "ringback", "busy", "congestion", "ringback_uk", "moh"};

} // namespace

tone_plan::tone_plan() {
  tones_.reserve(tone_plan_tones_max);
  for (const auto name : default_names)
    tones_.push_back(default_tone(name));
}

bool tone_plan::set(std::string_view name, tone_spec spec) {
  if (!valid_tone_name(name) || !valid(spec))
    return false;
  spec.name = name;
  const auto at = std::find_if(tones_.begin(), tones_.end(),
                               [name](const tone_spec& t) { return t.name == name; });
  if (at != tones_.end()) {
    *at = std::move(spec);
    return true;
  }
  if (tones_.size() >= tone_plan_tones_max)
    return false;
  tones_.push_back(std::move(spec));
  return true;
}

const tone_spec& tone_plan::get(std::string_view name) const noexcept {
  static const tone_spec silence{};
  for (const tone_spec& t : tones_)
    if (t.name == name)
      return t;
  return silence;
}

} // namespace ringdown::rtp
