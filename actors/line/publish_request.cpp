// RFC 3903 PUBLISH of RFC 4235 dialog state to a shared line (RFC 7463 §5.2).
#include "actors/line/publish_request.hpp"

#include <algorithm>

#include "actors/line/dialog_info.hpp"
#include "net/sip/builder.hpp"

namespace ringdown::line {

namespace {

publish_request fail(int status, std::string reason) {
  publish_request r;
  r.status = status;
  r.reason = std::move(reason);
  return r;
}

} // namespace

publish_request read_publish(const sip::message& publish, const publish_limits& limits) {
  const auto event = sip::token_params::parse(publish.header(sip::header_id::event));
  if (!event || event->value != "dialog")
    return fail(489, "Bad Event");
  publish_request r;
  std::uint32_t expires = publish.expires().value_or(limits.expires_default_s);
  if (expires != 0 && expires < limits.expires_min_s) {
    r = fail(423, "Interval Too Brief");
    r.min_expires_s = limits.expires_min_s;
    return r;
  }
  r.expires_s = std::min(expires, limits.expires_max_s);
  const std::string_view body = publish.body();
  if (body.empty()) {
    if (publish.header("SIP-If-Match").empty())
      return fail(400, "Missing Body");
    r.refresh = true; // RFC 3903 §4.3: refresh or (Expires 0) removal
    return r;
  }
  if (body.size() > limits.body_bytes_max)
    return fail(413, "Request Entity Too Large");
  const auto ct = publish.content_type();
  if (!ct || ct->value != dialog_info_content_type)
    return fail(415, "Unsupported Media Type");
  dialog_info_parse p = parse_dialog_info(body);
  if (!p.info)
    return fail(400, "Bad dialog-info: " + p.error);
  r.info = std::move(*p.info);
  return r;
}

sip::message publish_response(const sip::message& publish, const publish_request& req,
                              const outcome& o) {
  const int status = req.status != 200 ? req.status : o.status;
  const std::string& reason = req.status != 200 ? req.reason : o.reason;
  sip::message m = sip::message_builder::response(publish, status, reason);
  if (status == 200) {
    if (!o.etag.empty())
      m.append_header("SIP-ETag", o.etag);
    m.append_header("Expires", std::to_string(req.expires_s));
  } else if (status == 423) {
    m.append_header("Min-Expires", std::to_string(req.min_expires_s));
  } else if (status == 489) {
    m.append_header("Allow-Events", "dialog");
  } else if (status == 415) {
    m.append_header("Accept", std::string(dialog_info_content_type));
  }
  return m;
}

} // namespace ringdown::line
