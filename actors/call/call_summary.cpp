#include "actors/call/call_summary.hpp"

#include "actors/call/call_effect.hpp"

namespace ringdown::call {

std::string_view to_string(disposition d) noexcept {
  switch (d) {
  case disposition::answered:
    return "answered";
  case disposition::busy:
    return "busy";
  case disposition::no_answer:
    return "no_answer";
  case disposition::cancelled:
    return "cancelled";
  case disposition::rejected:
    return "rejected";
  case disposition::failed:
    return "failed";
  }
  return "failed";
}

std::string_view to_string(transfer_kind k) noexcept {
  switch (k) {
  case transfer_kind::none:
    return "none";
  case transfer_kind::blind:
    return "blind";
  case transfer_kind::attended:
    return "attended";
  case transfer_kind::pick_up:
    return "pick_up";
  }
  return "none";
}

std::string_view to_string(call_event_kind k) noexcept {
  switch (k) {
  case call_event_kind::offered:
    return "offered";
  case call_event_kind::ringing:
    return "ringing";
  case call_event_kind::answered:
    return "answered";
  case call_event_kind::held:
    return "held";
  case call_event_kind::resumed:
    return "resumed";
  case call_event_kind::transferred:
    return "transferred";
  case call_event_kind::left:
    return "left";
  case call_event_kind::ended:
    return "ended";
  }
  return "ended";
}

} // namespace ringdown::call
