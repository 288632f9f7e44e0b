// RocksDB-only behaviour: persistence across reopen, existing databases,
// and paths that cannot hold a database.
#include <fstream>

#include <catch2/catch.hpp>
#include <rocksdb/db.h>

#include "base/errc.hpp"
#include "kv_fixtures.hpp"
#include "storage/rocksdb_kv.hpp"
#include "temp_dir.hpp"

using namespace ringdown::storage;
using ringdown::storage::test::temp_dir;

namespace {

/// Opening must fail cleanly: nullptr, an error code and a message.
void expect_open_fails(const std::string& path) {
  std::error_code ec;
  std::string error;
  auto db = open_rocksdb(path, ec, error);
  INFO(path << ": " << error);
  CHECK(db == nullptr);
  CHECK(ec);
  CHECK_FALSE(error.empty());
}

void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
  REQUIRE(out.good());
}

} // namespace

TEST_CASE("rocksdb reopen keeps every family", "[storage][rocksdb]") {
  temp_dir dir;
  const auto path = dir.sub("nested/db");
  {
    auto db = test::open_db(path);
    for (std::size_t i = 0; i < family_count; ++i) {
      const auto f = static_cast<family>(i);
      REQUIRE_FALSE(db->put(f, "synced", std::string(to_string(f))));
      REQUIRE_FALSE(db->put(f, "buffered", "b", durability::buffered));
    }
    REQUIRE_FALSE(db->erase(family::meta, "buffered"));
  }
  auto db = test::open_db(path);
  for (std::size_t i = 0; i < family_count; ++i) {
    const auto f = static_cast<family>(i);
    INFO(to_string(f));
    std::error_code ec;
    CHECK(db->get(f, "synced", ec) == std::string(to_string(f)));
    if (f == family::meta)
      CHECK_FALSE(db->get(f, "buffered", ec).has_value());
    else
      CHECK(db->get(f, "buffered", ec) == "b");
    CHECK_FALSE(ec);
  }
}

TEST_CASE("rocksdb opens a database holding families it does not know",
          "[storage][rocksdb]") {
  temp_dir dir;
  const auto path = dir.sub("db");
  {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    REQUIRE(rocksdb::DB::Open(options, path, &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    rocksdb::ColumnFamilyHandle* legacy = nullptr;
    REQUIRE(db->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), "legacy", &legacy).ok());
    REQUIRE(db->Put(rocksdb::WriteOptions(), legacy, "old", "data").ok());
    REQUIRE(db->DestroyColumnFamilyHandle(legacy).ok());
    REQUIRE(db->Close().ok());
  }
  {
    auto db = test::open_db(path);
    REQUIRE_FALSE(db->put(family::cdrs, "k", "v"));
  }
  // The unknown family and its data are still there.
  std::vector<std::string> names;
  REQUIRE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names).ok());
  CHECK(std::find(names.begin(), names.end(), "legacy") != names.end());
  CHECK(std::find(names.begin(), names.end(), "cdrs") != names.end());
  auto db = test::open_db(path);
  std::error_code ec;
  CHECK(db->get(family::cdrs, "k", ec) == "v");
}

TEST_CASE("rocksdb refuses paths that cannot hold a database", "[storage][rocksdb]") {
  temp_dir dir;
  SECTION("a regular file") {
    write_file(dir.path() / "file", "not a database");
    expect_open_fails(dir.sub("file"));
  }
  SECTION("a directory holding other files") {
    std::filesystem::create_directory(dir.path() / "other");
    write_file(dir.path() / "other" / "notes.txt", "hello");
    expect_open_fails(dir.sub("other"));
    CHECK_FALSE(std::filesystem::exists(dir.path() / "other" / "CURRENT"));
  }
  SECTION("a directory with a corrupt CURRENT file") {
    std::filesystem::create_directory(dir.path() / "broken");
    write_file(dir.path() / "broken" / "CURRENT", "MANIFEST-999999\n");
    expect_open_fails(dir.sub("broken"));
  }
  SECTION("a path below a regular file") {
    write_file(dir.path() / "plain", "x");
    expect_open_fails(dir.sub("plain/db"));
  }
  SECTION("an empty path") {
    expect_open_fails("");
  }
  SECTION("a directory nobody may create") {
    // /proc refuses new entries even to root, unlike a chmod-ed directory.
    expect_open_fails("/proc/ringdown-storage-test-db");
  }
  SECTION("a database another handle holds open") {
    auto first = test::open_db(dir.sub("db"));
    expect_open_fails(dir.sub("db"));
    std::error_code ec;
    CHECK_FALSE(first->put(family::meta, "still", "usable"));
  }
}
