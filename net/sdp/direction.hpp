#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "net/sdp/session.hpp"

namespace ringdown::sdp {

/// Media direction attribute (RFC 8866 §6.7, RFC 3264 §5.1), seen from the
/// side that wrote the SDP.
enum class direction { sendrecv, sendonly, recvonly, inactive };

std::string_view to_string(direction d) noexcept;
std::optional<direction> parse_direction(std::string_view name) noexcept;

inline bool sends(direction d) noexcept {
  return d == direction::sendrecv || d == direction::sendonly;
}
inline bool receives(direction d) noexcept {
  return d == direction::sendrecv || d == direction::recvonly;
}
direction make_direction(bool send, bool receive) noexcept;
/// The other side's view: sendonly <-> recvonly, others unchanged.
direction reverse(direction d) noexcept;

/// The direction attribute in `attrs` (the last one if several), if any.
std::optional<direction> find_direction(const std::vector<attribute>& attrs) noexcept;
/// Session-level direction, sendrecv when absent.
direction session_direction(const session& s) noexcept;
/// Media-level direction, else the session-level one, else sendrecv.
direction media_direction(const session& s, const media& m) noexcept;
/// Removes every direction attribute of `attrs` and appends `d`.
void set_direction(std::vector<attribute>& attrs, direction d);

} // namespace ringdown::sdp
