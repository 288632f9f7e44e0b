#include "net/rtp/types.hpp"

namespace ringdown::rtp {

std::optional<codec> codec_of_payload_type(std::uint8_t pt) noexcept {
  switch (pt) {
  case payload_pcmu:
    return codec::pcmu;
  case payload_pcma:
    return codec::pcma;
  default:
    return std::nullopt;
  }
}

std::uint8_t payload_type_of(codec c) noexcept {
  return c == codec::pcmu ? payload_pcmu : payload_pcma;
}

std::string_view to_string(codec c) noexcept {
  return c == codec::pcmu ? "PCMU" : "PCMA";
}

} // namespace ringdown::rtp
