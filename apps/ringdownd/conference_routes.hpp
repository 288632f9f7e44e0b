#pragma once

#include <string>

namespace ringdown::http {
class admin_server;
}
namespace ringdown::bridge {
class conference_roster;
}
namespace ringdown::actors {
class directory;
}

namespace ringdown::ringdownd {

/// The admin API's conference routes, over the node's roster of
/// conference parts (bridge::conference_roster):
/// - GET /v1/conferences: every part the node runs ({"node", "conferences":
///   [{"room", "zone", "part", "home", "parties": [{"call_id", "from"}],
///   "links"}]});
/// - GET /v1/conferences/{room}: the room's parts on this node, 404 when
///   it has none here;
/// - DELETE /v1/conferences/{room}/parties/{call_id}: the party is hung up
///   (BYE, its CDR says why) and leaves the room; 202, or 404 when the
///   room has no such party on this node.
/// Rooms span nodes: each node shows and answers for the parts it runs.
void register_conference_routes(http::admin_server& admin,
                                bridge::conference_roster& roster, actors::directory& dir,
                                std::string node_id);

} // namespace ringdown::ringdownd
