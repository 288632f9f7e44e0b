#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <spdlog/logger.h>

#include "actors/line/dialog_info_parser.hpp"
#include "actors/line/line_types.hpp"
#include "base/clock.hpp"
#include "config/provisioning.hpp"

namespace ringdown::line {

/// One shared line (RFC 7463 shared appearances of an AOR): the state of
/// each appearance and of the line, decided from what the call engine and
/// the devices report. Pure: no SIP I/O, no clock reads; every entry point
/// returns an `outcome` (a SIP status and the effects to carry out). One
/// instance per line, owned by the line's actor (line/<line-uri>).
///
/// Appearance states (line_types.hpp) and transitions:
///   idle --offered--> ringing --answered(by R)--> busy(R)
///   idle --PUBLISH trying(by R) / originated(by R)--> busy(R)
///   busy(R) --held(by R)--> held | private_held(R)
///   held --retrieved(by any holder S)--> busy(S)
///   private_held(R) --retrieved(by R)--> busy(R); by anyone else: 403
///   busy --barge(by S)--> busy, S joined (non-private line, barge allowed)
///   any --ended--> idle
/// Refusals (403, 481, 486, 400) change nothing and emit no effect. The
/// line's aggregate state is busy if any appearance is busy, else ringing,
/// else private_held, else held, else idle.
///
/// Seize race: an offered call rings every alerted holder on one
/// appearance; the first `answered` seizes it (effect cancel_alerts for
/// the others, who then see BUSY by NOTIFY); a later `answered` for the
/// same call gets 486 and the call engine BYEs that leg.
///
/// Seizing before dialling (RFC 7463 §5.2/§6): a device PUBLISHes a
/// "trying" dialog with an `sa:appearance`; 200 grants it (busy, seized
/// only, until `originated` binds a call or the seize timer fires), 400
/// refuses an appearance in use. Without `sa:appearance` the lowest idle
/// appearance is chosen. "terminated" (or Expires: 0) releases a seize.
/// Other published states are accepted (200) and change nothing: the
/// B2BUA knows its calls better than the devices do.
///
/// How a device asks to barge: it sends an INVITE to the line URI with a
/// Join header (RFC 3911) naming the dialog it learnt from the line's
/// dialog-info NOTIFY: `Join: <call-id>;to-tag=<local-tag>;from-tag=<remote-tag>`
/// (the `call-id`, `local-tag`, `remote-tag` attributes of the appearance's
/// <dialog>; as for Replaces, to-tag is the recipient's own tag). Why Join:
/// RFC 3911 defines it for exactly this (barge-in is its first example),
/// RFC 7463 builds the joining/bridging of an appearance on it and reports
/// the result with <sa:joined-dialog>, and it names one dialog without
/// ambiguity, whereas an appearance number alone is stale as soon as the
/// appearance changes hands. The call engine maps the Join to
/// `barge(call-id, resource, the INVITE's Call-ID)`; on 403 it answers the
/// INVITE 403 and nothing changes. On success every party of the call gets
/// an INFO (RFC 6086) with `Info-Package: x-ringdown-barge`,
/// `Content-Type: application/x-ringdown-barge+json` and the body of
/// `barge_info_body()`:
///   {"event":"barge","line":"<uri>","appearance":N,"call_id":"<id>",
///    "joined_by":"<resource>","parties":<count after the join>}
class line_stm {
public:
  static constexpr std::string_view barge_content_type =
      "application/x-ringdown-barge+json";
  static constexpr std::string_view barge_info_package = "x-ringdown-barge";
  static constexpr std::size_t joined_max = 8;     ///< barged devices per call
  static constexpr std::uint32_t seize_max_s = 60; ///< longest seize before dialling

  /// `holders`: resource names that list this line (provisioning).
  line_stm(config::line_def def, std::vector<std::string> holders);

  /// A call to the line URI. `alerted` (empty = every holder) are rung.
  [[nodiscard]] outcome offered(const line_call& call, std::vector<std::string> alerted);
  /// A holder places a call on the line (after a PUBLISH seize or not).
  [[nodiscard]] outcome originated(const line_call& call, std::string_view by);
  [[nodiscard]] outcome answered(std::string_view call_id, std::string_view by);
  /// The dialog tags of `call` (known once the call engine answered the
  /// caller) go into its appearance, for the next NOTIFY: devices need
  /// them to name the call in Join or Replaces. No effect of its own.
  void learn_tags(const line_call& call);
  /// `private_hold`: the device asked for private hold (also forced by the
  /// line's hold policy private_ or a private line).
  [[nodiscard]] outcome held(std::string_view call_id, std::string_view by,
                             bool private_hold = false);
  [[nodiscard]] outcome retrieved(std::string_view call_id, std::string_view by);
  /// Whether `by` may retrieve the held call `call_id` (the verdict of
  /// `retrieved` without its change): 200, 403 or 481, no effects.
  /// `to_tag`/`from_tag`: the tags a Replaces header gave; a dialog whose
  /// tags the line knows must match them (RFC 3891 §3), else 481.
  [[nodiscard]] outcome may_retrieve(std::string_view call_id, std::string_view by,
                                     std::string_view to_tag = {},
                                     std::string_view from_tag = {}) const;
  /// `to_tag`/`from_tag`: the Join header's (RFC 3911 §7.1), checked as
  /// for may_retrieve.
  [[nodiscard]] outcome barge(std::string_view call_id, std::string_view by,
                              std::string_view barger_call_id, std::string_view to_tag = {},
                              std::string_view from_tag = {});
  /// The call ended, or a barger's own call (`call_id` = its Call-ID) left.
  [[nodiscard]] outcome ended(std::string_view call_id);
  /// A PUBLISH (RFC 3903) from holder `by` with Expires `expires_s`.
  [[nodiscard]] outcome published(const published_dialog_info& info, std::string_view by,
                                  std::uint32_t expires_s, time_point now);
  /// The seize timer of `appearance` fired.
  [[nodiscard]] outcome on_timer(std::uint32_t appearance, time_point now);

  /// Failover (ARCHITECTURE.md §4): takes over the replicated `saved`
  /// state of this line (same URI and appearance count, else false and
  /// nothing changes). Seizes that were not dialled yet get a fresh seize
  /// timer from `now` (arm_timer effects in `out`).
  [[nodiscard]] bool restore(const line_snapshot& saved, time_point now, effects& out);

  [[nodiscard]] line_snapshot snapshot() const;
  [[nodiscard]] appearance_state aggregate() const noexcept;
  [[nodiscard]] const appearance_snapshot& appearance(std::uint32_t number) const;
  [[nodiscard]] bool is_holder(std::string_view resource) const noexcept;

  /// The INFO body telling the parties that `by` joined the call.
  [[nodiscard]] std::string barge_info_body(const appearance_snapshot& a,
                                            std::string_view by) const;

private:
  struct slot {
    appearance_snapshot a;
    std::string publish_dialog_id; ///< dialog id of the seizing PUBLISH
    std::optional<time_point> seize_deadline;
  };

  static spdlog::logger& log();
  /// A refusal, logged with the call (or publisher) it concerns.
  outcome no(std::string_view call_id, int status, std::string_view reason) const;
  slot* find_call(std::string_view call_id) noexcept;
  slot* first_idle() noexcept;
  void occupy(slot& s);
  outcome changed(slot& s, outcome out, std::vector<ended_dialog> ended = {});
  outcome release(slot& s, outcome out);
  outcome publish_one(const published_dialog& d, std::string_view by,
                      std::uint32_t expires_s, time_point now);

  config::line_def def_;
  std::vector<std::string> holders_;
  std::vector<slot> slots_;
  std::uint64_t version_ = 0;
  std::uint64_t dialog_seq_ = 0;
};

/// A refusal: `status` with its reason, no effects.
outcome refuse(int status, std::string_view reason);

} // namespace ringdown::line
