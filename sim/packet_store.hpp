#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/assert.hpp"

namespace ringdown::sim {

/// The bytes of packets in flight, in reusable slots with a reference
/// count (a duplicated packet shares its slot), so a run stops allocating
/// once its busiest moment has passed. At most `slots_max` packets in
/// flight. Owned by the world; the simulator's thread.
class packet_store {
public:
  explicit packet_store(std::size_t slots_max) : slots_max_{slots_max} {}

  /// A slot holding a copy of `bytes` with `refs` references; nullopt
  /// when `slots_max` packets are already in flight.
  std::optional<std::uint32_t> put(std::span<const std::uint8_t> bytes, std::uint8_t refs) {
    std::uint32_t i = 0;
    if (!free_.empty()) {
      i = free_.back();
      free_.pop_back();
    } else if (slots_.size() < slots_max_) {
      i = static_cast<std::uint32_t>(slots_.size());
      slots_.emplace_back();
    } else {
      return std::nullopt;
    }
    slots_[i].bytes.assign(bytes.begin(), bytes.end());
    slots_[i].refs = refs;
    return i;
  }
  [[nodiscard]] std::span<const std::uint8_t> bytes(std::uint32_t i) const {
    RINGDOWN_ASSERT(i < slots_.size() && slots_[i].refs > 0, "packet slot not in use");
    return slots_[i].bytes;
  }
  /// Drops one reference; the slot is reused once none is left.
  void release(std::uint32_t i) {
    RINGDOWN_ASSERT(i < slots_.size() && slots_[i].refs > 0, "packet slot not in use");
    if (--slots_[i].refs == 0)
      free_.push_back(i);
  }
  [[nodiscard]] std::size_t in_flight() const noexcept {
    return slots_.size() - free_.size();
  }

private:
  struct slot {
    std::vector<std::uint8_t> bytes;
    std::uint8_t refs = 0;
  };
  std::vector<slot> slots_;
  std::vector<std::uint32_t> free_;
  std::size_t slots_max_;
};

} // namespace ringdown::sim
