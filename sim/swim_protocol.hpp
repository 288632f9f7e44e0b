#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.hpp"
#include "base/random.hpp"
#include "cluster/swim_stm.hpp"
#include "sim/runner.hpp"
#include "sim/scenario.hpp"

// SWIM membership (cluster/swim_stm.hpp) in the simulator: one swim_stm per
// node, the scenario's [swim] section, and the checks scenarios name.

namespace ringdown::sim {

/// A node that starts its membership late (`[[swim.join]]`): silent until
/// `at` after its first start, then joins through `seeds` (node names; the
/// topology's seeds when empty). A restart joins at once.
struct swim_late_join {
  std::string node;
  duration at{};
  std::vector<std::string> seeds;
};

/// The [swim] section of a scenario: swim_config knobs (same names, with
/// the simulator's defaults probe 100 ms / timeout 50 ms) and late joins.
/// The cluster key is fixed for every run. Plain data; any thread.
struct swim_settings {
  cluster::swim_config config = default_config();
  std::vector<std::uint8_t> cluster_key = std::vector<std::uint8_t>(32, 0x5a);
  std::vector<swim_late_join> late_joins;

  static cluster::swim_config default_config() {
    cluster::swim_config c;
    c.probe_interval_ms = 100;
    c.probe_timeout_ms = 50;
    return c;
  }
};

/// Settings, or the problems found ("file:line: swim.probe_interval_ms: ...").
struct swim_settings_parse {
  std::optional<swim_settings> value;
  std::vector<std::string> errors;
};

/// Reads [swim] out of a scenario file's text (absent: the defaults);
/// names in [[swim.join]] are checked against `s`'s topology.
[[nodiscard]] swim_settings_parse
parse_swim_settings(std::string_view text, std::string_view file, const scenario& s);

/// One `failed` event: `observer` declared `target` dead at `at`. Whether
/// the target's membership was running then, and since when (its join).
struct swim_declaration {
  time_point at{};
  std::string observer, target;
  bool target_running = false;
  time_point target_since{};
};

/// What the run's nodes declared, kept across kills and restarts, for
/// no_false_deaths and the benchmarks. Shared by the protocol's processes
/// and checks; attached to the world of each run (which clears it). The
/// simulator's thread.
class swim_journal {
public:
  static constexpr std::size_t declarations_max = 100'000;

  void attach(const world& w);
  void failed(std::string_view observer, std::string_view target, time_point at);
  [[nodiscard]] const std::vector<swim_declaration>& declarations() const noexcept {
    return declarations_;
  }
  [[nodiscard]] std::uint64_t total() const noexcept { return total_; }

private:
  const world* world_ = nullptr;
  std::vector<swim_declaration> declarations_;
  std::uint64_t total_ = 0;
};

/// One simulated node's membership: its swim_stm (with its own rng from
/// the node's seed), driven by the world; swim events go to the trace and
/// `failed` ones to the journal. Owned by the world; the simulator's thread.
class swim_process final : public process {
public:
  swim_process(const node_info& info, const swim_settings& settings,
               std::vector<std::string> seeds, duration join_after,
               std::shared_ptr<swim_journal> journal);

  void start(context& ctx) override;
  void receive(context& ctx, std::string_view from,
               std::span<const std::uint8_t> bytes) override;
  void wakeup(context& ctx) override;
  void leave(context& ctx) override;

  [[nodiscard]] const cluster::swim_stm& machine() const noexcept { return stm_; }
  /// Membership runs (joined, not left).
  [[nodiscard]] bool running() const noexcept { return joined_at_.has_value() && !left_; }
  [[nodiscard]] time_point joined_at() const noexcept {
    return joined_at_.value_or(time_point::max());
  }

private:
  void join(context& ctx);
  void apply(context& ctx);

  ringdown::rng rng_;
  cluster::swim_stm stm_;
  std::vector<std::string> seeds_;
  std::shared_ptr<swim_journal> journal_;
  std::string name_;
  cluster::swim_output out_;
  std::optional<time_point> join_at_;
  std::optional<time_point> joined_at_;
  duration join_after_{};
  bool left_ = false;
};

/// The node's swim_process if it is alive and its membership runs.
[[nodiscard]] const swim_process* running_swim(const world& w, node_id n);

/// SWIM as a protocol for the runner, for the nodes of `s`. Checks:
///   views_converged   every running node lists exactly the running nodes
///                     as alive (not suspect) and no other node as live
///   owners_agree      (keys = 1000) for keys "line/sip:l{i}@floor", the
///                     i-th in the i-th zone (zones sorted, round robin),
///                     every running node's place() over its own alive or
///                     suspect members of that zone gives the same owner,
///                     and that owner is running
///   dead_everywhere   (node) every other running node holds it dead or
///                     left, or has forgotten it
///   no_false_deaths   (since_ms = 0) no `failed` event at or after since
///                     named a node whose membership was running then and
///                     had been since `since` or before (joined, not killed
///                     or restarted in between). The check cannot tell a
///                     network fault from a false suspicion: use it where
///                     nothing isolates, partitions or clogs after since.
[[nodiscard]] protocol swim_protocol(const scenario& s, const swim_settings& settings,
                                     std::shared_ptr<swim_journal> journal = nullptr);

/// Registers the checks with `w` and attaches the journal to it.
void register_swim_checks(world& w, std::shared_ptr<swim_journal> journal);

/// The checks by themselves, for tests and the benchmarks.
[[nodiscard]] check_result views_converged(const world& w);
[[nodiscard]] check_result dead_everywhere(const world& w, const param_map& params);
[[nodiscard]] check_result owners_agree(const world& w, const param_map& params);
[[nodiscard]] check_result no_false_deaths(const world& w, const swim_journal& j,
                                           const param_map& params);

} // namespace ringdown::sim
