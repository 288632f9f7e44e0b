#include "sim/trace_log.hpp"

#include <algorithm>

#include "base/assert.hpp"

namespace ringdown::sim {

std::uint64_t fnv1a(std::string_view bytes, std::uint64_t hash) noexcept {
  for (const char c : bytes) {
    hash ^= static_cast<std::uint8_t>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

trace_log::trace_log(std::size_t lines_max) : lines_max_{lines_max} {
  RINGDOWN_ASSERT(lines_max > 0, "a trace keeps at least one line");
}

void trace_log::append(std::string_view line) {
  hash_ = fnv1a(line, hash_);
  hash_ = fnv1a("\n", hash_);
  if (ring_.size() < lines_max_)
    ring_.emplace_back(line);
  else
    ring_[lines_ % lines_max_].assign(line); // reuses the oldest line's buffer
  ++lines_;
}

std::size_t trace_log::kept() const noexcept {
  return ring_.size();
}

const std::string& trace_log::line(std::size_t i) const {
  RINGDOWN_ASSERT(i < ring_.size(), "trace line out of range");
  if (ring_.size() < lines_max_)
    return ring_[i];
  return ring_[(lines_ + i) % lines_max_];
}

void trace_log::print(std::FILE* out, std::size_t count) const {
  const std::size_t n = kept();
  const std::size_t shown = count == 0 ? n : std::min(count, n);
  for (std::size_t i = n - shown; i < n; ++i) {
    const std::string& l = line(i);
    std::fwrite(l.data(), 1, l.size(), out);
    std::fputc('\n', out);
  }
}

} // namespace ringdown::sim
