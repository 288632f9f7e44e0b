#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace ringdown::storage {

/// The column families (one per kind of record). Fixed at open time; a
/// store opened with a family it does not know creates it.
enum class family : std::uint8_t {
  provisioning, ///< zones, resources, lines, trunks (provisioning_store)
  bindings,     ///< registrar bindings, one record per AOR (binding_store)
  cdrs,         ///< call detail records by id (cdr_store)
  meta,         ///< counters and markers (e.g. the next CDR id)
  replicas,     ///< passive replicas of actor state (cluster issue)
};
inline constexpr std::size_t family_count = 5;
[[nodiscard]] std::string_view to_string(family f) noexcept;

/// Limits `kv::write` enforces (errc::limit_exceeded past them).
inline constexpr std::size_t key_bytes_max = 64 * 1024;
inline constexpr std::size_t value_bytes_max = 16 * 1024 * 1024;
inline constexpr std::size_t batch_ops_max = 100'000;

/// The smallest key greater than every key that starts with `prefix`;
/// empty when there is none (`prefix` empty or all 0xff bytes).
[[nodiscard]] std::string prefix_end(std::string_view prefix);

/// One atomic group of writes, applied all or nothing by `kv::write`.
class write_batch {
public:
  void put(family f, std::string_view key, std::string_view value);
  void erase(family f, std::string_view key);
  /// Removes every key in [begin, end) of `f`.
  void erase_range(family f, std::string_view begin, std::string_view end);
  [[nodiscard]] bool empty() const noexcept { return ops_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return ops_.size(); }

  struct op {
    enum class kind : std::uint8_t { put, erase, erase_range } what;
    family fam;
    std::string key;
    std::string value; ///< put: the value; erase_range: the end key
  };
  [[nodiscard]] const std::vector<op>& ops() const noexcept { return ops_; }

  /// errc::limit_exceeded past the limits above, errc::invalid_argument
  /// for an unknown family or an erase_range whose end is before its begin.
  [[nodiscard]] std::error_code check() const noexcept;

private:
  std::vector<op> ops_;
};

/// Durability of one write: `sync` waits for the write-ahead log to reach
/// the disk (fsync) before returning; `buffered` may lose the last writes
/// on a machine crash (never on a process crash).
enum class durability : std::uint8_t { buffered, sync };

/// An ordered key-value store with column families. Implementations:
/// `rocksdb_kv` (production, rocksdb_kv.hpp) and `memory_kv` (tests and the
/// simulator, memory_kv.hpp); both pass the same conformance tests.
///
/// Keys compare bytewise. Thread-safe: any thread may call any method;
/// `scan` sees a consistent snapshot. Errors are returned, never thrown.
class kv {
public:
  using visit_fn = std::function<bool(std::string_view key, std::string_view value)>;

  virtual ~kv() = default;

  /// The value, std::nullopt when absent; `ec` set on an I/O error.
  [[nodiscard]] virtual std::optional<std::string> get(family f, std::string_view key,
                                                       std::error_code& ec) const = 0;
  /// Applies the batch atomically.
  [[nodiscard]] virtual std::error_code write(const write_batch& batch,
                                              durability d = durability::sync) = 0;
  /// Calls `visit(key, value)` for each key of `f` starting with `prefix`,
  /// in key order, until it returns false.
  [[nodiscard]] virtual std::error_code
  scan(family f, std::string_view prefix,
       const std::function<bool(std::string_view key, std::string_view value)>& visit)
      const = 0;
  /// Calls `visit(key, value)` for each key of `f` in [begin, end), in key
  /// order, until it returns false. An empty `end` means no upper bound.
  /// The default walks `scan(f, "")`; both implementations seek directly.
  [[nodiscard]] virtual std::error_code scan_range(family f, std::string_view begin,
                                                   std::string_view end,
                                                   const visit_fn& visit) const;

  // Conveniences over write().
  [[nodiscard]] std::error_code put(family f, std::string_view key, std::string_view value,
                                    durability d = durability::sync);
  [[nodiscard]] std::error_code erase(family f, std::string_view key,
                                      durability d = durability::sync);
};

/// Opens (creating when absent) a RocksDB store in directory `path`.
/// nullptr with `ec` and `error` (RocksDB's message) on failure.
[[nodiscard]] std::unique_ptr<kv> open_rocksdb(const std::string& path, std::error_code& ec,
                                               std::string& error);
/// A fresh in-memory store.
[[nodiscard]] std::unique_ptr<kv> make_memory_kv();

} // namespace ringdown::storage
