#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/loader.hpp"
#include "config/provisioning.hpp"

namespace ringdown::config {

/// What `ringdownd`'s command line asks for. Produced by
/// `parse_command_line`; main() acts on it and exits with `exit_code` for
/// every action but `run`.
struct cli_result {
  enum class action { run, check_config, version, help, error, check_provisioning };
  action what = action::run;
  node_config config; ///< defaults, then --config FILE, then overrides
  /// run: the content of `config.provisioning_file`, loaded and validated,
  /// to apply to the store; nullopt when no file is set.
  std::optional<config::provisioning> provisioning;
  std::vector<problem> problems; ///< for check_config / error: what is wrong
  std::string output;            ///< text to print (help, version, errors)
  int exit_code = 0;             ///< 0 ok, 1 bad config, 2 bad usage
};

/// Parses `ringdownd [--config FILE] [--sip-listen PROTO:HOST:PORT]...
/// [--data-dir DIR] [--log-level LEVEL] [--node-id ID] [--zone NAME]
/// [--provisioning FILE]`, `ringdownd --check-config FILE` (validate,
/// print problems, exit 0/1), `ringdownd --check-provisioning FILE`
/// (validate a provisioning file alone, print `file:line: key: what` for
/// each problem, exit 0/1) and `ringdownd --version`. Overrides apply after
/// the file and are validated like it. When a provisioning file is set
/// (provisioning.file or --provisioning), run and --check-config load and
/// validate it too: any problem in it is a bad configuration.
cli_result parse_command_line(int argc, const char* const* argv);

} // namespace ringdown::config
