#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "config/loader.hpp"

namespace ringdown::config {

// Helpers shared by the two TOML readers of this module: the node
// configuration (loader.cpp) and the provisioning file (provisioning*.cpp).
// Free functions, no state; any thread.

/// `text` parsed as TOML (`file` names it in messages). On a syntax error
/// std::nullopt, and one problem "syntax error: ..." with its line is added
/// to `problems`.
[[nodiscard]] std::optional<toml::table> parse_document(std::string_view text,
                                                        std::string_view file,
                                                        std::vector<problem>& problems);

/// The node type as a problem text names it ("an integer", "a table").
[[nodiscard]] std::string_view type_name(toml::node_type type) noexcept;

/// The line `node` starts on, 0 when it has no source position.
[[nodiscard]] std::uint32_t line_of(const toml::node& node) noexcept;

/// The line of `key` (`sip.listen[1]`, `resource[1].lines[0]`) in `doc`,
/// else of its closest enclosing table, else 0.
[[nodiscard]] std::uint32_t find_line(const toml::table& doc, std::string key);

/// The whole of the regular file `path` when it holds at most `bytes_max`
/// bytes. Otherwise std::nullopt and `error` says why as a problem text:
/// "cannot read: <reason>" or "larger than <bytes_max> bytes".
[[nodiscard]] std::optional<std::string>
read_file(const std::string& path, std::size_t bytes_max, std::string& error);

/// Orders `problems` by line (those without a line last, otherwise stable)
/// and keeps the first `problems_max`, adding one "N more problems not
/// shown" problem for the rest.
void order_problems(std::vector<problem>& problems, std::size_t problems_max);

} // namespace ringdown::config
