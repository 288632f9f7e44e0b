#pragma once

/// Invariant checks that stay on in production builds (STYLE.md 10): a
/// broken invariant stops the process with a message instead of corrupting
/// state silently.
namespace ringdown::detail {
[[noreturn]] void assert_failed(const char* expr, const char* msg, const char* file,
                                int line) noexcept;
} // namespace ringdown::detail

#define RINGDOWN_ASSERT(cond, msg)                                                         \
  do {                                                                                     \
    if (!(cond)) [[unlikely]]                                                              \
      ::ringdown::detail::assert_failed(#cond, msg, __FILE__, __LINE__);                   \
  } while (false)
