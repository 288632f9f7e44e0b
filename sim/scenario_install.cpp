#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/assert.hpp"
#include "sim/scenario.hpp"

// install(): a parsed scenario put into a world.

namespace ringdown::sim {

namespace {

std::vector<node_id> ids(const world& w, const std::vector<std::string>& names) {
  std::vector<node_id> out;
  for (const auto& n : names) {
    const auto id = w.find_node(n);
    RINGDOWN_ASSERT(id.has_value(), "scenario names a node not in its topology");
    out.push_back(*id);
  }
  return out;
}

node_id id(const world& w, const std::string& name) {
  return ids(w, {name}).front();
}

/// The action of one fault, and how the trace names it.
std::pair<std::string, std::function<void(world&)>> action(const fault_def& f,
                                                           const world& w) {
  const std::string kind{to_string(f.kind)};
  switch (f.kind) {
  case fault_kind::kill: {
    const node_id n = id(w, f.node);
    return {kind + " " + f.node, [n](world& x) { x.kill(n); }};
  }
  case fault_kind::leave: {
    const node_id n = id(w, f.node);
    return {kind + " " + f.node, [n](world& x) { x.leave(n); }};
  }
  case fault_kind::restart: {
    const node_id n = id(w, f.node);
    return {kind + " " + f.node, [n](world& x) { x.restart(n); }};
  }
  case fault_kind::isolate: {
    const node_id n = id(w, f.node);
    return {kind + " " + f.node, [n](world& x) { x.network().isolate(n); }};
  }
  case fault_kind::partition: {
    if (f.zones)
      return {"partition by zone", [](world& x) { x.network().split_zones(); }};
    auto a = ids(w, f.a);
    auto b = ids(w, f.b);
    const bool oneway = f.oneway;
    return {fmt::format("partition {} {} {}", fmt::join(f.a, ","), oneway ? "->" : "|",
                        fmt::join(f.b, ",")),
            [a, b, oneway](world& x) {
              if (!oneway)
                return x.network().partition(a, b);
              for (const node_id from : a)
                for (const node_id to : b)
                  x.network().block(from, to);
            }};
  }
  case fault_kind::heal:
    return {kind, [](world& x) { x.network().heal(); }};
  case fault_kind::unclog:
    return {kind, [](world& x) { x.unclog_all(); }};
  case fault_kind::clog: {
    const auto length = f.length;
    const auto label = f.node.empty()
                           ? fmt::format("clog {}->{}", f.from, f.to)
                           : fmt::format("clog {} ({}{})", f.node, f.clog_in ? "in" : "",
                                         f.clog_out ? (f.clog_in ? "+out" : "out") : "");
    if (!f.node.empty()) {
      const node_id n = id(w, f.node);
      const bool in = f.clog_in, out = f.clog_out;
      return {label, [=](world& x) {
                const auto until = length ? x.now() + *length : time_point::max();
                x.network().clog_node(n, out, in, until);
              }};
    }
    const node_id from = id(w, f.from), to = id(w, f.to);
    return {label, [=](world& x) {
              const auto until = length ? x.now() + *length : time_point::max();
              x.network().clog_link(from, to, until);
            }};
  }
  case fault_kind::loss: {
    const double p = f.probability;
    if (f.from.empty())
      return {fmt::format("loss {}", p), [p](world& x) {
                auto m = x.network().default_link();
                m.loss = p;
                x.network().set_default(m);
              }};
    const node_id from = id(w, f.from), to = id(w, f.to);
    return {fmt::format("loss {} {}->{}", p, f.from, f.to), [=](world& x) {
              auto m = x.network().link(from, to);
              m.loss = p;
              x.network().set_link(from, to, m);
            }};
  }
  }
  return {kind, [](world&) {}};
}

} // namespace

void install(const scenario& s, world& w) {
  for (const auto& n : s.nodes)
    w.add_node(n);
  std::vector<std::string> seeds;
  for (const auto& name : s.seeds)
    seeds.push_back(w.info(id(w, name)).address);
  w.set_seeds(std::move(seeds));
  w.network().set_default(s.network);
  for (const auto& l : s.links) {
    const node_id from = id(w, l.from), to = id(w, l.to);
    w.network().set_link(from, to, l.model);
    if (l.both)
      w.network().set_link(to, from, l.model);
  }
  const time_point t0 = w.start_time();
  const auto schedule = [&](const fault_def& f) {
    auto [what, fn] = action(f, w);
    w.schedule_fault(t0 + f.at, std::move(what), std::move(fn));
  };
  for (const auto& f : s.faults)
    schedule(f);
  for (const auto& f : draw_faults(s, w.rng()))
    schedule(f);
  for (const auto& c : s.checks)
    w.schedule_check(t0 + c.at, c.kind, c.params, c.within, c.every, c.always);
}

} // namespace ringdown::sim
