#pragma once

#include <memory>
#include <string_view>

#include <spdlog/logger.h>

namespace ringdown::log {

/// Process-wide logging set-up. Every module asks for its named logger once
/// (`static auto lg = log::get("sip.tx");`) and logs through it; all loggers
/// share one sink and one level, set from configuration at start-up.
struct options {
  std::string_view level = "info"; ///< trace, debug, info, warn, error, critical, off
  bool to_stderr = true;
  std::string_view file; ///< also log to this file when non-empty
};

/// Installs the sinks and level; call once from main before any logging.
/// Returns false when `level` is not a known level name.
bool setup(const options& opts);

/// True when `name` is a level spdlog understands.
bool is_level_name(std::string_view name);

/// The logger called `name`, created on first use with the shared sinks.
std::shared_ptr<spdlog::logger> get(std::string_view name);

} // namespace ringdown::log
