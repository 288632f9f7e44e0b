#include "config/provisioning_walker.hpp"

#include <algorithm>
#include <type_traits>

#include "config/provisioning_layout.hpp"
#include "config/toml_util.hpp"

namespace ringdown::config {

namespace {

template <typename... F>
struct overload : F... {
  using F::operator()...;
};
template <typename... F>
overload(F...) -> overload<F...>;

template <typename R>
std::string allowed_keys() {
  std::string out;
  for (const auto& f : layout::fields<R>())
    out += (out.empty() ? "" : ", ") + std::string{f.key};
  return out;
}

/// Walks a parsed provisioning document, filling `out_` with every value
/// of the right type and range, and recording a problem (with its line)
/// for everything else. Values are checked further by
/// `validate_provisioning` afterwards.
class walker {
public:
  walker(provisioning& out, std::vector<problem>& problems, rejected_keys& rejected)
      : out_{out}, problems_{problems}, rejected_{rejected} {}

  void document(const toml::table& doc) {
    for (auto&& [k, v] : doc) {
      const std::string key{k.str()};
      const auto line = k.source().begin.line != 0 ? k.source().begin.line : line_of(v);
      if (key == layout::realm_key) {
        if (const auto* s = v.as_string())
          out_.realm = s->get();
        else
          wrong_type(key, v, line, "a string");
      } else if (key == "zone") {
        records(v, out_.zones, key, line);
      } else if (key == "resource") {
        records(v, out_.resources, key, line);
      } else if (key == "line") {
        records(v, out_.lines, key, line);
      } else if (key == "trunk") {
        records(v, out_.trunks, key, line);
      } else {
        add(key, line,
            std::string{"unknown "} + (v.is_table() ? "table" : "key") +
                " (the file holds realm, [[zone]], [[resource]], [[line]], [[trunk]])");
      }
    }
  }

private:
  void add(std::string key, std::uint32_t line, std::string what) {
    problems_.push_back(problem{std::move(key), line, std::move(what)});
  }
  void reject(std::string key, std::uint32_t line, std::string what) {
    rejected_.insert(key);
    add(std::move(key), line, std::move(what));
  }
  void wrong_type(std::string key, const toml::node& v, std::uint32_t line,
                  std::string_view expected) {
    reject(std::move(key), line,
           "expected " + std::string{expected} + ", got " +
               std::string{type_name(v.type())});
  }

  template <typename R>
  void records(const toml::node& v, std::vector<R>& out, const std::string& key,
               std::uint32_t line) {
    const auto* arr = v.as_array();
    if (arr == nullptr || (!arr->empty() && !arr->is_array_of_tables()))
      return wrong_type(key, v, line, "an array of tables ([[" + key + "]])");
    for (std::size_t i = 0; i < arr->size(); ++i)
      out.push_back(
          record<R>(*arr->get(i)->as_table(), key + '[' + std::to_string(i) + ']'));
  }

  template <typename R>
  R record(const toml::table& tbl, const std::string& prefix) {
    R r;
    std::set<std::string_view> seen;
    for (auto&& [k, v] : tbl) {
      const auto key = prefix + '.' + std::string{k.str()};
      const auto line = k.source().begin.line != 0 ? k.source().begin.line : line_of(v);
      const auto& fields = layout::fields<R>();
      const std::string_view name = k.str();
      const auto f = std::find_if(fields.begin(), fields.end(),
                                  [&](const auto& spec) { return spec.key == name; });
      if (f == fields.end()) {
        const bool top = k.str() == layout::realm_key;
        add(key, line,
            std::string{"unknown "} + (v.is_table() ? "table" : "key") + " (" +
                std::string{layout::table_name<R>()} + " keys: " + allowed_keys<R>() + ")" +
                (top ? "; top-level keys go before the first [[table]]" : ""));
        continue;
      }
      seen.insert(f->key);
      assign(*f, v, r, key, line);
    }
    for (const auto& f : layout::fields<R>())
      if (f.required && !seen.contains(f.key))
        reject(prefix + '.' + std::string{f.key}, line_of(tbl), "missing required key");
    if constexpr (std::is_same_v<R, line_def>) {
      // A private line forbids barge unless told otherwise (then it is a problem).
      if (r.private_line && !seen.contains("barge_allowed"))
        r.barge_allowed = false;
    }
    return r;
  }

  template <typename R>
  void assign(const layout::field<R>& f, const toml::node& v, R& r, const std::string& key,
              std::uint32_t line) {
    std::visit(overload{
                   [&](std::string R::*m) {
                     if (const auto* s = v.as_string())
                       r.*m = s->get();
                     else
                       wrong_type(key, v, line, "a string");
                   },
                   [&](bool R::*m) {
                     if (const auto* b = v.as_boolean())
                       r.*m = b->get();
                     else
                       wrong_type(key, v, line, "a boolean (true or false)");
                   },
                   [&](std::vector<std::string> R::*m) { strings(v, r.*m, key, line); },
                   [&](auto m) {
                     using T = std::remove_cvref_t<decltype(r.*m)>;
                     if constexpr (std::is_integral_v<T>)
                       integer(f, v, r.*m, key, line);
                     else
                       choice(v, r.*m, key, line);
                   },
               },
               f.target);
  }

  template <typename R, typename T>
  void integer(const layout::field<R>& f, const toml::node& v, T& out,
               const std::string& key, std::uint32_t line) {
    const auto* i = v.as_integer();
    if (i == nullptr)
      return wrong_type(key, v, line, "an integer");
    if (auto what = layout::check_integer(f, i->get()); !what.empty())
      return reject(key, line, std::move(what));
    out = static_cast<T>(i->get());
  }

  template <typename E>
  void choice(const toml::node& v, E& out, const std::string& key, std::uint32_t line) {
    const auto* s = v.as_string();
    if (s == nullptr)
      return wrong_type(key, v, line, "a string");
    bool ok = false;
    if constexpr (std::is_same_v<E, resource_kind>)
      ok = parse_resource_kind(s->get(), out);
    else if constexpr (std::is_same_v<E, hold_policy>)
      ok = parse_hold_policy(s->get(), out);
    else
      ok = parse_trunk_transport(s->get(), out);
    if (!ok)
      reject(key, line,
             layout::quoted(s->get()) + " is not one of " +
                 layout::choices(static_cast<E*>(nullptr)));
  }

  void strings(const toml::node& v, std::vector<std::string>& out, const std::string& key,
               std::uint32_t line) {
    const auto* arr = v.as_array();
    if (arr == nullptr)
      return wrong_type(key, v, line, "an array of strings");
    bool good = true;
    for (std::size_t j = 0; j < arr->size(); ++j) {
      const auto& item = *arr->get(j);
      if (const auto* s = item.as_string()) {
        out.push_back(s->get());
      } else {
        wrong_type(key + '[' + std::to_string(j) + ']', item,
                   line_of(item) != 0 ? line_of(item) : line, "a string");
        good = false;
      }
    }
    if (!good) {
      out.clear();
      rejected_.insert(key);
    }
  }

  provisioning& out_;
  std::vector<problem>& problems_;
  rejected_keys& rejected_;
};

} // namespace

void walk_provisioning(const toml::table& doc, provisioning& out,
                       std::vector<problem>& problems, rejected_keys& rejected) {
  walker{out, problems, rejected}.document(doc);
}

} // namespace ringdown::config
