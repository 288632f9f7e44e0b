#pragma once

#include <memory>
#include <string>

#include "storage/kv.hpp"

namespace ringdown::storage {

/// The production `kv`: a RocksDB database in one directory, one column
/// family per `family` (named by `to_string(family)`) plus RocksDB's
/// "default". Opening creates the directory, the database and any missing
/// family; an existing database is opened with every family it holds.
/// A non-empty directory that holds no database is refused rather than
/// written into.
///
/// Owned by the node (one per data directory, one process at a time:
/// RocksDB locks the directory). Thread-safe: any thread may call any
/// method. `scan` iterates over a RocksDB snapshot; `write` applies a
/// RocksDB WriteBatch, fsyncing the WAL for `durability::sync`. RocksDB
/// headers stay in rocksdb_kv.cpp.
class rocksdb_kv final : public kv {
public:
  /// nullptr with `ec` and `error` (RocksDB's message) on failure.
  [[nodiscard]] static std::unique_ptr<rocksdb_kv>
  open(const std::string& path, std::error_code& ec, std::string& error);
  ~rocksdb_kv() override;
  rocksdb_kv(const rocksdb_kv&) = delete;
  rocksdb_kv& operator=(const rocksdb_kv&) = delete;

  [[nodiscard]] std::optional<std::string> get(family f, std::string_view key,
                                               std::error_code& ec) const override;
  [[nodiscard]] std::error_code write(const write_batch& batch,
                                      durability d = durability::sync) override;
  [[nodiscard]] std::error_code scan(family f, std::string_view prefix,
                                     const visit_fn& visit) const override;
  [[nodiscard]] std::error_code scan_range(family f, std::string_view begin,
                                           std::string_view end,
                                           const visit_fn& visit) const override;

  [[nodiscard]] const std::string& path() const noexcept;

private:
  struct impl;
  explicit rocksdb_kv(std::unique_ptr<impl> p) noexcept;
  std::unique_ptr<impl> impl_;
};

} // namespace ringdown::storage
