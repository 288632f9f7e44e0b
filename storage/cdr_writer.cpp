#include "storage/cdr_writer.hpp"

#include <string_view>
#include <utility>
#include <vector>

#include "base/logging.hpp"
#include "storage/cdr_store.hpp"

namespace ringdown::storage {

namespace {

spdlog::logger& logger() {
  static const auto lg = log::get("storage.cdr");
  return *lg;
}

} // namespace

cdr_writer::cdr_writer(cdr_store& store, std::size_t queue_max)
    : store_(store), queue_max_(queue_max), thread_([this] { run(); }) {}

cdr_writer::~cdr_writer() {
  stop();
}

bool cdr_writer::submit(cdr record) {
  std::string_view refused; // why, when the record is not taken
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      refused = "writer stopped";
    } else if (queue_.size() >= queue_max_) {
      refused = "queue full";
    } else {
      queue_.push_back(std::move(record));
      ++enqueued_;
      counters_.submitted.fetch_add(1, std::memory_order_relaxed);
      wake_.notify_one();
    }
  }
  if (refused.empty()) {
    if (drop_streak_.load(std::memory_order_relaxed) != 0)
      report_drops();
    return true;
  }
  // Outside the lock, and one line per run of refusals rather than one per
  // record: under overload, logging must not slow the callers further.
  counters_.dropped.fetch_add(1, std::memory_order_relaxed);
  if (drop_streak_.fetch_add(1, std::memory_order_relaxed) == 0)
    logger().error("CDR of call {} dropped: {}; further drops counted until one is taken",
                   record.call_id, refused);
  return false;
}

void cdr_writer::report_drops() {
  if (const auto n = drop_streak_.exchange(0, std::memory_order_relaxed); n > 1)
    logger().error("{} CDRs dropped in a row (queue full or writer stopped)", n);
}

void cdr_writer::flush() {
  std::unique_lock lock(mutex_);
  const auto target = enqueued_;
  done_.wait(lock, [&] { return completed_ >= target; });
}

void cdr_writer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable())
    thread_.join();
  done_.notify_all();
  report_drops();
}

void cdr_writer::run() {
  std::vector<cdr> batch;
  batch.reserve(batch_max);
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty())
        return; // stopping and drained
      while (!queue_.empty() && batch.size() < batch_max) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::error_code ec;
    (void)store_.append_batch(batch, ec);
    if (ec) {
      counters_.failed.fetch_add(batch.size(), std::memory_order_relaxed);
      for (const auto& r : batch)
        logger().error("CDR of call {} lost: write of {} CDRs failed: {}", r.call_id,
                       batch.size(), ec.message());
    } else {
      counters_.written.fetch_add(batch.size(), std::memory_order_relaxed);
      for (const auto& r : batch) {
        for (const auto& m : r.media)
          logger().info(
              "CDR {} call {} media leg {} received {} sent {} lost {} jitter {} us "
              "rtt {} us MOS {}.{:03}",
              r.id, r.call_id, m.leg, m.packets_received, m.packets_sent, m.packets_lost,
              m.jitter_us, m.rtt_us, m.mos_milli / 1000, m.mos_milli % 1000);
        if (r.diversion.reason.empty())
          logger().info("CDR {} call {} {} {}", r.id, r.call_id, to_string(r.disposition),
                        r.final_code);
        else
          logger().info("CDR {} call {} {} {} diverted {} from {} to {}", r.id, r.call_id,
                        to_string(r.disposition), r.final_code, r.diversion.reason,
                        r.diversion.from_uri, r.diversion.to_uri);
      }
    }
    counters_.batches.fetch_add(1, std::memory_order_relaxed);
    counters_.last_batch.store(batch.size(), std::memory_order_relaxed);
    {
      std::lock_guard lock(mutex_);
      completed_ += batch.size();
    }
    done_.notify_all();
    batch.clear();
  }
}

} // namespace ringdown::storage
