// ringdownd: one Ringdown node.
//
// Threading: one Boost.Asio io_context, run on the main thread, carries
// the SIP stack (transports, parser, transactions), the gateway's routing
// and the local responder. The domain actors run on CAF's scheduler
// threads and reach the stack only through the gateway, which posts onto
// the io_context (ARCHITECTURE.md §3).

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/io/middleman.hpp>

#include "actors/bridge/conference_roster.hpp"
#include "actors/engine/cluster_directory.hpp"
#include "actors/engine/directory.hpp"
#include "actors/engine/engine_services.hpp"
#include "actors/engine/protocol.hpp"
#include "actors/engine/sip_gateway.hpp"
#include "apps/ringdownd/actor_factories.hpp"
#include "apps/ringdownd/cluster_plane.hpp"
#include "apps/ringdownd/conference_routes.hpp"
#include "apps/ringdownd/metrics_routes.hpp"
#include "apps/ringdownd/request_responder.hpp"
#include "base/clock.hpp"
#include "base/host_port.hpp"
#include "base/ids.hpp"
#include "base/logging.hpp"
#include "base/random.hpp"
#include "cluster/membership_service.hpp"
#include "cluster/placement.hpp"
#include "config/cli.hpp"
#include "config/provisioning.hpp"
#include "net/http/admin_server.hpp"
#include "net/http/cluster_routes.hpp"
#include "net/rtp/media_engine.hpp"
#include "net/transport/sip_stack.hpp"
#include "storage/binding_store.hpp"
#include "storage/cdr_store.hpp"
#include "storage/cdr_writer.hpp"
#include "storage/provisioning_store.hpp"
#include "storage/rocksdb_kv.hpp"

namespace {

using namespace ringdown;

/// Live domain actors at most (calls, lines, registrars, zones).
constexpr std::size_t actors_max = 200'000;
/// CDRs queued for the store at most (about 100 s of 2,000 calls/s).
constexpr std::size_t cdr_queue_max = 200'000;

/// The routing lookups, answered from the provisioning store.
actors::routing_context make_routing(const config::node_config& cfg,
                                     storage::provisioning_store& prov) {
  actors::routing_context ctx;
  ctx.zone = cfg.zone;
  ctx.zone_of_aor = [&prov](const sip::uri& aor) -> std::optional<std::string> {
    if (auto r = prov.resource_by_aor(aor.text))
      return r->zone;
    return std::nullopt;
  };
  ctx.line_of = [&prov](const sip::uri& uri) -> std::optional<std::string> {
    if (auto l = prov.line(uri.text))
      return l->uri;
    return std::nullopt;
  };
  return ctx;
}

/// This node's membership settings: its record (SIP, cluster, admin and
/// media addresses) and the [cluster] knobs. The key was validated.
cluster::membership_settings
make_membership(const config::node_config& cfg,
                const std::vector<config::listen_address>& bound) {
  cluster::membership_settings s;
  s.self.id = cfg.node_id;
  s.self.zone = cfg.zone;
  if (!bound.empty()) {
    const auto& l = bound.front();
    s.self.addresses.sip = l.host.find(':') != std::string::npos
                               ? "[" + l.host + "]:" + std::to_string(l.port)
                               : l.host + ":" + std::to_string(l.port);
  }
  s.self.addresses.cluster = cfg.cluster_listen;
  s.self.addresses.admin = cfg.admin_listen;
  s.self.addresses.media = cfg.media.address;
  s.swim.probe_interval_ms = cfg.cluster.probe_interval_ms;
  s.swim.probe_timeout_ms = cfg.cluster.probe_timeout_ms;
  s.swim.suspicion_min_mult = cfg.cluster.suspicion_min_mult;
  s.swim.suspicion_max_mult = cfg.cluster.suspicion_max_mult;
  (void)config::decode_hex_key(cfg.cluster.key, s.key);
  return s;
}

int run(const config::node_config& cfg,
        const std::optional<config::provisioning>& prov_file) {
  if (!log::setup({.level = cfg.log_level, .to_stderr = true, .file = cfg.log_file})) {
    std::fprintf(stderr, "ringdownd: unknown log level '%s'\n", cfg.log_level.c_str());
    return 1;
  }
  auto lg = log::get("ringdownd");
  lg->info("ringdownd {} starting: node {} zone {}", RINGDOWN_VERSION, cfg.node_id,
           cfg.zone);

  std::error_code ec;
  std::filesystem::create_directories(cfg.data_dir, ec);
  if (ec) {
    lg->error("cannot create data dir '{}': {}", cfg.data_dir, ec.message());
    return 1;
  }
  std::string db_error;
  const auto db_path = (std::filesystem::path{cfg.data_dir} / "db").string();
  auto db = storage::rocksdb_kv::open(db_path, ec, db_error);
  if (!db) {
    lg->error("cannot open the store '{}': {}", db_path, db_error);
    return 1;
  }
  storage::provisioning_store prov{*db};
  if (const auto opened = prov.open())
    lg->warn("stored provisioning unreadable ({}): starting from the file or empty",
             opened.message());
  if (prov_file) {
    if (const auto applied = prov.apply(*prov_file)) {
      lg->error("provisioning not applied: {}", applied.message());
      return 1;
    }
    lg->info("provisioning applied: {} zones, {} resources, {} lines, {} trunks",
             prov_file->zones.size(), prov_file->resources.size(), prov_file->lines.size(),
             prov_file->trunks.size());
  }
  storage::binding_store bindings{*db};
  storage::cdr_store cdrs{*db};
  storage::cdr_writer cdr_log{cdrs, cdr_queue_max};

  real_clock clk;
  auto gen = rng::from_entropy();
  id_generator ids{gen, cfg.node_id};
  ringdownd::request_responder responder{ids, ringdownd::request_responder::product()};

  boost::asio::io_context io;
  actors::sip_gateway* gateway_ptr = nullptr;
  transport::sip_stack stack{
      io, cfg, clk, ids, [&](const sip::message& request, transport::server_tx_handle tx) {
        gateway_ptr->on_request(request, tx);
      }};

  for (const auto& where : cfg.sip_listen) {
    std::string error;
    if (!stack.listen(where, error)) {
      lg->error("{}", error);
      stack.shutdown();
      return 1;
    }
  }
  const auto bound = stack.listeners();
  for (const auto& l : bound)
    lg->info("listening on {}", l.to_string());

  // Membership: SWIM on the io_context, after the SIP listeners.
  cluster::membership_service membership{io, clk, make_membership(cfg, bound), gen()};
  const auto seeds = config::split_seeds(cfg.cluster.seeds);
  if (cfg.cluster.key.empty())
    lg->warn("cluster.key not set: membership packets are authenticated with an empty key");

  // The media plane: calls' bridges, on threads of their own.
  std::unique_ptr<rtp::media_engine> media;
  // Before the actor system: the conference parts write to it until they end.
  bridge::conference_roster conferences;
  if (!cfg.media.address.empty()) {
    rtp::media_engine_config mc;
    mc.address = cfg.media.address;
    mc.port_first = static_cast<std::uint16_t>(cfg.media.port_first);
    mc.port_last = static_cast<std::uint16_t>(cfg.media.port_last);
    mc.threads = cfg.media.threads;
    mc.media_timeout_ms = cfg.media.timeout_s * 1000;
    // The loader checked every tone: set() refuses none of them.
    for (const auto& tone : cfg.media.tones)
      (void)mc.tones.set(tone.name, tone);
    media = std::make_unique<rtp::media_engine>(mc, clk);
    if (const auto error = media->start()) {
      lg->error("{}", *error);
      membership.stop();
      stack.shutdown();
      return 1;
    }
  }

  caf::actor_system_config caf_cfg;
  caf_cfg.set("scheduler.max-threads", std::size_t{2});
  caf_cfg.load<caf::io::middleman>();
  actors::register_message_types(caf_cfg);
  const bool cluster_tls = !cfg.cluster.tls_certificate.empty();
  if (cluster_tls)
    actors::configure_cluster_tls(caf_cfg, cfg.cluster.tls_certificate,
                                  cfg.cluster.tls_private_key, cfg.cluster.tls_ca_file);
  caf::actor_system sys{caf_cfg};
  actors::local_directory dir{sys, actors_max};
  // The cluster-wide directory: lines, zones and registrars placed over
  // their zone's live members; its node manager published on the cluster
  // address (TCP beside SWIM's UDP) when membership runs.
  actors::cluster_directory_settings dir_settings;
  dir_settings.self_id = cfg.node_id;
  dir_settings.self_zone = cfg.zone;
  dir_settings.tls = cluster_tls;
  dir_settings.members = [&membership] { return membership.members(); };
  dir_settings.zone_of =
      [&prov](const actors::actor_key& key) -> std::optional<std::string> {
    switch (key.kind) {
    case actors::actor_kind::line:
      if (auto l = prov.line(key.name))
        return l->zone;
      return std::nullopt;
    case actors::actor_kind::zone:
    case actors::actor_kind::registrar:
      return key.name;
    case actors::actor_kind::bridge:
      // A conference room's registry serves every zone; the rooms' parts
      // (conference:<room>@<zone>) are born where their calls are.
      if (key.name.find('@') == std::string::npos)
        return std::string{cluster::any_zone};
      return std::nullopt;
    default:
      return std::nullopt;
    }
  };
  actors::cluster_directory cluster_dir{sys, dir, std::move(dir_settings)};
  // The node manager is published before the node joins, so members
  // that learn of it can reach it at once. A node with seeds must be a
  // member; a lone node whose cluster port is taken (several single nodes
  // on one host) runs without membership.
  bool membership_running = true;
  {
    std::string host;
    std::uint16_t port = 0;
    std::string error;
    if (!split_host_port(cfg.cluster_listen, host, port) ||
        !cluster_dir.publish(host, port, error)) {
      if (error.empty())
        error = "cluster.listen '" + cfg.cluster_listen + "' unusable";
      membership_running = false;
    } else if (!membership.start(seeds, error)) {
      membership_running = false;
    }
    if (!membership_running) {
      if (!seeds.empty()) {
        lg->error("{}", error);
        stack.shutdown();
        if (media)
          media->stop();
        cluster_dir.shutdown();
        return 1;
      }
      lg->warn("{}: running without membership", error);
    }
  }
  if (membership_running)
    membership.on_change([&cluster_dir](const std::vector<cluster::swim_event>&) {
      cluster_dir.view_changed();
    });
  auto routing = make_routing(cfg, prov);
  if (membership_running)
    routing.forward = ringdownd::make_forward(cluster_dir, prov, cfg);
  // The gateway hands requests to local actors only: whether a request is
  // ours was decided by `forward` (a node's SIP transactions never leave
  // it).
  actors::sip_gateway gateway{
      io,
      stack,
      dir,
      ids,
      std::move(routing),
      [&](const sip::message& request, const transport::server_tx_handle& tx) {
        if (auto r = responder.respond(request, tx.cancels != 0))
          stack.respond(tx, *r);
      }};
  gateway_ptr = &gateway;

  actors::engine_services services;
  services.port = &gateway;
  services.dir = &cluster_dir;
  services.provisioning = &prov;
  services.bindings = &bindings;
  services.cdrs = &cdrs;
  services.cdr_log = &cdr_log;
  services.clk = &clk;
  services.node = &cfg;
  services.seed = gen();
  services.media = media.get();
  services.conferences = &conferences;
  if (!bound.empty()) {
    services.local_host = bound.front().host;
    services.local_port = bound.front().port;
    services.local_transport = std::string{transport::to_string(bound.front().proto)};
  }
  ringdownd::register_actor_factories(dir, services);
  // The local zone's registrar restores its bindings now, not on the
  // first REGISTER: calls need them at once.
  (void)cluster_dir.lookup_or_spawn({actors::actor_kind::registrar, cfg.zone});

  // The admin plane (HTTP on admin.listen): cluster status, drain.
  http::server_options admin_opts;
  admin_opts.listen = cfg.admin_listen;
  http::admin_server admin{io, admin_opts};
  boost::asio::signal_set signals{io, SIGTERM, SIGINT};
  const auto stop_node = [&] {
    signals.cancel();
    admin.stop();
    dir.shutdown();
    stack.shutdown();
  };
  ringdownd::drainer drain{io, clk, cluster_dir, membership, stop_node};
  http::register_cluster_routes(
      admin,
      [&] {
        return ringdownd::node_status(cluster_dir, membership, cfg, drain.draining());
      },
      [&] {
        if (!membership_running)
          return http::drain_answer{409, "this node is not a cluster member"};
        return drain.start();
      });
  ringdownd::register_conference_routes(admin, conferences, cluster_dir, cfg.node_id);
  ringdownd::register_metrics_routes(
      admin, {cfg.node_id, &stack.probe(), &gateway.counters(), &cluster_dir.counters(),
              media ? &media->counters() : nullptr, &cdr_log.counters(), [&cluster_dir] {
                return cluster_dir.live_actors(actors::actor_kind::dialog);
              }});
  if (std::string error; !admin.start(error))
    lg->warn("admin API unavailable: {}", error);
  else
    lg->info("admin API on {}", cfg.admin_listen);

  signals.async_wait([&](const boost::system::error_code& err, int signal_number) {
    if (err)
      return;
    lg->info("signal {} received: stopping", signal_number);
    membership.leave();
    stop_node();
  });

  lg->info("ringdownd ready");
  io.run();
  membership.stop();
  lg->info("transport counters: {}", stack.probe().summary());
  lg->info("cluster counters: {}", membership.summary());
  const auto& dc = cluster_dir.counters();
  lg->info("directory counters: local={} remote={} cache_hits={} rerouted={} failures={} "
           "served={} handovers={} view_changes={}",
           dc.local.load(), dc.remote.load(), dc.cache_hits.load(), dc.rerouted.load(),
           dc.failures.load(), dc.spawns_served.load(), dc.handovers.load(),
           dc.view_changes.load());
  const auto& gc = gateway.counters();
  lg->info("gateway counters: dispatched={} local={} no_dialog={} unavailable={} "
           "relayed_requests={} relayed_responses={} loops={} max_forwards={} "
           "relays_refused={}",
           gc.dispatched.load(), gc.local.load(), gc.no_dialog.load(),
           gc.unavailable.load(), gc.relayed_requests.load(), gc.relayed_responses.load(),
           gc.loops.load(), gc.max_forwards_exhausted.load(), gc.relays_refused.load());
  dir.shutdown();
  cluster_dir.shutdown();
  sys.await_all_actors_done();
  if (media) {
    const auto& mc = media->counters();
    lg->info("media counters: in={} out={} malformed_rtp={} malformed_rtcp={} srtp_auth={} "
             "ports_exhausted={} timeouts={}",
             mc.packets_in.load(), mc.packets_out.load(), mc.malformed_rtp.load(),
             mc.malformed_rtcp.load(), mc.srtp_auth_failures.load(),
             mc.ports_exhausted.load(), mc.media_timeouts.load());
    media->stop();
  }
  cdr_log.stop();
  const auto& cc = cdr_log.counters();
  lg->info("cdr counters: written={} dropped={} failed={} batches={}", cc.written.load(),
           cc.dropped.load(), cc.failed.load(), cc.batches.load());
  lg->info("stopped");
  lg->flush();
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  auto cli = ringdown::config::parse_command_line(argc, argv);
  using action = ringdown::config::cli_result::action;
  if (cli.what != action::run) {
    std::FILE* out = cli.exit_code == 0 ? stdout : stderr;
    std::fputs(cli.output.c_str(), out);
    if (!cli.output.empty() && cli.output.back() != '\n')
      std::fputc('\n', out);
    return cli.exit_code;
  }
  return run(cli.config, cli.provisioning);
}
