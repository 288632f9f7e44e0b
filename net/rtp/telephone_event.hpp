#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "net/rtp/rtp_packet.hpp"

namespace ringdown::rtp {

/// One RFC 4733 §2.3 named-event payload: event code, end bit, volume
/// (0..63, −dBm0) and duration in timestamp units since the event began.
struct telephone_event {
  std::uint8_t event = 0;
  bool end = false;
  std::uint8_t volume = 0;
  std::uint16_t duration = 0;
  bool operator==(const telephone_event&) const = default;
};

inline constexpr std::size_t telephone_event_size = 4;

/// Reads the first 4 octets of a telephone-event payload. A longer payload
/// is accepted and the rest ignored (RFC 2198 redundancy uses its own `red`
/// payload type, so a telephone-event payload beyond 4 octets is a sender's
/// quirk, not data we need). nullopt when shorter than 4 octets.
std::optional<telephone_event>
parse_telephone_event(std::span<const std::uint8_t> payload) noexcept;
/// Writes 4 octets (R bit zero, volume masked to 6 bits); 0 if `out` is short.
std::size_t write_telephone_event(const telephone_event& e,
                                  std::span<std::uint8_t> out) noexcept;

/// DTMF events 0..15 of RFC 4733 §3.2 as keypad characters: '0'-'9', '*'
/// (10), '#' (11), 'A'-'D' (12..15); 0 for any other event.
char event_to_digit(std::uint8_t event) noexcept;
/// The inverse; 'a'-'d' accepted too. nullopt for other characters.
std::optional<std::uint8_t> digit_to_event(char digit) noexcept;

/// A keypad digit as the bridge collects it.
struct dtmf_digit {
  char digit = 0;
  std::uint32_t timestamp = 0; ///< RTP timestamp identifying the event
  std::uint16_t duration = 0;  ///< timestamp units, as last seen
  bool ended = false;          ///< an end packet has been seen
  bool operator==(const dtmf_digit&) const = default;
};

/// Turns the telephone-event packets of one inbound leg into digits, each
/// exactly once (RFC 4733 §2.5.2). An event is identified by its RTP
/// timestamp: the start packet (marker), the updates and the redundant end
/// packets of one event yield one digit, reported at first sight, so a
/// lost start packet still gives the digit. A newer timestamp is a new event
/// (the same key pressed twice is two digits), except the continuation
/// segment of a long event (§2.5.1.3: no marker, previous event unfinished,
/// same code, timestamp advanced by the previous segment's duration).
/// Packets of an older event (late, reordered end packets) are ignored. A
/// new SSRC starts afresh. Owned by the leg on its media thread.
class dtmf_receiver {
public:
  /// Timestamp distance behind the current event within which a packet is
  /// taken as a stale one of an earlier event (10 s at 8 kHz); farther back
  /// is taken as a new event of a restarted stream.
  static constexpr std::uint32_t stale_window_ts = 80'000;

  /// One telephone-event packet; the digit when this packet starts a new
  /// keypad event, nullopt otherwise (repeats, non-keypad events).
  std::optional<dtmf_digit> feed(const rtp_header& h, const telephone_event& e) noexcept;
  /// The latest event as last updated (duration, end seen); nullopt before
  /// the first or when it is not a keypad event.
  [[nodiscard]] std::optional<dtmf_digit> current() const noexcept;

private:
  bool started_ = false;
  std::uint32_t ssrc_ = 0;
  std::uint32_t timestamp_ = 0;
  std::uint8_t event_ = 0;
  std::uint16_t duration_ = 0;
  bool ended_ = false;
};

/// The telephone-event packets for one digit (RFC 4733 §2.5.1): one per
/// 20 ms tick with the duration so far, the first with the marker, the last
/// with the end bit sent three times; all with the event's start timestamp.
/// Owned by the leg's sender on its media thread; no allocation.
class dtmf_sender {
public:
  struct step {
    telephone_event event;
    bool marker = false;         ///< set the RTP marker on this packet
    std::uint32_t timestamp = 0; ///< RTP timestamp of this packet
  };
  static constexpr std::uint32_t duration_min_ms = 40;
  static constexpr std::uint32_t duration_max_ms = 8000; // 16-bit duration
  static constexpr unsigned end_repeats = 3;

  /// Prepares the packets for `digit` starting at `timestamp`; the
  /// duration is clamped to [40, 8000] ms. False (nothing to send) for a
  /// character that is not a keypad digit. Replaces any digit in progress
  /// (whose end packets are then never sent).
  bool start(char digit, std::uint32_t timestamp, std::uint32_t duration_ms = 100,
             std::uint8_t volume = 10) noexcept;
  /// The payload for the next 20 ms tick; nullopt once all are sent.
  std::optional<step> next() noexcept;
  [[nodiscard]] bool active() const noexcept { return sent_ < total_; }

private:
  std::uint8_t event_ = 0;
  std::uint8_t volume_ = 0;
  std::uint32_t timestamp_ = 0;
  std::uint32_t duration_ts_ = 0;
  unsigned ticks_ = 0; // packets before the end packets
  unsigned sent_ = 0;
  unsigned total_ = 0;
};

} // namespace ringdown::rtp
