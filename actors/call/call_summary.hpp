#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ringdown::call {

/// How a call ended, for billing and reports.
enum class disposition : std::uint8_t {
  answered,  ///< a 2xx reached the caller
  busy,      ///< 486 / 600 (RFC 3261 §21.4.24, §21.6.1)
  no_answer, ///< ring-no-answer timer, or 408 / 480 from every fork
  cancelled, ///< the caller CANCELled before an answer
  rejected,  ///< any other 4xx / 6xx (404, 403, 603, 503 from admission...)
  failed,    ///< 5xx or a local error
};
std::string_view to_string(disposition d) noexcept;

enum class transfer_kind : std::uint8_t { none, blind, attended, pick_up };
std::string_view to_string(transfer_kind k) noexcept;

/// One leg's media figures from the call's bridge (filled in by the shell
/// when the bridge ends; empty without a bridge).
struct media_figures {
  std::uint32_t leg = 0;
  std::uint64_t packets_received = 0;
  std::uint64_t packets_sent = 0;
  std::int64_t packets_lost = 0;
  double jitter_ms = 0;
  double rtt_ms = -1; ///< -1: no RTCP round trip measured
  double mos = 0;
};

/// The call detail record of one call (the CDR), produced by call_stm when
/// the call ends, failed calls included. Plain value: the shell hands it
/// to storage (storage/cdr.hpp) unchanged. Times are wall-clock ms since
/// the Unix epoch (clock::wall_ms), 0 when the event did not happen.
struct call_summary {
  std::string call_id; ///< the caller's (A leg) Call-ID
  std::string from;    ///< caller URI (A's From)
  std::string to;      ///< called URI (A's To)
  std::string line;    ///< line URI the call is on, as the shell gave it
  std::string zone;
  std::string node;
  std::string trunk; ///< trunk name, "" when not a trunk call

  std::int64_t start_ms = 0;  ///< INVITE received
  std::int64_t ring_ms = 0;   ///< first 180/183 relayed
  std::int64_t answer_ms = 0; ///< 2xx sent to the caller
  std::int64_t end_ms = 0;
  /// end - start (the whole call, ringing included).
  std::int64_t duration_ms = 0;
  /// Talk time end - answer, rounded up to whole seconds; 0 if unanswered.
  std::int64_t billable_s = 0;

  call::disposition disposition = disposition::failed;
  int final_status = 0;     ///< final SIP code sent to the caller (200 if answered)
  std::string final_reason; ///< its reason phrase; BYE side for answered calls
  std::string ended_by;     ///< "caller", "callee", "system" (timer, error)

  std::uint32_t hold_count = 0;   ///< times the call went on hold
  std::int64_t hold_total_ms = 0; ///< total time on hold

  transfer_kind transfer = transfer_kind::none;
  std::string transfer_target; ///< Refer-To URI; pick-up: the picker's URI
  /// "caller" or "callee": who sent the REFER, or whose held leg was
  /// picked up.
  std::string transfer_by;

  /// Call diversion: the resource called, the one the call went to, and
  /// why (unconditional, user-busy, no-answer, unavailable); "" if none.
  std::string diverted_from;
  std::string diverted_to;
  std::string divert_reason;
  std::vector<media_figures> media;
};

} // namespace ringdown::call
