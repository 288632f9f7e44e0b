#include "apps/ringdownd/metrics_routes.hpp"

#include <atomic>
#include <cstddef>
#include <iterator>
#include <string_view>
#include <tuple>
#include <type_traits>

#include "actors/engine/cluster_directory.hpp"
#include "actors/engine/gateway_counters.hpp"
#include "base/json.hpp"
#include "net/http/admin_server.hpp"
#include "net/rtp/media_engine.hpp"
#include "net/transport/transport_probe.hpp"
#include "storage/cdr_writer.hpp"

namespace ringdown::ringdownd {

namespace {

void put(json_writer& w, std::string_view name, const std::atomic<std::uint64_t>& c) {
  w.key(name).value_uint(c.load(std::memory_order_relaxed));
}

void sip_of(json_writer& w, const transport::transport_probe& p) {
  w.key("sip").begin_object();
  // Indexed by transport protocol: {"udp": n, "tcp": n, "tls": n}.
  using transport::protocol;
  static_assert(static_cast<int>(protocol::udp) == 0 &&
                static_cast<int>(protocol::tcp) == 1 &&
                static_cast<int>(protocol::tls) == 2);
  static constexpr std::string_view names[] = {"udp", "tcp", "tls"};
  const auto by_protocol = [&w](std::string_view name, const auto& counters) {
    static_assert(std::size(names) == std::tuple_size_v<std::decay_t<decltype(counters)>>);
    w.key(name).begin_object();
    for (std::size_t i = 0; i < counters.size(); ++i)
      put(w, names[i], counters[i]);
    w.end_object();
  };
  by_protocol("messages_in", p.messages_in);
  by_protocol("messages_out", p.messages_out);
  put(w, "parse_errors_answered", p.parse_errors_answered);
  put(w, "dropped", p.dropped);
  put(w, "stray_responses", p.stray_responses);
  put(w, "send_failures", p.send_failures);
  put(w, "connections_opened", p.connections_opened);
  put(w, "connections_open", p.connections_open);
  put(w, "connections_refused", p.connections_refused);
  put(w, "connections_idle_closed", p.connections_idle_closed);
  put(w, "tls_handshake_failures", p.tls_handshake_failures);
  put(w, "keepalive_pings", p.keepalive_pings);
  w.end_object();
}

void gateway_of(json_writer& w, const actors::gateway_counters& g) {
  w.key("gateway").begin_object();
  put(w, "dispatched", g.dispatched);
  put(w, "local", g.local);
  put(w, "no_dialog", g.no_dialog);
  put(w, "unavailable", g.unavailable);
  put(w, "acks_absorbed", g.acks_absorbed);
  put(w, "relayed_requests", g.relayed_requests);
  put(w, "relayed_responses", g.relayed_responses);
  put(w, "loops", g.loops);
  put(w, "max_forwards_exhausted", g.max_forwards_exhausted);
  put(w, "relays_refused", g.relays_refused);
  w.end_object();
}

void directory_of(json_writer& w, const actors::cluster_directory_counters& d) {
  w.key("directory").begin_object();
  put(w, "local", d.local);
  put(w, "remote", d.remote);
  put(w, "cache_hits", d.cache_hits);
  put(w, "rerouted", d.rerouted);
  put(w, "failures", d.failures);
  put(w, "handovers", d.handovers);
  put(w, "spawns_served", d.spawns_served);
  put(w, "view_changes", d.view_changes);
  w.end_object();
}

void media_of(json_writer& w, const rtp::media_counters& m) {
  w.key("media").begin_object();
  put(w, "bridges", m.bridges);
  put(w, "legs", m.legs);
  put(w, "music_legs", m.music_legs);
  put(w, "packets_in", m.packets_in);
  put(w, "packets_out", m.packets_out);
  put(w, "malformed_rtp", m.malformed_rtp);
  put(w, "malformed_rtcp", m.malformed_rtcp);
  put(w, "srtp_auth_failures", m.srtp_auth_failures);
  put(w, "srtp_replay_failures", m.srtp_replay_failures);
  put(w, "foreign_source", m.foreign_source);
  put(w, "send_failures", m.send_failures);
  put(w, "ports_exhausted", m.ports_exhausted);
  put(w, "media_timeouts", m.media_timeouts);
  put(w, "ticks", m.ticks);
  put(w, "legs_moved", m.legs_moved);
  w.end_object();
}

void cdr_of(json_writer& w, const storage::cdr_writer_counters& c) {
  w.key("cdr").begin_object();
  put(w, "submitted", c.submitted);
  put(w, "written", c.written);
  put(w, "dropped", c.dropped);
  put(w, "failed", c.failed);
  put(w, "batches", c.batches);
  w.end_object();
}

} // namespace

std::string metrics_json(const metrics_sources& s) {
  json_writer w;
  w.begin_object();
  w.key("node").value_string(s.node);
  w.key("calls").begin_object();
  w.key("live").value_uint(s.live_calls ? s.live_calls() : 0);
  w.end_object();
  if (s.sip != nullptr)
    sip_of(w, *s.sip);
  if (s.gateway != nullptr)
    gateway_of(w, *s.gateway);
  if (s.directory != nullptr)
    directory_of(w, *s.directory);
  if (s.media != nullptr)
    media_of(w, *s.media);
  if (s.cdr != nullptr)
    cdr_of(w, *s.cdr);
  w.end_object();
  return w.str();
}

void register_metrics_routes(http::admin_server& admin, metrics_sources sources) {
  admin.route(http::method::get, "/v1/metrics",
              [sources = std::move(sources)](const http::request&) {
                return http::response{200, metrics_json(sources)};
              });
}

} // namespace ringdown::ringdownd
