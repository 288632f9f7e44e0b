#include <algorithm>
#include <set>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "base/errc.hpp"
#include "kv_fixtures.hpp"
#include "storage/cdr_store.hpp"

using namespace ringdown::storage;
using test::memory_fixture;
using test::rocksdb_fixture;

namespace {

cdr make(const std::string& call_id) {
  cdr r;
  r.call_id = call_id;
  r.from_uri = "sip:a@x";
  r.to_uri = "sip:b@y";
  r.disposition = cdr_disposition::answered;
  r.final_code = 200;
  return r;
}

std::uint64_t append_ok(cdr_store& s, const std::string& call_id) {
  std::error_code ec;
  const auto id = s.append(make(call_id), ec);
  REQUIRE_FALSE(ec);
  REQUIRE(id != 0);
  return id;
}

std::vector<std::uint64_t> scan_ids(const cdr_store& s, std::uint64_t from, std::size_t n) {
  std::vector<std::uint64_t> ids;
  auto ec = s.scan(from, n, [&](const cdr& r) {
    ids.push_back(r.id);
    return true;
  });
  REQUIRE_FALSE(ec);
  return ids;
}

} // namespace

TEMPLATE_TEST_CASE("cdr_store ids strictly increase and continue after reopen",
                   "[storage][cdr]", memory_fixture, rocksdb_fixture) {
  TestType fx;
  std::vector<std::uint64_t> ids;
  {
    cdr_store s(fx.store());
    std::error_code ec;
    CHECK(s.last_id(ec) == 0);
    for (int i = 0; i < 5; ++i)
      ids.push_back(append_ok(s, "call-" + std::to_string(i)));
    CHECK(s.last_id(ec) == ids.back());
  }
  fx.reopen(); // RocksDB: closed and opened again; memory: same data
  cdr_store s(fx.store());
  for (int i = 5; i < 10; ++i)
    ids.push_back(append_ok(s, "call-" + std::to_string(i)));
  CHECK(ids.front() == 1);
  CHECK(std::adjacent_find(ids.begin(), ids.end(), std::greater_equal<>()) == ids.end());

  std::error_code ec;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto r = s.get(ids[i], ec);
    REQUIRE_FALSE(ec);
    REQUIRE(r.has_value());
    CHECK(r->id == ids[i]);
    CHECK(r->call_id == "call-" + std::to_string(i));
  }
  CHECK_FALSE(s.get(ids.back() + 1, ec).has_value());
  CHECK_FALSE(ec);
}

TEMPLATE_TEST_CASE("cdr_store scans in id order from an id with a limit", "[storage][cdr]",
                   memory_fixture, rocksdb_fixture) {
  TestType fx;
  cdr_store s(fx.store());
  // 300 records: ids cross a byte boundary (255 -> 256), where a
  // little-endian or text key would sort wrongly.
  for (int i = 0; i < 300; ++i)
    append_ok(s, "c" + std::to_string(i));
  const auto all = scan_ids(s, 0, 1000);
  REQUIRE(all.size() == 300);
  for (std::size_t i = 0; i < all.size(); ++i)
    CHECK(all[i] == i + 1);
  CHECK(scan_ids(s, 250, 10) ==
        std::vector<std::uint64_t>{250, 251, 252, 253, 254, 255, 256, 257, 258, 259});
  CHECK(scan_ids(s, 299, 10) == std::vector<std::uint64_t>{299, 300});
  CHECK(scan_ids(s, 301, 10).empty());
  CHECK(scan_ids(s, 1, 0).empty());

  int visited = 0;
  CHECK_FALSE(s.scan(1, 100, [&](const cdr&) { return ++visited < 3; }));
  CHECK(visited == 3);

  REQUIRE_FALSE(s.erase_before(101));
  const auto rest = scan_ids(s, 0, 1000);
  REQUIRE(rest.size() == 200);
  CHECK(rest.front() == 101);
  CHECK(append_ok(s, "after-prune") == 301); // the counter is not touched
}

TEMPLATE_TEST_CASE("cdr_store concurrent appends get distinct ids", "[storage][cdr]",
                   memory_fixture, rocksdb_fixture) {
  TestType fx;
  cdr_store s(fx.store());
  constexpr std::size_t threads = 4;
  constexpr std::size_t per_thread = 25;
  std::vector<std::vector<std::uint64_t>> got(threads);
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (std::size_t t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (std::size_t i = 0; i < per_thread; ++i) {
        std::error_code ec;
        got[t].push_back(s.append(make("t" + std::to_string(t)), ec));
      }
    });
  }
  for (auto& th : pool)
    th.join();
  std::set<std::uint64_t> unique;
  for (const auto& v : got) {
    CHECK(std::is_sorted(v.begin(), v.end()));
    unique.insert(v.begin(), v.end());
  }
  CHECK(unique.size() == threads * per_thread);
  CHECK(unique.count(0) == 0);
  CHECK(*unique.rbegin() == threads * per_thread);
}

TEMPLATE_TEST_CASE("cdr_store reports corrupt records", "[storage][cdr]", memory_fixture,
                   rocksdb_fixture) {
  TestType fx;
  cdr_store s(fx.store());
  const auto id = append_ok(s, "good");
  REQUIRE_FALSE(fx.store().put(family::cdrs, cdr_store::key(id + 1), "\x01garbage"));
  std::error_code ec;
  CHECK_FALSE(s.get(id + 1, ec).has_value());
  CHECK(ec == ringdown::errc::parse_error);
  std::vector<std::uint64_t> seen;
  CHECK(s.scan(0, 10, [&](const cdr& r) {
    seen.push_back(r.id);
    return true;
  }) == ringdown::errc::parse_error);
  CHECK(seen == std::vector<std::uint64_t>{id});

  // A corrupt counter stops appends instead of reusing ids.
  REQUIRE_FALSE(fx.store().put(family::meta, cdr_store::last_id_key, "bad"));
  cdr_store fresh(fx.store());
  CHECK(fresh.append(make("x"), ec) == 0);
  CHECK(ec == ringdown::errc::parse_error);
}
