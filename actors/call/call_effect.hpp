#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "actors/call/call_summary.hpp"
#include "base/clock.hpp"
#include "net/sip/message.hpp"

namespace ringdown::call {

/// A leg of a call: 0 is the caller (A, UAS side), 1.. are the callee
/// forks and transfer targets (UAC side).
using leg_id = std::uint32_t;
constexpr leg_id leg_a = 0;

/// Timers a call arms (all on the injected monotonic clock).
enum class timer_kind : std::uint8_t {
  ring_no_answer,  ///< no 2xx from any fork in time
  retransmit_2xx,  ///< RFC 3261 §13.3.1.4: our 2xx to A until its ACK
  session_refresh, ///< RFC 4028 §10: we are the refresher of `leg`
  session_expiry,  ///< RFC 4028 §10: the peer refresher of `leg` is late
  progress_tone,   ///< line seizure: the busy or congestion tone is over
};
struct timer_name {
  timer_kind kind = timer_kind::ring_no_answer;
  leg_id leg = leg_a;
  bool operator==(const timer_name&) const = default;
};

// -- effects: plain data the shell carries out, in order -----------------

/// Answer server transaction `tx` (sip_port::respond).
struct respond {
  std::uint64_t tx = 0;
  sip::message msg;
};
/// Send `msg` on `leg` in a new client transaction (sip_port::send_request)
/// to `destination` (a URI the shell resolves). `request` is our id: the
/// shell maps the port's id back to it for on_response and cancel.
struct send_request {
  leg_id leg = leg_a;
  std::uint64_t request = 0;
  sip::message msg;
  std::string destination;
};
/// Send the ACK for a 2xx outside any transaction (sip_port::send_stateless).
struct send_ack {
  leg_id leg = leg_a;
  sip::message msg;
  std::string destination;
};
/// CANCEL the INVITE sent as `request` (sip_port::cancel; the transport
/// builds the CANCEL and waits for a provisional if needed, §9.1).
struct cancel_request {
  leg_id leg = leg_a;
  std::uint64_t request = 0;
};
struct arm_timer {
  timer_name name;
  time_point deadline;
};
struct cancel_timer {
  timer_name name;
};
/// Route requests carrying this Call-ID to this call too (a B leg's own
/// Call-ID; see actors/engine/request_router.hpp).
struct bind_call_id {
  std::string call_id;
};

/// What the line machine (actors/line) hears about the call.
enum class call_event_kind : std::uint8_t {
  offered,
  ringing,
  answered,
  held,
  resumed,
  transferred,
  left, ///< a party joined by barge (`leg`) hung up; the call goes on
  ended
};
std::string_view to_string(call_event_kind k) noexcept;
struct call_event {
  call_event_kind kind = call_event_kind::offered;
  leg_id leg = leg_a; ///< the leg that caused it (holder, answerer, ...)
};

/// The CDR of the ended call (exactly one per call).
struct cdr_ready {
  call_summary summary;
};

/// Attended transfer (RFC 3891 + RFC 5589 §7): the REFER's Refer-To
/// carried Replaces naming a dialog of another call. The shell finds the
/// call owning `replaces_call_id` (dialog/<call-id>) and calls its
/// `call_stm::replace_leg(...)`; that call re-INVITEs its remaining party
/// with `transferee_sdp`, BYEs the replaced leg and returns its remaining
/// party's SDP, which the shell hands back with `transfer_result(200, sdp)`
/// on this call (or `transfer_result(481, {})` when no call matched). The
/// two calls are then linked: when either ends it emits `hangup_linked`.
struct join_replaces {
  std::string from_call_id; ///< this call (its caller's Call-ID)
  std::string replaces_call_id;
  std::string replaces_to_tag;   ///< as the transferor wrote it (its remote tag)
  std::string replaces_from_tag; ///< the transferor's own tag
  leg_id transferee = leg_a;
  std::string transferee_sdp;
};

/// The call this one was joined with by an attended transfer must end
/// too: the shell calls `hangup()` on the call keyed by `call_id`.
struct hangup_linked {
  std::string call_id;
};

/// After an attended transfer the two remaining parties talk through two
/// linked calls. An in-dialog request (re-INVITE, UPDATE, INFO) of this
/// call's remaining party goes to the other one: the shell hands `request`
/// to the call keyed by `call_id` (its `call_stm::on_linked_request`) and
/// that call's answer back to this one with `on_linked_response(relay,
/// ...)`, or 408 when none comes. Node-local: the request belongs to a
/// server transaction of this node.
struct relay_linked {
  std::string call_id;
  std::uint64_t relay = 0; ///< this call's id of the relayed request
  std::shared_ptr<const sip::message> request;
};
/// The final answer of this call's remaining party to a request the linked
/// call relayed (relay_linked `relay`): the shell returns it to that call.
struct answer_linked {
  std::uint64_t relay = 0;
  int status = 0;
  std::string reason;
  std::string content_type; ///< "" without a body
  std::string body;
};

using effect = std::variant<respond, send_request, send_ack, cancel_request, arm_timer,
                            cancel_timer, bind_call_id, call_event, cdr_ready,
                            join_replaces, hangup_linked, relay_linked, answer_linked>;
using effects = std::vector<effect>;

} // namespace ringdown::call
