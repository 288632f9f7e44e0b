#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/clock.hpp"

namespace ringdown::line {

/// State of one appearance (a call slot numbered 1..N) of a shared line
/// (RFC 7463 §3, §5.2 appearance numbers; names from ARCHITECTURE.md §1).
enum class appearance_state : std::uint8_t {
  idle,        ///< no dialog on the appearance
  ringing,     ///< an offered call alerts the holders (RFC 4235 "early")
  busy,        ///< seized: answered, dialling, or PUBLISHed "trying"
  held,        ///< held; any holder may retrieve it (open hold)
  private_held ///< held; only the holder may retrieve it (sa:exclusive)
};
std::string_view to_string(appearance_state s) noexcept;

/// The call as the line shows it to the devices (RFC 4235 §4.1.6 remote
/// identity; RFC 3261 §12 dialog id for `sa:joined-dialog` and Join).
struct line_call {
  std::string call_id;
  std::string remote_uri;     ///< the far party (caller or callee)
  std::string remote_display; ///< its display name, "" when none
  std::string local_tag;      ///< optional: our tag on the dialog devices may Join
  std::string remote_tag;     ///< optional: the far party's tag
  bool operator==(const line_call&) const = default;
};

/// A device that barged into the call of an appearance (RFC 3911 Join).
struct joined_party {
  std::string resource; ///< provisioning name of the barging device
  std::string call_id;  ///< Call-ID of the barger's own INVITE dialog
  bool operator==(const joined_party&) const = default;
};

/// One appearance as the notifier and the tests see it.
struct appearance_snapshot {
  std::uint32_t number = 0; ///< 1..appearances (RFC 7463 appearance number)
  appearance_state state = appearance_state::idle;
  line_call call;                   ///< empty call_id while only seized
  std::string owner;                ///< resource that answered / seized / holds
  std::vector<std::string> alerted; ///< resources rung (state ringing only)
  std::vector<joined_party> joined; ///< barged-in devices (state busy)
  bool outgoing = false;            ///< initiated by `owner` (RFC 4235 direction)
  bool seized_only = false;         ///< PUBLISHed "trying", no call yet
  std::uint64_t dialog_seq = 0;     ///< makes the dialog-info `id` unique
  bool operator==(const appearance_snapshot&) const = default;
};

/// The whole line: what every NOTIFY (and the replica store) is built from.
struct line_snapshot {
  std::string uri;
  std::string display_name;
  bool private_line = false;
  std::uint64_t version = 0; ///< +1 on every change
  appearance_state aggregate = appearance_state::idle;
  std::vector<appearance_snapshot> appearances; ///< index i = number i+1
};

/// A dialog that just ended: the next NOTIFY reports it "terminated" once
/// (RFC 4235 §3.7.1), so devices clear the appearance.
struct ended_dialog {
  std::uint32_t appearance = 0;
  std::uint64_t dialog_seq = 0;
  std::string call_id;
};

// -- effects of line_stm: plain data the actor shell carries out --------

/// CANCEL the forks of `call_id` to these resources (lost the seize race,
/// RFC 3261 §9.1 via the call engine): they then see BUSY by NOTIFY.
struct cancel_alerts {
  std::string call_id;
  std::vector<std::string> resources;
};
/// Bridge `barger_call_id` (the device's INVITE with Join) into `call_id`.
struct join_call {
  std::string call_id;
  std::string resource;
  std::string barger_call_id;
};
/// Send INFO (RFC 6086) with this body on every leg of `call_id`.
struct inform_parties {
  std::string call_id;
  std::string content_type;
  std::string body;
};
/// The line changed: the notifier NOTIFYs every subscriber, the replica
/// holders persist `snapshot`.
struct line_changed {
  line_snapshot snapshot;
  std::vector<ended_dialog> ended;
};
/// Seize-expiry timer of one appearance (re-arming replaces it).
struct arm_timer {
  std::uint32_t appearance = 0;
  time_point deadline;
};
struct cancel_timer {
  std::uint32_t appearance = 0;
};

using effect = std::variant<cancel_alerts, join_call, inform_parties, line_changed,
                            arm_timer, cancel_timer>;
using effects = std::vector<effect>;

/// The verdict on one event plus what to do. `status` is a SIP status the
/// call engine sends (or acts on): 200 allowed; 400 appearance in use or
/// bad request (PUBLISH); 403 refused by policy or state (nothing changed);
/// 481 unknown call; 486 no free appearance or the line was already seized.
struct outcome {
  int status = 200;
  std::string reason;
  std::uint32_t appearance = 0; ///< the appearance concerned, 0 when none
  std::string etag;             ///< PUBLISH only: SIP-ETag for the 200 (RFC 3903)
  effects fx;
  [[nodiscard]] bool ok() const noexcept { return status >= 200 && status < 300; }
};

} // namespace ringdown::line
