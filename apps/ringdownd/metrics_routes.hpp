#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace ringdown::http {
class admin_server;
}
namespace ringdown::transport {
struct transport_probe;
}
namespace ringdown::actors {
struct gateway_counters;
struct cluster_directory_counters;
} // namespace ringdown::actors
namespace ringdown::rtp {
struct media_counters;
}
namespace ringdown::storage {
struct cdr_writer_counters;
}

namespace ringdown::ringdownd {

/// Where the node's counters live (each written by its own thread, read
/// here with relaxed loads). `media` is null without [media].
struct metrics_sources {
  std::string node;
  const transport::transport_probe* sip = nullptr;
  const actors::gateway_counters* gateway = nullptr;
  const actors::cluster_directory_counters* directory = nullptr;
  const rtp::media_counters* media = nullptr;
  const storage::cdr_writer_counters* cdr = nullptr;
  std::function<std::uint64_t()> live_calls;
};

/// The counters as one JSON object: {"node", "calls": {"live"},
/// "sip": {...}, "gateway": {...}, "directory": {...}, "media": {...} (with
/// [media] only), "cdr": {...}}. Counters count since the node started;
/// `calls.live`, `media.bridges`, `media.legs` and `media.music_legs` are
/// gauges (now).
[[nodiscard]] std::string metrics_json(const metrics_sources& sources);

/// The same readings in Prometheus' text exposition format (0.0.4):
/// `ringdown_<group>_<name>_total{node="..."} n` for counters,
/// `ringdown_<group>_<name>{node="..."} n` for gauges, each after its
/// `# TYPE` line; the SIP message counts carry a `transport` label.
[[nodiscard]] std::string metrics_prometheus(const metrics_sources& sources);

/// GET /v1/metrics (metrics_json) and GET /metrics (metrics_prometheus,
/// for a Prometheus scraper).
void register_metrics_routes(http::admin_server& admin, metrics_sources sources);

} // namespace ringdown::ringdownd
