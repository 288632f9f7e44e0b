#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "actors/call/dialog.hpp"
#include "base/clock.hpp"

namespace ringdown::call {

/// Knobs of call_stm. Plain value, copied into every call.
struct call_config {
  local_address local;
  /// Ring-no-answer: no 2xx from any fork within this time → every fork
  /// is CANCELled and the caller gets `no_answer_status`.
  duration ring_timeout = std::chrono::seconds{60};
  /// 480 Temporarily Unavailable (RFC 3261 §21.4.18: the callee was
  /// contacted but did not answer) by default; 408 is the alternative some
  /// carriers expect, but 408 means "no response at all" in RFC 3261.
  int no_answer_status = 480;
  /// RFC 4028: Session-Expires we offer on B legs, and our Min-SE (a
  /// request below it gets 422, §6). 0 disables session timers.
  std::uint32_t session_expires_s = 1800;
  std::uint32_t min_se_s = 90;
  /// RFC 4028 §10 says the side that is not the refresher SHOULD send BYE
  /// when the session expires without a refresh. true follows the RFC;
  /// false keeps such calls up (they then end by BYE or media timeout).
  bool bye_on_session_expiry = true;
  /// RFC 3261 §17.1.1.1 T1/T2 for retransmitting our 2xx to A (§13.3.1.4).
  duration t1 = std::chrono::milliseconds{500};
  duration t2 = std::chrono::seconds{4};
  /// Legs per call (the caller, its forks, transfer targets): forks
  /// beyond it are dropped, a REFER beyond it gets 403.
  std::size_t legs_max = 32;
  /// Line seizure: how long the caller hears busy or congestion tone when
  /// the dialled number fails, before the call is hung up.
  duration failure_tone = std::chrono::seconds{30};
  /// A literal (or text outliving every call): each call holds a copy of
  /// this struct, so no string of its own.
  std::string_view allow = "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO, REFER, NOTIFY";
};

/// Who receives the call, resolved by the shell before the machine starts.
struct call_targets {
  /// Contact URIs (registrar lookup) or the trunk gateway URI; forked in
  /// parallel. Empty: the call is rejected with `reject_status`.
  std::vector<std::string> uris;
  /// With no URIs: 404 (unknown user), 480 (user exists, no contact), 503
  /// (trunk full, with Retry-After `retry_after_s`).
  int reject_status = 404;
  std::uint32_t retry_after_s = 0;
  std::string trunk; ///< trunk name for the CDR, "" when not a trunk call
  std::string line;  ///< line URI for the CDR
  std::string zone;
  std::string node;
  /// Call diversion (RFC 5806 Diversion header): when the callee has no
  /// phone (`uris` empty), every fork is busy (486/600/603) or none answers
  /// in time, the call goes to `divert.uris`, the contacts of `to_aor`,
  /// once (one hop). The caller is told whom it reached by UPDATE with
  /// P-Asserted-Identity once the call is answered (RFC 4916 spirit).
  struct diversion {
    std::string from_aor;          ///< the diverting resource
    std::string to_aor;            ///< the resource diverted to
    std::vector<std::string> uris; ///< its contacts
    bool on_busy = false;
    bool on_no_answer = false;
    bool on_unavailable = false;
    /// With on_no_answer: ring this long before diverting; zero = the
    /// call's ring timer.
    duration no_answer_after{};
  } divert;
  /// "unconditional": the shell diverted the call already, `uris` are the
  /// contacts of `divert.to_aor`; "" otherwise.
  std::string diverted_reason;
  /// Line seizure: the number the caller dialled (the CDR's `to`).
  std::string dialled;
};

/// Time as an input carries it: monotonic for timers, wall ms for CDRs.
struct call_time {
  time_point now;
  std::int64_t wall_ms = 0;
};

} // namespace ringdown::call
