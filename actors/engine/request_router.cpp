#include "actors/engine/request_router.hpp"

namespace ringdown::actors {

namespace {

actor_key dialog_key(const sip::message& m) {
  return actor_key{actor_kind::dialog, std::string{m.call_id()}};
}

std::optional<actor_key> line_key(const sip::message& m, const routing_context& ctx) {
  if (!ctx.line_of)
    return std::nullopt;
  if (auto line = ctx.line_of(m.request_uri()))
    return actor_key{actor_kind::line, std::move(*line)};
  if (const auto to = m.to())
    if (auto line = ctx.line_of(to->uri))
      return actor_key{actor_kind::line, std::move(*line)};
  return std::nullopt;
}

} // namespace

route route_request(const sip::message& request, const routing_context& ctx) {
  const auto to = request.to();
  switch (request.method()) {
  case sip::method::register_: {
    std::optional<std::string> zone;
    if (to && ctx.zone_of_aor)
      zone = ctx.zone_of_aor(to->uri);
    return route{actor_key{actor_kind::registrar, zone ? *zone : ctx.zone}, true};
  }
  case sip::method::subscribe:
  case sip::method::publish: {
    auto key = line_key(request, ctx);
    const bool found = key.has_value();
    return route{std::move(key), found};
  }
  case sip::method::invite:
    return route{dialog_key(request), !to || to->tag().empty()};
  case sip::method::ack:
  case sip::method::cancel:
  case sip::method::bye:
  case sip::method::update:
  case sip::method::info:
  case sip::method::prack:
  case sip::method::refer:
  case sip::method::notify:
    return route{dialog_key(request)};
  default:
    break;
  }
  if (to && !to->tag().empty())
    return route{dialog_key(request)};
  return route{};
}

} // namespace ringdown::actors
