#include "config/provisioning.hpp"

#include <algorithm>

#include <toml++/toml.h>

#include "config/provisioning_walker.hpp"
#include "config/toml_util.hpp"

namespace ringdown::config {

namespace {

constexpr std::size_t problems_max = 100;

/// True when `key` is a rejected key or lies inside one.
bool covered(const rejected_keys& rejected, std::string_view key) {
  for (const auto& r : rejected)
    if (key.starts_with(r) &&
        (key.size() == r.size() || key[r.size()] == '.' || key[r.size()] == '['))
      return true;
  return false;
}

void finish(provisioning_result& result) {
  order_problems(result.problems, problems_max);
  if (!result.problems.empty())
    result.data = provisioning{}; // nothing partial escapes a failed load
}

} // namespace

provisioning_result load_provisioning_text(std::string_view toml_text,
                                           std::string_view file) {
  provisioning_result result;
  const auto doc = parse_document(toml_text, file, result.problems);
  if (!doc) {
    finish(result);
    return result;
  }
  rejected_keys rejected;
  walk_provisioning(*doc, result.data, result.problems, rejected);
  std::vector<problem> found;
  validate_provisioning(result.data, found);
  for (auto& p : found) {
    if (covered(rejected, p.key))
      continue; // already reported by the walker
    p.line = find_line(*doc, p.key);
    result.problems.push_back(std::move(p));
  }
  finish(result);
  return result;
}

provisioning_result load_provisioning_file(const std::string& path) {
  std::string error;
  const auto text = read_file(path, provisioning_limits::file_bytes_max, error);
  if (!text) {
    provisioning_result result;
    result.problems.push_back(problem{{}, 0, std::move(error)});
    return result;
  }
  return load_provisioning_text(*text, path);
}

} // namespace ringdown::config
