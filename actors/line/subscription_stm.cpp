// RFC 6665 §4.2 notifier for the RFC 4235 dialog package on a shared line.
#include "actors/line/subscription_stm.hpp"

#include <chrono>
#include <utility>

#include "actors/line/dialog_info.hpp"
#include "net/sip/builder.hpp"

namespace ringdown::line {

namespace {

bool accepts_dialog_info(const sip::message& request) {
  if (request.count(sip::header_id::accept) == 0)
    return true; // RFC 4235 §3.5: dialog-info+xml is the default
  for (std::string_view v : request.values(sip::header_id::accept)) {
    const auto t = sip::token_params::parse(v);
    if (!t)
      continue;
    if (t->value == dialog_info_content_type || t->value == "application/*" ||
        t->value == "*/*")
      return true;
  }
  return false;
}

std::uint32_t seconds_left(time_point deadline, time_point now) {
  if (deadline <= now)
    return 0;
  const auto left = std::chrono::ceil<std::chrono::seconds>(deadline - now);
  return static_cast<std::uint32_t>(left.count());
}

} // namespace

subscription_stm::subscription_stm(subscription_config cfg, id_generator& ids)
    : cfg_(std::move(cfg)), ids_(ids) {}

sub::effects
subscription_stm::reject(const sip::message& request, int status, const char* reason,
                         const std::vector<std::pair<std::string, std::string>>& extra) {
  sip::message m = sip::message_builder::response(
      request, status, reason, dialog_ ? std::string_view(dialog_->id().local_tag) : "");
  for (const auto& [name, value] : extra)
    m.append_header(name, value);
  return {sub::respond{std::move(m)}};
}

sub::effects subscription_stm::on_subscribe(const sip::message& request,
                                            const line_snapshot& line, time_point now) {
  if (state_ == state::terminated)
    return reject(request, 481, "Subscription Does Not Exist");
  if (state_ == state::active && !dialog_->matches_request(request))
    return reject(request, 481, "Subscription Does Not Exist");
  if (state_ == state::init) {
    const auto to = request.to();
    if (!to || !to->tag().empty())
      return reject(request, 481, "Subscription Does Not Exist");
  }
  const auto event = sip::token_params::parse(request.header(sip::header_id::event));
  if (!event || event->value != "dialog")
    return reject(request, 489, "Bad Event", {{"Allow-Events", "dialog"}});
  if (!accepts_dialog_info(request))
    return reject(request, 406, "Not Acceptable",
                  {{"Accept", std::string(dialog_info_content_type)}});
  if (request.contacts().empty())
    return reject(request, 400, "Missing Contact");
  if (state_ == state::active && dialog_->accept_request(request) != 0)
    return reject(request, 500, "CSeq Out of Order");
  std::uint32_t expires = request.expires().value_or(cfg_.expires_default_s);
  if (expires != 0 && expires < cfg_.expires_min_s)
    return reject(request, 423, "Interval Too Brief",
                  {{"Min-Expires", std::to_string(cfg_.expires_min_s)}});
  if (expires > cfg_.expires_max_s)
    expires = cfg_.expires_max_s;

  sub::effects out;
  if (state_ == state::init) {
    const std::string tag = ids_.tag();
    dialog_ = call::dialog::from_uas(request, tag, cfg_.local);
    event_ = "dialog";
    if (const auto id = event->params.find("id"); id && id->has_value)
      event_.append(";id=").append(id->value);
    if (event->params.contains("shared"))
      event_ += ";shared";
    state_ = state::active;
  } else {
    dialog_->refresh_target(request);
  }
  sip::message ok =
      sip::message_builder::response(request, 200, "OK", dialog_->id().local_tag);
  ok.append_header("Expires", std::to_string(expires));
  ok.append_header("Contact", "<" + cfg_.local.contact_uri + ">");
  out.emplace_back(sub::respond{std::move(ok)});
  last_ = line;
  if (expires == 0) {
    deadline_.reset();
    out.emplace_back(sub::cancel_timer{});
    notify(out, line, {}, now, true);
    return out;
  }
  deadline_ = now + std::chrono::seconds(expires);
  out.emplace_back(sub::arm_timer{*deadline_});
  notify(out, line, {}, now, false);
  return out;
}

sub::effects subscription_stm::on_line_changed(const line_changed& change, time_point now) {
  sub::effects out;
  if (state_ != state::active)
    return out;
  last_ = change.snapshot;
  notify(out, change.snapshot, change.ended, now, false);
  return out;
}

sub::effects subscription_stm::on_timer(time_point now) {
  sub::effects out;
  if (state_ != state::active || !deadline_ || now < *deadline_)
    return out;
  deadline_.reset();
  notify(out, last_, {}, now, true);
  return out;
}

sub::effects subscription_stm::deactivate(time_point now) {
  sub::effects out;
  if (state_ != state::active)
    return out;
  if (deadline_)
    out.emplace_back(sub::cancel_timer{});
  deadline_.reset();
  notify(out, last_, {}, now, true, "deactivated");
  return out;
}

sub::effects subscription_stm::on_notify_response(int status, time_point /*now*/) {
  sub::effects out;
  if (state_ == state::terminated)
    return out;
  // RFC 6665 §4.2.2: 481 or a timeout ends the subscription.
  if (status == 481 || status == 408) {
    state_ = state::terminated;
    if (deadline_)
      out.emplace_back(sub::cancel_timer{});
    deadline_.reset();
    out.emplace_back(sub::ended{});
  }
  return out;
}

void subscription_stm::notify(sub::effects& out, const line_snapshot& line,
                              const std::vector<ended_dialog>& ended, time_point now,
                              bool final_notify, std::string_view reason) {
  const std::string body = render_dialog_info(line, version_++, ended);
  const std::string sub_state =
      final_notify ? "terminated;reason=" + std::string{reason}
                   : "active;expires=" + std::to_string(seconds_left(*deadline_, now));
  sip::message m = dialog_->make_request(
      "NOTIFY", {{"Event", event_}, {"Subscription-State", sub_state}},
      dialog_info_content_type, body);
  out.emplace_back(sub::send_notify{std::move(m), dialog_->destination()});
  if (final_notify) {
    state_ = state::terminated;
    out.emplace_back(sub::ended{});
  }
}

} // namespace ringdown::line
