#include "base/logging.hpp"

#include <array>
#include <mutex>
#include <string>
#include <vector>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace ringdown::log {

namespace {

struct registry {
  std::mutex mutex;
  std::vector<spdlog::sink_ptr> sinks;
  spdlog::level::level_enum level = spdlog::level::info;
};

registry& reg() {
  static registry r;
  return r;
}

constexpr std::array<std::string_view, 7> level_names = {
    "trace", "debug", "info", "warn", "error", "critical", "off"};

} // namespace

bool is_level_name(std::string_view name) {
  for (auto n : level_names)
    if (n == name)
      return true;
  return false;
}

bool setup(const options& opts) {
  if (!is_level_name(opts.level))
    return false;
  auto& r = reg();
  std::lock_guard guard{r.mutex};
  r.sinks.clear();
  if (opts.to_stderr)
    r.sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  if (!opts.file.empty())
    r.sinks.push_back(
        std::make_shared<spdlog::sinks::basic_file_sink_mt>(std::string{opts.file}));
  r.level = spdlog::level::from_str(std::string{opts.level});
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& lg) {
    lg->sinks() = r.sinks;
    lg->set_level(r.level);
  });
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%n] %v");
  return true;
}

std::shared_ptr<spdlog::logger> get(std::string_view name) {
  auto& r = reg();
  std::lock_guard guard{r.mutex};
  std::string key{name};
  if (auto existing = spdlog::get(key))
    return existing;
  if (r.sinks.empty())
    r.sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  auto lg = std::make_shared<spdlog::logger>(key, r.sinks.begin(), r.sinks.end());
  lg->set_level(r.level);
  lg->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ [%n] %v");
  spdlog::register_logger(lg);
  return lg;
}

} // namespace ringdown::log
