#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ringdown::storage {

/// How a call ended (the CDR's disposition).
enum class cdr_disposition : std::uint8_t {
  answered,
  busy,
  no_answer,
  cancelled,
  rejected,
  failed,
  transferred,
};
inline constexpr std::uint8_t cdr_disposition_count = 7;
[[nodiscard]] std::string_view to_string(cdr_disposition d) noexcept;

/// How a call was transferred, if it was (RFC 5589: blind or attended
/// REFER; or picked up from an open hold by another desk, RFC 7463 §5.3).
enum class transfer_kind : std::uint8_t { none, blind, attended, pick_up };
inline constexpr std::uint8_t transfer_kind_count = 4;
[[nodiscard]] std::string_view to_string(transfer_kind k) noexcept;

/// The transfer part of a CDR.
struct cdr_transfer {
  transfer_kind kind = transfer_kind::none;
  std::string target_uri; ///< where the call went
  std::string by;         ///< who transferred it: a URI, or "caller" / "callee"
  friend bool operator==(const cdr_transfer&, const cdr_transfer&) = default;
};

/// The diversion part of a CDR: the call went to another resource than
/// the one called (call forwarding, RFC 5806 reasons).
struct cdr_diversion {
  std::string from_uri; ///< the resource called, that diverted
  std::string to_uri;   ///< the resource the call went to
  std::string reason;   ///< unconditional, user-busy, no-answer, unavailable
  friend bool operator==(const cdr_diversion&, const cdr_diversion&) = default;
};

/// The media figures of one leg of the call's bridge (RTCP, RFC 3550
/// §6.4), taken when the call ended.
struct cdr_media_leg {
  std::uint32_t leg = 0; ///< 0 = the caller; then the callee, transfer targets, ...
  std::uint64_t packets_received = 0;
  std::uint64_t packets_sent = 0;
  std::int64_t packets_lost = 0;
  std::int64_t jitter_us = 0;  ///< interarrival jitter
  std::int64_t rtt_us = -1;    ///< round-trip time from RTCP, -1 when unknown
  std::uint32_t mos_milli = 0; ///< E-model MOS estimate × 1000 (1000..4500)
  friend bool operator==(const cdr_media_leg&, const cdr_media_leg&) = default;
};

/// A call detail record: one per ended call, written by the cdr actor
/// through `cdr_store`, read by the admin API. Plain value.
/// Times are wall clock milliseconds since the Unix epoch, 0 = never.
struct cdr {
  std::uint64_t id = 0; ///< assigned by cdr_store::append, from 1
  std::string call_id;
  std::string from_uri;
  std::string to_uri;
  std::string line_uri; ///< the shared/private line, empty when none
  std::string zone;
  std::string node;
  std::string trunk; ///< empty when no trunk was used
  std::int64_t start_ms = 0;
  std::int64_t ring_ms = 0;
  std::int64_t answer_ms = 0;
  std::int64_t end_ms = 0;
  std::int64_t duration_ms = 0; ///< end - start (the whole call, ringing included)
  std::int64_t billable_s = 0;  ///< talk time (end - answer) rounded up, 0 if unanswered
  cdr_disposition disposition = cdr_disposition::failed;
  int final_code = 0; ///< final SIP status code, 0 when none
  std::string final_reason;
  std::string ended_by; ///< "caller", "callee" or "system" (timer, error)
  std::uint32_t hold_count = 0;
  std::int64_t hold_total_ms = 0;
  cdr_transfer transfer;
  cdr_diversion diversion; ///< empty when the call was not diverted
  /// One entry per leg of the call's media bridge; empty when the node
  /// does not anchor media.
  std::vector<cdr_media_leg> media;

  /// One JSON object, every field, strings escaped (invalid UTF-8 bytes
  /// become U+FFFD) — for the admin API.
  [[nodiscard]] std::string to_json() const;
  friend bool operator==(const cdr&, const cdr&) = default;
};

/// The record format version written first by `encode_cdr`. Versions 1
/// (before diversions) and 2 (before media figures) are still read, with
/// those parts empty.
inline constexpr std::uint8_t cdr_format_version = 3;
/// Media legs per record at most (a record claiming more is corrupt).
inline constexpr std::uint32_t cdr_media_legs_max = 64;

/// The stored form: version byte, then every field (codec.hpp).
[[nodiscard]] std::string encode_cdr(const cdr& record);
/// std::nullopt on an unknown version, a short, corrupt or over-long record
/// or an out-of-range enum value.
[[nodiscard]] std::optional<cdr> decode_cdr(std::string_view bytes);

} // namespace ringdown::storage
