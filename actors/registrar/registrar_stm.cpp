#include "actors/registrar/registrar_stm.hpp"

#include <ctime>

#include <fmt/format.h>

#include "actors/registrar/digest.hpp"
#include "base/assert.hpp"
#include "base/logging.hpp"
#include "net/sip/builder.hpp"

namespace ringdown::registrar {
namespace {

std::shared_ptr<spdlog::logger>& logger() {
  static auto lg = log::get("registrar");
  return lg;
}

} // namespace

std::string_view to_string(register_outcome o) noexcept {
  switch (o) {
  case register_outcome::ok:
    return "ok";
  case register_outcome::challenged:
    return "challenged";
  case register_outcome::stale:
    return "stale";
  case register_outcome::replay:
    return "replay";
  case register_outcome::forbidden:
    return "forbidden";
  case register_outcome::too_many_contacts:
    return "too_many_contacts";
  case register_outcome::not_found:
    return "not_found";
  case register_outcome::method_not_allowed:
    return "method_not_allowed";
  case register_outcome::bad_request:
    return "bad_request";
  case register_outcome::interval_too_brief:
    return "interval_too_brief";
  case register_outcome::out_of_order:
    return "out_of_order";
  }
  return "?";
}

std::string http_date(std::int64_t wall_ms) {
  static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t t = static_cast<std::time_t>(wall_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", days[tm.tm_wday % 7],
                     tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

registrar_stm::registrar_stm(registrar_config cfg, resource_lookup lookup, rng& gen)
    : cfg_(std::move(cfg)), lookup_(std::move(lookup)), rng_(gen),
      nonces_(gen, cfg_.nonce_lifetime_ms, cfg_.nonces_tracked_max) {
  RINGDOWN_ASSERT(lookup_, "registrar_stm: no resource lookup");
  RINGDOWN_ASSERT(cfg_.min_expires_s > 0 && cfg_.min_expires_s <= cfg_.max_expires_s,
                  "registrar_stm: bad expiry limits");
}

registrar_result registrar_stm::handle(const sip::message& req, std::string_view source,
                                       time_point now, std::int64_t wall_ms) {
  registrar_result out;
  auto finish = [&](const reply& r, const std::vector<storage::binding>* list) {
    out.outcome = r.outcome;
    out.response = respond(req, r, now, wall_ms, list);
    if (r.outcome == register_outcome::challenged)
      logger()->debug("REGISTER challenged Call-ID {}", req.call_id());
    else if (r.outcome != register_outcome::ok)
      logger()->info("REGISTER refused: {} {} Call-ID {}", r.status, to_string(r.outcome),
                     req.call_id());
    return std::move(out);
  };
  if (req.method() != sip::method::register_)
    return finish({405, register_outcome::method_not_allowed}, nullptr);
  const auto to = req.to();
  const auto aor = to ? config::canonical_uri(to->uri_text) : std::nullopt;
  if (!aor || req.call_id().empty() || !req.cseq())
    return finish({400, register_outcome::bad_request}, nullptr);
  const config::resource_def* res = lookup_(*aor);
  if (res == nullptr)
    return finish({404, register_outcome::not_found}, nullptr);
  if (auto refused = authenticate(req, *res, now))
    return finish(*refused, nullptr);

  std::vector<storage::binding> list;
  if (const auto it = bindings_.find(*aor); it != bindings_.end())
    list = it->second;
  bool changed = false;
  if (auto refused = update(req, source, wall_ms, res->contacts_max, list, changed))
    return finish(*refused, nullptr);
  if (changed)
    out.change = storage::aor_bindings{*aor, list};
  logger()->debug("REGISTER {} accepted: {} bindings Call-ID {}", *aor, list.size(),
                  req.call_id());
  return finish({200, register_outcome::ok}, &list);
}

std::optional<registrar_stm::reply>
registrar_stm::authenticate(const sip::message& req, const config::resource_def& res,
                            time_point now) {
  std::optional<digest_credentials> creds;
  for (const auto& f : req.fields()) {
    if (f.id != sip::header_id::authorization)
      continue;
    credentials_error why = credentials_error::none;
    creds = parse_credentials(req.value_of(f), why);
    if (creds)
      break;
    if (why == credentials_error::not_digest)
      continue;
    if (why == credentials_error::bad_algorithm || why == credentials_error::bad_qop)
      return reply{401, register_outcome::challenged};
    return reply{400, register_outcome::bad_request};
  }
  if (!creds)
    return reply{401, register_outcome::challenged};
  if (creds->qop.empty()) // we always offer qop="auth" and require it
    return reply{401, register_outcome::challenged};
  if (creds->username != res.name || creds->realm != cfg_.realm)
    return reply{403, register_outcome::forbidden};
  if (creds->uri != req.request_uri_text())
    return reply{400, register_outcome::bad_request};
  const std::string expected = expected_response(*creds, res.password, req.method_text());
  if (!constant_time_equal(expected, creds->response))
    return reply{403, register_outcome::forbidden};
  switch (nonces_.check_and_count(creds->nonce, creds->nc, now)) {
  case nonce_status::ok:
    return std::nullopt;
  case nonce_status::stale:
    return reply{401, register_outcome::stale, true};
  case nonce_status::replay:
    return reply{401, register_outcome::replay};
  case nonce_status::invalid:
    break;
  }
  return reply{401, register_outcome::challenged};
}

sip::message registrar_stm::respond(const sip::message& req, const reply& r, time_point now,
                                    std::int64_t wall_ms,
                                    const std::vector<storage::binding>* list) {
  const std::string tag = fmt::format("{:016x}", rng_());
  sip::message resp = sip::message_builder::response(
      req, r.status, sip::message_builder::default_reason(r.status), tag);
  switch (r.status) {
  case 401: {
    const std::string nonce = nonces_.issue(now);
    // RFC 8760 §2.4: the preferred algorithm first.
    for (const auto algorithm : cfg_.challenge_algorithms)
      resp.append_header("WWW-Authenticate",
                         make_challenge(cfg_.realm, nonce, {}, algorithm, r.stale));
    break;
  }
  case 405:
    resp.append_header("Allow", "REGISTER");
    break;
  case 423:
    resp.append_header("Min-Expires", std::to_string(cfg_.min_expires_s));
    break;
  case 200:
    RINGDOWN_ASSERT(list != nullptr, "200 without a binding list");
    for (const auto& b : *list) {
      const std::int64_t left_ms = b.expires_at_ms - wall_ms;
      std::string v = fmt::format("<{}>;expires={}", b.contact, (left_ms + 999) / 1000);
      if (b.has_q)
        v += fmt::format(";q={}.{:03}", b.q_milli / 1000, b.q_milli % 1000);
      if (!b.instance.empty())
        v += fmt::format(";+sip.instance=\"{}\"", b.instance);
      if (b.reg_id != 0)
        v += fmt::format(";reg-id={}", b.reg_id);
      resp.append_header("Contact", v);
    }
    resp.append_header("Date", http_date(wall_ms));
    break;
  default:
    break;
  }
  return resp;
}

} // namespace ringdown::registrar
