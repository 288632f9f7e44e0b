#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace ringdown::actors {

/// What an actor is, by the part of the domain it serves (ARCHITECTURE.md
/// §2). The kind decides the factory that spawns it and, in a cluster, how
/// it is placed (dialogs and bridges near their call, lines and zones by
/// hashing).
enum class actor_kind : std::uint8_t { dialog, line, zone, bridge, registrar };
inline constexpr std::size_t actor_kind_count = 5;

[[nodiscard]] std::string_view to_string(actor_kind k) noexcept;

/// The address of a domain actor: `dialog/<call-id>`, `line/<line-uri>`,
/// `zone/<zone-name>`, `bridge/<id>`, `registrar/<zone-name>`. Callers
/// name actors by key, never by node or handle. Plain value.
struct actor_key {
  actor_kind kind = actor_kind::dialog;
  std::string name;

  /// `kind/name`, the form logs and the admin API use.
  [[nodiscard]] std::string to_string() const;
  /// Parses `kind/name` (name non-empty, at most `name_bytes_max`).
  [[nodiscard]] static std::optional<actor_key> parse(std::string_view text);

  static constexpr std::size_t name_bytes_max = 512;

  friend bool operator==(const actor_key&, const actor_key&) = default;
};

struct actor_key_hash {
  std::size_t operator()(const actor_key& k) const noexcept {
    return std::hash<std::string_view>{}(k.name) ^ (static_cast<std::size_t>(k.kind) << 1);
  }
};

} // namespace ringdown::actors
