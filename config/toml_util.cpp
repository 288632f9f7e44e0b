#include "config/toml_util.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <system_error>

namespace ringdown::config {

std::optional<toml::table> parse_document(std::string_view text, std::string_view file,
                                          std::vector<problem>& problems) {
  try {
    return toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    problems.push_back(problem{
        {}, e.source().begin.line, "syntax error: " + std::string{e.description()}});
    return std::nullopt;
  }
}

std::string_view type_name(toml::node_type type) noexcept {
  switch (type) {
  case toml::node_type::table:
    return "a table";
  case toml::node_type::array:
    return "an array";
  case toml::node_type::string:
    return "a string";
  case toml::node_type::integer:
    return "an integer";
  case toml::node_type::floating_point:
    return "a floating-point number";
  case toml::node_type::boolean:
    return "a boolean";
  case toml::node_type::date:
    return "a date";
  case toml::node_type::time:
    return "a time";
  case toml::node_type::date_time:
    return "a date-time";
  case toml::node_type::none:
    break;
  }
  return "nothing";
}

std::uint32_t line_of(const toml::node& node) noexcept {
  return node.source().begin.line;
}

std::uint32_t find_line(const toml::table& doc, std::string key) {
  while (!key.empty()) {
    if (const auto* node = doc.at_path(key).node(); node != nullptr && line_of(*node) != 0)
      return line_of(*node);
    const auto cut = key.find_last_of(".[");
    key.resize(cut == std::string::npos ? 0 : cut);
  }
  return 0;
}

std::optional<std::string> read_file(const std::string& path, std::size_t bytes_max,
                                     std::string& error) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec) {
    error = "cannot read: " + ec.message();
    return std::nullopt;
  }
  if (!std::filesystem::is_regular_file(status)) {
    error = "cannot read: not a regular file";
    return std::nullopt;
  }
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    error = "cannot read: " + std::generic_category().message(errno);
    return std::nullopt;
  }
  std::string text(bytes_max + 1, '\0');
  text.resize(std::fread(text.data(), 1, text.size(), file));
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) {
    error = "cannot read: I/O error";
    return std::nullopt;
  }
  if (text.size() > bytes_max) {
    error = "larger than " + std::to_string(bytes_max) + " bytes";
    return std::nullopt;
  }
  return text;
}

void order_problems(std::vector<problem>& problems, std::size_t problems_max) {
  std::stable_sort(
      problems.begin(), problems.end(), [](const problem& a, const problem& b) {
        const auto rank = [](std::uint32_t line) { return line == 0 ? UINT32_MAX : line; };
        return rank(a.line) < rank(b.line);
      });
  if (problems.size() > problems_max) {
    const auto hidden = problems.size() - problems_max;
    problems.resize(problems_max);
    problems.push_back(problem{{}, 0, std::to_string(hidden) + " more problems not shown"});
  }
}

} // namespace ringdown::config
