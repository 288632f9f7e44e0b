#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "cluster/placement.hpp"
#include "sim/swim_protocol.hpp"
#include "sim/world.hpp"

// The checks of SWIM scenarios (see swim_protocol() for their meaning).

namespace ringdown::sim {

namespace {

using cluster::member_state;

constexpr std::int64_t owner_keys_max = 100'000;

} // namespace

check_result views_converged(const world& w) {
  for (node_id n = 0; n < w.size(); ++n) {
    const swim_process* p = running_swim(w, n);
    if (p == nullptr)
      continue;
    const auto& table = p->machine().members();
    for (node_id m = 0; m < w.size(); ++m) {
      if (m == n)
        continue;
      const auto& name = w.info(m).name;
      const cluster::member* rec = table.find(name);
      if (running_swim(w, m) != nullptr) {
        if (rec == nullptr)
          return check_result::fail(
              fmt::format("{} does not know running {}", w.info(n).name, name));
        if (rec->state != member_state::alive)
          return check_result::fail(fmt::format("{} holds running {} {}", w.info(n).name,
                                                name, cluster::to_string(rec->state)));
      } else if (rec != nullptr && cluster::is_live(rec->state)) {
        return check_result::fail(fmt::format("{} holds stopped {} {}", w.info(n).name,
                                              name, cluster::to_string(rec->state)));
      }
    }
    for (const auto& [id, rec] : table)
      if (cluster::is_live(rec.state) && !w.find_node(id))
        return check_result::fail(
            fmt::format("{} holds unknown member {} live", w.info(n).name, id));
  }
  return check_result::pass();
}

check_result dead_everywhere(const world& w, const param_map& params) {
  const std::string target = params.text("node");
  const auto t = w.find_node(target);
  if (!t)
    return check_result::fail(fmt::format("no node named \"{}\"", target));
  for (node_id n = 0; n < w.size(); ++n) {
    const swim_process* p = running_swim(w, n);
    if (n == *t || p == nullptr)
      continue;
    const cluster::member* rec = p->machine().members().find(target);
    if (rec != nullptr && cluster::is_live(rec->state))
      return check_result::fail(fmt::format("{} holds {} {}", w.info(n).name, target,
                                            cluster::to_string(rec->state)));
  }
  return check_result::pass();
}

check_result owners_agree(const world& w, const param_map& params) {
  const std::int64_t count =
      std::clamp<std::int64_t>(params.integer("keys").value_or(1000), 1, owner_keys_max);
  std::set<std::string> zone_set;
  for (node_id n = 0; n < w.size(); ++n)
    zone_set.insert(w.info(n).zone);
  const std::vector<std::string> zones(zone_set.begin(), zone_set.end());
  std::vector<node_id> running;
  for (node_id n = 0; n < w.size(); ++n)
    if (running_swim(w, n) != nullptr)
      running.push_back(n);
  if (running.empty())
    return check_result::pass();
  // Each running node's view, as the cluster directory reads it.
  std::vector<std::vector<cluster::member>> views(running.size());
  for (std::size_t i = 0; i < running.size(); ++i)
    for (const auto& [id, m] : running_swim(w, running[i])->machine().members())
      views[i].push_back(m);
  const auto owner_seen = [&](std::size_t i, const std::string& key,
                              const std::string& zone) {
    const cluster::member* m = cluster::owner_in_zone(key, zone, views[i]);
    return m == nullptr ? std::string{} : m->id;
  };
  for (std::int64_t k = 0; k < count; ++k) {
    const std::string key = fmt::format("line/sip:l{}@floor", k);
    const auto& zone = zones[static_cast<std::size_t>(k) % zones.size()];
    const std::string owner = owner_seen(0, key, zone);
    if (!owner.empty()) {
      const auto o = w.find_node(owner);
      if (!o || running_swim(w, *o) == nullptr)
        return check_result::fail(fmt::format("{}: {} names stopped {} owner", key,
                                              w.info(running[0]).name, owner));
    }
    for (std::size_t i = 1; i < running.size(); ++i) {
      const std::string o = owner_seen(i, key, zone);
      if (o != owner)
        return check_result::fail(fmt::format("{}: {} says owner {}, {} says {}", key,
                                              w.info(running[0]).name, owner,
                                              w.info(running[i]).name, o));
    }
  }
  return check_result::pass();
}

check_result no_false_deaths(const world& w, const swim_journal& j,
                             const param_map& params) {
  const auto since =
      w.start_time() + std::chrono::milliseconds{params.integer("since_ms").value_or(0)};
  for (const auto& d : j.declarations())
    if (d.at >= since && d.target_running && d.target_since <= since)
      return check_result::fail(fmt::format(
          "{} declared running {} dead at +{} ms", d.observer, d.target,
          std::chrono::duration_cast<std::chrono::milliseconds>(d.at - w.start_time())
              .count()));
  return check_result::pass();
}

void register_swim_checks(world& w, std::shared_ptr<swim_journal> journal) {
  if (journal)
    journal->attach(w);
  w.add_check("views_converged",
              [](const world& x, const param_map&) { return views_converged(x); });
  w.add_check("dead_everywhere", dead_everywhere);
  w.add_check("owners_agree", owners_agree);
  if (journal)
    w.add_check("no_false_deaths", [journal](const world& x, const param_map& p) {
      return no_false_deaths(x, *journal, p);
    });
}

} // namespace ringdown::sim
