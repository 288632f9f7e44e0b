#pragma once

#include <atomic>
#include <cstdint>

namespace ringdown::http {

/// A copy of the admin server's counters at one moment.
struct http_counters {
  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_refused = 0; ///< over connections_max: closed at once
  std::uint64_t timeouts = 0;            ///< idle/read timeout: closed
  std::uint64_t requests = 0;            ///< requests answered, errors included
  std::uint64_t responses_2xx = 0;
  std::uint64_t responses_4xx = 0;
  std::uint64_t responses_5xx = 0;
  std::uint64_t bad_requests = 0;       ///< 400: malformed HTTP
  std::uint64_t too_large = 0;          ///< 413 body, 431 header
  std::uint64_t not_found = 0;          ///< 404
  std::uint64_t method_not_allowed = 0; ///< 405
};

/// The admin server's counters. Written on the server's io_context thread,
/// readable from any thread (relaxed atomics: each figure is exact, a
/// snapshot of several is not one instant).
class http_probe {
public:
  void accepted() { inc(accepted_); }
  void refused() { inc(refused_); }
  void timed_out() { inc(timeouts_); }
  /// One response sent with `status`.
  void answered(int status);

  [[nodiscard]] http_counters snapshot() const;

private:
  using counter = std::atomic<std::uint64_t>;
  static void inc(counter& c) { c.fetch_add(1, std::memory_order_relaxed); }
  static std::uint64_t get(const counter& c) { return c.load(std::memory_order_relaxed); }

  counter accepted_{0}, refused_{0}, timeouts_{0}, requests_{0};
  counter r2xx_{0}, r4xx_{0}, r5xx_{0};
  counter bad_{0}, too_large_{0}, not_found_{0}, not_allowed_{0};
};

inline void http_probe::answered(int status) {
  inc(requests_);
  if (status >= 200 && status < 300)
    inc(r2xx_);
  else if (status >= 400 && status < 500)
    inc(r4xx_);
  else if (status >= 500)
    inc(r5xx_);
  if (status == 400)
    inc(bad_);
  else if (status == 413 || status == 431)
    inc(too_large_);
  else if (status == 404)
    inc(not_found_);
  else if (status == 405)
    inc(not_allowed_);
}

inline http_counters http_probe::snapshot() const {
  return {get(accepted_),  get(refused_),   get(timeouts_),   get(requests_),
          get(r2xx_),      get(r4xx_),      get(r5xx_),       get(bad_),
          get(too_large_), get(not_found_), get(not_allowed_)};
}

} // namespace ringdown::http
