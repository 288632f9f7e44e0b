#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/provisioning.hpp"

namespace ringdown::storage {

/// The stored form of the provisioning records (family `provisioning`):
/// a format version byte, then every field in declaration order
/// (codec.hpp). Keys: `provisioning_key(kind, i)`, the position in the
/// provisioning, 4 bytes big-endian, so a scan returns the file order.
/// Pure functions; any thread.
inline constexpr std::uint8_t provisioning_format_version = 1;

/// The record kinds and the prefix of their keys.
enum class provisioning_kind : char {
  header = 'h', ///< one record: realm and the count of each kind below
  zone = 'z',
  resource = 'r',
  line = 'l',
  trunk = 't',
};

/// `z/` + 4 bytes big-endian `index` (`h` alone for the header).
[[nodiscard]] std::string provisioning_key(provisioning_kind kind, std::uint32_t index = 0);
/// The prefix every key of `kind` starts with.
[[nodiscard]] std::string provisioning_prefix(provisioning_kind kind);
/// The index of a key of `kind`, nullopt when the key is not one.
[[nodiscard]] std::optional<std::uint32_t> provisioning_index(provisioning_kind kind,
                                                              std::string_view key);

/// The header: realm and counts, so a reader can tell a complete set.
struct provisioning_header {
  std::string realm;
  std::uint32_t zones = 0;
  std::uint32_t resources = 0;
  std::uint32_t lines = 0;
  std::uint32_t trunks = 0;
  friend bool operator==(const provisioning_header&, const provisioning_header&) = default;
};

[[nodiscard]] std::string encode(const provisioning_header& h);
[[nodiscard]] std::string encode(const config::zone_def& z);
[[nodiscard]] std::string encode(const config::resource_def& r);
[[nodiscard]] std::string encode(const config::line_def& l);
[[nodiscard]] std::string encode(const config::trunk_def& t);

/// std::nullopt on an unknown version, a short, corrupt or over-long
/// record, or an out-of-range enum value.
[[nodiscard]] std::optional<provisioning_header> decode_header(std::string_view bytes);
[[nodiscard]] std::optional<config::zone_def> decode_zone(std::string_view bytes);
[[nodiscard]] std::optional<config::resource_def> decode_resource(std::string_view bytes);
[[nodiscard]] std::optional<config::line_def> decode_line(std::string_view bytes);
[[nodiscard]] std::optional<config::trunk_def> decode_trunk(std::string_view bytes);

} // namespace ringdown::storage
