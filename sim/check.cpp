#include "sim/check.hpp"

#include <charconv>

namespace ringdown::sim {

std::string param_map::text(std::string_view key, std::string_view fallback) const {
  const auto it = values_.find(key);
  return it == values_.end() ? std::string{fallback} : it->second;
}

std::optional<std::int64_t> param_map::integer(std::string_view key) const {
  const auto it = values_.find(key);
  if (it == values_.end())
    return std::nullopt;
  std::int64_t v = 0;
  const auto& s = it->second;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size())
    return std::nullopt;
  return v;
}

std::vector<std::string> param_map::list(std::string_view key) const {
  std::vector<std::string> out;
  const auto it = values_.find(key);
  if (it == values_.end() || it->second.empty())
    return out;
  std::string_view rest = it->second;
  while (true) {
    const auto comma = rest.find(',');
    out.emplace_back(rest.substr(0, comma));
    if (comma == std::string_view::npos)
      break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

} // namespace ringdown::sim
