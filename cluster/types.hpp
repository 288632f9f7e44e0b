#pragma once

#include <cstdint>
#include <string_view>

namespace ringdown::cluster {

/// A member's state as SWIM sees it (Das et al. 2002 §4.2; HashiCorp's
/// Lifeguard adds nothing here): alive, suspect (a probe failed and the
/// suspicion runs), dead (confirmed), left (said goodbye).
enum class member_state : std::uint8_t { alive, suspect, dead, left };

std::string_view to_string(member_state s) noexcept;

} // namespace ringdown::cluster
