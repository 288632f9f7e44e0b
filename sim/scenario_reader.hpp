#pragma once

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "sim/scenario.hpp"

// Internal to the scenario reader's sources (scenario.cpp,
// scenario_sections.cpp).

namespace ringdown::sim::detail {

inline constexpr std::size_t errors_max = 50;

inline duration from_ms(double ms) {
  return std::chrono::duration_cast<duration>(
      std::chrono::duration<double, std::milli>{ms});
}

/// Reads typed values out of a parsed document, recording a problem
/// (with key path and line) for each missing, mistyped or unknown key.
class reader {
public:
  reader(std::string_view file, std::vector<std::string>& errors)
      : file_{file}, errors_{errors} {}

  void error(const toml::node* n, std::string_view key, std::string_view what) {
    if (errors_.size() >= errors_max)
      return;
    const auto line = n != nullptr ? n->source().begin.line : 0;
    errors_.push_back(fmt::format("{}:{}: {}: {}", file_, line, key, what));
  }

  void only(const toml::table& t, std::string_view prefix,
            std::initializer_list<std::string_view> allowed) {
    for (auto&& [k, v] : t)
      if (std::find(allowed.begin(), allowed.end(), k.str()) == allowed.end())
        error(&v, join(prefix, k.str()), "unknown key");
  }

  static std::string join(std::string_view prefix, std::string_view key) {
    return prefix.empty() ? std::string{key} : fmt::format("{}.{}", prefix, key);
  }

  std::optional<double> number(const toml::table& t, std::string_view prefix,
                               std::string_view key, double lo, double hi, bool required) {
    const toml::node* n = t.get(key);
    if (n == nullptr) {
      if (required)
        error(&t, join(prefix, key), "missing");
      return std::nullopt;
    }
    const auto v = n->value<double>();
    if (!v || n->is_boolean() || n->is_string()) {
      error(n, join(prefix, key), "expected a number");
      return std::nullopt;
    }
    if (*v < lo || *v > hi) {
      error(n, join(prefix, key), fmt::format("must lie in [{}, {}]", lo, hi));
      return std::nullopt;
    }
    return v;
  }

  std::optional<duration> ms(const toml::table& t, std::string_view prefix,
                             std::string_view key, bool required) {
    const auto v = number(t, prefix, key, 0.0, 1e9, required);
    return v ? std::optional{from_ms(*v)} : std::nullopt;
  }

  std::optional<std::string> text(const toml::table& t, std::string_view prefix,
                                  std::string_view key, bool required) {
    const toml::node* n = t.get(key);
    if (n == nullptr) {
      if (required)
        error(&t, join(prefix, key), "missing");
      return std::nullopt;
    }
    if (!n->is_string()) {
      error(n, join(prefix, key), "expected a string");
      return std::nullopt;
    }
    return std::string{*n->value<std::string_view>()};
  }

  bool flag(const toml::table& t, std::string_view prefix, std::string_view key) {
    const toml::node* n = t.get(key);
    if (n == nullptr)
      return false;
    if (!n->is_boolean()) {
      error(n, join(prefix, key), "expected true or false");
      return false;
    }
    return *n->value<bool>();
  }

  std::vector<std::string> names(const toml::table& t, std::string_view prefix,
                                 std::string_view key) {
    std::vector<std::string> out;
    const toml::node* n = t.get(key);
    if (n == nullptr)
      return out;
    const toml::array* arr = n->as_array();
    if (arr == nullptr) {
      error(n, join(prefix, key), "expected an array of strings");
      return out;
    }
    for (const auto& e : *arr) {
      if (!e.is_string()) {
        error(&e, join(prefix, key), "expected an array of strings");
        return {};
      }
      out.emplace_back(*e.value<std::string_view>());
    }
    return out;
  }

  const toml::table* table(const toml::table& t, std::string_view prefix,
                           std::string_view key) {
    const toml::node* n = t.get(key);
    if (n == nullptr)
      return nullptr;
    if (!n->is_table())
      error(n, join(prefix, key), "expected a table");
    return n->as_table();
  }

  /// Elements of the array of tables `key` (`[[fault]]`); nullptr for none.
  const toml::array* tables(const toml::table& t, std::string_view prefix,
                            std::string_view key) {
    const toml::node* n = t.get(key);
    if (n == nullptr)
      return nullptr;
    const toml::array* arr = n->as_array();
    if (arr == nullptr || !arr->is_array_of_tables()) {
      error(n, join(prefix, key),
            "expected an array of tables ([[" + std::string{key} + "]])");
      return nullptr;
    }
    return arr;
  }

private:
  std::string_view file_;
  std::vector<std::string>& errors_;
};

void read_topology(reader& r, const toml::table& doc, scenario& s);
void read_faults(reader& r, const toml::table& doc, scenario& s);
void read_random_faults(reader& r, const toml::table& doc, scenario& s);
void read_checks(reader& r, const toml::table& doc, scenario& s);

} // namespace ringdown::sim::detail
