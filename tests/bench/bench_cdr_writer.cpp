// CDR write throughput on a real RocksDB, every write synced (WAL fsync):
// one cdr_store::append per CDR (one fsync each) against cdr_writer's
// group commit (one fsync per batch) fed by several producer threads at
// full speed. Figures only; not a test (STYLE.md 15). Run:
//   ./bench_cdr_writer [--seconds 5] [--producers 4] [--queue 100000] [--dir D]
// The database goes in a fresh directory under --dir (default /tmp), which
// must be on a real disk: on tmpfs an fsync costs nothing.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "base/clock.hpp"
#include "base/logging.hpp"
#include "storage/cdr_store.hpp"
#include "storage/cdr_writer.hpp"
#include "storage/rocksdb_kv.hpp"

namespace {

namespace storage = ringdown::storage;

struct options {
  double seconds = 5;
  int producers = 4;
  std::size_t queue = 100'000;
  std::string dir = "/tmp";
};

/// A CDR of realistic size (~300 bytes stored).
storage::cdr sample(std::uint64_t n) {
  storage::cdr c;
  c.call_id = "a84b4c76e66710-" + std::to_string(n) + "@192.0.2.10";
  c.from_uri = "sip:trader17@desk.example.com";
  c.to_uri = "sip:+442079460123@trunk.example.com";
  c.line_uri = "sip:fx-spot-1@lines.example.com";
  c.zone = "london";
  c.node = "ringdown-1";
  c.trunk = "lse-gw";
  c.start_ms = 1'790'000'000'000 + static_cast<std::int64_t>(n);
  c.ring_ms = c.start_ms + 120;
  c.answer_ms = c.start_ms + 2'300;
  c.end_ms = c.start_ms + 62'300;
  c.duration_ms = 62'300;
  c.billable_s = 60;
  c.disposition = storage::cdr_disposition::answered;
  c.final_code = 200;
  c.final_reason = "OK";
  c.ended_by = "caller";
  return c;
}

double seconds_since(const ringdown::clock& clk, ringdown::time_point start) {
  return std::chrono::duration<double>(clk.now() - start).count();
}

std::unique_ptr<storage::rocksdb_kv> open_fresh(const std::string& parent,
                                                const std::string& name) {
  const auto path = (std::filesystem::path{parent} / name).string();
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  std::string error;
  auto db = storage::rocksdb_kv::open(path, ec, error);
  if (!db) {
    std::fprintf(stderr, "cannot open %s: %s\n", path.c_str(), error.c_str());
    std::exit(1);
  }
  return db;
}

/// One synced append per CDR, one thread.
void bench_single(const options& o, const std::string& dir) {
  auto db = open_fresh(dir, "single");
  storage::cdr_store store{*db};
  ringdown::real_clock clk;
  const auto start = clk.now();
  std::uint64_t n = 0;
  // A quarter of the time: this one is slow and its rate steady.
  while (seconds_since(clk, start) < o.seconds / 4) {
    std::error_code ec;
    (void)store.append(sample(n++), ec);
    if (ec) {
      std::fprintf(stderr, "append failed: %s\n", ec.message().c_str());
      std::exit(1);
    }
  }
  const double s = seconds_since(clk, start);
  std::printf(
      "cdr_store::append, 1 synced write per CDR: %llu CDRs in %.2f s = %.0f CDRs/s "
      "(%.2f ms per CDR)\n",
      static_cast<unsigned long long>(n), s, static_cast<double>(n) / s,
      1000.0 * s / static_cast<double>(n));
}

/// `producers` threads submit as fast as the writer takes them; the rate
/// counts only what is durable (flush at the end is inside the timing).
void bench_group(const options& o, const std::string& dir) {
  auto db = open_fresh(dir, "group");
  storage::cdr_store store{*db};
  ringdown::real_clock clk;
  storage::cdr_writer writer{store, o.queue};
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> next{0};
  std::vector<std::thread> pool;
  const auto start = clk.now();
  for (int p = 0; p < o.producers; ++p)
    pool.emplace_back([&] {
      while (!stop.load(std::memory_order_relaxed)) {
        if (!writer.submit(sample(next.fetch_add(1, std::memory_order_relaxed))))
          std::this_thread::yield(); // queue full: the writer is the limit
      }
    });
  while (seconds_since(clk, start) < o.seconds)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  stop = true;
  for (auto& t : pool)
    t.join();
  writer.flush();
  const double s = seconds_since(clk, start);
  const auto& c = writer.counters();
  const auto written = c.written.load();
  const auto batches = c.batches.load();
  std::printf("cdr_writer, group commit, %d producers: %llu CDRs in %.2f s = %.0f CDRs/s; "
              "%llu synced batches (%.0f/s), mean batch %.1f, last batch %llu, "
              "refused while full %llu, failed %llu\n",
              o.producers, static_cast<unsigned long long>(written), s,
              static_cast<double>(written) / s, static_cast<unsigned long long>(batches),
              static_cast<double>(batches) / s,
              batches ? static_cast<double>(written) / static_cast<double>(batches) : 0.0,
              static_cast<unsigned long long>(c.last_batch.load()),
              static_cast<unsigned long long>(c.dropped.load()),
              static_cast<unsigned long long>(c.failed.load()));
  std::error_code ec;
  std::printf("  last id %llu (ids 1..%llu, consecutive)\n",
              static_cast<unsigned long long>(store.last_id(ec)),
              static_cast<unsigned long long>(written));
}

bool parse(int argc, char** argv, options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--seconds")
      o.seconds = std::atof(value);
    else if (flag == "--producers")
      o.producers = std::atoi(value);
    else if (flag == "--queue")
      o.queue = static_cast<std::size_t>(std::atoll(value));
    else if (flag == "--dir")
      o.dir = value;
    else
      return false;
  }
  return argc % 2 == 1 && o.seconds > 0 && o.producers > 0 && o.producers <= 64 &&
         o.queue > 0;
}

} // namespace

int main(int argc, char** argv) {
  options o;
  // The writer logs every CDR at info; the figure is the store's, not the log's.
  ringdown::log::setup({.level = "warn", .to_stderr = true, .file = {}});
  if (!parse(argc, argv, o)) {
    std::fprintf(stderr, "usage: %s [--seconds S] [--producers N] [--queue N] [--dir D]\n",
                 argv[0]);
    return 2;
  }
  auto tmpl = (std::filesystem::path{o.dir} / "ringdown-bench-cdr-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) {
    std::perror("mkdtemp");
    return 1;
  }
  bench_single(o, tmpl);
  bench_group(o, tmpl);
  std::error_code ec;
  std::filesystem::remove_all(tmpl, ec);
  return 0;
}
