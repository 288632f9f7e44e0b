#include "net/http/cluster_routes.hpp"

#include <utility>

#include "base/json.hpp"
#include "base/json_reader.hpp"
#include "net/http/admin_server.hpp"

namespace ringdown::http {

namespace {

std::string string_of(const json_value& object, std::string_view name) {
  const auto* v = object.find(name);
  return v != nullptr && v->is(json_value::kind::string) ? v->text() : std::string{};
}

std::uint64_t uint_of(const json_value& object, std::string_view name) {
  const auto* v = object.find(name);
  return v != nullptr ? v->as_u64().value_or(0) : 0;
}

} // namespace

std::string to_json(const node_status& status) {
  json_writer w;
  w.begin_object();
  w.key("node").value_string(status.self);
  w.key("draining").value_bool(status.draining);
  w.key("live_calls").value_uint(status.live_calls);
  w.key("members").begin_array();
  for (const auto& m : status.members) {
    w.begin_object();
    w.key("id").value_string(m.id);
    w.key("zone").value_string(m.zone);
    w.key("state").value_string(m.state);
    w.key("incarnation").value_uint(m.incarnation);
    w.key("sip").value_string(m.sip);
    w.key("cluster").value_string(m.cluster);
    w.key("admin").value_string(m.admin);
    w.key("media").value_string(m.media);
    w.end_object();
  }
  w.end_array();
  w.key("owned_keys").begin_object();
  for (const auto& [kind, count] : status.owned_keys)
    w.key(kind).value_uint(count);
  w.end_object();
  w.end_object();
  return w.str();
}

std::optional<node_status> node_status_from_json(std::string_view json,
                                                 std::string& error) {
  const auto doc = json_value::parse(json, error);
  if (!doc)
    return std::nullopt;
  const auto* node = doc->find("node");
  const auto* members = doc->find("members");
  if (node == nullptr || !node->is(json_value::kind::string) || members == nullptr ||
      !members->is(json_value::kind::array)) {
    error = "not a cluster status (no \"node\" or \"members\")";
    return std::nullopt;
  }
  node_status out;
  out.self = node->text();
  if (const auto* d = doc->find("draining"))
    out.draining = d->as_bool();
  out.live_calls = uint_of(*doc, "live_calls");
  for (const auto& m : members->items()) {
    if (!m.is(json_value::kind::object))
      continue;
    out.members.push_back({string_of(m, "id"), string_of(m, "zone"), string_of(m, "state"),
                           uint_of(m, "incarnation"), string_of(m, "sip"),
                           string_of(m, "cluster"), string_of(m, "admin"),
                           string_of(m, "media")});
  }
  if (const auto* keys = doc->find("owned_keys"))
    for (const auto& [kind, count] : keys->members())
      out.owned_keys.emplace_back(kind, count.as_u64().value_or(0));
  return out;
}

void register_cluster_routes(admin_server& server, std::function<node_status()> status,
                             std::function<drain_answer()> drain) {
  server.route(method::get, "/v1/cluster/status",
               [status = std::move(status)](const request&) {
                 return response{200, to_json(status())};
               });
  server.route(method::post, "/v1/node/drain", [drain = std::move(drain)](const request&) {
    auto answer = drain();
    if (answer.http_status >= 300)
      return error_response(answer.http_status, answer.message);
    json_writer w;
    w.begin_object().key("message").value_string(answer.message).end_object();
    return response{answer.http_status, w.str()};
  });
}

} // namespace ringdown::http
