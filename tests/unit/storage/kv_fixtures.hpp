#pragma once

#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "storage/kv.hpp"
#include "storage/memory_kv.hpp"
#include "storage/rocksdb_kv.hpp"
#include "temp_dir.hpp"

namespace ringdown::storage::test {

/// A RocksDB kv in `path` (created when missing); fails the test if it
/// cannot be opened.
inline std::unique_ptr<kv> open_db(const std::string& path) {
  std::error_code ec;
  std::string error;
  auto db = open_rocksdb(path, ec, error);
  INFO(error);
  REQUIRE_FALSE(ec);
  REQUIRE(db != nullptr);
  return db;
}

/// The two `kv` implementations behind one face, for suites templated over
/// both. `reopen()` closes and opens the store again: the RocksDB one keeps
/// its data, the memory one is the same object (it has nothing to reopen).
struct memory_fixture {
  std::unique_ptr<kv> db = make_memory_kv();
  kv& store() { return *db; }
  void reopen() {}
};

struct rocksdb_fixture {
  temp_dir dir;
  std::unique_ptr<kv> db;

  rocksdb_fixture() { open(); }
  kv& store() { return *db; }
  void reopen() {
    db.reset();
    open();
  }

private:
  void open() { db = open_db(dir.sub("db")); }
};

} // namespace ringdown::storage::test
