#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>

#include "actors/engine/sip_port.hpp"
#include "actors/line/line_types.hpp"
#include "net/rtp/media_types.hpp"
#include "storage/binding_store.hpp"

namespace ringdown::actors {

// The messages the domain actors exchange (ARCHITECTURE.md §2). Plain
// values; an actor's mailbox is its only way in. Requests are answered
// with the reply type named beside them.

/// call → registrar/<zone>: the live contacts of `aor` (canonical or not).
/// Reply: contacts_reply.
struct contacts_query {
  std::string aor;
};
struct contacts_reply {
  bool known = false;                     ///< a provisioned resource has this AOR
  std::string resource;                   ///< its name ("" when unknown)
  std::vector<storage::binding> bindings; ///< live, q descending
};

/// call → line/<uri>: what a call on the shared line did, so the line
/// updates its appearances and NOTIFYs every subscriber. Reply:
/// line_verdict (line_stm's outcome without its effects).
struct line_call_event {
  enum class kind : std::uint8_t {
    offered,    ///< a call to the line URI rings `alerted`
    originated, ///< holder `by` places a call on the line
    answered,   ///< holder `by` answered (the first seizes the line)
    held,       ///< `by` put the call on hold (`private_hold` asked)
    retrieved,  ///< `by` takes the held call back
    pick_up,    ///< may `by` retrieve the held call? (asks, changes nothing)
    barge,      ///< `by` joins the call with its own call `barger_call_id`
    ended       ///< the call (or a barger's call) ended
  };
  kind what = kind::offered;
  line::line_call call;
  std::string by;                   ///< resource name
  std::vector<std::string> alerted; ///< offered: resources rung (empty: all)
  bool private_hold = false;
  std::string barger_call_id;
};
struct line_verdict {
  int status = 200; ///< 200 allowed; 403/481/486/400 refused, nothing changed
  std::string reason;
  std::uint32_t appearance = 0;
};

/// call → zone/<zone of the trunk>: take one concurrent-call slot of
/// `trunk` (call admission control). Reply: trunk_verdict.
struct trunk_admit {
  std::string trunk;
};
struct trunk_verdict {
  bool admitted = false;
  int status = 0; ///< 503 when full (with Retry-After), 404 for no such trunk
  std::uint32_t retry_after_s = 0;
};
/// call → zone: gives back the slot taken by an admitted trunk_admit.
struct trunk_release {
  std::string trunk;
};

/// call → dialog/<call-id of the replaced dialog>: attended transfer
/// (call_effect.hpp join_replaces). Reply: join_result.
struct join_request {
  std::string from_call_id;
  std::string replaces_call_id;
  std::string replaces_to_tag;
  std::string replaces_from_tag;
  std::string transferee_sdp;
};
struct join_result {
  int status = 481; ///< 200 when a leg of the call matched
  std::string sdp;  ///< the remaining party's SDP
};
/// call of the picker → dialog/<call-id of the held call>: the line allowed
/// resource `by` to pick the held call up with `invite` (INVITE with
/// Replaces); the held call answers it (call_stm::pick_up).
struct pick_up_request {
  sip_request_event invite;
  std::string by;
};
/// → dialog/<call-id>: end the call from outside (a linked call ended).
/// To a talking call: a device barges in (the line allowed it); the call
/// joins its INVITE to the call's bridge (call_stm::barge).
struct barge_request {
  sip_request_event invite;
  std::string by; ///< the barging resource
};

struct hangup_request {
  std::string reason;
};

// line → dialog/<call-id>: line_stm effects the call carries out
// (line::cancel_alerts, line::join_call, line::inform_parties), sent as
// they are.

} // namespace ringdown::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::rtp::media_event)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::actors::sip_request_event)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::actors::sip_response_event)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::actors::contacts_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::actors::contacts_reply)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::actors::line_call_event)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::actors::line_verdict)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::actors::trunk_admit)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::actors::trunk_verdict)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::actors::trunk_release)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::actors::join_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::actors::join_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::actors::hangup_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::actors::barge_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::actors::pick_up_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::line::cancel_alerts)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::line::join_call)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::line::inform_parties)
