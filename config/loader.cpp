#include "config/loader.hpp"

#include <algorithm>
#include <filesystem>

#include <toml++/toml.h>

#include "config/schema.hpp"
#include "config/toml_util.hpp"
#include "config/validate.hpp"

namespace ringdown::config {

namespace {

constexpr std::size_t file_bytes_max = std::size_t{1024} * 1024;
constexpr std::size_t problems_max = 100;

/// Walks a parsed document against the schema, applying good values to
/// `cfg_` and recording a problem (with its line) for every other one.
class walker {
public:
  walker(node_config& cfg, std::filesystem::path base, std::vector<problem>& problems,
         key_set& rejected)
      : cfg_{cfg}, base_{std::move(base)}, problems_{problems}, rejected_{rejected} {}

  void table(const toml::table& tbl, const std::string& prefix) {
    for (auto&& [k, v] : tbl) {
      const std::string path =
          prefix.empty() ? std::string{k.str()} : prefix + "." + std::string{k.str()};
      const std::uint32_t line =
          k.source().begin.line != 0 ? k.source().begin.line : line_of(v);
      // A quoted key holding '.' or '[' ("node.id" = 1) names no key of the layout.
      const bool plain = k.str().find_first_of(".[]") == std::string_view::npos;
      if (const auto* spec = plain ? find_key(path) : nullptr) {
        value(*spec, v, line);
      } else if (plain && is_table(path)) {
        if (const auto* sub = v.as_table())
          table(*sub, path);
        else
          add(path, line, "expected a table, got " + std::string{type_name(v.type())});
      } else {
        const auto close = suggest(path);
        add(path, line,
            std::string{"unknown "} + (v.is_table() ? "table" : "key") +
                (close.empty() ? std::string{} : " (did you mean " + close + "?)"));
      }
    }
  }

private:
  void add(std::string key, std::uint32_t line, std::string what) {
    problems_.push_back(problem{std::move(key), line, std::move(what)});
  }
  void reject(const key_spec& spec, std::uint32_t line, std::string what) {
    rejected_.insert(std::string{spec.path});
    add(std::string{spec.path}, line, std::move(what));
  }
  void wrong_type(const key_spec& spec, const toml::node& v, std::uint32_t line,
                  std::string_view expected) {
    reject(spec, line,
           "expected " + std::string{expected} + ", got " +
               std::string{type_name(v.type())});
  }

  void value(const key_spec& spec, const toml::node& v, std::uint32_t line) {
    switch (spec.type) {
    case key_spec::kind::integer:
      if (const auto* i = v.as_integer()) {
        if (auto what = check_integer(spec, i->get()); !what.empty())
          reject(spec, line, std::move(what));
        else
          spec.set_int(cfg_, i->get());
      } else {
        wrong_type(spec, v, line, "an integer");
      }
      return;
    case key_spec::kind::string:
      if (const auto* s = v.as_string()) {
        if (auto what = check_string(spec, s->get()); !what.empty())
          reject(spec, line, std::move(what));
        else
          spec.set_str(cfg_, spec.is_path ? resolve(s->get()) : s->get());
      } else {
        wrong_type(spec, v, line, "a string");
      }
      return;
    case key_spec::kind::listen_list:
      listen_list(spec, v, line);
      return;
    case key_spec::kind::tone_table:
      tone_table(spec, v, line);
      return;
    }
  }

  /// `[media.tones]`: each key a tone name, each value its text; the whole
  /// table applies only when every entry is good.
  void tone_table(const key_spec& spec, const toml::node& v, std::uint32_t line) {
    const auto* tbl = v.as_table();
    if (tbl == nullptr)
      return wrong_type(spec, v, line, "a table of tones");
    const auto count = static_cast<std::int64_t>(tbl->size());
    if (count > spec.max)
      return reject(spec, line,
                    std::to_string(count) + " tones, allowed at most " +
                        std::to_string(spec.max));
    std::vector<rtp::tone_spec> tones;
    bool good = true;
    for (auto&& [k, item] : *tbl) {
      const auto key = std::string{spec.path} + "." + std::string{k.str()};
      const auto item_line = line_of(item) != 0 ? line_of(item) : line;
      rtp::tone_spec tone;
      std::string what;
      if (const auto* s = item.as_string(); s == nullptr)
        what = "expected a string, got " + std::string{type_name(item.type())};
      else
        what = check_tone_item(k.str(), s->get(), tone);
      if (!what.empty()) {
        add(key, item_line, std::move(what));
        good = false;
      } else {
        tones.push_back(std::move(tone));
      }
    }
    if (good)
      cfg_.media.tones = std::move(tones);
    else
      rejected_.insert(std::string{spec.path});
  }

  void listen_list(const key_spec& spec, const toml::node& v, std::uint32_t line) {
    const auto* arr = v.as_array();
    if (arr == nullptr)
      return wrong_type(spec, v, line, "an array of strings");
    const auto count = static_cast<std::int64_t>(arr->size());
    if (count < spec.min || count > spec.max)
      return reject(spec, line,
                    std::to_string(count) + " listeners, allowed " +
                        std::to_string(spec.min) + ".." + std::to_string(spec.max));
    std::vector<listen_address> list;
    bool good = true;
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const auto& item = *arr->get(i);
      const auto key = std::string{spec.path} + "[" + std::to_string(i) + "]";
      const auto item_line = line_of(item) != 0 ? line_of(item) : line;
      listen_address parsed;
      if (const auto* s = item.as_string(); s == nullptr) {
        add(key, item_line,
            "expected a string, got " + std::string{type_name(item.type())});
        good = false;
      } else if (auto what = check_listen_item(s->get()); !what.empty()) {
        add(key, item_line, std::move(what));
        good = false;
      } else if (listen_address::parse(s->get(), parsed)) {
        list.push_back(std::move(parsed));
      }
    }
    if (good)
      cfg_.sip_listen = std::move(list);
    else
      rejected_.insert(std::string{spec.path});
  }

  [[nodiscard]] std::string resolve(const std::string& value) const {
    const std::filesystem::path path{value};
    if (value.empty() || path.is_absolute() || base_.empty())
      return value;
    return (base_ / path).lexically_normal().string();
  }

  node_config& cfg_;
  std::filesystem::path base_;
  std::vector<problem>& problems_;
  key_set& rejected_;
};

void finish(load_result& result) {
  order_problems(result.problems, problems_max);
  if (!result.problems.empty())
    result.config = defaults(); // nothing partial escapes a failed load
}

load_result load(std::string_view text, std::string_view file,
                 const std::filesystem::path& base) {
  load_result result;
  const auto doc = parse_document(text, file, result.problems);
  if (!doc) {
    finish(result);
    return result;
  }
  key_set rejected;
  walker{result.config, base, result.problems, rejected}.table(*doc, {});
  std::vector<problem> found;
  validate_except(result.config, rejected, found);
  for (auto& p : found) {
    p.line = find_line(*doc, p.key);
    result.problems.push_back(std::move(p));
  }
  finish(result);
  return result;
}

} // namespace

std::string problem::to_string(std::string_view file) const {
  std::string out{file};
  if (line != 0)
    out += ":" + std::to_string(line);
  out += ": ";
  if (!key.empty())
    out += key + ": ";
  out += what;
  return out;
}

node_config defaults() {
  return node_config{};
}

load_result load_text(std::string_view toml_text, std::string_view file) {
  return load(toml_text, file, {});
}

load_result load_file(const std::string& path) {
  std::string error;
  const auto text = read_file(path, file_bytes_max, error);
  if (!text) {
    load_result result;
    result.problems.push_back(problem{{}, 0, std::move(error)});
    return result;
  }
  return load(*text, path, std::filesystem::path{path}.parent_path());
}

} // namespace ringdown::config
