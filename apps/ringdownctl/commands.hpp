#pragma once

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "net/http/cluster_routes.hpp"

namespace ringdown::ctl {

/// What every ringdownctl command shares: the node asked first (its admin
/// address) and the bound of each HTTP exchange.
struct ctl_options {
  std::string node = "127.0.0.1:8080";
  std::chrono::milliseconds timeout{5000};
};

/// Exit codes: 0 done, 1 failed (unreachable node, HTTP error, unknown
/// member, wait timed out). Messages go to `err` as one line each,
/// prefixed "ringdownctl: ".
constexpr int exit_ok = 0;
constexpr int exit_failed = 1;

/// `cluster status`: GET /v1/cluster/status from opts.node; prints the
/// table (status_table), or with `json` the body as received.
int cluster_status(const ctl_options& opts, bool json, std::ostream& out,
                   std::ostream& err);

/// `node drain ID`: finds ID in opts.node's cluster status, POSTs
/// /v1/node/drain to ID's admin address and prints the answer; with `wait`
/// polls opts.node's status every poll_interval until ID is `left` or
/// absent, failing when `wait` runs out first.
int node_drain(const ctl_options& opts, std::string_view id,
               std::optional<std::chrono::milliseconds> wait, std::ostream& out,
               std::ostream& err);

/// Interval between two status polls of `node drain --wait`.
constexpr std::chrono::milliseconds poll_interval{250};

/// The human view of a status: who answered (and from where), one row per
/// member (id, zone, state, incarnation, SIP/cluster/admin addresses), and
/// the answering node's owned keys by kind.
std::string status_table(const http::node_status& status, std::string_view answered_from);

} // namespace ringdown::ctl
