#pragma once

#include <string_view>

#include "net/sip/message.hpp"

namespace ringdown::sip {

/// Builds messages from parts. Produces wire text and parses it back into a
/// `message`, so every built message has the same zero-copy shape as a
/// received one.
class message_builder {
public:
  /// A response to `request` per RFC 3261 §8.2.6: same Via values (in
  /// order), From, Call-ID, CSeq; To with `to_tag` added when the request's
  /// To has no tag and `to_tag` is non-empty (never for 100 Trying);
  /// Record-Route copied for dialog-creating 18x/2xx; Content-Length: 0.
  static message response(const message& request, int status, std::string_view reason,
                          std::string_view to_tag = {});

  /// Default reason phrase of a status code (RFC 3261 §21), "" if none.
  static std::string_view default_reason(int status) noexcept;

  /// Starts a request `method request_uri SIP/2.0`.
  message_builder(std::string_view method, std::string_view request_uri);
  /// Starts a response `SIP/2.0 status reason`.
  message_builder(int status, std::string_view reason);

  message_builder& header(std::string_view name, std::string_view value);
  message_builder& body(std::string_view content_type, std::string_view body);
  /// Finishes: adds Content-Length, parses, and returns the message.
  /// Precondition: the parts form a valid message (asserted).
  message build();

private:
  std::string text_;
  std::string_view content_type_;
  std::string body_;
};

} // namespace ringdown::sip
