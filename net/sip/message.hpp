#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "net/sip/header_id.hpp"
#include "net/sip/headers.hpp"
#include "net/sip/limits.hpp"
#include "net/sip/method.hpp"
#include "net/sip/uri.hpp"

namespace ringdown::sip {

/// One header field as it appears in the message: name and value are
/// offsets into the message buffer (so a copied or moved message stays
/// valid). The value is unfolded only logically: folded lines (LWS with
/// CRLF) stay in the buffer as written and typed parsers treat them as SP.
struct header_field {
  header_id id = header_id::other;
  std::uint32_t name_off = 0;
  std::uint16_t name_len = 0;
  std::uint32_t value_off = 0;
  std::uint32_t value_len = 0;
};

/// A SIP request or response (RFC 3261 §7). Zero-copy: it owns one buffer
/// holding the bytes as received and an index of header fields into it;
/// typed accessors parse on demand and return views into the buffer.
/// Edits (adding a Via parameter, a header, a new body) rewrite the buffer
/// at once and re-index it, so accessors, `raw()` and `serialize()` see
/// them; untouched bytes (unknown headers, folding) stay byte for byte.
/// Views obtained before an edit are invalidated by it. A message belongs to
/// one thread or actor at a time.
class message {
public:
  message() = default;

  // -- start line --------------------------------------------------------
  [[nodiscard]] bool is_request() const noexcept { return status_ == 0; }
  [[nodiscard]] bool is_response() const noexcept { return status_ != 0; }
  [[nodiscard]] sip::method method() const noexcept { return method_; }
  [[nodiscard]] std::string_view method_text() const noexcept;
  [[nodiscard]] std::string_view request_uri_text() const noexcept;
  /// Parsed Request-URI; valid only for requests.
  [[nodiscard]] const sip::uri& request_uri() const noexcept { return ruri_; }
  [[nodiscard]] int status_code() const noexcept { return status_; }
  [[nodiscard]] std::string_view reason_phrase() const noexcept;

  // -- raw headers -------------------------------------------------------
  [[nodiscard]] std::span<const header_field> fields() const noexcept { return fields_; }
  [[nodiscard]] std::string_view name_of(const header_field& f) const noexcept;
  [[nodiscard]] std::string_view value_of(const header_field& f) const noexcept;
  /// Value of the first field with this id / name; "" when absent.
  [[nodiscard]] std::string_view header(header_id id) const noexcept;
  [[nodiscard]] std::string_view header(std::string_view name) const noexcept;
  [[nodiscard]] std::size_t count(header_id id) const noexcept;

  // -- typed access (RFC 3261 §20) -------------------------------------------
  /// Topmost Via value; nullopt when absent or malformed.
  [[nodiscard]] std::optional<sip::via> top_via() const noexcept;
  /// Calls `f(const via&)` for every Via value in order (several per line
  /// allowed); returns false if one of them is malformed.
  template <class F>
  bool for_each_via(F&& f) const;
  [[nodiscard]] std::optional<name_addr> from() const noexcept;
  [[nodiscard]] std::optional<name_addr> to() const noexcept;
  [[nodiscard]] std::string_view call_id() const noexcept;
  [[nodiscard]] std::optional<sip::cseq> cseq() const noexcept;
  [[nodiscard]] std::optional<std::uint32_t> max_forwards() const noexcept;
  [[nodiscard]] std::optional<std::uint32_t> expires() const noexcept;
  [[nodiscard]] std::optional<std::uint32_t> content_length() const noexcept;
  [[nodiscard]] std::optional<token_params> content_type() const noexcept;
  /// Every value of a comma-list header, split (quotes and <> respected).
  [[nodiscard]] std::vector<std::string_view> values(header_id id) const;
  [[nodiscard]] std::vector<contact> contacts() const;
  [[nodiscard]] std::vector<name_addr> routes() const;        ///< Route
  [[nodiscard]] std::vector<name_addr> record_routes() const; ///< Record-Route
  /// True when the option tag is listed in Supported / Require / ...
  [[nodiscard]] bool lists_token(header_id id, std::string_view token) const;

  // -- body --------------------------------------------------------------
  [[nodiscard]] std::string_view body() const noexcept;

  // -- edits (applied by serialize) --------------------------------------
  /// Sets or replaces a parameter of the topmost Via (received, rport).
  void set_top_via_param(std::string_view name, std::string_view value);
  /// Adds a header before the first existing header of the same kind, or
  /// at the end of the header block.
  void prepend_header(std::string_view name, std::string_view value);
  void append_header(std::string_view name, std::string_view value);
  /// Removes the first field with this id (e.g. the topmost Via).
  void remove_first(header_id id);
  /// Removes the first element of the comma list `id` (the topmost Route
  /// or Via value, RFC 3261 §16.4, §16.7): the rest of its field stays as
  /// written; the field goes when that was its only element.
  void remove_first_value(header_id id);
  /// Replaces the value of the first field with this id (Max-Forwards,
  /// RFC 3261 §16.6 step 3); appends the field when absent.
  void set_first(header_id id, std::string_view value);
  /// Replaces the body and the Content-Length (and Content-Type if given).
  void set_body(std::string_view content_type, std::string_view body);

  /// Wire form. Without edits it is the received bytes unchanged (a
  /// datagram body cut to its Content-Length, RFC 3261 §18.3).
  [[nodiscard]] std::string serialize() const;
  /// Appends the wire form to `out`.
  void serialize_to(std::string& out) const;
  /// The bytes as received (or as built, or as edited).
  [[nodiscard]] std::string_view raw() const noexcept { return buffer_; }

private:
  friend class parser;
  friend class message_builder;

  /// Position in a comma list spread over several fields of one id.
  struct list_cursor {
    std::size_t field = 0;
    std::string_view rest;
    bool started = false;
  };
  /// Next element of the list `id` (trimmed; empty for an empty element);
  /// false at the end.
  bool next_value(header_id id, list_cursor& c, std::string_view& out) const noexcept;
  /// Index of the first / last field with this name (id or, for `other`,
  /// case-insensitive name); npos when absent.
  [[nodiscard]] std::size_t find_field(std::string_view name, bool last) const noexcept;
  /// Offset just past the line (and folds) of field `i`.
  [[nodiscard]] std::size_t line_end(std::size_t i) const noexcept;
  /// Replaces `erase` bytes at `pos` by `text`, then re-indexes the buffer.
  void splice(std::size_t pos, std::size_t erase, std::string_view text);
  void reindex();
  void reset() noexcept;

  std::string buffer_;
  std::vector<header_field> fields_;
  sip::uri ruri_; // views into buffer_, rebased on copy and move
  std::uint32_t start_a_off_ = 0, start_a_len_ = 0; // method or reason
  std::uint32_t start_b_off_ = 0, start_b_len_ = 0; // request-URI
  std::uint32_t headers_end_ = 0; // offset of the empty line ending the headers
  std::uint32_t body_off_ = 0;
  std::int16_t status_ = 0;
  sip::method method_ = sip::method::unknown;

public:
  message(const message& other);
  message& operator=(const message& other);
  message(message&& other) noexcept;
  message& operator=(message&& other) noexcept;
  ~message();
};

template <class F>
bool message::for_each_via(F&& f) const {
  list_cursor c;
  std::string_view v;
  while (next_value(header_id::via, c, v)) {
    auto parsed = sip::via::parse(v);
    if (!parsed)
      return false;
    f(*parsed);
  }
  return true;
}

} // namespace ringdown::sip
