#include "apps/ringdownd/cluster_plane.hpp"

#include <chrono>
#include <string>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "actors/engine/cluster_directory.hpp"
#include "base/logging.hpp"
#include "cluster/membership_service.hpp"
#include "config/config.hpp"
#include "net/sip/message.hpp"
#include "storage/provisioning_store.hpp"

namespace ringdown::ringdownd {

namespace {

spdlog::logger& logger() {
  static const auto lg = log::get("cluster.plane");
  return *lg;
}

std::optional<transport::peer> sip_peer(const cluster::member& m) {
  if (m.addresses.sip.empty())
    return std::nullopt;
  const std::string text = "sip:" + m.addresses.sip;
  const auto uri = sip::uri::parse(text);
  return uri ? transport::peer_for(*uri) : std::nullopt;
}

} // namespace

std::function<std::optional<transport::peer>(const sip::message&, const actors::route&)>
make_forward(const actors::cluster_directory& dir, const storage::provisioning_store& prov,
             const config::node_config& cfg) {
  return [&dir, &prov, &cfg](const sip::message& request,
                             const actors::route& r) -> std::optional<transport::peer> {
    if (!r.key || !r.spawn)
      return std::nullopt;
    std::optional<cluster::member> owner;
    if (r.key->kind == actors::actor_kind::dialog) {
      // A new call: the Active Resource Zone of what it calls.
      const auto target = request.request_uri().text;
      if (const auto line = prov.line(target)) {
        if (line->zone == cfg.zone && !dir.stepped_down())
          return std::nullopt;
        owner = line->zone == cfg.zone
                    ? dir.place_in_zone(request.call_id(), cfg.zone)
                    : dir.owner_of({actors::actor_kind::line, line->uri});
      } else {
        std::string zone = cfg.zone;
        if (const auto res = prov.resource_by_aor(target))
          zone = res->zone;
        if (zone == cfg.zone && !dir.stepped_down())
          return std::nullopt;
        owner = dir.place_in_zone(request.call_id(), zone);
      }
    } else {
      owner = dir.owner_of(*r.key);
    }
    if (!owner)
      return std::nullopt;
    auto peer = sip_peer(*owner);
    if (!peer)
      logger().warn("node {} has no usable SIP address '{}': {} (Call-ID {}) served here",
                    owner->id, owner->addresses.sip, request.method_text(),
                    request.call_id());
    return peer;
  };
}

http::node_status node_status(const actors::cluster_directory& dir,
                              const cluster::membership_service& membership,
                              const config::node_config& cfg, bool draining) {
  http::node_status st;
  st.self = cfg.node_id;
  st.draining = draining;
  st.live_calls = dir.live_actors(actors::actor_kind::dialog);
  st.owned_keys = dir.owned_keys();
  for (const auto& m : membership.members()) {
    http::member_status ms;
    ms.id = m.id;
    ms.zone = m.zone;
    ms.state =
        m.id == cfg.node_id && draining ? "draining" : std::string{to_string(m.state)};
    ms.incarnation = m.incarnation;
    ms.sip = m.addresses.sip;
    ms.cluster = m.addresses.cluster;
    ms.admin = m.addresses.admin;
    ms.media = m.addresses.media;
    st.members.push_back(std::move(ms));
  }
  return st;
}

struct drainer::impl {
  impl(boost::asio::io_context& io, const clock& c, actors::cluster_directory& d,
       cluster::membership_service& m, std::function<void()> s)
      : timer(io), clk(c), dir(d), membership(m), stop(std::move(s)) {}

  boost::asio::steady_timer timer;
  const clock& clk;
  actors::cluster_directory& dir;
  cluster::membership_service& membership;
  std::function<void()> stop;
  bool running = false;
  std::optional<time_point> calls_ended;

  void poll() {
    timer.expires_after(std::chrono::milliseconds{poll_ms});
    timer.async_wait([this](const boost::system::error_code& ec) {
      if (ec)
        return;
      const auto calls = dir.live_actors(actors::actor_kind::dialog);
      if (calls > 0) {
        calls_ended.reset();
        poll();
        return;
      }
      const auto now = clk.now();
      if (!calls_ended) {
        calls_ended = now;
        logger().info("drain: no call left; waiting for the hand-overs");
      }
      const auto left = dir.size();
      if (left == 0 || now - *calls_ended >= std::chrono::milliseconds{handover_grace_ms}) {
        logger().info("drain done ({} keys still here): stopping", left);
        stop();
        return;
      }
      poll();
    });
  }
};

drainer::drainer(boost::asio::io_context& io, const clock& clk,
                 actors::cluster_directory& dir, cluster::membership_service& membership,
                 std::function<void()> stop)
    : impl_(std::make_unique<impl>(io, clk, dir, membership, std::move(stop))) {}

drainer::~drainer() = default;

http::drain_answer drainer::start() {
  if (impl_->running)
    return {409, "already draining"};
  impl_->running = true;
  const auto calls = impl_->dir.live_actors(actors::actor_kind::dialog);
  logger().info("drain started: {} calls in progress stay until they end", calls);
  impl_->dir.step_down();
  impl_->membership.leave();
  impl_->poll();
  return {202, "draining: " + std::to_string(calls) + " calls in progress"};
}

bool drainer::draining() const noexcept {
  return impl_->running;
}

} // namespace ringdown::ringdownd
