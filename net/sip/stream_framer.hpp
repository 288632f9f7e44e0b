#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "net/sip/limits.hpp"

namespace ringdown::sip {

/// Cuts a TCP/TLS byte stream into SIP messages by Content-Length (RFC 3261
/// §18.3) and recognises RFC 5626 §4.4.1 keep-alives: a double CRLF ("ping")
/// between messages is answered by a single CRLF ("pong"); a lone CRLF is a
/// pong and is skipped. One per connection.
class stream_framer {
public:
  enum class kind { need_more, message, ping, error };
  struct item {
    kind what = kind::need_more;
    std::string_view bytes; ///< the message (valid until the next feed/next)
  };

  explicit stream_framer(const sip::limits& lim) noexcept : limits_(lim) {}

  /// Appends received bytes.
  void feed(std::string_view bytes);
  /// Next complete item; `need_more` when none. `error` (header block over
  /// the limit, bad Content-Length) means the connection must be closed.
  item next();
  [[nodiscard]] std::size_t buffered() const noexcept { return buf_.size() - pos_; }

private:
  /// Frames the message starting at pos_ once its header block is complete.
  item frame_message();

  sip::limits limits_;
  std::string buf_;
  std::size_t pos_ = 0;
  std::size_t scan_ = 0; ///< where the search for CRLFCRLF resumes
  bool failed_ = false;  ///< sticky: the stream cannot be re-synchronised
};

} // namespace ringdown::sip
