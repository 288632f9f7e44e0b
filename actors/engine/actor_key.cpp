#include "actors/engine/actor_key.hpp"

#include <array>

namespace ringdown::actors {

namespace {
constexpr std::array<std::string_view, actor_kind_count> kind_names{
    "dialog", "line", "zone", "bridge", "registrar"};
} // namespace

std::string_view to_string(actor_kind k) noexcept {
  const auto i = static_cast<std::size_t>(k);
  return i < kind_names.size() ? kind_names[i] : "unknown";
}

std::string actor_key::to_string() const {
  std::string out{actors::to_string(kind)};
  out += '/';
  out += name;
  return out;
}

std::optional<actor_key> actor_key::parse(std::string_view text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos)
    return std::nullopt;
  const std::string_view kind = text.substr(0, slash);
  const std::string_view name = text.substr(slash + 1);
  if (name.empty() || name.size() > name_bytes_max)
    return std::nullopt;
  for (std::size_t i = 0; i < kind_names.size(); ++i)
    if (kind_names[i] == kind)
      return actor_key{static_cast<actor_kind>(i), std::string{name}};
  return std::nullopt;
}

} // namespace ringdown::actors
