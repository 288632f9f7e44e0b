#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace ringdown::sim {

/// 64-bit FNV-1a of `bytes`, continuing from `hash`.
[[nodiscard]] std::uint64_t fnv1a(std::string_view bytes,
                                  std::uint64_t hash = 0xcbf29ce484222325ULL) noexcept;

/// The trace of one run: every line is folded into a running 64-bit hash
/// (FNV-1a over the text and a newline), so two runs compare by one
/// number; the last `lines_max` lines are kept in a ring buffer to print
/// when a check fails. Owned by the world; the simulator's thread.
class trace_log {
public:
  static constexpr std::size_t default_lines_max = 100'000;

  explicit trace_log(std::size_t lines_max = default_lines_max);

  void append(std::string_view line);

  [[nodiscard]] std::uint64_t hash() const noexcept { return hash_; }
  /// Lines appended in total (kept or not).
  [[nodiscard]] std::uint64_t lines() const noexcept { return lines_; }
  /// Lines still kept, at most lines_max.
  [[nodiscard]] std::size_t kept() const noexcept;
  /// The i-th kept line, oldest first.
  [[nodiscard]] const std::string& line(std::size_t i) const;
  /// Writes the last `count` kept lines (all when 0) to `out`, one a line.
  void print(std::FILE* out, std::size_t count = 0) const;

private:
  std::vector<std::string> ring_;
  std::size_t lines_max_;
  std::uint64_t lines_ = 0;
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

} // namespace ringdown::sim
