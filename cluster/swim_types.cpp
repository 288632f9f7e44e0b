#include "cluster/swim_types.hpp"

namespace ringdown::cluster {

std::string_view to_string(swim_event::kind k) noexcept {
  switch (k) {
  case swim_event::joined:
    return "joined";
  case swim_event::suspected:
    return "suspected";
  case swim_event::failed:
    return "failed";
  case swim_event::left:
    return "left";
  case swim_event::refuted:
    return "refuted";
  case swim_event::updated:
    return "updated";
  }
  return "?";
}

} // namespace ringdown::cluster
