#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "actors/call/dialog.hpp"
#include "actors/line/line_types.hpp"
#include "base/clock.hpp"
#include "base/ids.hpp"
#include "net/sip/message.hpp"

namespace ringdown::line {

struct subscription_config {
  std::string line_uri;
  call::local_address local;              ///< Via host and Contact of our NOTIFYs
  std::uint32_t expires_default_s = 3600; ///< RFC 4235 §3.2
  std::uint32_t expires_min_s = 60;       ///< below: 423 with Min-Expires
  std::uint32_t expires_max_s = 7200;     ///< above: clamped
};

namespace sub {
/// Answer the SUBSCRIBE (the shell's server transaction).
struct respond {
  sip::message msg;
};
/// Send this NOTIFY in a new client transaction to `destination` (it has
/// no Via: the transport stamps its own, as for call::dialog requests);
/// report its final status through `on_notify_response`.
struct send_notify {
  sip::message msg;
  std::string destination;
};
struct arm_timer {
  time_point deadline;
};
struct cancel_timer {};
/// The subscription is over: the shell may drop this machine.
struct ended {};
using effect = std::variant<respond, send_notify, arm_timer, cancel_timer, ended>;
using effects = std::vector<effect>;
} // namespace sub

/// One subscription of a device to a line's dialog state (RFC 6665 §4.2
/// notifier behaviour, RFC 4235 §3 dialog event package, RFC 7463 §5.1
/// `Event: dialog;shared`). Pure: SUBSCRIBE requests, line changes, NOTIFY
/// results and the expiry timer in; responses, NOTIFYs and timer requests
/// out. One instance per subscription dialog, owned by the line's actor.
///
/// States (RFC 6665 §4.1.2): init --SUBSCRIBE ok--> active --expiry timer,
/// Expires: 0, NOTIFY 481/408--> terminated. "pending" is never used: the
/// shell authorizes (holders of the line only) before calling.
/// Initial SUBSCRIBE checks: Event not `dialog` → 489 (Allow-Events:
/// dialog); Accept without application/dialog-info+xml → 406; Expires
/// below the minimum (and not 0) → 423 with Min-Expires; above the maximum
/// → clamped; absent → the default. Accepted → 200 with Expires and an
/// immediate NOTIFY with the full state; then a NOTIFY on every line change
/// (dialog-info version +1, CSeq +1), `Subscription-State: active;expires=N`.
/// A refresh SUBSCRIBE in the dialog re-arms the timer and NOTIFYs again;
/// Expires: 0 or the timer firing sends the final NOTIFY
/// `terminated;reason=timeout`.
class subscription_stm {
public:
  enum class state : std::uint8_t { init, active, terminated };

  /// `ids` makes our To-tag; it must outlive this.
  subscription_stm(subscription_config cfg, id_generator& ids);

  /// A SUBSCRIBE: the initial one (state init) or one in this dialog.
  [[nodiscard]] sub::effects on_subscribe(const sip::message& request,
                                          const line_snapshot& line, time_point now);
  /// The line changed (line_stm's `line_changed` effect).
  [[nodiscard]] sub::effects on_line_changed(const line_changed& change, time_point now);
  /// The expiry timer fired (stale timers are ignored).
  [[nodiscard]] sub::effects on_timer(time_point now);
  /// The line moves to another node (RFC 6665 §4.1.3): the final NOTIFY
  /// `terminated;reason=deactivated` tells the subscriber to subscribe
  /// again at once, and the new SUBSCRIBE reaches the line's new owner.
  [[nodiscard]] sub::effects deactivate(time_point now);
  /// Final status of one of our NOTIFYs (408 for a transaction timeout).
  [[nodiscard]] sub::effects on_notify_response(int status, time_point now);

  [[nodiscard]] state current() const noexcept { return state_; }
  [[nodiscard]] std::uint64_t version() const noexcept { return version_; }
  [[nodiscard]] std::optional<time_point> deadline() const noexcept { return deadline_; }
  [[nodiscard]] const call::dialog* dialog() const noexcept {
    return dialog_ ? &*dialog_ : nullptr;
  }

private:
  sub::effects reject(const sip::message& request, int status, const char* reason,
                      const std::vector<std::pair<std::string, std::string>>& extra = {});
  void notify(sub::effects& out, const line_snapshot& line,
              const std::vector<ended_dialog>& ended, time_point now, bool final_notify,
              std::string_view reason = "timeout");

  subscription_config cfg_;
  id_generator& ids_;
  state state_ = state::init;
  std::optional<call::dialog> dialog_;
  std::string event_; ///< Event value we echo (dialog, its id, shared)
  std::optional<time_point> deadline_;
  std::uint64_t version_ = 0; ///< dialog-info version of the next NOTIFY
  line_snapshot last_;        ///< for the NOTIFY of a refresh
};

} // namespace ringdown::line
