#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace ringdown::call {

/// Concurrent-call admission for trunks: each trunk has `calls_max`; a
/// call that would exceed it is refused with 503 Service Unavailable and
/// a Retry-After (RFC 3261 §21.5.4, §20.33). Pure; owned by whoever starts
/// calls to trunks (the shell consults it before starting a call_stm and
/// releases when the call's CDR is out). One actor only.
class trunk_admission {
public:
  struct verdict {
    bool admitted = false;
    int status = 0;                  ///< 0 when admitted, else 503 (404: no such trunk)
    std::uint32_t retry_after_s = 0; ///< for the 503
  };

  explicit trunk_admission(std::uint32_t retry_after_s = 5)
      : retry_after_s_(retry_after_s) {}

  /// Adds or resizes a trunk; calls in progress stay counted.
  void configure(const std::string& trunk, std::uint32_t calls_max);
  /// Takes one slot of `trunk` if there is one.
  verdict admit(const std::string& trunk);
  /// Gives back a slot taken by `admit` (ignored when none is taken).
  void release(const std::string& trunk);

  [[nodiscard]] std::uint32_t current(const std::string& trunk) const;
  [[nodiscard]] std::uint32_t calls_max(const std::string& trunk) const;

private:
  struct slot {
    std::uint32_t calls_max = 0;
    std::uint32_t current = 0;
  };
  std::map<std::string, slot, std::less<>> trunks_;
  std::uint32_t retry_after_s_;
};

} // namespace ringdown::call
