#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace ringdown::rtp {

class port_lease;

/// The media plane's UDP ports: pairs from a configured range [first, last],
/// RTP on the even port and RTCP on the odd one above it (RFC 3550 §11), so
/// a pair is named by its even port. Allocation rotates: the search starts
/// after the pair handed out last, so a pair just freed is not reused at
/// once and late packets of an ended call do not reach a new one. When the
/// range is exhausted allocate() answers nullopt (the caller rejects the new
/// call with 503) and nothing already allocated is disturbed.
///
/// A pair the engine cannot bind (EADDRINUSE: another process holds it) is
/// quarantined: kept out for the pool's lifetime and counted.
///
/// Owned by the media engine, shared by its threads: every member is
/// thread-safe (one mutex; taken per call set-up and teardown, never per
/// packet). The pool must outlive its leases.
class port_pool {
public:
  /// nullopt when [first, last] is a usable range, else why not: `first`
  /// must be even and at least 1024, and the range must hold one pair.
  static std::optional<std::string> validate(std::uint16_t first, std::uint16_t last);

  /// Precondition (asserted): validate(first, last) is nullopt. `last` may
  /// be even; its pair would need last + 1, so it is never handed out.
  port_pool(std::uint16_t first, std::uint16_t last);
  port_pool(const port_pool&) = delete;
  port_pool& operator=(const port_pool&) = delete;

  /// The RTP (even) port of a free pair, nullopt when none is free.
  std::optional<std::uint16_t> allocate();
  /// Returns a pair handed out by allocate(). A port that is not allocated
  /// (never was, already released, out of range, odd) is ignored and
  /// counted in stray_releases(), so a double release cannot corrupt the
  /// pool; returns false then. Releasing a quarantined pair is ignored
  /// without counting (its owner may still hold it).
  bool release(std::uint16_t rtp_port);
  /// allocate() wrapped in a lease that releases on destruction.
  std::optional<port_lease> lease();
  /// Leases a pair and calls `try_bind(rtp_port)` outside the lock; a pair
  /// it refuses is quarantined and the next one tried, `attempts_max` at
  /// most. nullopt when the range is exhausted or every attempt failed.
  std::optional<port_lease> lease_bound(const std::function<bool(std::uint16_t)>& try_bind,
                                        std::size_t attempts_max);
  /// Keeps the pair of `port` (RTP or RTCP, free or allocated) out for the
  /// pool's lifetime. Returns false when out of range or already quarantined.
  bool quarantine(std::uint16_t port);

  /// Pairs free now.
  [[nodiscard]] std::size_t available() const;
  /// Pairs in the range, quarantined ones included.
  [[nodiscard]] std::size_t capacity() const noexcept { return slots_.size(); }
  [[nodiscard]] std::size_t in_use() const;
  [[nodiscard]] std::size_t quarantined() const;
  /// allocate() calls answered nullopt for want of a free pair.
  [[nodiscard]] std::uint64_t exhaustions() const;
  [[nodiscard]] std::uint64_t stray_releases() const;
  [[nodiscard]] std::uint16_t first() const noexcept { return first_; }
  [[nodiscard]] std::uint16_t last() const noexcept { return last_; }

private:
  enum class slot : std::uint8_t { free, taken, quarantined };

  /// The pair index of an even or odd port, nullopt outside the pairs.
  [[nodiscard]] std::optional<std::size_t> index_of(std::uint16_t port) const noexcept;
  [[nodiscard]] std::uint16_t port_of(std::size_t index) const noexcept;

  const std::uint16_t first_;
  const std::uint16_t last_;
  mutable std::mutex mutex_;
  std::vector<slot> slots_;   // one per pair; guarded by mutex_
  std::size_t next_ = 0;      // where the next search starts; guarded
  std::size_t available_ = 0; // free slots; guarded
  std::size_t quarantined_ = 0;
  std::uint64_t exhaustions_ = 0;
  std::uint64_t stray_releases_ = 0;
};

/// One allocated RTP/RTCP pair, returned to its pool on destruction. Owned
/// by the leg's media object; move-only; the pool must outlive it.
class port_lease {
public:
  port_lease(port_lease&& other) noexcept;
  port_lease& operator=(port_lease&& other) noexcept;
  port_lease(const port_lease&) = delete;
  port_lease& operator=(const port_lease&) = delete;
  ~port_lease();

  [[nodiscard]] std::uint16_t rtp_port() const noexcept { return port_; }
  [[nodiscard]] std::uint16_t rtcp_port() const noexcept {
    return static_cast<std::uint16_t>(port_ + 1);
  }
  /// False once released, quarantined or moved from.
  [[nodiscard]] bool held() const noexcept { return pool_ != nullptr; }
  /// Returns the pair to the pool now.
  void release() noexcept;
  /// Quarantines the pair (it could not be bound) instead of returning it.
  void quarantine() noexcept;

private:
  friend class port_pool;
  port_lease(port_pool& pool, std::uint16_t port) noexcept : pool_(&pool), port_(port) {}

  port_pool* pool_;
  std::uint16_t port_;
};

} // namespace ringdown::rtp
