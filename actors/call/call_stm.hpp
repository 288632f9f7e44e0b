#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/call/call_config.hpp"
#include "actors/call/call_effect.hpp"
#include "actors/call/call_leg.hpp"
#include "actors/call/call_summary.hpp"
#include "actors/call/media_seam.hpp"
#include "base/ids.hpp"
#include "base/logging.hpp"
#include "net/sip/message.hpp"

namespace ringdown::call {

/// The B2BUA of one call (RFC 3261 §12-§16 as a back-to-back UA; RFC 3264
/// hold; RFC 3311 UPDATE; RFC 6086 INFO; RFC 4028 session timers; RFC 3515
/// REFER with RFC 3891 Replaces). The A leg is the caller's INVITE (we are
/// UAS); B legs are parallel forks to the targets (we are UAC), the first
/// 2xx wins and the others are CANCELled. Pure: inputs are SIP messages,
/// responses to our requests, timers, each with the time; outputs are
/// `effects` the CAF shell carries out (actors/call/call_effect.hpp). One
/// instance per call, owned by the call's actor (dialog/<call-id>).
///
/// Call states (dialog states of RFC 3261 §12 seen from the caller):
///   idle --start--> proceeding --18x relayed--> early
///   proceeding|early --2xx from a fork--> confirmed --BYE--> terminated
///   proceeding|early --CANCEL / all forks fail / timer--> terminated
/// A line seizure (`seize`) answers the caller at once and dials later:
///   idle --seize--> dialling --2xx from the dialled party--> confirmed
///   dialling --BYE from the caller / tone over / hangup--> terminated
///
/// Shell contract (actors/engine/sip_port.hpp): `respond` → respond(tx);
/// `send_request` → send_request(msg, resolve(destination)), keeping the
/// port's id ↔ our `request` id so responses come back via on_response
/// and `cancel_request` → cancel(port id); `send_ack` → send_stateless;
/// `bind_call_id` → route that Call-ID to this actor too; `arm_timer` →
/// one timer per name (re-arming replaces), delivered as on_timer; timers
/// that fire after `cancel_timer` are ignored here anyway. `cdr_ready`
/// comes exactly once per call: store it and release trunk admission.
class call_stm {
public:
  enum class state : std::uint8_t {
    idle,
    proceeding,
    early,
    dialling,
    confirmed,
    terminated
  };

  /// `ids` makes tags and B-leg Call-IDs; it must outlive this.
  call_stm(call_config cfg, id_generator& ids);

  /// The caller's INVITE in server transaction `tx`, and its targets.
  [[nodiscard]] effects start(std::uint64_t tx, const sip::message& invite,
                              const call_targets& targets, call_time t);
  /// Line seizure: a holder of a shared line INVITEs the line (in server
  /// transaction `tx`) to dial out on it, as a turret's line key or a
  /// hard phone's handset does. The call's media bridge answers at once
  /// (200 with the bridge's SDP: a phone that waits for no provisional
  /// response needs nothing more), plays dial tone and collects the RFC
  /// 4733 digits the caller sends (state `dialling`). The shell turns the
  /// digits into targets and calls `dial`. Refused with a final response
  /// (and the call ends) without a media bridge (501), without an SDP
  /// offer the bridge can answer (488), and for the checks `start` makes
  /// (400 without Contact, 483, 422).
  [[nodiscard]] effects seize(std::uint64_t tx, const sip::message& invite,
                              const call_targets& targets, call_time t);
  /// A call the bridge itself takes part in (a conference): the caller is
  /// answered at once by the bridge the shell set with set_media (a seat
  /// in the conference's bridge) and stays until it hangs up or `hangup`.
  /// Re-INVITEs and UPDATEs are answered by the bridge. Refused as `seize`
  /// refuses.
  [[nodiscard]] effects host(std::uint64_t tx, const sip::message& invite,
                             const call_targets& targets, call_time t);
  /// A digit from leg `leg` (the bridge saw its RFC 4733 event): the
  /// caller's first digit stops the dial tone.
  [[nodiscard]] effects on_digit(leg_id leg, call_time t);
  /// The dialled number's targets, resolved by the shell (a trunk gateway
  /// after admission; none: `reject_status`, e.g. 404, or 484 when nothing
  /// was dialled).
  /// They are called with the bridge's offer; while they ring the caller
  /// hears ringback from the bridge, or the far end's own early media. The
  /// first 2xx stops the tone and bridges the two (event answered). When
  /// nobody answers the caller hears busy (486, 600, 603) or congestion
  /// (anything else) for `call_config::failure_tone`, then gets BYE.
  [[nodiscard]] effects dial(const call_targets& targets, call_time t);
  /// A request for this call: ACK (tx 0), CANCEL (`cancels` = the INVITE's
  /// transaction), or an in-dialog request from any leg.
  [[nodiscard]] effects on_request(std::uint64_t tx, std::uint64_t cancels,
                                   const sip::message& request, call_time t);
  /// A response to our request `request` (the id of a send_request).
  [[nodiscard]] effects on_response(std::uint64_t request, const sip::message& response,
                                    call_time t);
  [[nodiscard]] effects on_timer(timer_name name, call_time t);

  /// Attended transfer, on the call that owns the replaced dialog: true
  /// when one of its legs matches (A leg: Call-ID, our tag = to-tag...);
  /// then its other party is re-INVITEd with `sdp` and the replaced leg
  /// gets BYE; this call ends with transfer kind attended.
  /// Returns the remaining party's SDP (for transfer_result) when matched.
  [[nodiscard]] std::optional<std::string> replace_leg(const join_replaces& j, call_time t,
                                                       effects& out);
  /// On the transferring call: the outcome of join_replaces (200 and the
  /// other call's remaining party's SDP, else a failure code): the
  /// transferee is re-INVITEd with that SDP and the transferor gets BYE.
  [[nodiscard]] effects transfer_result(int status, std::string_view sdp, call_time t);
  /// After an attended transfer (call_stm_linked.cpp): the linked call's
  /// in-dialog request `req` (relay_linked `relay`) for this call's
  /// remaining party, relayed to it; its final answer comes out as
  /// answer_linked (481 at once when this call is not linked or its party
  /// is gone, 491 while another offer is in progress).
  [[nodiscard]] effects on_linked_request(std::uint64_t relay, const sip::message& req,
                                          call_time t);
  /// The linked call's answer to our relay_linked `relay`: the request's
  /// sender gets it; a 2xx to an offer counts as hold or resume here.
  [[nodiscard]] effects on_linked_response(std::uint64_t relay, int status,
                                           std::string_view reason,
                                           std::string_view content_type,
                                           std::string_view body, call_time t);
  /// Open-hold pick-up (RFC 7463 §5.3: a device of the line sends INVITE
  /// with Replaces naming the held call; the line has allowed it). The
  /// INVITE in server transaction `tx` becomes a new UAS leg: the held
  /// call's other party is re-INVITEd with its offer; on that 2xx the
  /// picker gets 200 with the answer, the holder's leg gets BYE and the
  /// call goes on between the other party and the picker (event
  /// `resumed` by the new leg). Refused with a final response when the
  /// call is not held and talking (481, 491 while a transfer or another
  /// pick-up runs, 488 without an SDP offer).
  [[nodiscard]] effects pick_up(std::uint64_t tx, const sip::message& invite, call_time t);
  /// Barge (RFC 3911 Join, allowed by the line): the INVITE in server
  /// transaction `tx` becomes a new UAS leg answered by the call's media
  /// bridge, which mixes it in with the two parties. Refused with 481 when
  /// the call is not talking, 501 without a media bridge, 488 without an
  /// SDP offer the bridge can answer. The barger leaves by BYE; it gets
  /// BYE when the call ends.
  [[nodiscard]] effects barge(std::uint64_t tx, const sip::message& invite, call_time t);
  /// Tells the two talking parties of an event by INFO (RFC 6086), e.g.
  /// the line's barge announcement; nothing when the call is not talking.
  [[nodiscard]] effects announce(std::string_view content_type, std::string_view body);
  /// Legs joined by barge and still in the call.
  [[nodiscard]] std::vector<leg_id> joined() const;
  /// Ends the call from outside (a linked call ended, an administrator):
  /// BYE to the talking legs, or CANCEL and 480 before an answer.
  /// `reason` goes to the CDR's final reason (e.g. "Media Timeout").
  [[nodiscard]] effects hangup(call_time t, std::string reason = "OK");

  /// Anchors the call's media on `media` from now on (null: SDP relayed
  /// unchanged). It must outlive this machine or be unset first.
  void set_media(sdp_relay* media) noexcept { media_ = media; }

  [[nodiscard]] state current() const noexcept { return state_; }
  [[nodiscard]] bool held() const noexcept;
  [[nodiscard]] const call_summary& summary() const noexcept { return cdr_; }
  [[nodiscard]] const call_leg* leg(leg_id id) const noexcept;
  /// Legs so far; a new leg (fork, transfer target, pick-up) gets the
  /// next id.
  [[nodiscard]] std::size_t leg_count() const noexcept { return legs_.size(); }
  /// The two legs talking to each other once answered.
  [[nodiscard]] std::array<leg_id, 2> pair() const noexcept { return pair_; }

private:
  using purpose = request_purpose;
  using pending = pending_request;

  // call_stm.cpp: setup and the initial INVITE
  /// Leg A from the caller's INVITE, and the CDR's first fields.
  call_leg& open_a(std::uint64_t tx, const sip::message& invite,
                   const call_targets& targets, call_time t);
  /// The checks every caller's INVITE passes (Contact, Max-Forwards,
  /// Session-Expires); false when it was refused and the call is over.
  bool admit_a(std::uint64_t tx, const sip::message& invite, call_time t, effects& out);
  void fork(call_leg& b, const std::string& from, const std::string& sdp, effects& out,
            const header_list& extra = {});
  void arm(timer_name name, time_point deadline, effects& out);
  void disarm(timer_name name, effects& out);
  void on_invite_response(call_leg& b, const sip::message& resp, call_time t, effects& out);
  void answer(call_leg& b, const sip::message& resp, call_time t, effects& out);
  void fork_failed(call_leg& b, const sip::message& resp, call_time t, effects& out);
  /// Diverts the call (busy or no answer) if the targets say so: new forks
  /// to the diversion's contacts with a Diversion header. False if not.
  bool try_divert(std::string_view reason, call_time t, effects& out);
  /// Records diversion `d` (CDR, the party to announce to A) and returns
  /// the Diversion header for its forks.
  header_list diverted(const call_targets::diversion& d, std::string_view reason);
  /// A final or provisional response to the caller's INVITE; a final
  /// failure ends the call (`ended_by` goes to the CDR).
  void respond_a(int status, std::string_view reason, std::string ended_by, call_time t,
                 effects& out, const header_list& extra = {});
  void cancel_forks(leg_id except, effects& out);
  void finish(disposition d, int status, std::string reason, std::string ended_by,
              call_time t, effects& out);
  // call_stm_dialog.cpp: in-dialog requests and their relaying
  void in_dialog(call_leg& x, std::uint64_t tx, const sip::message& req, call_time t,
                 effects& out);
  void relay(call_leg& x, std::uint64_t tx, const sip::message& req, effects& out);
  void on_relay_response(pending& p, const sip::message& resp, call_time t, effects& out);
  /// A hold offer relayed to the trunk (leg `y`) that the trunk refused.
  [[nodiscard]] bool refused_trunk_hold(const call_leg& y, const pending& p,
                                        const sip::message& req, int status) const;
  /// Hold or resume by `x` (its offer `body`) in the CDR; a call_event
  /// unless `announce` is false.
  void track_hold(call_leg& x, std::string_view body, call_time t, effects& out,
                  bool announce = true);
  /// `x` no longer holds the call (it resumed or left): the hold time so far
  /// goes into the CDR when no other leg holds.
  void end_hold(call_leg& x, call_time t);
  /// Headers a relayed request keeps, plus leg `y`'s session timer.
  [[nodiscard]] header_list relayed_headers(const call_leg& y,
                                            const sip::message& req) const;
  /// An offer (re-INVITE, UPDATE) of ours to legs `x` or `y` not answered yet.
  [[nodiscard]] bool offer_pending(leg_id x, leg_id y) const;
  void bye(call_leg& y, effects& out);
  std::uint64_t send(call_leg& y, sip::message msg, effects& out);
  void reply(std::uint64_t tx, const sip::message& req, int status, effects& out,
             std::string_view reason = {});
  // call_stm_linked.cpp: requests between the calls an attended transfer linked
  [[nodiscard]] bool relay_to_linked(call_leg& x, std::uint64_t tx, const sip::message& req,
                                     call_time t, effects& out);
  void on_from_linked_response(pending& p, const sip::message& resp, call_time t,
                               effects& out);
  // call_stm_timer.cpp: RFC 4028 session timers and §13.3.1.4
  [[nodiscard]] bool check_session_expires(std::uint64_t tx, const sip::message& invite,
                                           effects& out);
  void timer_from_a(call_leg& a, header_list& answer_headers);
  void timer_from_b(call_leg& b, const sip::message& resp);
  void arm_session(call_leg& l, call_time t, effects& out);
  /// Session-Expires value for leg `l`, refresher named from our role in
  /// the transaction (`as_uac`); "" when `l` has no session timer.
  [[nodiscard]] std::string session_expires_value(const call_leg& l, bool as_uac) const;
  void add_timer_headers(const call_leg& l, sip::message& resp) const;
  void refresh(call_leg& l, call_time t, effects& out);
  void local_refresh(call_leg& x, std::uint64_t tx, const sip::message& req, call_time t,
                     effects& out);
  // call_stm_transfer.cpp: RFC 3515 REFER
  void on_refer(call_leg& x, std::uint64_t tx, const sip::message& req, call_time t,
                effects& out);
  void notify_sipfrag(call_leg& x, int status, std::string_view reason, bool final,
                      effects& out);
  void transfer_answered(call_leg& n, call_time t, effects& out);
  void transfer_failed(int status, std::string_view reason, call_time t, effects& out);
  void transfer_timeout(call_time t, effects& out);
  /// A re-INVITE of our own to `l` offering `sdp` (transfers, pick-up).
  void reinvite(call_leg& l, const std::string& sdp, effects& out,
                request_purpose what = request_purpose::reinvite);
  // call_stm_seize.cpp: line seizure, calls hosted by the bridge
  /// The bridge answers the caller's offer at once (state dialling);
  /// false when the caller was refused and the call is over.
  bool answer_here(std::uint64_t tx, const sip::message& invite,
                   const call_targets& targets, call_time t, effects& out);
  /// A re-INVITE or UPDATE from the caller while the bridge is its only
  /// party (dialling, a conference): the bridge answers it.
  void local_offer(call_leg& a, std::uint64_t tx, const sip::message& req, effects& out);
  /// A provisional response on B leg `b`: a reliable one (Require: 100rel)
  /// is PRACKed in its early dialog, in RSeq order (RFC 3262 §4). False
  /// when it must not be processed further (repeated, out of order, no
  /// valid RSeq).
  bool prack(call_leg& b, const sip::message& resp, effects& out);
  /// A 3xx from B leg `b` before the call is answered: its SIP contacts
  /// that this call has not tried are called (RFC 3261 §8.1.3.4, as a
  /// B2BUA recursing), at most redirects_max times a call. False when
  /// nothing is followed (the 3xx then counts as the fork's failure).
  bool follow_redirect(const call_leg& b, const sip::message& resp, effects& out);
  /// An INFO carrying a DTMF digit from the caller while it dials: the
  /// bridge collects the digit (200), or 400 when the body names none.
  void dialled_by_info(std::uint64_t tx, const sip::message& req, effects& out);
  /// The contacts a new call rings first: its targets', or the diversion
  /// target's when the callee has none and diverts when unavailable
  /// (`diverted_reason` is then set).
  [[nodiscard]] static const std::vector<std::string>&
  first_ring(const call_targets& targets, std::string_view& diverted_reason);
  /// Forks to `uris` with `offer` (Diversion headers when
  /// `diverted_reason` is set), keeps a conditional diversion for busy or
  /// no answer, and arms the ring timer. New calls and seized lines alike.
  void ring(const call_targets& targets, const std::vector<std::string>& uris,
            std::string_view diverted_reason, const std::string& offer, call_time t,
            effects& out);
  void seized_progress(call_leg& b, const sip::message& resp, call_time t, effects& out);
  void seized_answer(call_leg& b, const sip::message& resp, call_time t, effects& out);
  /// Nobody answered the dialled number: a tone tells the caller why.
  void seized_failed(int status, std::string_view reason, call_time t, effects& out);
  /// The call ends before the dialled party answered: the caller hung up
  /// (`ended_by` "caller"), the failure tone is over ("callee"), or from
  /// outside ("system").
  void seized_end(std::string ended_by, call_time t, effects& out);
  void tone(leg_id leg, std::string_view name) {
    if (media_ != nullptr)
      media_->tone(leg, name);
  }
  // call_stm_pickup.cpp: open-hold pick-up
  void on_pick_up_response(call_leg& keep, const sip::message& resp, call_time t,
                           effects& out);
  /// Our 2xx to the caller's INVITE: Contact, Allow, session timer.
  [[nodiscard]] sip::message a_2xx(int status, std::string_view reason);
  /// Our 2xx to a UAS leg's INVITE, retransmitted until its ACK.
  void send_2xx(call_leg& l, sip::message r, call_time t, effects& out);

  /// The SDP for leg `to` for one that leg `from` sent (media_seam.hpp).
  [[nodiscard]] std::string relay_sdp(leg_id from, leg_id to, std::string_view sdp) {
    return media_ != nullptr ? media_->relay(from, to, sdp) : std::string(sdp);
  }
  call_leg* find_leg(const sip::message& msg) noexcept;
  /// The module's logger ("call"); every line names the caller's Call-ID.
  static spdlog::logger& log();
  call_leg& leg_ref(leg_id id);
  call_leg& new_b_leg(std::string target);
  [[nodiscard]] leg_id peer_of(leg_id x) const noexcept;

  call_config cfg_;
  id_generator& ids_;
  sdp_relay* media_ = nullptr;
  state state_ = state::idle;
  /// index = leg_id; legs are never removed (see leg_list).
  leg_list legs_;
  std::array<leg_id, 2> pair_{leg_a, leg_a};
  std::string a_tag_;
  std::string b_from_;    ///< From value (without tag) for B-leg INVITEs
  std::string b_to_;      ///< To value for B-leg INVITEs
  header_list x_headers_; ///< the caller's X- headers, for every fork
  /// Max-Forwards of B-leg INVITEs: the caller's minus one, at most 70, so
  /// a loop through this B2BUA still ends (RFC 3261 §16.6 step 3 spirit).
  std::uint32_t max_forwards_ = 70;
  std::uint64_t next_request_ = 1;
  std::map<std::uint64_t, pending> pending_;
  bool b_ack_deferred_ = false; ///< late offer: B's ACK waits for A's answer
  /// On busy / no answer, until used; null when none (most calls): held
  /// apart, as an unused one would take ~110 bytes in every call.
  std::unique_ptr<call_targets::diversion> divert_;
  static constexpr std::uint8_t redirects_max = 3;
  static constexpr std::size_t redirect_contacts_max = 4;
  std::uint8_t redirects_ = 0; ///< 3xx responses followed on this call
  std::string connected_aor_;  ///< told to A by UPDATE after its ACK
  time_point hold_since_{};
  transfer_state transfer_;
  pick_up_state pick_up_;
  /// Line seizure: digits heard, number dialled, why nobody answered.
  struct seize_state {
    bool digit_heard = false;
    bool hosted = false; ///< a conference seat: nothing is dialled
    bool dialled = false;
    int failure = 0;
    std::string failure_reason;
  } seize_;
  std::string replaces_call_id_; ///< attended transfer waiting for its result
  std::string linked_call_id_;   ///< the call joined by an attended transfer
  std::vector<timer_name> armed_;
  call_summary cdr_;
};

} // namespace ringdown::call
