#include "net/sip/stream_framer.hpp"

#include "net/sip/header_id.hpp"
#include "net/sip/scan.hpp"

namespace ringdown::sip {

void stream_framer::feed(std::string_view bytes) {
  if (failed_)
    return;
  if (pos_ > 0 && pos_ * 2 >= buf_.size()) { // compact: drop consumed bytes
    buf_.erase(0, pos_);
    scan_ -= pos_;
    pos_ = 0;
  }
  buf_.append(bytes);
}

stream_framer::item stream_framer::next() {
  if (failed_)
    return {kind::error, {}};
  const std::string_view b(buf_);
  // RFC 5626 §4.4.1 keep-alives between messages.
  while (pos_ < b.size() && (b[pos_] == '\r' || b[pos_] == '\n')) {
    const std::string_view rest = b.substr(pos_);
    if (rest.starts_with("\r\n\r\n")) {
      pos_ += 4;
      scan_ = pos_;
      return {kind::ping, {}};
    }
    if (rest.size() < 4 && std::string_view("\r\n\r\n").starts_with(rest))
      return {};                              // maybe the start of a ping: wait
    pos_ += rest.starts_with("\r\n") ? 2 : 1; // a lone CRLF (pong) or stray LF
    scan_ = pos_;
  }
  if (pos_ == b.size())
    return {};
  return frame_message();
}

stream_framer::item stream_framer::frame_message() {
  const std::string_view b(buf_);
  if (scan_ < pos_)
    scan_ = pos_;
  const std::size_t start = scan_ >= pos_ + 3 ? scan_ - 3 : pos_;
  const std::size_t hdr_end = b.find("\r\n\r\n", start);
  if (hdr_end == std::string_view::npos) {
    scan_ = b.size();
    if (b.size() - pos_ > limits_.message_bytes_max) {
      failed_ = true;
      return {kind::error, {}};
    }
    return {};
  }
  const std::size_t body_off = hdr_end + 4;
  // Content-Length (or "l") is mandatory on streams (RFC 3261 §18.3).
  std::string_view headers = b.substr(pos_, hdr_end + 2 - pos_);
  std::optional<std::uint64_t> length;
  int found = 0;
  while (!headers.empty()) {
    std::size_t le = headers.find("\r\n");
    while (le != std::string_view::npos && le + 2 < headers.size() &&
           (headers[le + 2] == ' ' || headers[le + 2] == '\t'))
      le = headers.find("\r\n", le + 2); // folded line
    const std::string_view line = headers.substr(0, le);
    headers = le == std::string_view::npos ? std::string_view{} : headers.substr(le + 2);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos)
      continue;
    if (header_id_from(scan::trim(line.substr(0, colon))) != header_id::content_length)
      continue;
    ++found;
    length = scan::to_uint(scan::trim(line.substr(colon + 1)), limits_.message_bytes_max);
  }
  if (found != 1 || !length || body_off - pos_ + *length > limits_.message_bytes_max) {
    failed_ = true;
    return {kind::error, {}};
  }
  const std::size_t total = body_off - pos_ + static_cast<std::size_t>(*length);
  if (b.size() - pos_ < total) {
    scan_ = hdr_end; // re-found cheaply next time
    return {};
  }
  const item it{kind::message, b.substr(pos_, total)};
  pos_ += total;
  scan_ = pos_;
  return it;
}

} // namespace ringdown::sip
