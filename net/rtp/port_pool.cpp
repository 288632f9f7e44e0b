#include "net/rtp/port_pool.hpp"

#include <utility>

#include "base/assert.hpp"

namespace ringdown::rtp {

namespace {
constexpr std::uint16_t unprivileged_first = 1024;
} // namespace

std::optional<std::string> port_pool::validate(std::uint16_t first, std::uint16_t last) {
  const auto range = [&] {
    return "RTP port range " + std::to_string(first) + "-" + std::to_string(last) + ": ";
  };
  if (first % 2 != 0)
    return range() + "the first port must be even (RTP even, RTCP odd, RFC 3550 §11)";
  if (first < unprivileged_first)
    return range() + "the first port must be at least " +
           std::to_string(unprivileged_first);
  if (last <= first)
    return range() + "the range must hold at least one RTP/RTCP pair";
  return std::nullopt;
}

port_pool::port_pool(std::uint16_t first, std::uint16_t last) : first_(first), last_(last) {
  RINGDOWN_ASSERT(!validate(first, last).has_value(), "port_pool: invalid port range");
  const std::size_t pairs = (static_cast<std::size_t>(last) - first + 1) / 2;
  slots_.assign(pairs, slot::free);
  available_ = pairs;
}

std::optional<std::size_t> port_pool::index_of(std::uint16_t port) const noexcept {
  if (port < first_)
    return std::nullopt;
  const std::size_t index = (static_cast<std::size_t>(port) - first_) / 2;
  if (index >= slots_.size())
    return std::nullopt;
  return index;
}

std::uint16_t port_pool::port_of(std::size_t index) const noexcept {
  return static_cast<std::uint16_t>(first_ + 2 * index);
}

std::optional<std::uint16_t> port_pool::allocate() {
  std::lock_guard lock(mutex_);
  if (available_ == 0) {
    ++exhaustions_;
    return std::nullopt;
  }
  const std::size_t n = slots_.size();
  for (std::size_t step = 0; step < n; ++step) {
    const std::size_t index = (next_ + step) % n;
    if (slots_[index] != slot::free)
      continue;
    slots_[index] = slot::taken;
    --available_;
    next_ = (index + 1) % n;
    return port_of(index);
  }
  RINGDOWN_ASSERT(false, "port_pool: free count says a pair is free but none is");
  return std::nullopt;
}

bool port_pool::release(std::uint16_t rtp_port) {
  std::lock_guard lock(mutex_);
  const auto index = index_of(rtp_port);
  if (rtp_port % 2 != 0 || !index || slots_[*index] != slot::taken) {
    // A quarantined pair's owner may still release it: not a stray.
    if (!index || slots_[*index] != slot::quarantined)
      ++stray_releases_;
    return false;
  }
  slots_[*index] = slot::free;
  ++available_;
  RINGDOWN_ASSERT(available_ + quarantined_ <= slots_.size(), "port_pool: counts corrupt");
  return true;
}

std::optional<port_lease> port_pool::lease() {
  const auto port = allocate();
  if (!port)
    return std::nullopt;
  return port_lease(*this, *port);
}

std::optional<port_lease>
port_pool::lease_bound(const std::function<bool(std::uint16_t)>& try_bind,
                       std::size_t attempts_max) {
  for (std::size_t attempt = 0; attempt < attempts_max; ++attempt) {
    auto held = lease();
    if (!held)
      return std::nullopt;
    if (try_bind(held->rtp_port()))
      return held;
    held->quarantine();
  }
  return std::nullopt;
}

bool port_pool::quarantine(std::uint16_t port) {
  std::lock_guard lock(mutex_);
  const auto index = index_of(port);
  if (!index || slots_[*index] == slot::quarantined)
    return false;
  if (slots_[*index] == slot::free)
    --available_;
  slots_[*index] = slot::quarantined;
  ++quarantined_;
  return true;
}

std::size_t port_pool::available() const {
  std::lock_guard lock(mutex_);
  return available_;
}

std::size_t port_pool::in_use() const {
  std::lock_guard lock(mutex_);
  return slots_.size() - available_ - quarantined_;
}

std::size_t port_pool::quarantined() const {
  std::lock_guard lock(mutex_);
  return quarantined_;
}

std::uint64_t port_pool::exhaustions() const {
  std::lock_guard lock(mutex_);
  return exhaustions_;
}

std::uint64_t port_pool::stray_releases() const {
  std::lock_guard lock(mutex_);
  return stray_releases_;
}

port_lease::port_lease(port_lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)), port_(other.port_) {}

port_lease& port_lease::operator=(port_lease&& other) noexcept {
  if (this != &other) {
    release();
    pool_ = std::exchange(other.pool_, nullptr);
    port_ = other.port_;
  }
  return *this;
}

port_lease::~port_lease() {
  release();
}

void port_lease::release() noexcept {
  if (pool_ != nullptr)
    std::exchange(pool_, nullptr)->release(port_);
}

void port_lease::quarantine() noexcept {
  if (pool_ != nullptr)
    std::exchange(pool_, nullptr)->quarantine(port_);
}

} // namespace ringdown::rtp
