#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "actors/engine/request_router.hpp"
#include "base/clock.hpp"
#include "net/http/cluster_routes.hpp"
#include "net/transport/peer.hpp"

namespace boost::asio {
class io_context;
} // namespace boost::asio

namespace ringdown::config {
struct node_config;
}
namespace ringdown::storage {
class provisioning_store;
}
namespace ringdown::cluster {
class membership_service;
}
namespace ringdown::actors {
class cluster_directory;
}

namespace ringdown::ringdownd {

/// The gateway's forwarding decision (routing_context::forward) from the
/// cluster directory (ARCHITECTURE.md §1, §4):
///  - a request for a line, a zone or a registrar goes to the key's owner
///    when that is another node (a SUBSCRIBE to a line reaches the line);
///  - a new INVITE to a resource (or line) whose Active Resource Zone is
///    another zone goes to that zone (the interzone proxy): to the line's
///    owner, else to the zone's node its Call-ID hashes to; a draining
///    node sends every new INVITE to another node of its zone;
///  - anything else (in-dialog requests, calls of our zone) stays here.
/// The references outlive the function.
std::function<std::optional<transport::peer>(const sip::message&, const actors::route&)>
make_forward(const actors::cluster_directory& dir, const storage::provisioning_store& prov,
             const config::node_config& cfg);

/// What GET /v1/cluster/status shows of this node.
http::node_status node_status(const actors::cluster_directory& dir,
                              const cluster::membership_service& membership,
                              const config::node_config& cfg, bool draining);

/// A node's drain (POST /v1/node/drain, `ringdownctl node drain`): the
/// node steps down at once (its idle lines, zones and registrars hand over
/// to their new owners, new calls go to other nodes of its zone), leaves
/// the membership gracefully, keeps serving its calls in progress, and
/// once none is left (and its actors have handed over, or after
/// `handover_grace_ms` more) calls `stop`. On the io_context's thread.
class drainer {
public:
  /// `clk` (the node's clock) times the hand-over grace.
  drainer(boost::asio::io_context& io, const clock& clk, actors::cluster_directory& dir,
          cluster::membership_service& membership, std::function<void()> stop);
  ~drainer();
  drainer(const drainer&) = delete;
  drainer& operator=(const drainer&) = delete;

  /// 202 when the drain starts, 409 when it already runs.
  http::drain_answer start();
  [[nodiscard]] bool draining() const noexcept;

  static constexpr int poll_ms = 200;
  static constexpr int handover_grace_ms = 10'000;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace ringdown::ringdownd
