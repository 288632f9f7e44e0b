#pragma once

#include <cstdint>
#include <string_view>

#include "net/sip/limits.hpp"
#include "net/sip/message.hpp"

namespace ringdown::sip {

/// Why a message was refused.
enum class parse_error : std::uint8_t {
  none,
  empty,            ///< nothing but whitespace/CRLF
  bad_start_line,   ///< unknown SIP version, bad status code, missing URI...
  bad_header,       ///< header line without ':' or with an invalid name
  bad_value,        ///< a mandatory header's value breaks its grammar
  missing_header,   ///< To, From, Call-ID, CSeq, Via (or Max-Forwards absent is fine)
  cseq_mismatch,    ///< CSeq method differs from the request method
  too_large,        ///< message_bytes_max exceeded → 413 (RFC 3261 §21.4.11)
  too_many_headers, ///< headers_max exceeded → 400 "Too Many Headers"
  line_too_long,    ///< line_bytes_max exceeded
  body_length,      ///< Content-Length larger than the bytes present (datagram)
  bad_version,      ///< SIP-Version other than 2.0 → 505 (RFC 3261 §21.5.7)
};

/// Outcome of `parse`. When `error != none` the message may still be
/// answerable: `answerable` is true for a request whose start line and
/// topmost Via parsed well enough to build a response (RFC 3261 §8.2.6;
/// From, To, Call-ID and CSeq are copied as received when present), and
/// `status`/`reason` say which error response to send:
/// 413 when the message is over message_bytes_max (RFC 3261 §21.4.11),
/// 414 for a Request-URI over line_bytes_max, 505 for a SIP-Version other
/// than 2.0, otherwise 400 with a reason phrase naming the problem (RFC 4475
/// §3.3.1: a request without From/To/Call-ID is still answered 400).
struct parse_result {
  parse_error error = parse_error::none;
  bool answerable = false;
  int status = 0;          ///< response to send when answerable
  std::string_view reason; ///< reason phrase / diagnostic (static text)
  [[nodiscard]] bool ok() const noexcept { return error == parse_error::none; }
};

/// The SIP message parser (RFC 3261 §7, §25). Stateless apart from its
/// limits; one per transport thread. `bytes` is one complete message: a
/// datagram, or one frame cut by `stream_framer`. For datagrams a body
/// longer than Content-Length is truncated to it (§18.3); shorter is an
/// error. Never throws, never reads outside `bytes`.
class parser {
public:
  explicit parser(const sip::limits& lim) noexcept : limits_(lim) {}

  /// Parses into `out` (its previous contents are replaced; its buffer
  /// capacity is reused, so a parser loop does not allocate per message).
  parse_result parse(std::string_view bytes, message& out) const;

private:
  friend class message;
  /// Parses `out.buffer_` in place (used by parse and by message edits).
  parse_result parse_owned(message& out) const;

  sip::limits limits_;
};

} // namespace ringdown::sip
