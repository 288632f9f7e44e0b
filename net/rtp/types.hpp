#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace ringdown::rtp {

/// Narrowband telephony as the media plane runs it: 8 kHz, 20 ms frames.
inline constexpr std::uint32_t sample_rate_hz = 8000;
inline constexpr std::uint32_t frame_ms = 20;
inline constexpr std::size_t frame_samples = sample_rate_hz * frame_ms / 1000; // 160

/// One 20 ms frame of linear 16-bit PCM, the unit of mixing and tones.
using frame = std::array<std::int16_t, frame_samples>;

/// Static payload types of RFC 3551 §6 that the media plane speaks.
inline constexpr std::uint8_t payload_pcmu = 0;
inline constexpr std::uint8_t payload_pcma = 8;

/// The audio codecs of a leg (G.711, ITU-T G.711 µ-law and A-law).
enum class codec : std::uint8_t { pcmu, pcma };

/// The codec of a static payload type, nullopt for any other.
std::optional<codec> codec_of_payload_type(std::uint8_t pt) noexcept;
std::uint8_t payload_type_of(codec c) noexcept;
/// The rtpmap encoding name: `PCMU` or `PCMA`.
std::string_view to_string(codec c) noexcept;

} // namespace ringdown::rtp
