#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/call/call_effect.hpp"
#include "actors/call/dialog.hpp"
#include "net/sip/message.hpp"

namespace ringdown::call {

/// State of one leg's INVITE usage (RFC 3261 §12.1, §13): no dialog yet,
/// early (1xx with tag), confirmed (2xx), terminated.
enum class leg_state : std::uint8_t { trying, early, confirmed, terminated };

/// Session timer of one leg (RFC 4028): interval and who refreshes.
struct leg_timer {
  std::uint32_t expires_s = 0; ///< 0: no session timer on this leg
  bool we_refresh = false;     ///< we are the refresher (else the peer is)
  bool peer_supports = false;  ///< peer listed `timer` in Supported
};

/// An SDP body a leg keeps (the last one sent or received): immutable text,
/// shared with the other leg when both hold the same body (a B2BUA without
/// media relays an offer unchanged), so a held call keeps each body once.
/// Converts to the string it holds; empty when never set.
class sdp_text {
public:
  sdp_text() = default;
  /// Implicit: legs are assigned bodies as strings.
  sdp_text(std::string text)
      : text_(text.empty() ? nullptr
                           : std::make_shared<const std::string>(std::move(text))) {}

  [[nodiscard]] const std::string& str() const noexcept { return text_ ? *text_ : none(); }
  operator const std::string&() const noexcept { return str(); }
  operator std::string_view() const noexcept { return str(); }
  [[nodiscard]] bool empty() const noexcept { return !text_; }
  /// Both hold the same text object (not merely equal text).
  [[nodiscard]] bool shares(const sdp_text& other) const noexcept {
    return text_ == other.text_;
  }
  friend bool operator==(const sdp_text& a, std::string_view b) noexcept {
    return a.str() == b;
  }

private:
  static const std::string& none() noexcept {
    static const std::string empty;
    return empty;
  }
  std::shared_ptr<const std::string> text_;
};

/// One leg of a call: the A leg (the caller, we are UAS), a B leg (a fork
/// or a transfer target, we are UAC) or a pick-up leg (a device that took
/// over a held call with INVITE + Replaces, we are UAS). Owned by call_stm.
struct call_leg {
  leg_id id = leg_a;
  leg_state state = leg_state::trying;
  std::optional<dialog> dlg;
  bool uas = false; ///< we answered this leg's INVITE (A, pick-up)
  /// UAS: the INVITE received; B: the INVITE we sent (dialog creation).
  /// Released (null) once the dialog is confirmed and ACKed, or the fork
  /// failed: in-dialog requests need only `dlg`. Held apart, so a held
  /// call's legs carry a pointer, not an empty message (memory per call).
  std::unique_ptr<sip::message> invite;
  std::uint64_t invite_tx = 0;  ///< UAS: its INVITE server transaction
  std::uint64_t invite_req = 0; ///< B: our request id of the INVITE
  std::string target;           ///< B: Request-URI of the INVITE
  bool cancelled = false;       ///< B: CANCEL sent (or fork lost)
  /// B: the RSeq of the last reliable provisional response acknowledged
  /// by PRACK (RFC 3262 §4); 0 before the first.
  std::uint32_t rseq = 0;
  int final_status = 0; ///< B: final response received
  std::string final_reason;
  bool held = false;     ///< this leg put the call on hold (its last SDP)
  bool barged = false;   ///< joined by barge: in the bridge, not in the pair
  sdp_text sdp_sent;     ///< last SDP we sent on this leg
  sdp_text sdp_received; ///< last SDP this leg sent us
  leg_timer timer;
  bool peer_allows_update = false;
  /// UAS: our 2xx to its INVITE until the ACK (RFC 3261 §13.3.1.4);
  /// held apart, as most legs never need one.
  std::unique_ptr<sip::message> unacked_2xx;
  duration retransmit_interval{};
  time_point answered_at{};

  /// `invite`, or an empty message once released.
  [[nodiscard]] const sip::message& invite_message() const noexcept {
    static const sip::message none;
    return invite ? *invite : none;
  }
};

/// Where a body went from one of `x`, `y` to the other unchanged, both legs
/// share one copy of it (call it once their offer and answer are done).
inline void share_sdp(call_leg& x, call_leg& y) {
  if (!y.sdp_sent.shares(x.sdp_received) && y.sdp_sent == x.sdp_received.str())
    y.sdp_sent = x.sdp_received;
  if (!x.sdp_sent.shares(y.sdp_received) && x.sdp_sent == y.sdp_received.str())
    x.sdp_sent = y.sdp_received;
}

/// The legs of one call, index = leg_id. Each leg is allocated on its own
/// and never moves, so references stay valid while legs are added (a
/// fork, a transfer target, a pick-up); a call holds two or three legs,
/// and a deque's first block alone would cost more than that.
class leg_list {
public:
  template <class Leg, class It>
  class iter {
  public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = call_leg;
    using difference_type = std::ptrdiff_t;
    using pointer = Leg*;
    using reference = Leg&;
    iter() = default;
    explicit iter(It it) : it_(it) {}
    Leg& operator*() const { return **it_; }
    Leg* operator->() const { return it_->get(); }
    iter& operator++() {
      ++it_;
      return *this;
    }
    iter operator++(int) { return iter(it_++); }
    bool operator==(const iter& other) const { return it_ == other.it_; }

  private:
    It it_{};
  };
  using iterator = iter<call_leg, std::vector<std::unique_ptr<call_leg>>::iterator>;
  using const_iterator =
      iter<const call_leg, std::vector<std::unique_ptr<call_leg>>::const_iterator>;

  call_leg& emplace_back() {
    if (legs_.empty())
      legs_.reserve(2); // the caller and one callee: the common call
    return *legs_.emplace_back(std::make_unique<call_leg>());
  }
  [[nodiscard]] std::size_t size() const noexcept { return legs_.size(); }
  [[nodiscard]] bool empty() const noexcept { return legs_.empty(); }
  call_leg& operator[](std::size_t i) { return *legs_[i]; }
  const call_leg& operator[](std::size_t i) const { return *legs_[i]; }
  call_leg& front() { return *legs_.front(); }
  iterator begin() { return iterator(legs_.begin()); }
  iterator end() { return iterator(legs_.end()); }
  const_iterator begin() const { return const_iterator(legs_.begin()); }
  const_iterator end() const { return const_iterator(legs_.end()); }

private:
  std::vector<std::unique_ptr<call_leg>> legs_;
};

/// Why call_stm sent a request; decides what its response does.
enum class request_purpose : std::uint8_t {
  invite,
  relay,
  bye,
  refresh,
  notify,
  reinvite,
  pick_up,    ///< re-INVITE of the held call's other party with the picker's offer
  identity,   ///< UPDATE telling the caller whom it is connected with
  announce,   ///< INFO telling the parties of an event (a barge)
  to_linked,  ///< a leg's request handed to the linked call (nothing sent here)
  from_linked ///< the linked call's request, relayed to our remaining party
};

/// A request call_stm sent and still waits a response for.
struct pending_request {
  request_purpose what = request_purpose::relay;
  leg_id leg = leg_a; ///< where it went
  std::uint32_t cseq = 0;
  std::string method;
  std::string sdp; ///< body we sent (relay, refresh, reinvite)
  /// relay: the request it carries, from which leg and transaction;
  /// from_linked: `from_tx` is the linked call's relay id.
  leg_id from_leg = leg_a;
  std::uint64_t from_tx = 0;
  /// Held apart: most pending requests (the INVITEs, BYEs) relay nothing.
  std::shared_ptr<const sip::message> from_request;
};

/// A pick-up in progress: `picker` (a new UAS leg) takes the place of the
/// held leg `held`; `keep` (the other party) is re-INVITEd first.
struct pick_up_state {
  bool active = false;
  leg_id held = leg_a;
  leg_id picker = leg_a;
  leg_id keep = leg_a;
  std::string restore_sdp; ///< what `keep` had before (if the picker gives up)
};

/// A transfer in progress (RFC 3515): who asked, who stays, the new leg.
struct transfer_state {
  bool active = false;
  leg_id transferor = leg_a;
  leg_id transferee = leg_a;
  leg_id target = leg_a; ///< blind: the new leg; attended: unused
};

} // namespace ringdown::call
