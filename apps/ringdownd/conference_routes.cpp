#include "apps/ringdownd/conference_routes.hpp"

#include <caf/all.hpp>

#include "actors/bridge/conference_roster.hpp"
#include "actors/engine/directory.hpp"
#include "actors/engine/protocol.hpp"
#include "base/json.hpp"
#include "base/logging.hpp"
#include "net/http/admin_server.hpp"

namespace ringdown::ringdownd {

namespace {

spdlog::logger& logger() {
  static const auto lg = log::get("admin");
  return *lg;
}

/// What an operator's removal of a party says in its CDR and logs.
constexpr std::string_view removed_reason = "Removed from the conference by an operator";

} // namespace

void register_conference_routes(http::admin_server& admin,
                                bridge::conference_roster& roster, actors::directory& dir,
                                std::string node_id) {
  using http::method;
  admin.route(method::get, "/v1/conferences", [&roster, node_id](const http::request&) {
    return http::response{200, bridge::conference_roster::to_json(node_id, roster.all())};
  });
  admin.route(
      method::get, "/v1/conferences/{room}", [&roster, node_id](const http::request& req) {
        const auto parts = roster.room(req.param("room"));
        if (parts.empty())
          return http::error_response(
              404, "no conference '" + std::string(req.param("room")) + "' on this node");
        return http::response{200, bridge::conference_roster::to_json(node_id, parts)};
      });
  admin.route(
      method::delete_, "/v1/conferences/{room}/parties/{call_id}",
      [&roster, &dir](const http::request& req) {
        const auto room = req.param("room");
        const auto call_id = req.param("call_id");
        if (!roster.zone_of(room, call_id))
          return http::error_response(404, "conference '" + std::string(room) +
                                               "' has no party '" + std::string(call_id) +
                                               "' on this node");
        const auto call = dir.find({actors::actor_kind::dialog, std::string(call_id)});
        if (!call)
          return http::error_response(404,
                                      "the call '" + std::string(call_id) + "' has ended");
        caf::anon_send(call, actors::hangup_request{std::string(removed_reason)});
        logger().info("Call-ID {}: removed from conference {} by the admin API ({})",
                      call_id, room, req.peer);
        json_writer w;
        w.begin_object()
            .key("message")
            .value_string("the party is being hung up")
            .key("call_id")
            .value_string(call_id)
            .end_object();
        return http::response{202, w.str()};
      });
}

} // namespace ringdown::ringdownd
