#include <algorithm>
#include <map>
#include <set>
#include <type_traits>

#include "config/provisioning.hpp"
#include "config/provisioning_layout.hpp"

namespace ringdown::config {

namespace {

using limits = provisioning_limits;

template <typename... F>
struct overload : F... {
  using F::operator()...;
};
template <typename... F>
overload(F...) -> overload<F...>;

std::string path(std::string_view table, std::size_t i, std::string_view key = {}) {
  std::string out = std::string{table} + '[' + std::to_string(i) + ']';
  if (!key.empty())
    out += '.' + std::string{key};
  return out;
}

/// The comparison key of a provisioned URI; a malformed one (reported on
/// its own) compares as written, so it is not reported again as unknown.
std::string uri_key(std::string_view uri) {
  auto canonical = canonical_uri(uri);
  return canonical ? std::move(*canonical) : std::string{uri};
}

/// Checks one provisioning; see `validate_provisioning`.
class checker {
public:
  checker(const provisioning& p, std::vector<problem>& problems)
      : p_{p}, problems_{problems} {}

  void run() {
    if (auto what = layout::check_realm(p_.realm); !what.empty())
      add(std::string{layout::realm_key}, std::move(what));
    records(p_.zones, limits::zones_max);
    records(p_.resources, limits::resources_max);
    records(p_.lines, limits::lines_max);
    records(p_.trunks, limits::trunks_max);
    zones();
    lines();
    resources();
    trunks();
  }

private:
  void add(std::string key, std::string what) {
    problems_.push_back(problem{std::move(key), 0, std::move(what)});
  }

  /// Per-field checks of every record of one table, from its layout.
  template <typename R>
  void records(const std::vector<R>& list, std::size_t count_max) {
    const auto table = layout::table_name<R>();
    if (list.size() > count_max)
      add(std::string{table}, std::to_string(list.size()) + " entries, allowed at most " +
                                  std::to_string(count_max));
    for (std::size_t i = 0; i < list.size(); ++i)
      for (const auto& f : layout::fields<R>())
        field(f, list[i], path(table, i, f.key));
  }

  template <typename R>
  void field(const layout::field<R>& f, const R& record, const std::string& key) {
    std::visit(overload{
                   [&](std::string R::*m) { text(f, record.*m, key); },
                   [&](std::uint32_t R::*m) { integer(f, record.*m, key); },
                   [&](std::uint16_t R::*m) { integer(f, record.*m, key); },
                   [&](bool R::*) {},
                   [&](std::vector<std::string> R::*m) { list(f, record.*m, key); },
                   [&](auto m) {
                     using E = std::remove_cvref_t<decltype(record.*m)>;
                     if (to_string(record.*m) == "?")
                       add(key,
                           "is not one of " + layout::choices(static_cast<E*>(nullptr)));
                   },
               },
               f.target);
  }

  template <typename R>
  void text(const layout::field<R>& f, std::string_view value, const std::string& key) {
    if (auto what = layout::check_text(f, value); !what.empty())
      add(key, std::move(what));
  }
  template <typename R>
  void integer(const layout::field<R>& f, std::int64_t value, const std::string& key) {
    if (auto what = layout::check_integer(f, value); !what.empty())
      add(key, std::move(what));
  }
  template <typename R>
  void list(const layout::field<R>& f, const std::vector<std::string>& items,
            const std::string& key) {
    const auto count = static_cast<std::int64_t>(items.size());
    if (count < f.min || count > f.max)
      add(key, std::to_string(count) + " items, allowed " + std::to_string(f.min) + ".." +
                   std::to_string(f.max));
    std::set<std::string_view> seen;
    for (std::size_t j = 0; j < items.size(); ++j) {
      const auto item_key = key + '[' + std::to_string(j) + ']';
      if (auto what = layout::check_text(f, items[j], true); !what.empty())
        add(item_key, std::move(what));
      else if (!seen.insert(items[j]).second)
        add(item_key, layout::quoted(items[j]) + " is listed twice");
    }
  }

  /// `first` remembers the first record of each value; a later one is a
  /// duplicate naming the first.
  void unique(std::map<std::string, std::string>& first, const std::string& compared,
              std::string_view value, const std::string& key, std::string_view what) {
    if (compared.empty())
      return;
    const auto [at, fresh] = first.emplace(compared, key);
    if (!fresh)
      add(key, "duplicate " + std::string{what} + " " + layout::quoted(value) +
                   " (first at " + at->second + ")");
  }

  void zone_ref(const std::string& zone, const std::string& key) {
    if (!zone.empty() && !zone_names_.contains(zone))
      add(key, layout::quoted(zone) + " is not a zone declared in [[zone]]");
  }

  void zones() {
    std::map<std::string, std::string> first;
    for (std::size_t i = 0; i < p_.zones.size(); ++i) {
      unique(first, p_.zones[i].name, p_.zones[i].name, path("zone", i, "name"),
             "zone name");
      zone_names_.insert(p_.zones[i].name);
    }
  }

  void lines() {
    std::map<std::string, std::string> first;
    for (std::size_t i = 0; i < p_.lines.size(); ++i) {
      const auto& l = p_.lines[i];
      const auto key = uri_key(l.uri);
      if (check_provisioned_uri(l.uri).empty()) // a malformed one is reported as such
        unique(first, key, l.uri, path("line", i, "uri"), "line URI");
      line_uris_.insert(key);
      zone_ref(l.zone, path("line", i, "zone"));
      if (l.private_line && l.barge_allowed)
        add(path("line", i, "barge_allowed"),
            "must be false on a private line (" + path("line", i, "private") + " = true)");
    }
  }

  void resources() {
    std::map<std::string, std::string> names;
    std::map<std::string, std::string> aors;
    for (std::size_t i = 0; i < p_.resources.size(); ++i) {
      const auto& r = p_.resources[i];
      unique(names, r.name, r.name, path("resource", i, "name"), "resource name");
      if (check_provisioned_uri(r.aor).empty())
        unique(aors, uri_key(r.aor), r.aor, path("resource", i, "aor"), "AOR");
      zone_ref(r.zone, path("resource", i, "zone"));
      if (r.password.empty() && r.kind != resource_kind::gateway)
        add(path("resource", i, "password"),
            "missing required key (digest password; optional only for kind = \"gateway\")");
      for (std::size_t j = 0; j < r.lines.size(); ++j)
        if (check_provisioned_uri(r.lines[j]).empty() &&
            !line_uris_.contains(uri_key(r.lines[j])))
          add(path("resource", i, "lines") + '[' + std::to_string(j) + ']',
              layout::quoted(r.lines[j]) + " is not a line declared in [[line]]");
    }
    std::set<std::string, std::less<>> aor_keys;
    for (const auto& r : p_.resources)
      aor_keys.insert(uri_key(r.aor));
    for (std::size_t i = 0; i < p_.resources.size(); ++i)
      divert(p_.resources[i], i, aor_keys);
  }

  /// A diversion names another provisioned resource and says when.
  void divert(const resource_def& r, std::size_t i,
              const std::set<std::string, std::less<>>& aor_keys) {
    if (r.divert_to.empty() != r.divert_on.empty()) {
      add(path("resource", i, r.divert_to.empty() ? "divert_to" : "divert_on"),
          "missing: divert_to and divert_on go together");
      return;
    }
    if (r.divert_after_s != 0 &&
        std::find(r.divert_on.begin(), r.divert_on.end(), "no_answer") == r.divert_on.end())
      add(path("resource", i, "divert_after_s"), "only with \"no_answer\" in divert_on");
    if (r.divert_to.empty() || !check_provisioned_uri(r.divert_to).empty())
      return;
    const auto target = uri_key(r.divert_to);
    if (target == uri_key(r.aor))
      add(path("resource", i, "divert_to"), "diverts the resource to itself");
    else if (!aor_keys.contains(target))
      add(path("resource", i, "divert_to"),
          layout::quoted(r.divert_to) + " is not the aor of a [[resource]]");
    const auto always = std::find(r.divert_on.begin(), r.divert_on.end(), "always");
    if (always != r.divert_on.end() && r.divert_on.size() > 1)
      add(path("resource", i, "divert_on"), "\"always\" goes alone");
  }

  void trunks() {
    std::map<std::string, std::string> names;
    for (std::size_t i = 0; i < p_.trunks.size(); ++i) {
      unique(names, p_.trunks[i].name, p_.trunks[i].name, path("trunk", i, "name"),
             "trunk name");
      zone_ref(p_.trunks[i].zone, path("trunk", i, "zone"));
    }
  }

  const provisioning& p_;
  std::vector<problem>& problems_;
  std::set<std::string, std::less<>> zone_names_;
  std::set<std::string, std::less<>> line_uris_;
};

} // namespace

void validate_provisioning(const provisioning& p, std::vector<problem>& problems) {
  checker{p, problems}.run();
}

} // namespace ringdown::config
