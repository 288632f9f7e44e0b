#include "cluster/types.hpp"

namespace ringdown::cluster {

std::string_view to_string(member_state s) noexcept {
  switch (s) {
  case member_state::alive:
    return "alive";
  case member_state::suspect:
    return "suspect";
  case member_state::dead:
    return "dead";
  case member_state::left:
    return "left";
  }
  return "?";
}

} // namespace ringdown::cluster
