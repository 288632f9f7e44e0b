// cdr_writer: group commit of CDRs from many threads into a real RocksDB.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <spdlog/sinks/ostream_sink.h>

#include "base/errc.hpp"
#include "base/logging.hpp"
#include "kv_fixtures.hpp"
#include "storage/cdr_store.hpp"
#include "storage/cdr_writer.hpp"
#include "storage/memory_kv.hpp"
#include "storage/rocksdb_kv.hpp"
#include "temp_dir.hpp"

using namespace ringdown::storage;
using ringdown::storage::test::open_db;

namespace {

cdr record(std::string call_id) {
  cdr c;
  c.call_id = std::move(call_id);
  c.disposition = cdr_disposition::answered;
  c.final_code = 200;
  return c;
}

} // namespace

TEST_CASE("cdr_writer stores records from several threads under unique consecutive ids",
          "[storage][cdr]") {
  test::temp_dir dir;
  auto db = open_db(dir.sub("db"));
  cdr_store store{*db};
  constexpr int threads = 4;
  constexpr int per_thread = 500;
  {
    cdr_writer writer{store, 10'000};
    // Catch2 assertions are not thread-safe: the threads only count.
    std::atomic<int> refused{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&writer, &refused, t] {
        for (int i = 0; i < per_thread; ++i)
          if (!writer.submit(record("t" + std::to_string(t) + "-" + std::to_string(i))))
            refused.fetch_add(1);
      });
    for (auto& th : pool)
      th.join();
    writer.flush();
    CHECK(refused.load() == 0);
    const auto& c = writer.counters();
    CHECK(c.written.load() == threads * per_thread);
    CHECK(c.dropped.load() == 0);
    // Group commit: far fewer synced writes than records.
    CHECK(c.batches.load() < static_cast<std::uint64_t>(threads * per_thread));
  }
  std::error_code ec;
  CHECK(store.last_id(ec) == threads * per_thread);
  std::set<std::string> calls;
  std::uint64_t expected_id = 1;
  REQUIRE_FALSE(store.scan(1, 100'000, [&](const cdr& c) {
    CHECK(c.id == expected_id++);
    calls.insert(c.call_id);
    return true;
  }));
  CHECK(calls.size() == threads * per_thread);
}

TEST_CASE(
    "cdr_writer flush returns once earlier records are durable and ids continue after "
    "a reopen",
    "[storage][cdr]") {
  test::temp_dir dir;
  {
    auto db = open_db(dir.sub("db"));
    cdr_store store{*db};
    cdr_writer writer{store, 100};
    REQUIRE(writer.submit(record("first")));
    writer.flush();
    std::error_code ec;
    const auto got = store.get(1, ec);
    REQUIRE(got);
    CHECK(got->call_id == "first");
    REQUIRE(writer.submit(record("second")));
    writer.stop(); // drains
    CHECK(store.last_id(ec) == 2);
    CHECK_FALSE(writer.submit(record("late"))); // stopped: refused and counted
    CHECK(writer.counters().dropped.load() == 1);
  }
  auto db = open_db(dir.sub("db"));
  cdr_store store{*db};
  cdr_writer writer{store, 100};
  REQUIRE(writer.submit(record("third")));
  writer.flush();
  std::error_code ec;
  const auto got = store.get(3, ec);
  REQUIRE(got);
  CHECK(got->call_id == "third");
}

namespace {

/// A memory kv behind a kv whose `write` a test overrides.
class forwarding_kv : public kv {
public:
  std::optional<std::string> get(family f, std::string_view key,
                                 std::error_code& ec) const override {
    return inner.get(f, key, ec);
  }
  std::error_code write(const write_batch& batch, durability d) override {
    return inner.write(batch, d);
  }
  std::error_code scan(
      family f, std::string_view prefix,
      const std::function<bool(std::string_view, std::string_view)>& visit) const override {
    return inner.scan(f, prefix, visit);
  }

  memory_kv inner;
};

/// A memory kv whose writes wait until the test opens the gate: the
/// writer thread is stuck in its first batch while the test submits.
class gated_kv final : public forwarding_kv {
public:
  std::error_code write(const write_batch& batch, durability d) override {
    {
      std::unique_lock lock(mutex);
      ++writes_started;
      cv.notify_all();
      cv.wait(lock, [this] { return open; });
    }
    return inner.write(batch, d);
  }
  /// True once the writer thread reached the gate (bounded wait).
  bool wait_for_write() {
    std::unique_lock lock(mutex);
    return cv.wait_for(lock, std::chrono::seconds(10),
                       [this] { return writes_started > 0; });
  }
  void release() {
    std::lock_guard lock(mutex);
    open = true;
    cv.notify_all();
  }

  std::mutex mutex;
  std::condition_variable cv;
  int writes_started = 0;
  bool open = false;
};

} // namespace

TEST_CASE("cdr_writer refuses beyond its queue bound instead of growing",
          "[storage][cdr]") {
  gated_kv db;
  cdr_store store{db};
  cdr_writer writer{store, 8};
  REQUIRE(writer.submit(record("in-flight")));
  REQUIRE(db.wait_for_write()); // the writer holds "in-flight" and waits at the gate
  int accepted = 0;
  for (int i = 0; i < 20; ++i)
    accepted += writer.submit(record("c" + std::to_string(i))) ? 1 : 0;
  CHECK(accepted == 8); // the queue bound
  CHECK(writer.counters().dropped.load() == 12);
  db.release();
  writer.flush();
  std::error_code ec;
  CHECK(store.last_id(ec) == 9);
  CHECK(writer.counters().written.load() == 9);
}

namespace {

/// A memory kv whose writes all fail, as a full or broken disk would.
class failing_kv final : public forwarding_kv {
public:
  std::error_code write(const write_batch&, durability) override {
    return ringdown::errc::io_error;
  }
};

/// Captures what logger "storage.cdr" writes while it exists.
class captured_log {
public:
  captured_log()
      : logger_(ringdown::log::get("storage.cdr")),
        sink_(std::make_shared<spdlog::sinks::ostream_sink_mt>(out_)) {
    logger_->sinks().push_back(sink_);
  }
  ~captured_log() {
    auto& sinks = logger_->sinks();
    sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
  }
  captured_log(const captured_log&) = delete;
  captured_log& operator=(const captured_log&) = delete;
  [[nodiscard]] std::string text() {
    sink_->flush();
    return out_.str();
  }

private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
};

} // namespace

TEST_CASE("cdr_writer counts a failed write and logs the call id of each lost record",
          "[storage][cdr]") {
  captured_log log; // before the writer thread starts logging
  failing_kv db;
  cdr_store store{db};
  cdr_writer writer{store, 100};
  REQUIRE(writer.submit(record("lost-one@test")));
  REQUIRE(writer.submit(record("lost-two@test")));
  writer.flush(); // returns: a failed write also completes its records
  const auto& c = writer.counters();
  CHECK(c.submitted.load() == 2);
  CHECK(c.failed.load() == 2);
  CHECK(c.written.load() == 0);
  CHECK(c.batches.load() >= 1);
  writer.stop();
  const auto text = log.text();
  CHECK(text.find("lost-one@test") != std::string::npos);
  CHECK(text.find("lost-two@test") != std::string::npos);
}

TEST_CASE("cdr_writer counters report batches and the last batch size", "[storage][cdr]") {
  gated_kv db;
  cdr_store store{db};
  cdr_writer writer{store, 100};
  REQUIRE(writer.submit(record("first")));
  REQUIRE(db.wait_for_write()); // batch 1 = {first}, held at the gate
  for (int i = 0; i < 5; ++i)
    REQUIRE(writer.submit(record("queued-" + std::to_string(i))));
  db.release();
  writer.flush();
  const auto& c = writer.counters();
  CHECK(c.batches.load() == 2); // the five queued meanwhile went in one batch
  CHECK(c.last_batch.load() == 5);
  CHECK(c.written.load() == 6);
  std::error_code ec;
  const auto last = store.get(6, ec);
  REQUIRE(last);
  CHECK(last->call_id == "queued-4");
}

TEST_CASE("cdr_writer logs the first refusal of a run with its call id then the run length",
          "[storage][cdr]") {
  captured_log log;
  gated_kv db;
  cdr_store store{db};
  cdr_writer writer{store, 2};
  REQUIRE(writer.submit(record("in-flight")));
  REQUIRE(db.wait_for_write());
  REQUIRE(writer.submit(record("queued-0")));
  REQUIRE(writer.submit(record("queued-1")));
  for (int i = 0; i < 5; ++i)
    CHECK_FALSE(writer.submit(record("refused-" + std::to_string(i) + "@test")));
  db.release();
  writer.flush();
  REQUIRE(writer.submit(record("after"))); // ends the run: its length is logged
  writer.stop();
  CHECK(writer.counters().dropped.load() == 5);
  const auto text = log.text();
  CHECK(text.find("refused-0@test dropped: queue full") != std::string::npos);
  CHECK(text.find("refused-1@test") == std::string::npos); // one line per run
  CHECK(text.find("5 CDRs dropped in a row") != std::string::npos);
}
