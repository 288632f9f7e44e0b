// RFC 3261 §12 dialogs and §13.2.2.4 ACK construction.
#include "actors/call/dialog.hpp"

#include <algorithm>
#include <string>

#include "net/sip/builder.hpp"
#include "net/sip/scan.hpp"

namespace ringdown::call {

namespace {

bool target_refresh(std::string_view method) {
  return method == "INVITE" || method == "UPDATE" || method == "SUBSCRIBE" ||
         method == "NOTIFY" || method == "REFER";
}

std::string first_contact_uri(const sip::message& msg) {
  for (const sip::contact& c : msg.contacts())
    if (!c.star)
      return std::string(c.address.uri_text);
  return {};
}

/// Lets a request parse while it is built; removed by strip_via.
constexpr std::string_view placeholder_via = "SIP/2.0/UDP ringdown.invalid;branch=z9hG4bK0";

std::string route_value(std::string_view uri) {
  return "<" + std::string(uri) + ">";
}

} // namespace

void strip_via(sip::message& request) {
  while (request.count(sip::header_id::via) > 0)
    request.remove_first(sip::header_id::via);
}

std::string strip_tag(std::string_view value) {
  const auto na = sip::name_addr::parse(value);
  if (!na)
    return std::string(value);
  std::string out;
  if (!na->display_name.empty())
    out.append("\"").append(na->display_name).append("\" ");
  out.append("<").append(na->uri_text).append(">");
  for (const sip::param& p : na->params) {
    if (sip::scan::iequals(p.name, "tag"))
      continue;
    out.append(";").append(p.name);
    if (p.has_value)
      out.append("=").append(p.value);
  }
  return out;
}

std::string uri_of(std::string_view name_addr_value) {
  const auto na = sip::name_addr::parse(name_addr_value);
  return na ? std::string(na->uri_text) : std::string{};
}

dialog dialog::from_uas(const sip::message& request, std::string_view local_tag,
                        local_address local) {
  dialog d;
  d.local_ = std::move(local);
  const auto from = request.from();
  d.id_.call_id = std::string(request.call_id());
  d.id_.local_tag = std::string(local_tag);
  d.id_.remote_tag = from ? std::string(from->tag()) : std::string{};
  d.local_party_ = strip_tag(request.header(sip::header_id::to));
  d.local_party_.append(";tag=").append(local_tag);
  d.remote_party_ = std::string(request.header(sip::header_id::from));
  if (const auto cs = request.cseq())
    d.remote_cseq_ = cs->number;
  d.remote_target_ = first_contact_uri(request);
  for (const sip::name_addr& rr : request.record_routes())
    d.route_set_.push_back(route_value(rr.uri_text));
  return d;
}

std::optional<dialog> dialog::from_uac(const sip::message& request,
                                       const sip::message& response, local_address local) {
  const auto to = response.to();
  if (!to || to->tag().empty())
    return std::nullopt;
  dialog d;
  d.local_ = std::move(local);
  const auto from = request.from();
  d.id_.call_id = std::string(request.call_id());
  d.id_.local_tag = from ? std::string(from->tag()) : std::string{};
  d.id_.remote_tag = std::string(to->tag());
  d.local_party_ = std::string(request.header(sip::header_id::from));
  d.remote_party_ = std::string(response.header(sip::header_id::to));
  if (const auto cs = request.cseq())
    d.local_cseq_ = cs->number;
  d.remote_target_ = first_contact_uri(response);
  if (d.remote_target_.empty())
    d.remote_target_ = std::string(request.request_uri_text());
  const auto rrs = response.record_routes();
  for (auto it = rrs.rbegin(); it != rrs.rend(); ++it)
    d.route_set_.push_back(route_value(it->uri_text));
  d.confirmed_ = response.status_code() >= 200;
  return d;
}

bool dialog::matches_request(const sip::message& request) const {
  const auto from = request.from();
  const auto to = request.to();
  return from && to && request.call_id() == id_.call_id && to->tag() == id_.local_tag &&
         from->tag() == id_.remote_tag;
}

int dialog::accept_request(const sip::message& request) {
  const auto cs = request.cseq();
  if (!cs)
    return 400;
  if (cs->method == sip::method::ack || cs->method == sip::method::cancel)
    return 0;
  if (remote_cseq_ && cs->number <= *remote_cseq_)
    return 500; // §12.2.2: lower than (or a replay of) the remote sequence
  remote_cseq_ = cs->number;
  return 0;
}

void dialog::refresh_target(const sip::message& msg) {
  std::string t = first_contact_uri(msg);
  if (!t.empty())
    remote_target_ = std::move(t);
}

sip::message dialog::make_request(std::string_view method, const header_list& extra,
                                  std::string_view content_type, std::string_view body) {
  ++local_cseq_;
  return build(method, local_cseq_, extra, content_type, body);
}

sip::message dialog::make_ack(std::uint32_t invite_cseq, std::string_view content_type,
                              std::string_view body) const {
  return build("ACK", invite_cseq, {}, content_type, body);
}

std::string dialog::destination() const {
  if (route_set_.empty())
    return remote_target_;
  return uri_of(route_set_.front());
}

sip::message dialog::build(std::string_view method, std::uint32_t cseq,
                           const header_list& extra, std::string_view content_type,
                           std::string_view body) const {
  // §12.2.1.1: loose routing keeps the remote target as Request-URI; a
  // strict router (no lr) becomes the Request-URI and the target goes last.
  std::string ruri = remote_target_;
  std::vector<std::string> routes = route_set_;
  if (!routes.empty()) {
    const std::string first_text = uri_of(routes.front());
    const auto first = sip::uri::parse(first_text); // views into first_text
    if (first && !first->has_lr()) {
      ruri = first_text;
      routes.erase(routes.begin());
      routes.push_back(route_value(remote_target_));
    }
  }
  sip::message_builder b(method, ruri);
  b.header("Via", placeholder_via);
  b.header("Max-Forwards", "70");
  for (const std::string& r : routes)
    b.header("Route", r);
  b.header("From", local_party_);
  b.header("To", remote_party_);
  b.header("Call-ID", id_.call_id);
  b.header("CSeq", std::to_string(cseq) + " " + std::string(method));
  if (target_refresh(method))
    b.header("Contact", "<" + local_.contact_uri + ">");
  for (const auto& [name, value] : extra)
    b.header(name, value);
  if (!body.empty())
    b.body(content_type, body);
  sip::message m = b.build();
  strip_via(m);
  return m;
}

} // namespace ringdown::call
