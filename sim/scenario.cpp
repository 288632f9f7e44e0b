#include "sim/scenario.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "sim/scenario_reader.hpp"

namespace ringdown::sim {

namespace {

constexpr std::size_t file_bytes_max = std::size_t{1} << 20;
using detail::reader;

std::optional<latency_model> read_latency(reader& r, const toml::table& t,
                                          const std::string& p) {
  const auto kind = r.text(t, p, "kind", true);
  if (!kind)
    return std::nullopt;
  if (*kind == "fixed") {
    r.only(t, p, {"kind", "ms"});
    const auto v = r.ms(t, p, "ms", true);
    return v ? std::optional{latency_model::fixed(*v)} : std::nullopt;
  }
  if (*kind == "uniform") {
    r.only(t, p, {"kind", "min_ms", "max_ms"});
    const auto lo = r.ms(t, p, "min_ms", true);
    const auto hi = r.ms(t, p, "max_ms", true);
    if (lo && hi && *hi < *lo)
      r.error(&t, p + ".max_ms", "less than min_ms");
    return lo && hi ? std::optional{latency_model::uniform(*lo, *hi)} : std::nullopt;
  }
  if (*kind == "normal") {
    r.only(t, p, {"kind", "mean_ms", "stddev_ms"});
    const auto mean = r.ms(t, p, "mean_ms", true);
    const auto sd = r.ms(t, p, "stddev_ms", true);
    return mean && sd ? std::optional{latency_model::normal(*mean, *sd)} : std::nullopt;
  }
  if (*kind == "pareto") {
    r.only(t, p, {"kind", "scale_ms", "shape"});
    const auto scale = r.ms(t, p, "scale_ms", true);
    const auto shape = r.number(t, p, "shape", 0.1, 100.0, true);
    return scale && shape ? std::optional{latency_model::pareto(*scale, *shape)}
                          : std::nullopt;
  }
  r.error(
      t.get("kind"), p + ".kind",
      fmt::format("unknown latency kind \"{}\" (fixed, uniform, normal, pareto)", *kind));
  return std::nullopt;
}

/// The behaviour keys shared by [network] and [[network.link]].
void read_link(reader& r, const toml::table& t, const std::string& p, link_model& m) {
  if (const auto* lat = r.table(t, p, "latency"))
    if (auto l = read_latency(r, *lat, p + ".latency"))
      m.latency = *l;
  if (auto v = r.number(t, p, "loss", 0.0, 1.0, false))
    m.loss = *v;
  if (auto v = r.number(t, p, "duplicate", 0.0, 1.0, false))
    m.duplicate = *v;
  if (auto v = r.number(t, p, "reorder", 0.0, 1.0, false))
    m.reorder = *v;
  if (auto v = r.ms(t, p, "reorder_delay_ms", false))
    m.reorder_delay_max = *v;
}

} // namespace

scenario_parse parse_scenario(std::string_view text, std::string_view file,
                              std::initializer_list<std::string_view> protocol_tables) {
  scenario_parse out;
  toml::table doc;
  try {
    doc = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    out.errors.push_back(fmt::format("{}:{}: syntax error: {}", file, e.source().begin.line,
                                     e.description()));
    return out;
  }
  reader r{file, out.errors};
  scenario s;
  for (auto&& [k, v] : doc) {
    static constexpr std::string_view known[] = {"name",          "description", "run",
                                                 "topology",      "network",     "fault",
                                                 "random_faults", "check"};
    if (std::find(std::begin(known), std::end(known), k.str()) != std::end(known))
      continue;
    if (std::find(protocol_tables.begin(), protocol_tables.end(), k.str()) ==
        protocol_tables.end())
      r.error(&v, k.str(), "unknown key");
    else if (!v.is_table())
      r.error(&v, k.str(), "expected a table");
  }
  s.name = r.text(doc, "", "name", false).value_or(std::string{file});
  s.description = r.text(doc, "", "description", false).value_or("");
  if (const auto* run = r.table(doc, "", "run")) {
    r.only(*run, "run", {"duration_ms"});
    if (auto v = r.ms(*run, "run", "duration_ms", true))
      s.length = *v;
  }
  detail::read_topology(r, doc, s);
  if (const auto* net = r.table(doc, "", "network")) {
    r.only(*net, "network",
           {"latency", "loss", "duplicate", "reorder", "reorder_delay_ms", "link"});
    read_link(r, *net, "network", s.network);
    if (const auto* links = r.tables(*net, "network", "link")) {
      for (std::size_t i = 0; i < links->size(); ++i) {
        const auto& t = *links->get(i)->as_table();
        const std::string p = fmt::format("network.link[{}]", i);
        r.only(t, p,
               {"from", "to", "both", "latency", "loss", "duplicate", "reorder",
                "reorder_delay_ms"});
        link_def l{r.text(t, p, "from", true).value_or(""),
                   r.text(t, p, "to", true).value_or(""), r.flag(t, p, "both"), s.network};
        read_link(r, t, p, l.model);
        s.links.push_back(std::move(l));
      }
    }
  }
  detail::read_faults(r, doc, s);
  detail::read_random_faults(r, doc, s);
  detail::read_checks(r, doc, s);
  if (out.errors.empty())
    out.value = std::move(s);
  return out;
}

std::optional<std::string> read_scenario_text(const std::string& path, std::string& error) {
  std::ifstream in{path, std::ios::binary};
  if (!in) {
    error = fmt::format("{}: cannot read the file", path);
    return std::nullopt;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  if (buf.str().size() > file_bytes_max) {
    error = fmt::format("{}: larger than {} bytes", path, file_bytes_max);
    return std::nullopt;
  }
  return std::move(buf).str();
}

scenario_parse load_scenario(const std::string& path,
                             std::initializer_list<std::string_view> protocol_tables) {
  scenario_parse out;
  std::string error;
  const auto text = read_scenario_text(path, error);
  if (!text) {
    out.errors.push_back(std::move(error));
    return out;
  }
  return parse_scenario(*text, path, protocol_tables);
}

} // namespace ringdown::sim
