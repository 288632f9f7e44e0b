#include "base/assert.hpp"

#include <cstdio>
#include <cstdlib>

namespace ringdown::detail {

void assert_failed(const char* expr, const char* msg, const char* file, int line) noexcept {
  std::fprintf(stderr, "ringdown: invariant failed at %s:%d: %s (%s)\n", file, line, msg,
               expr);
  std::fflush(stderr);
  std::abort();
}

} // namespace ringdown::detail
