#include "apps/ringdownd/metrics_routes.hpp"

#include <atomic>
#include <cstddef>
#include <iterator>
#include <string_view>
#include <tuple>
#include <vector>

#include "actors/engine/cluster_directory.hpp"
#include "actors/engine/gateway_counters.hpp"
#include "base/json.hpp"
#include "net/http/admin_server.hpp"
#include "net/rtp/media_engine.hpp"
#include "net/transport/transport_probe.hpp"
#include "storage/cdr_writer.hpp"

namespace ringdown::ringdownd {

namespace {

/// One reading: `group`.`name` (with a transport label for the SIP
/// message counts), a counter since the node started or a gauge (now).
struct sample {
  std::string_view group;
  std::string_view name;
  std::string_view transport; ///< "udp", "tcp", "tls"; empty: none
  std::uint64_t value = 0;
  bool gauge = false;
};

class readings {
public:
  void counter(std::string_view group, std::string_view name,
               const std::atomic<std::uint64_t>& c, std::string_view transport = {}) {
    all.push_back({group, name, transport, c.load(std::memory_order_relaxed), false});
  }
  void gauge(std::string_view group, std::string_view name, std::uint64_t v) {
    all.push_back({group, name, {}, v, true});
  }
  std::vector<sample> all;
};

/// Every reading, grouped, in a fixed order.
std::vector<sample> collect(const metrics_sources& s) {
  readings r;
  r.gauge("calls", "live", s.live_calls ? s.live_calls() : 0);
  if (const auto* p = s.sip) {
    // Indexed by transport protocol.
    static constexpr std::string_view transports[] = {"udp", "tcp", "tls"};
    static_assert(std::size(transports) == std::tuple_size_v<decltype(p->messages_in)>);
    static_assert(static_cast<int>(transport::protocol::udp) == 0 &&
                  static_cast<int>(transport::protocol::tcp) == 1 &&
                  static_cast<int>(transport::protocol::tls) == 2);
    for (std::size_t i = 0; i < std::size(transports); ++i)
      r.counter("sip", "messages_in", p->messages_in[i], transports[i]);
    for (std::size_t i = 0; i < std::size(transports); ++i)
      r.counter("sip", "messages_out", p->messages_out[i], transports[i]);
    r.counter("sip", "parse_errors_answered", p->parse_errors_answered);
    r.counter("sip", "dropped", p->dropped);
    r.counter("sip", "stray_responses", p->stray_responses);
    r.counter("sip", "send_failures", p->send_failures);
    r.counter("sip", "connections_opened", p->connections_opened);
    r.gauge("sip", "connections_open", p->connections_open.load(std::memory_order_relaxed));
    r.counter("sip", "connections_refused", p->connections_refused);
    r.counter("sip", "connections_idle_closed", p->connections_idle_closed);
    r.counter("sip", "tls_handshake_failures", p->tls_handshake_failures);
    r.counter("sip", "keepalive_pings", p->keepalive_pings);
  }
  if (const auto* g = s.gateway) {
    r.counter("gateway", "dispatched", g->dispatched);
    r.counter("gateway", "local", g->local);
    r.counter("gateway", "no_dialog", g->no_dialog);
    r.counter("gateway", "unavailable", g->unavailable);
    r.counter("gateway", "acks_absorbed", g->acks_absorbed);
    r.counter("gateway", "relayed_requests", g->relayed_requests);
    r.counter("gateway", "relayed_responses", g->relayed_responses);
    r.counter("gateway", "loops", g->loops);
    r.counter("gateway", "max_forwards_exhausted", g->max_forwards_exhausted);
    r.counter("gateway", "relays_refused", g->relays_refused);
  }
  if (const auto* d = s.directory) {
    r.counter("directory", "local", d->local);
    r.counter("directory", "remote", d->remote);
    r.counter("directory", "cache_hits", d->cache_hits);
    r.counter("directory", "rerouted", d->rerouted);
    r.counter("directory", "failures", d->failures);
    r.counter("directory", "handovers", d->handovers);
    r.counter("directory", "spawns_served", d->spawns_served);
    r.counter("directory", "view_changes", d->view_changes);
  }
  if (const auto* m = s.media) {
    r.gauge("media", "bridges", m->bridges.load(std::memory_order_relaxed));
    r.gauge("media", "legs", m->legs.load(std::memory_order_relaxed));
    r.gauge("media", "music_legs", m->music_legs.load(std::memory_order_relaxed));
    r.counter("media", "packets_in", m->packets_in);
    r.counter("media", "packets_out", m->packets_out);
    r.counter("media", "malformed_rtp", m->malformed_rtp);
    r.counter("media", "malformed_rtcp", m->malformed_rtcp);
    r.counter("media", "srtp_auth_failures", m->srtp_auth_failures);
    r.counter("media", "srtp_replay_failures", m->srtp_replay_failures);
    r.counter("media", "foreign_source", m->foreign_source);
    r.counter("media", "send_failures", m->send_failures);
    r.counter("media", "ports_exhausted", m->ports_exhausted);
    r.counter("media", "media_timeouts", m->media_timeouts);
    r.counter("media", "ticks", m->ticks);
    r.counter("media", "legs_moved", m->legs_moved);
  }
  if (const auto* c = s.cdr) {
    r.counter("cdr", "submitted", c->submitted);
    r.counter("cdr", "written", c->written);
    r.counter("cdr", "dropped", c->dropped);
    r.counter("cdr", "failed", c->failed);
    r.counter("cdr", "batches", c->batches);
  }
  return std::move(r.all);
}

} // namespace

std::string metrics_json(const metrics_sources& s) {
  const auto all = collect(s);
  json_writer w;
  w.begin_object();
  w.key("node").value_string(s.node);
  for (std::size_t i = 0; i < all.size();) {
    const auto group = all[i].group;
    w.key(group).begin_object();
    while (i < all.size() && all[i].group == group) {
      const auto name = all[i].name;
      if (all[i].transport.empty()) {
        w.key(name).value_uint(all[i++].value);
        continue;
      }
      // Readings by transport: {"udp": n, "tcp": n, "tls": n}.
      w.key(name).begin_object();
      for (; i < all.size() && all[i].group == group && all[i].name == name; ++i)
        w.key(all[i].transport).value_uint(all[i].value);
      w.end_object();
    }
    w.end_object();
  }
  w.end_object();
  return w.str();
}

std::string metrics_prometheus(const metrics_sources& s) {
  const auto all = collect(s);
  std::string out;
  out.reserve(all.size() * 96);
  std::string node_label = "node=\"";
  for (const char c : s.node) { // label value escapes (exposition format 0.0.4)
    if (c == '\n') {
      node_label += "\\n";
      continue;
    }
    if (c == '\\' || c == '"')
      node_label += '\\';
    node_label += c;
  }
  node_label += '"';
  std::string_view last_group, last_name;
  for (const auto& m : all) {
    std::string metric = "ringdown_";
    metric.append(m.group).append("_").append(m.name);
    if (!m.gauge)
      metric += "_total";
    if (m.group != last_group || m.name != last_name)
      out.append("# TYPE ").append(metric).append(m.gauge ? " gauge\n" : " counter\n");
    last_group = m.group;
    last_name = m.name;
    out.append(metric).append("{").append(node_label);
    if (!m.transport.empty())
      out.append(",transport=\"").append(m.transport).append("\"");
    out.append("} ").append(std::to_string(m.value)).append("\n");
  }
  return out;
}

void register_metrics_routes(http::admin_server& admin, metrics_sources sources) {
  admin.route(http::method::get, "/v1/metrics", [sources](const http::request&) {
    return http::response{200, metrics_json(sources)};
  });
  admin.route(http::method::get, "/metrics", [sources](const http::request&) {
    return http::response{200, metrics_prometheus(sources),
                          "text/plain; version=0.0.4; charset=utf-8"};
  });
}

} // namespace ringdown::ringdownd
