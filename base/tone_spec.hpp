#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The media plane's tone vocabulary (net/rtp/tone.hpp plays it). It lives in
// base because config parses the operators' tone plan and config may not
// depend on net (ARCHITECTURE.md §7); the namespace is the media plane's.
namespace ringdown::rtp {

inline constexpr std::size_t tone_segments_max = 16;
inline constexpr std::uint16_t tone_freq_max_hz = 3400; ///< top of the telephone band
inline constexpr std::int16_t tone_level_min_dbm0 = -60;
inline constexpr std::int16_t tone_level_max_dbm0 = 0;
inline constexpr std::int16_t tone_level_default_dbm0 = -13;
inline constexpr std::uint16_t tone_element_ms_max = 60'000;
inline constexpr std::size_t tone_name_bytes_max = 32;

/// One step of a cadence: `on_ms` of tone, then `off_ms` of silence. A
/// second frequency of 0 makes a single tone; both frequencies play at
/// `level_dbm0` each. No frequency at all: `on_ms + off_ms` of silence.
struct tone_segment {
  std::uint16_t freq1_hz = 0;
  std::uint16_t freq2_hz = 0;
  std::int16_t level_dbm0 = tone_level_default_dbm0;
  std::uint16_t on_ms = 0;
  std::uint16_t off_ms = 0;
  bool operator==(const tone_segment&) const = default;
};

/// A call-progress tone of the tone plan: its cadence, played once or
/// repeated. A value; configured per deployment (`[media.tones]`).
struct tone_spec {
  std::string name;
  std::vector<tone_segment> cadence;
  bool repeat = false;
  bool operator==(const tone_spec&) const = default;
};

/// True when `spec` can be played: at most tone_segments_max segments,
/// frequencies up to tone_freq_max_hz, levels within [-60, 0] dBm0, and a
/// repeating cadence that lasts longer than zero.
[[nodiscard]] bool valid(const tone_spec& spec) noexcept;

/// True when `name` can name a tone: `[a-z][a-z0-9_]{0,31}`.
[[nodiscard]] bool valid_tone_name(std::string_view name) noexcept;

/// Parses a tone in the syntax of Asterisk's indications.conf: elements
/// `F1[+F2][@LEVEL]/MS` separated by commas, whitespace around them
/// allowed. F in Hz (0: silence), LEVEL in dBm0 (default -13), MS the
/// element's length, 1..60000 ms. A leading `!` plays the cadence once,
/// otherwise it repeats. Each element is one segment (`on_ms` = MS), except
/// that a silence right after a tone becomes that tone's `off_ms`, so
/// "425/1000,0/4000" is the one segment {425 Hz, 1000 ms on, 4000 ms off}.
///
/// The result has `name` and is `valid`. Otherwise std::nullopt and, when
/// `error` is given, what is wrong, naming the element:
/// "element 2 '425/': no duration".
[[nodiscard]] std::optional<tone_spec>
parse_tone(std::string_view name, std::string_view text, std::string* error = nullptr);

} // namespace ringdown::rtp
