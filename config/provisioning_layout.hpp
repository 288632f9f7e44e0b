#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/provisioning.hpp"

namespace ringdown::config::layout {

/// The member of record `R` a key of the provisioning file maps onto.
template <typename R>
using member = std::variant<std::string R::*, std::uint32_t R::*, std::uint16_t R::*,
                            bool R::*, std::vector<std::string> R::*, resource_kind R::*,
                            hold_policy R::*, trunk_transport R::*>;

/// One key of a `[[zone]]`, `[[resource]]`, `[[line]]` or `[[trunk]]`
/// table: its name, the member it fills, and its limits. The tables behind
/// `fields<R>()` are the single source of truth for the provisioning
/// parser and `validate_provisioning`. Immutable; any thread.
template <typename R>
struct field {
  std::string_view key;
  member<R> target;
  bool required = false;
  std::int64_t min = 0; ///< integer: smallest; string: fewest bytes; list: fewest items
  std::int64_t max = 0; ///< integer: largest; string: most bytes; list: most items
  /// A string value, or each item of a list, beyond its length ("" = fine).
  std::string (*check)(std::string_view value) = nullptr;
  std::int64_t item_bytes_max = 0; ///< list: most bytes in one item
};

/// The table name of `R` in the file: `zone`, `resource`, `line`, `trunk`.
template <typename R>
std::string_view table_name();
/// Every key of `R`'s table, in the order of the example file.
template <typename R>
std::span<const field<R>> fields();

// clang-format off
template <> std::string_view table_name<zone_def>();
template <> std::string_view table_name<resource_def>();
template <> std::string_view table_name<line_def>();
template <> std::string_view table_name<trunk_def>();
template <> std::span<const field<zone_def>> fields();
template <> std::span<const field<resource_def>> fields();
template <> std::span<const field<line_def>> fields();
template <> std::span<const field<trunk_def>> fields();
// clang-format on

/// The top-level keys: `realm` and the four arrays of tables.
inline constexpr std::string_view realm_key = "realm";
inline constexpr std::int64_t realm_bytes_max = 128;

/// Problem text for an integer outside `f` ("0 is out of range (1..32)").
template <typename R>
std::string check_integer(const field<R>& f, std::int64_t value);
/// Problem text for a string (or a list item) against `f`'s limits.
template <typename R>
std::string check_text(const field<R>& f, std::string_view value, bool item = false);

/// Checks a realm: printable ASCII without `"` or `\` ("" = fine).
std::string check_realm(std::string_view value);
/// The names an enum key accepts, for messages: `turret, phone, ...`.
std::string choices(resource_kind*);
std::string choices(hold_policy*);
std::string choices(trunk_transport*);
/// `"value"`, cut at 80 bytes, control characters as `?`.
std::string quoted(std::string_view value);

} // namespace ringdown::config::layout
