#include <algorithm>
#include <set>

#include "sim/scenario.hpp"

// draw_faults(): the faults of [random_faults], drawn from the run's rng.

namespace ringdown::sim {

namespace {

duration uniform(rng& r, duration lo, duration hi) {
  if (hi <= lo)
    return lo;
  return lo + duration{static_cast<duration::rep>(
                  r.below(static_cast<std::uint64_t>((hi - lo).count()) + 1))};
}

} // namespace

std::vector<fault_def> draw_faults(const scenario& s, rng& r) {
  std::vector<fault_def> out;
  if (!s.random_faults || s.nodes.empty())
    return out;
  const random_faults_def& d = *s.random_faults;
  const auto n = static_cast<std::uint64_t>(s.nodes.size());
  const auto any = [&] { return s.nodes[r.below(n)].name; };
  std::set<std::string> dead;
  duration t = d.from;
  while (out.size() < random_faults_def::drawn_max) {
    t += uniform(r, duration{0}, 2 * d.mean_gap);
    if (t >= d.until)
      break;
    fault_def f;
    f.at = t;
    f.kind = d.kinds[r.below(d.kinds.size())];
    switch (f.kind) {
    case fault_kind::kill:
    case fault_kind::leave:
      f.node = any();
      if (dead.count(f.node) != 0 || dead.size() >= d.dead_max)
        continue;
      dead.insert(f.node);
      break;
    case fault_kind::restart:
      f.node = any(); // a dead node comes back; a live one crashes and restarts
      dead.erase(f.node);
      break;
    case fault_kind::partition:
      f.oneway = r.below(2) == 0;
      for (const auto& node : s.nodes)
        (r.below(2) == 0 ? f.a : f.b).push_back(node.name);
      if (f.a.empty() || f.b.empty())
        continue;
      break;
    case fault_kind::isolate:
      f.node = any();
      break;
    case fault_kind::clog: {
      f.node = any();
      const auto dir = r.below(3);
      f.clog_in = dir != 1;
      f.clog_out = dir != 0;
      f.length = uniform(r, std::chrono::milliseconds{1}, 2 * d.mean_gap);
      break;
    }
    case fault_kind::loss:
      f.probability = static_cast<double>(r.below(51)) / 100.0;
      break;
    case fault_kind::heal:
    case fault_kind::unclog:
      break;
    }
    out.push_back(std::move(f));
  }
  // The healed phase: no block, no clog, the scenario's loss, all alive.
  fault_def heal;
  heal.at = d.until;
  heal.kind = fault_kind::heal;
  out.push_back(heal);
  heal.kind = fault_kind::unclog;
  out.push_back(heal);
  heal.kind = fault_kind::loss;
  heal.probability = s.network.loss;
  out.push_back(heal);
  for (const auto& name : dead) {
    fault_def up;
    up.at = d.until;
    up.kind = fault_kind::restart;
    up.node = name;
    out.push_back(std::move(up));
  }
  return out;
}

} // namespace ringdown::sim
