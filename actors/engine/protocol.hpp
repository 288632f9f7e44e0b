#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/fwd.hpp>

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

// -- conferences (actors/bridge/conference_actor.cpp) --------------------
// A conference runs in the zone of the user who started it: its home part
// (`bridge/conference:<room>@<zone>`) owns a bridge mixing every party of
// that zone. A party of another zone is seated in its own zone's part,
// whose bridge is linked to the home part's as one leg (RTP between the
// two bridges): a two-part conference the users never see. All node-local.

/// part → bridge/conference:<room>, the room's registry (one in the
/// cluster, placed by hashing over every live node): which part is the
/// home? The first part to ask becomes it. Reply: conference_home_is.
struct conference_home {
  std::string part; ///< "<zone>/<node>", for the logs
  caf::actor actor;
};
struct conference_home_is {
  caf::actor home; ///< the asker itself when it is the home
  std::string part;
};
/// call → bridge/conference:<room>@<zone>: a seat for the call's caller.
/// Reply: conference_seat.
struct conference_join {
  std::string call_id;
  std::string who; ///< the caller's From URI (the admin API shows it)
};
struct conference_seat {
  int status = 503; ///< 200 seated; 503 no bridge or no seat left
  std::uint64_t bridge = 0;
  std::uint32_t leg = 0; ///< the seat's leg in the bridge
};
/// call → its part: the caller left (the call's leg is gone already).
struct conference_leave {
  std::string call_id;
};
/// part → the home part: take our bridge, reached at address:port, as one
/// leg of yours. Reply: conference_linked (where to send our side to).
/// The link is SRTP (AES_CM_128_HMAC_SHA1_80): each side names the master
/// key||salt (30 bytes) it sends with.
struct conference_link {
  std::string part; ///< "<zone>/<node>"
  std::string address;
  std::uint16_t port = 0;
  std::vector<std::uint8_t> key_salt;
};
struct conference_linked {
  int status = 503;
  std::string address;
  std::uint16_t port = 0;
  std::vector<std::uint8_t> key_salt;
};
/// part → the home part: our last party left, drop our leg.
struct conference_unlink {
  std::string part;
};
/// registry → its home part, when the registry's key moved to a node whose
/// registry already had another home for the room (a part started there
/// during the membership change): link to that home as an ordinary part
/// does, keeping the links to this one, so the room is one again.
struct conference_rehome {
  std::string part; ///< the other home, "<zone>/<node>"
  caf::actor home;
};

/// call → dialog/<linked call-id>, on the same node: after an attended
/// transfer, an in-dialog request of the sender's remaining party for the
/// linked call's one (call_effect.hpp relay_linked). Reply: linked_answer,
/// once that party answered. Node-local: the request belongs to a server
/// transaction of this node.
struct linked_request {
  std::uint64_t relay = 0; ///< the sender call's id of the request
  std::shared_ptr<const sip::message> request;
};
struct linked_answer {
  int status = 481;
  std::string reason;
  std::string content_type; ///< "" without a body
  std::string body;
};

/// cluster directory → a local line, zone or registrar actor: the view
/// changed and `owner` now owns the actor's key. An idle actor hands its
/// state over (a registrar its bindings, a line its subscribers, told to
/// subscribe again) and forwards late messages to the new owner for a
/// while (forward_after_handover); a busy one keeps serving its calls and
/// hands over when it is idle.
struct key_moved {
  std::string owner;
};

/// registrar → the registrar of the same zone on its new owner: the
/// bindings it held (every AOR's live contacts), stored there as they are.
struct bindings_handover {
  std::vector<storage::aor_bindings> aors;
};

// line → dialog/<call-id>: line_stm effects the call carries out
// (line::cancel_alerts, line::join_call, line::inform_parties), sent as
// they are.

// -- what crosses nodes -------------------------------------------------
// The messages above but those that carry a node's own objects (a SIP
// transaction, a media event) travel between nodes through the CAF
// middleman: each has an `inspect` (field order is the wire order) and is
// announced by register_message_types() in every node's actor system.

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, contacts_query& x) {
  return f(x.aor);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, contacts_reply& x) {
  return f(x.known, x.resource, x.bindings);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, line_call_event& x) {
  return f(x.what, x.call, x.by, x.alerted, x.private_hold, x.barger_call_id);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, line_verdict& x) {
  return f(x.status, x.reason, x.appearance);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, trunk_admit& x) {
  return f(x.trunk);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, trunk_verdict& x) {
  return f(x.admitted, x.status, x.retry_after_s);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, trunk_release& x) {
  return f(x.trunk);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, join_request& x) {
  return f(x.from_call_id, x.replaces_call_id, x.replaces_to_tag, x.replaces_from_tag,
           x.transferee_sdp);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, join_result& x) {
  return f(x.status, x.sdp);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, hangup_request& x) {
  return f(x.reason);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, conference_home& x) {
  return f(x.part, x.actor);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, conference_home_is& x) {
  return f(x.home, x.part);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, conference_join& x) {
  return f(x.call_id, x.who);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, conference_seat& x) {
  return f(x.status, x.bridge, x.leg);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, conference_leave& x) {
  return f(x.call_id);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, conference_link& x) {
  return f(x.part, x.address, x.port, x.key_salt);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, conference_linked& x) {
  return f(x.status, x.address, x.port, x.key_salt);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, conference_unlink& x) {
  return f(x.part);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, conference_rehome& x) {
  return f(x.part, x.home);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, key_moved& x) {
  return f(x.owner);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bindings_handover& x) {
  return f(x.aors);
}

} // namespace ringdown::actors

namespace ringdown::line {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, line_call& x) {
  return f(x.call_id, x.remote_uri, x.remote_display, x.local_tag, x.remote_tag);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cancel_alerts& x) {
  return f(x.call_id, x.resources);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, join_call& x) {
  return f(x.call_id, x.resource, x.barger_call_id);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, inform_parties& x) {
  return f(x.call_id, x.content_type, x.body);
}

} // namespace ringdown::line

namespace ringdown::storage {

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, binding& x) {
  return f(x.contact, x.q_milli, x.has_q, x.expires_at_ms, x.call_id, x.cseq, x.instance,
           x.reg_id, x.source);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, aor_bindings& x) {
  return f(x.aor, x.bindings);
}

} // namespace ringdown::storage

namespace ringdown::actors {

/// Announces every message type that crosses nodes (the list above) to
/// `cfg`; every node's actor system calls it before it starts.
void register_message_types(caf::actor_system_config& cfg);

} // namespace ringdown::actors

// Node-local messages: they carry a transaction of this node's SIP stack
// or a media event of its engine, and never leave the node.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::rtp::media_event)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::actors::sip_request_event)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::actors::sip_response_event)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::actors::barge_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::actors::pick_up_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::actors::linked_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(ringdown::actors::linked_answer)
