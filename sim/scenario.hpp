#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "sim/check.hpp"
#include "sim/link_model.hpp"
#include "sim/world.hpp"

namespace ringdown::sim {

enum class fault_kind {
  kill,
  restart,
  partition,
  heal,
  isolate,
  clog,
  unclog,
  loss,
  leave
};
[[nodiscard]] std::string_view to_string(fault_kind k) noexcept;

/// One `[[fault]]` of a scenario; which fields matter depends on `kind`:
///   kill, restart, isolate, leave (graceful, then dead): `node`
///   partition: `a` and `b` (node names; `oneway` blocks a -> b only), or
///              `zones = true` (every zone cut from the others)
///   heal, unclog: nothing (every block, every clog ends)
///   clog: `node` (and `direction` = "in" | "out" | "both") or `from` and
///         `to` (one direction of a link); `for_ms`, else until unclog
///   loss: `probability`; on `from` -> `to` when given, else the default
struct fault_def {
  duration at{};
  fault_kind kind = fault_kind::heal;
  std::string node;
  std::vector<std::string> a, b;
  bool oneway = false;
  bool zones = false;
  std::string from, to;
  bool clog_in = true, clog_out = true;
  std::optional<duration> length;
  double probability = 0.0;
};

/// One `[[check]]`: the check named `kind` (registered by the protocol)
/// runs at `at`, and again every `every` until `at + within`: it must pass
/// once (eventually), or at every try when `always`. Other keys go to
/// `params`.
struct check_def {
  duration at{};
  std::string kind;
  duration within{};
  duration every = std::chrono::milliseconds{10};
  bool always = false;
  param_map params;
};

/// `[random_faults]`: faults drawn from the run's seed. From `from` to
/// `until`, one fault every `mean_gap` on average (uniform gaps in
/// [0, 2 * mean_gap]), of a kind drawn from `kinds`, with at most
/// `dead_max` nodes dead at once. At `until` the network heals (blocks,
/// clogs, loss back to [network]) and every dead node restarts: the run's
/// healed phase, in which checks can demand convergence within a bound.
struct random_faults_def {
  static constexpr std::size_t drawn_max = 10'000;

  duration from{};
  duration until{};
  duration mean_gap = std::chrono::milliseconds{500};
  std::vector<fault_kind> kinds;
  std::size_t dead_max = 1;
};

/// One direction of a link with its own behaviour (`[[network.link]]`;
/// `both = true` sets the reverse direction too).
struct link_def {
  std::string from, to;
  bool both = false;
  link_model model;
};

/// A simulation scenario, as read from a TOML file under sim/scenarios/:
/// how long the run lasts, the topology, the network's behaviour, the
/// faults over time and the checks. Plain data; any thread. Layout:
///   name, description                      strings
///   [run] duration_ms                      the run's length (10 s)
///   [topology] seeds = [names]; [[topology.node]] name, address, zone
///   [network] latency = {kind = "fixed", ms} | {kind = "uniform", min_ms,
///     max_ms} | {kind = "normal", mean_ms, stddev_ms} | {kind = "pareto",
///     scale_ms, shape}; loss, duplicate, reorder (probabilities),
///     reorder_delay_ms; [[network.link]] from, to, both, same keys
///   [[fault]] at_ms, kind, ... (fault_def); [random_faults] (below)
///   [[check]] at_ms, kind, within_ms, every_ms, always, params...
/// Times are milliseconds, fractions allowed (0.25 = 250 us).
struct scenario {
  static constexpr std::size_t nodes_max = 256;
  static constexpr std::size_t faults_max = 10'000;
  static constexpr std::size_t checks_max = 10'000;

  std::string name;
  std::string description;
  duration length = std::chrono::seconds{10}; ///< [run] duration_ms
  std::vector<node_spec> nodes;
  std::vector<std::string> seeds; ///< node names
  link_model network;
  std::vector<link_def> links;
  std::vector<fault_def> faults;
  std::optional<random_faults_def> random_faults;
  std::vector<check_def> checks;
};

/// A parsed scenario, or the problems found: each "file:line: key: what"
/// (`heartbeat.toml:12: fault[1].kind: unknown fault kind "explode"`).
struct scenario_parse {
  std::optional<scenario> value;
  std::vector<std::string> errors;
};

/// Parses a scenario; `protocol_tables` names the top-level tables a
/// protocol reads itself (`swim` for [swim]), which the simulator skips
/// instead of refusing as unknown keys.
[[nodiscard]] scenario_parse
parse_scenario(std::string_view text, std::string_view file,
               std::initializer_list<std::string_view> protocol_tables = {});
[[nodiscard]] scenario_parse
load_scenario(const std::string& path,
              std::initializer_list<std::string_view> protocol_tables = {});
/// The text of a scenario file, or the problem ("path: cannot read the file").
[[nodiscard]] std::optional<std::string> read_scenario_text(const std::string& path,
                                                            std::string& error);

/// The faults `s.random_faults` asks for, drawn from `r`, in time order,
/// the healing at `until` included; none without [random_faults].
[[nodiscard]] std::vector<fault_def> draw_faults(const scenario& s, rng& r);

/// Puts the scenario into `w`: its nodes, seeds and network, and every
/// fault (the drawn ones too, from the world's rng) and check scheduled
/// from the world's start time. Does not start
/// the nodes.
void install(const scenario& s, world& w);

} // namespace ringdown::sim
