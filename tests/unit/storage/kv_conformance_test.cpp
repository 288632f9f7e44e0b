// One conformance suite run against both kv implementations.
#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "base/errc.hpp"
#include "kv_fixtures.hpp"

using namespace ringdown::storage;
using ringdown::errc;
using test::memory_fixture;
using test::rocksdb_fixture;

namespace {

using entries = std::vector<std::pair<std::string, std::string>>;

entries collect(const kv& db, family f, std::string_view prefix) {
  entries out;
  auto ec = db.scan(f, prefix, [&](std::string_view k, std::string_view v) {
    out.emplace_back(k, v);
    return true;
  });
  REQUIRE_FALSE(ec);
  return out;
}

entries collect_range(const kv& db, family f, std::string_view begin,
                      std::string_view end) {
  entries out;
  auto ec = db.scan_range(f, begin, end, [&](std::string_view k, std::string_view v) {
    out.emplace_back(k, v);
    return true;
  });
  REQUIRE_FALSE(ec);
  return out;
}

std::optional<std::string> get(const kv& db, family f, std::string_view key) {
  std::error_code ec;
  auto v = db.get(f, key, ec);
  REQUIRE_FALSE(ec);
  return v;
}

std::vector<std::string> keys_of(const entries& e) {
  std::vector<std::string> out;
  for (const auto& [k, v] : e)
    out.push_back(k);
  return out;
}

} // namespace

TEMPLATE_TEST_CASE("kv get put and erase", "[storage][kv]", memory_fixture,
                   rocksdb_fixture) {
  TestType fx;
  kv& db = fx.store();
  CHECK_FALSE(get(db, family::meta, "k").has_value());
  REQUIRE_FALSE(db.put(family::meta, "k", "v1"));
  CHECK(get(db, family::meta, "k") == "v1");
  REQUIRE_FALSE(db.put(family::meta, "k", "v2", durability::buffered));
  CHECK(get(db, family::meta, "k") == "v2");
  REQUIRE_FALSE(db.erase(family::meta, "k"));
  CHECK_FALSE(get(db, family::meta, "k").has_value());
  CHECK_FALSE(db.erase(family::meta, "never-there"));

  // Binary keys and values, the empty key and an empty value.
  const std::string bin_key("a\0b\xff", 4);
  const std::string bin_value("\0\x01\xfe\xff", 4);
  REQUIRE_FALSE(db.put(family::bindings, bin_key, bin_value));
  REQUIRE_FALSE(db.put(family::bindings, "", "empty-key"));
  REQUIRE_FALSE(db.put(family::bindings, "empty-value", ""));
  CHECK(get(db, family::bindings, bin_key) == bin_value);
  CHECK_FALSE(get(db, family::bindings, std::string("a\0b", 3)).has_value());
  CHECK(get(db, family::bindings, "") == "empty-key");
  CHECK(get(db, family::bindings, "empty-value") == "");
}

TEMPLATE_TEST_CASE("kv batch applies every op", "[storage][kv]", memory_fixture,
                   rocksdb_fixture) {
  TestType fx;
  kv& db = fx.store();
  REQUIRE_FALSE(db.put(family::cdrs, "old", "x"));
  write_batch b;
  b.put(family::cdrs, "a", "1");
  b.put(family::meta, "counter", "7");
  b.erase(family::cdrs, "old");
  b.put(family::cdrs, "a", "2"); // later ops win
  CHECK(b.size() == 4);
  REQUIRE_FALSE(db.write(b));
  CHECK(get(db, family::cdrs, "a") == "2");
  CHECK(get(db, family::meta, "counter") == "7");
  CHECK_FALSE(get(db, family::cdrs, "old").has_value());
  CHECK_FALSE(db.write(write_batch{})); // empty batch: nothing to do
}

TEMPLATE_TEST_CASE("kv batch with a bad op applies nothing", "[storage][kv]",
                   memory_fixture, rocksdb_fixture) {
  TestType fx;
  kv& db = fx.store();
  struct bad_case {
    const char* what;
    std::function<void(write_batch&)> add;
    errc expected;
  };
  const std::vector<bad_case> cases{
      {"range end before begin",
       [](write_batch& b) { b.erase_range(family::cdrs, "z", "a"); },
       errc::invalid_argument},
      {"key too long",
       [](write_batch& b) {
         b.put(family::cdrs, std::string(key_bytes_max + 1, 'k'), "v");
       },
       errc::limit_exceeded},
      {"value too long",
       [](write_batch& b) {
         b.put(family::cdrs, "k", std::string(value_bytes_max + 1, 'v'));
       },
       errc::limit_exceeded},
      {"unknown family",
       [](write_batch& b) { b.put(static_cast<family>(family_count), "k", "v"); },
       errc::invalid_argument},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    write_batch b;
    b.put(family::cdrs, "first", "1");
    c.add(b);
    b.put(family::meta, "last", "2");
    CHECK(db.write(b) == c.expected);
    CHECK_FALSE(get(db, family::cdrs, "first").has_value());
    CHECK_FALSE(get(db, family::meta, "last").has_value());
  }
}

TEMPLATE_TEST_CASE("kv readers never see half a batch", "[storage][kv]", memory_fixture,
                   rocksdb_fixture) {
  TestType fx;
  kv& db = fx.store();
  constexpr int keys = 16;
  constexpr int rounds = 300;
  std::atomic<bool> done{false};
  std::atomic<int> torn{0};
  std::atomic<int> scans{0};
  std::thread reader([&] {
    while (!done.load()) {
      std::string first;
      int seen = 0;
      bool same = true;
      auto ec = db.scan(family::replicas, "r/", [&](std::string_view, std::string_view v) {
        if (seen++ == 0)
          first = v;
        same = same && v == first;
        return true;
      });
      if (ec || !same || (seen != 0 && seen != keys))
        ++torn;
      ++scans;
    }
  });
  for (int r = 0; r < rounds; ++r) {
    write_batch b;
    for (int k = 0; k < keys; ++k)
      b.put(family::replicas, "r/" + std::to_string(k), std::to_string(r));
    REQUIRE_FALSE(db.write(b, durability::buffered));
  }
  // Let the reader finish at least one scan after the last write.
  const int after = scans.load();
  while (scans.load() < after + 2) {
    std::this_thread::yield();
  }
  done = true;
  reader.join();
  CHECK(torn.load() == 0);
  CHECK(collect(db, family::replicas, "r/").size() == keys);
}

TEMPLATE_TEST_CASE("kv erase_range removes exactly the range", "[storage][kv]",
                   memory_fixture, rocksdb_fixture) {
  TestType fx;
  kv& db = fx.store();
  for (const char* k : {"a", "b", "c", "cz", "d", "e", "f", "g"}) {
    REQUIRE_FALSE(db.put(family::provisioning, k, k));
    REQUIRE_FALSE(db.put(family::bindings, k, k));
  }
  write_batch b;
  b.erase_range(family::provisioning, "c", "f");
  b.erase_range(family::provisioning, "g", "g"); // empty range
  REQUIRE_FALSE(db.write(b));
  CHECK(keys_of(collect(db, family::provisioning, "")) ==
        std::vector<std::string>{"a", "b", "f", "g"});
  CHECK(collect(db, family::bindings, "").size() == 8); // other family untouched

  write_batch all;
  all.erase_range(family::provisioning, "", "\xff");
  REQUIRE_FALSE(db.write(all));
  CHECK(collect(db, family::provisioning, "").empty());
}

TEMPLATE_TEST_CASE("kv prefix scan is ordered and stops early", "[storage][kv]",
                   memory_fixture, rocksdb_fixture) {
  TestType fx;
  kv& db = fx.store();
  const std::vector<std::string> inserted{
      "ac",   "abc",     std::string("ab\0", 3), "a", "ab", "ab\xff", "abb", "b", "aa\xff",
      "\xff", "\xff\xff"};
  for (const auto& k : inserted)
    REQUIRE_FALSE(db.put(family::cdrs, k, "v:" + k));

  const auto ab = collect(db, family::cdrs, "ab");
  CHECK(keys_of(ab) ==
        std::vector<std::string>{"ab", std::string("ab\0", 3), "abb", "abc", "ab\xff"});
  for (const auto& [k, v] : ab)
    CHECK(v == "v:" + k);
  CHECK(collect(db, family::cdrs, "").size() == inserted.size());
  CHECK(keys_of(collect(db, family::cdrs, "\xff")) ==
        std::vector<std::string>{"\xff", "\xff\xff"});
  CHECK(collect(db, family::cdrs, "zz").empty());

  std::vector<std::string> visited;
  auto ec = db.scan(family::cdrs, "a", [&](std::string_view k, std::string_view) {
    visited.emplace_back(k);
    return visited.size() < 3;
  });
  CHECK_FALSE(ec);
  CHECK(visited == std::vector<std::string>{"a", "aa\xff", "ab"});
}

TEMPLATE_TEST_CASE("kv scan_range honours its bounds", "[storage][kv]", memory_fixture,
                   rocksdb_fixture) {
  TestType fx;
  kv& db = fx.store();
  for (const char* k : {"k1", "k2", "k3", "k4", "l"})
    REQUIRE_FALSE(db.put(family::meta, k, k));
  CHECK(keys_of(collect_range(db, family::meta, "k2", "k4")) ==
        std::vector<std::string>{"k2", "k3"});
  CHECK(keys_of(collect_range(db, family::meta, "k3", "")) ==
        std::vector<std::string>{"k3", "k4", "l"});
  CHECK(collect_range(db, family::meta, "k4", "k2").empty());
  CHECK(collect_range(db, family::meta, "k2", "k2").empty());
}

TEMPLATE_TEST_CASE("kv families are isolated", "[storage][kv]", memory_fixture,
                   rocksdb_fixture) {
  TestType fx;
  kv& db = fx.store();
  for (std::size_t i = 0; i < family_count; ++i) {
    const auto f = static_cast<family>(i);
    REQUIRE_FALSE(db.put(f, "same", std::string(to_string(f))));
  }
  REQUIRE_FALSE(db.erase(family::bindings, "same"));
  for (std::size_t i = 0; i < family_count; ++i) {
    const auto f = static_cast<family>(i);
    INFO(to_string(f));
    if (f == family::bindings) {
      CHECK_FALSE(get(db, f, "same").has_value());
      CHECK(collect(db, f, "").empty());
    } else {
      CHECK(get(db, f, "same") == std::string(to_string(f)));
      CHECK(collect(db, f, "").size() == 1);
    }
  }
}

TEMPLATE_TEST_CASE("kv scan visitor may use the store and sees a snapshot", "[storage][kv]",
                   memory_fixture, rocksdb_fixture) {
  TestType fx;
  kv& db = fx.store();
  for (const char* k : {"s1", "s2", "s3"})
    REQUIRE_FALSE(db.put(family::replicas, k, "old"));
  std::vector<std::string> values;
  auto ec = db.scan(family::replicas, "s", [&](std::string_view, std::string_view v) {
    values.emplace_back(v);
    std::error_code gec;
    CHECK(db.get(family::replicas, "s1", gec) == "old"); // no deadlock
    CHECK_FALSE(db.put(family::replicas, "s3", "new"));  // nor here
    CHECK_FALSE(db.put(family::replicas, "s4", "added"));
    return true;
  });
  CHECK_FALSE(ec);
  CHECK(values == std::vector<std::string>{"old", "old", "old"});
  CHECK(get(db, family::replicas, "s3") == "new");
  CHECK(collect(db, family::replicas, "s").size() == 4);
}

TEMPLATE_TEST_CASE("kv unknown family is an error", "[storage][kv]", memory_fixture,
                   rocksdb_fixture) {
  TestType fx;
  kv& db = fx.store();
  const auto bad = static_cast<family>(family_count);
  std::error_code ec;
  CHECK_FALSE(db.get(bad, "k", ec).has_value());
  CHECK(ec == errc::invalid_argument);
  CHECK(db.scan(bad, "", [](auto, auto) { return true; }) == errc::invalid_argument);
}

TEST_CASE("prefix_end gives the first key past a prefix", "[storage][kv]") {
  CHECK(prefix_end("ab") == "ac");
  CHECK(prefix_end("a\xff") == "b");
  CHECK(prefix_end("\xff\xff").empty());
  CHECK(prefix_end("").empty());
  CHECK(prefix_end(std::string("a\0", 2)) == std::string("a\x01", 2));
}

TEST_CASE("family names are distinct", "[storage][kv]") {
  std::vector<std::string_view> names;
  for (std::size_t i = 0; i < family_count; ++i)
    names.push_back(to_string(static_cast<family>(i)));
  std::sort(names.begin(), names.end());
  CHECK(std::adjacent_find(names.begin(), names.end()) == names.end());
  CHECK(to_string(family::cdrs) == "cdrs");
}

TEST_CASE("memory_kv loses only unsynced writes", "[storage][kv]") {
  memory_kv db;
  REQUIRE_FALSE(db.put(family::meta, "a", "1"));
  for (const char* k : {"r1", "r2", "r3"})
    REQUIRE_FALSE(db.put(family::cdrs, k, k));
  REQUIRE_FALSE(db.put(family::meta, "a", "2", durability::buffered));
  REQUIRE_FALSE(db.put(family::meta, "b", "new", durability::buffered));
  write_batch b;
  b.erase_range(family::cdrs, "r1", "r3");
  b.put(family::cdrs, "r2", "reborn");
  b.erase(family::meta, "a");
  REQUIRE_FALSE(db.write(b, durability::buffered));
  CHECK(db.size(family::cdrs) == 2);

  db.lose_unsynced();
  CHECK(get(db, family::meta, "a") == "1");
  CHECK_FALSE(get(db, family::meta, "b").has_value());
  CHECK(keys_of(collect(db, family::cdrs, "")) ==
        std::vector<std::string>{"r1", "r2", "r3"});
  CHECK(get(db, family::cdrs, "r2") == "r2");

  // A synced write makes the buffered writes before it durable.
  REQUIRE_FALSE(db.put(family::meta, "c", "buffered", durability::buffered));
  REQUIRE_FALSE(db.put(family::meta, "d", "synced"));
  REQUIRE_FALSE(db.put(family::meta, "e", "lost", durability::buffered));
  db.lose_unsynced();
  CHECK(get(db, family::meta, "c") == "buffered");
  CHECK(get(db, family::meta, "d") == "synced");
  CHECK_FALSE(get(db, family::meta, "e").has_value());
}
