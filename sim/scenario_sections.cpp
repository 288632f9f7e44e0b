#include "sim/scenario.hpp"
#include "sim/scenario_reader.hpp"

// The [topology], [[fault]] and [[check]] sections of a scenario file.

namespace ringdown::sim {

namespace {

constexpr std::string_view fault_names[] = {
    "kill", "restart", "partition", "heal", "isolate", "clog", "unclog", "loss", "leave"};

bool known(const scenario& s, std::string_view name) {
  return std::any_of(s.nodes.begin(), s.nodes.end(),
                     [&](const node_spec& n) { return n.name == name; });
}

/// A node name the fault or check refers to; it must be in the topology.
std::string node_name(detail::reader& r, const toml::table& t, const std::string& p,
                      std::string_view key, const scenario& s, bool required) {
  auto name = r.text(t, p, key, required);
  if (!name)
    return {};
  if (!known(s, *name))
    r.error(t.get(key), detail::reader::join(p, key),
            fmt::format("no node named \"{}\" in [topology]", *name));
  return *name;
}

std::vector<std::string> node_names(detail::reader& r, const toml::table& t,
                                    const std::string& p, std::string_view key,
                                    const scenario& s) {
  auto names = r.names(t, p, key);
  for (const auto& n : names)
    if (!known(s, n))
      r.error(t.get(key), detail::reader::join(p, key),
              fmt::format("no node named \"{}\" in [topology]", n));
  return names;
}

/// A time past the run's end would silently never happen.
void after_end(detail::reader& r, const toml::table& t, const std::string& p,
               std::string_view key, duration at, const scenario& s) {
  if (at > s.length)
    r.error(t.get(key), detail::reader::join(p, key),
            fmt::format(
                "after the end of the run ({} ms)",
                std::chrono::duration_cast<std::chrono::milliseconds>(s.length).count()));
}

} // namespace

std::string_view to_string(fault_kind k) noexcept {
  return fault_names[static_cast<std::size_t>(k)];
}

namespace detail {

void read_topology(reader& r, const toml::table& doc, scenario& s) {
  const auto* topo = r.table(doc, "", "topology");
  if (topo == nullptr) {
    r.error(&doc, "topology", "missing");
    return;
  }
  r.only(*topo, "topology", {"node", "seeds"});
  if (const auto* nodes = r.tables(*topo, "topology", "node")) {
    for (std::size_t i = 0; i < nodes->size(); ++i) {
      const auto& t = *nodes->get(i)->as_table();
      const std::string p = fmt::format("topology.node[{}]", i);
      r.only(t, p, {"name", "zone", "address"});
      node_spec n{r.text(t, p, "name", true).value_or(""),
                  r.text(t, p, "address", true).value_or(""),
                  r.text(t, p, "zone", false).value_or("default")};
      for (const auto& other : s.nodes)
        if (other.name == n.name || other.address == n.address)
          r.error(&t, p, "name or address used twice");
      if (s.nodes.size() == scenario::nodes_max)
        r.error(&t, p, fmt::format("more than {} nodes", scenario::nodes_max));
      else
        s.nodes.push_back(std::move(n));
    }
  }
  if (s.nodes.empty())
    r.error(topo, "topology.node", "no node");
  s.seeds = node_names(r, *topo, "topology", "seeds", s);
}

void read_faults(reader& r, const toml::table& doc, scenario& s) {
  const auto* faults = r.tables(doc, "", "fault");
  if (faults == nullptr)
    return;
  for (std::size_t i = 0; i < faults->size() && i < scenario::faults_max; ++i) {
    const auto& t = *faults->get(i)->as_table();
    const std::string p = fmt::format("fault[{}]", i);
    fault_def f;
    f.at = r.ms(t, p, "at_ms", true).value_or(duration{});
    after_end(r, t, p, "at_ms", f.at, s);
    const auto kind = r.text(t, p, "kind", true);
    if (!kind)
      continue;
    const auto* it = std::find(std::begin(fault_names), std::end(fault_names), *kind);
    if (it == std::end(fault_names)) {
      r.error(t.get("kind"), p + ".kind",
              fmt::format("unknown fault kind \"{}\" (kill, restart, partition, heal, "
                          "isolate, clog, unclog, loss, leave)",
                          *kind));
      continue;
    }
    f.kind = static_cast<fault_kind>(it - std::begin(fault_names));
    switch (f.kind) {
    case fault_kind::kill:
    case fault_kind::restart:
    case fault_kind::isolate:
    case fault_kind::leave:
      r.only(t, p, {"at_ms", "kind", "node"});
      f.node = node_name(r, t, p, "node", s, true);
      break;
    case fault_kind::partition:
      r.only(t, p, {"at_ms", "kind", "a", "b", "oneway", "zones"});
      f.zones = r.flag(t, p, "zones");
      f.oneway = r.flag(t, p, "oneway");
      f.a = node_names(r, t, p, "a", s);
      f.b = node_names(r, t, p, "b", s);
      if (!f.zones && (f.a.empty() || f.b.empty()))
        r.error(&t, p, "a partition needs a and b, or zones = true");
      break;
    case fault_kind::heal:
    case fault_kind::unclog:
      r.only(t, p, {"at_ms", "kind"});
      break;
    case fault_kind::clog: {
      r.only(t, p, {"at_ms", "kind", "node", "direction", "from", "to", "for_ms"});
      f.node = node_name(r, t, p, "node", s, false);
      f.from = node_name(r, t, p, "from", s, false);
      f.to = node_name(r, t, p, "to", s, false);
      f.length = r.ms(t, p, "for_ms", false);
      const auto dir = r.text(t, p, "direction", false).value_or("both");
      if (dir != "in" && dir != "out" && dir != "both")
        r.error(t.get("direction"), p + ".direction",
                "expected \"in\", \"out\" or \"both\"");
      f.clog_in = dir != "out";
      f.clog_out = dir != "in";
      if (f.node.empty() == (f.from.empty() || f.to.empty()))
        r.error(&t, p, "a clog needs either node, or from and to");
      break;
    }
    case fault_kind::loss:
      r.only(t, p, {"at_ms", "kind", "probability", "from", "to"});
      f.probability = r.number(t, p, "probability", 0.0, 1.0, true).value_or(0.0);
      f.from = node_name(r, t, p, "from", s, false);
      f.to = node_name(r, t, p, "to", s, false);
      if (f.from.empty() != f.to.empty())
        r.error(&t, p, "loss on a link needs both from and to");
      break;
    }
    s.faults.push_back(std::move(f));
  }
}

void read_random_faults(reader& r, const toml::table& doc, scenario& s) {
  const auto* t = r.table(doc, "", "random_faults");
  if (t == nullptr)
    return;
  const std::string p = "random_faults";
  r.only(*t, p, {"from_ms", "until_ms", "mean_gap_ms", "kinds", "dead_max"});
  random_faults_def d;
  d.from = r.ms(*t, p, "from_ms", false).value_or(duration{});
  d.until = r.ms(*t, p, "until_ms", true).value_or(duration{});
  if (auto gap = r.ms(*t, p, "mean_gap_ms", false)) {
    if (gap->count() == 0)
      r.error(t->get("mean_gap_ms"), p + ".mean_gap_ms", "must be positive");
    else
      d.mean_gap = *gap;
  }
  after_end(r, *t, p, "until_ms", d.until, s);
  if (d.until < d.from)
    r.error(t->get("until_ms"), p + ".until_ms", "earlier than from_ms");
  if (auto dead = r.number(*t, p, "dead_max", 0, scenario::nodes_max, false))
    d.dead_max = static_cast<std::size_t>(*dead);
  for (const auto& k : r.names(*t, p, "kinds")) {
    const auto* it = std::find(std::begin(fault_names), std::end(fault_names), k);
    if (it == std::end(fault_names) || k == "unclog")
      r.error(t->get("kinds"), p + ".kinds",
              fmt::format("unknown fault kind \"{}\" (kill, restart, partition, heal, "
                          "isolate, clog, loss, leave)",
                          k));
    else
      d.kinds.push_back(static_cast<fault_kind>(it - std::begin(fault_names)));
  }
  if (d.kinds.empty())
    r.error(t, p + ".kinds", "missing or empty");
  s.random_faults = std::move(d);
}

void read_checks(reader& r, const toml::table& doc, scenario& s) {
  const auto* checks = r.tables(doc, "", "check");
  if (checks == nullptr)
    return;
  for (std::size_t i = 0; i < checks->size() && i < scenario::checks_max; ++i) {
    const auto& t = *checks->get(i)->as_table();
    const std::string p = fmt::format("check[{}]", i);
    check_def c;
    c.at = r.ms(t, p, "at_ms", true).value_or(duration{});
    after_end(r, t, p, "at_ms", c.at, s);
    c.kind = r.text(t, p, "kind", true).value_or("");
    c.within = r.ms(t, p, "within_ms", false).value_or(duration{});
    c.always = r.flag(t, p, "always");
    if (auto every = r.ms(t, p, "every_ms", false)) {
      if (every->count() == 0)
        r.error(t.get("every_ms"), p + ".every_ms", "must be positive");
      else
        c.every = *every;
    }
    for (auto&& [k, v] : t) {
      const std::string_view key = k.str();
      if (key == "at_ms" || key == "kind" || key == "within_ms" || key == "every_ms" ||
          key == "always")
        continue;
      std::string value;
      if (const auto* arr = v.as_array()) {
        for (const auto& e : *arr) {
          if (!value.empty())
            value += ',';
          if (e.is_string())
            value += *e.value<std::string_view>();
          else
            r.error(&e, reader::join(p, key), "expected an array of strings");
        }
      } else if (v.is_string()) {
        value = *v.value<std::string_view>();
      } else if (v.is_integer()) {
        value = std::to_string(*v.value<std::int64_t>());
      } else if (v.is_floating_point()) {
        value = fmt::format("{}", *v.value<double>());
      } else if (v.is_boolean()) {
        value = *v.value<bool>() ? "true" : "false";
      } else {
        r.error(&v, reader::join(p, key), "expected a string, number, boolean or array");
      }
      c.params.set(std::string{key}, std::move(value));
    }
    s.checks.push_back(std::move(c));
  }
}

} // namespace detail

} // namespace ringdown::sim
