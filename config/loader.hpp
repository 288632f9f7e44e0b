#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace ringdown::config {

/// One problem found in a configuration: the key path (`sip.timers.t1_ms`),
/// the line in the file (0 when not from a file) and what is wrong.
struct problem {
  std::string key;
  std::uint32_t line = 0;
  std::string what;
  [[nodiscard]] std::string to_string(std::string_view file) const;
};

/// Result of loading: the config when `problems` is empty.
struct load_result {
  node_config config;
  std::vector<problem> problems;
  [[nodiscard]] bool ok() const noexcept { return problems.empty(); }
};

/// Parses TOML text (`file` names it in messages). Unknown keys, wrong
/// types and out-of-range values are problems naming the key and line;
/// nothing partial is returned as valid.
load_result load_text(std::string_view toml_text, std::string_view file = "<text>");
/// Reads and parses a file; a missing or unreadable file is a problem too.
load_result load_file(const std::string& path);
/// The built-in default configuration (one node, SIP on 127.0.0.1:5060).
node_config defaults();
/// Cross-field checks (TLS listener needs certificate and key, T1 <= T2...).
void validate(const node_config& cfg, std::vector<problem>& problems);

} // namespace ringdown::config
