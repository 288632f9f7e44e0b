#pragma once

#include <system_error>

namespace ringdown {

/// Error codes of the base layer and the modules that do not define their
/// own. Plugged into std::error_code through `ringdown::error_category()`.
enum class errc {
  ok = 0,
  invalid_argument,
  parse_error,
  limit_exceeded,
  not_found,
  already_exists,
  timeout,
  transport_error,
  io_error,
  config_error,
  shutting_down,
};

const std::error_category& error_category() noexcept;

inline std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), error_category()};
}

} // namespace ringdown

template <>
struct std::is_error_code_enum<ringdown::errc> : std::true_type {};
