#pragma once

#include <cstdint>
#include <string>

#include "actors/line/dialog_info_parser.hpp"
#include "actors/line/line_types.hpp"
#include "net/sip/message.hpp"

namespace ringdown::line {

/// Bounds on the Expires of a device's PUBLISH (RFC 3903 §6).
struct publish_limits {
  std::uint32_t expires_default_s = 3600;
  std::uint32_t expires_min_s = 1; ///< below (and not 0): 423 with Min-Expires
  std::uint32_t expires_max_s = 3600;
  std::size_t body_bytes_max = 16 * 1024;
};

/// A PUBLISH checked and read (RFC 3903 §6 steps 2-5 for Event: dialog).
struct publish_request {
  int status = 200; ///< 200 = hand `info` to line_stm::published
  std::string reason;
  std::uint32_t expires_s = 0;
  std::uint32_t min_expires_s = 0; ///< for the 423
  bool refresh = false;            ///< SIP-If-Match without a body
  published_dialog_info info;
};

/// Checks a PUBLISH to a line: Event not `dialog` → 489; a body that is
/// not application/dialog-info+xml → 415; no body and no SIP-If-Match →
/// 400; too big → 413; a body our strict parser refuses → 400; Expires
/// below the minimum → 423, above the maximum → clamped.
publish_request read_publish(const sip::message& publish,
                             const publish_limits& limits = {});

/// The response to `publish`: `o.status` (200 with SIP-ETag and Expires,
/// 423 with Min-Expires, 489 with Allow-Events, 415 with Accept).
sip::message publish_response(const sip::message& publish, const publish_request& req,
                              const outcome& o);

} // namespace ringdown::line
