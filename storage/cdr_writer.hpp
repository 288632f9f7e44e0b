#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

#include "storage/cdr.hpp"

namespace ringdown::storage {

class cdr_store;

/// Counters of a cdr_writer; readable from any thread.
struct cdr_writer_counters {
  std::atomic<std::uint64_t> submitted{0};
  std::atomic<std::uint64_t> written{0};
  std::atomic<std::uint64_t> dropped{0}; ///< refused: queue full or stopped
  std::atomic<std::uint64_t> failed{0};  ///< lost in a failed write
  std::atomic<std::uint64_t> batches{0};
  std::atomic<std::uint64_t> last_batch{0};
};

/// Writes CDRs with group commit, like a database log: callers (the call
/// actors, on any thread) queue records and return at once; one writer
/// thread takes everything queued and stores it in one synced write batch
/// (cdr_store::append_batch), so a synced write costs once per batch, not
/// once per call. A crash loses only records not yet committed; ids are
/// never reused. Bounded: beyond `queue_max` queued records `submit`
/// refuses (and counts the drop) rather than grow or block; the first
/// refusal of a run is logged with its call id, the run's length after.
///
/// Owns its thread; `stop` (or the destructor) drains the queue and joins.
class cdr_writer {
public:
  static constexpr std::size_t batch_max = 1024;

  cdr_writer(cdr_store& store, std::size_t queue_max);
  ~cdr_writer();
  cdr_writer(const cdr_writer&) = delete;
  cdr_writer& operator=(const cdr_writer&) = delete;

  /// Queues `record`; false when the queue is full or the writer stopped.
  bool submit(cdr record);
  /// Returns once every record submitted before the call is written (or
  /// its write failed).
  void flush();
  /// Writes what is queued, then stops the thread. Idempotent; called by
  /// the owner only (not concurrently with itself).
  void stop();

  [[nodiscard]] const cdr_writer_counters& counters() const noexcept { return counters_; }

private:
  void run();
  /// Logs how many submits were refused in a row, if more than the first.
  void report_drops();

  cdr_store& store_;
  const std::size_t queue_max_;
  std::mutex mutex_;
  std::condition_variable wake_; ///< records queued, or stop
  std::condition_variable done_; ///< a batch finished
  std::deque<cdr> queue_;
  std::uint64_t enqueued_ = 0;  ///< records ever queued (guarded)
  std::uint64_t completed_ = 0; ///< records ever taken and finished (guarded)
  bool stopping_ = false;
  cdr_writer_counters counters_;
  std::atomic<std::uint64_t> drop_streak_{0}; ///< refusals since the last take
  std::thread thread_;
};

} // namespace ringdown::storage
