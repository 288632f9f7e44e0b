#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ringdown::http {

class admin_server;

/// One member of the cluster as a node sees it (plain data: net/http knows
/// nothing of cluster/). `state` is alive, suspect, dead, left or draining.
struct member_status {
  std::string id, zone, state;
  std::uint64_t incarnation = 0;
  std::string sip, cluster, admin, media; ///< host:port each; empty if none
};

/// What GET /v1/cluster/status answers: the answering node (`self`), its
/// view of the members, the keys it owns counted by kind ("line" -> 3),
/// whether it is draining and its live calls.
struct node_status {
  std::string self;
  std::vector<member_status> members;
  std::vector<std::pair<std::string, std::uint64_t>> owned_keys;
  bool draining = false;
  std::uint64_t live_calls = 0;
};

/// What the node says to POST /v1/node/drain: 202 (drain accepted and
/// started) or 409 (already draining), or any other status with a reason.
struct drain_answer {
  int http_status = 202;
  std::string message;
};

/// The JSON of GET /v1/cluster/status:
///   {"node":"node-1","draining":false,"live_calls":0,
///    "members":[{"id":..,"zone":..,"state":..,"incarnation":..,"sip":..,
///                "cluster":..,"admin":..,"media":..}],
///    "owned_keys":{"line":3,"dialog":0}}
std::string to_json(const node_status& status);

/// Reads that JSON back (ringdownctl); nullopt with a reason in `error`
/// when it is not JSON or lacks "node" or "members". Missing member
/// fields read as empty / 0; unknown fields are ignored.
std::optional<node_status> node_status_from_json(std::string_view json, std::string& error);

/// Registers the node's cluster routes on `server` (before its start()):
///   GET  /v1/cluster/status  -> 200 to_json(status())
///   POST /v1/node/drain      -> drain(): 2xx {"message": m}, else
///                               {"error": m} with its status
/// Both callbacks run on the server's io_context thread and must not
/// block; they live as long as the server.
void register_cluster_routes(admin_server& server, std::function<node_status()> status,
                             std::function<drain_answer()> drain);

} // namespace ringdown::http
