#include <algorithm>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "sim/scenario_reader.hpp"
#include "sim/swim_protocol.hpp"

// parse_swim_settings(): the [swim] section of a scenario.

namespace ringdown::sim {

namespace {

constexpr std::size_t late_joins_max = 64;

void read_u32(detail::reader& r, const toml::table& t, std::string_view key, double lo,
              double hi, std::uint32_t& into) {
  if (const auto v = r.number(t, "swim", key, lo, hi, false)) {
    if (*v != static_cast<double>(static_cast<std::uint32_t>(*v)))
      r.error(t.get(key), detail::reader::join("swim", key), "expected an integer");
    else
      into = static_cast<std::uint32_t>(*v);
  }
}

} // namespace

swim_settings_parse parse_swim_settings(std::string_view text, std::string_view file,
                                        const scenario& s) {
  swim_settings_parse out;
  toml::table doc;
  try {
    doc = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    out.errors.push_back(fmt::format("{}:{}: syntax error: {}", file, e.source().begin.line,
                                     e.description()));
    return out;
  }
  detail::reader r{file, out.errors};
  swim_settings st;
  if (const auto* t = r.table(doc, "", "swim")) {
    r.only(*t, "swim",
           {"probe_interval_ms", "probe_timeout_ms", "indirect_checks",
            "suspicion_min_mult", "suspicion_max_mult", "retransmit_mult",
            "push_pull_interval_ms", "awareness_max", "dead_retention_ms", "join_retry_ms",
            "gossip_interval_ms", "gossip_nodes", "gossip_to_dead_ms", "join"});
    auto& c = st.config;
    read_u32(r, *t, "probe_interval_ms", 1, 600'000, c.probe_interval_ms);
    read_u32(r, *t, "probe_timeout_ms", 1, 600'000, c.probe_timeout_ms);
    read_u32(r, *t, "indirect_checks", 0, 16, c.indirect_checks);
    read_u32(r, *t, "suspicion_min_mult", 0, 1000, c.suspicion_min_mult);
    read_u32(r, *t, "suspicion_max_mult", 1, 1000, c.suspicion_max_mult);
    read_u32(r, *t, "retransmit_mult", 1, 100, c.retransmit_mult);
    read_u32(r, *t, "push_pull_interval_ms", 0, 3'600'000, c.push_pull_interval_ms);
    read_u32(r, *t, "awareness_max", 1, 64, c.awareness_max);
    read_u32(r, *t, "dead_retention_ms", 0, 3'600'000, c.dead_retention_ms);
    read_u32(r, *t, "join_retry_ms", 1, 600'000, c.join_retry_ms);
    read_u32(r, *t, "gossip_interval_ms", 0, 600'000, c.gossip_interval_ms);
    read_u32(r, *t, "gossip_nodes", 0, 64, c.gossip_nodes);
    read_u32(r, *t, "gossip_to_dead_ms", 0, 3'600'000, c.gossip_to_dead_ms);
    if (c.probe_timeout_ms > c.probe_interval_ms)
      r.error(t->get("probe_timeout_ms"), "swim.probe_timeout_ms",
              "longer than probe_interval_ms");
    if (t->get("suspicion_max_mult") == nullptr)
      c.suspicion_max_mult = std::max(c.suspicion_max_mult, c.suspicion_min_mult);
    if (c.suspicion_max_mult < c.suspicion_min_mult)
      r.error(t->get("suspicion_max_mult"), "swim.suspicion_max_mult",
              "less than suspicion_min_mult");
    const auto known = [&s](const std::string& name) {
      return std::any_of(s.nodes.begin(), s.nodes.end(),
                         [&name](const node_spec& n) { return n.name == name; });
    };
    if (const auto* joins = r.tables(*t, "swim", "join")) {
      if (joins->size() > late_joins_max)
        r.error(joins, "swim.join", fmt::format("more than {} entries", late_joins_max));
      for (std::size_t i = 0; i < joins->size() && i < late_joins_max; ++i) {
        const auto& j = *joins->get(i)->as_table();
        const std::string p = fmt::format("swim.join[{}]", i);
        r.only(j, p, {"node", "at_ms", "seeds"});
        swim_late_join l;
        l.node = r.text(j, p, "node", true).value_or("");
        l.at = r.ms(j, p, "at_ms", true).value_or(duration{0});
        l.seeds = r.names(j, p, "seeds");
        if (!l.node.empty() && !known(l.node))
          r.error(j.get("node"), p + ".node", fmt::format("no node named \"{}\"", l.node));
        for (const auto& seed : l.seeds)
          if (!known(seed))
            r.error(j.get("seeds"), p + ".seeds",
                    fmt::format("no node named \"{}\"", seed));
        st.late_joins.push_back(std::move(l));
      }
    }
  }
  if (out.errors.empty())
    out.value = std::move(st);
  return out;
}

} // namespace ringdown::sim
