#include "net/sip/builder.hpp"

#include <limits>
#include <string>

#include "base/assert.hpp"
#include "net/sip/parser.hpp"
#include "net/sip/scan.hpp"

namespace ringdown::sip {

namespace {

void add(std::string& text, std::string_view name, std::string_view value) {
  text.append(name).append(": ").append(value).append("\r\n");
}

// Parses built text; structural errors are programming errors.
message finish(std::string& text) {
  message m;
  const parse_result r = parser(unbounded_limits()).parse(text, m);
  RINGDOWN_ASSERT(r.error != parse_error::bad_start_line &&
                      r.error != parse_error::bad_header && r.error != parse_error::empty &&
                      r.error != parse_error::body_length,
                  "built message has a valid structure");
  return m;
}

bool creates_dialog(sip::method m) noexcept {
  return m == sip::method::invite || m == sip::method::subscribe || m == sip::method::refer;
}

} // namespace

message message_builder::response(const message& request, int status,
                                  std::string_view reason, std::string_view to_tag) {
  RINGDOWN_ASSERT(status >= 100 && status <= 699, "status code in range");
  if (reason.empty())
    reason = default_reason(status);
  std::string text;
  text.reserve(request.headers_end_ + 64);
  text.append("SIP/2.0 ")
      .append(std::to_string(status))
      .append(" ")
      .append(reason)
      .append("\r\n");
  const bool copy_rr = creates_dialog(request.method()) && status > 100 && status < 300;
  for (const header_field& f : request.fields()) {
    switch (f.id) {
    case header_id::via:
    case header_id::from:
    case header_id::call_id:
    case header_id::cseq:
      add(text, canonical_name(f.id), request.value_of(f));
      break;
    case header_id::record_route:
      if (copy_rr)
        add(text, canonical_name(f.id), request.value_of(f));
      break;
    case header_id::to: {
      const std::string_view to = request.value_of(f);
      text.append("To: ").append(to);
      const auto parsed = name_addr::parse(to);
      if (status != 100 && !to_tag.empty() && parsed && parsed->tag().empty())
        text.append(";tag=").append(to_tag);
      text.append("\r\n");
      break;
    }
    default:
      break;
    }
  }
  text.append("Content-Length: 0\r\n\r\n");
  return finish(text);
}

message_builder::message_builder(std::string_view method, std::string_view request_uri) {
  text_.append(method).append(" ").append(request_uri).append(" SIP/2.0\r\n");
}

message_builder::message_builder(int status, std::string_view reason) {
  RINGDOWN_ASSERT(status >= 100 && status <= 699, "status code in range");
  text_.append("SIP/2.0 ")
      .append(std::to_string(status))
      .append(" ")
      .append(reason)
      .append("\r\n");
}

message_builder& message_builder::header(std::string_view name, std::string_view value) {
  add(text_, name, value);
  return *this;
}

message_builder& message_builder::body(std::string_view content_type,
                                       std::string_view body) {
  content_type_ = content_type;
  body_.assign(body);
  return *this;
}

message message_builder::build() {
  if (!content_type_.empty())
    add(text_, "Content-Type", content_type_);
  add(text_, "Content-Length", std::to_string(body_.size()));
  text_.append("\r\n").append(body_);
  return finish(text_);
}

} // namespace ringdown::sip
