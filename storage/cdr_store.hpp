#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "storage/cdr.hpp"
#include "storage/kv.hpp"

namespace ringdown::storage {

/// Call detail records in family `cdrs`, keyed by id (8 bytes big-endian,
/// so key order is id order). Ids come from a counter in family `meta`
/// (key `cdr_store::last_id_key`) written in the same synced batch as the
/// record: ids strictly increase, survive restarts and are never reused,
/// even after a crash (an id whose write failed is skipped, not reused).
///
/// Borrows the kv (which must outlive it); one cdr_store per kv, since the
/// counter is cached. Thread-safe: `append` allocates under a mutex (and
/// so writes one synced record at a time); reads go straight to the kv.
class cdr_store {
public:
  static constexpr std::string_view last_id_key = "cdr.last_id";
  /// Most records one `scan` visits.
  static constexpr std::size_t scan_limit_max = 100'000;

  explicit cdr_store(kv& db) noexcept : db_(db) {}

  /// Stores `record` under the next id (ignoring `record.id`) and returns
  /// that id; 0 with `ec` set on failure.
  [[nodiscard]] std::uint64_t append(cdr record, std::error_code& ec);
  /// Stores `records` under consecutive new ids in one synced write (group
  /// commit), setting each record's id; returns the last id, or 0 with
  /// `ec` set (then no record is stored and the ids are burnt).
  [[nodiscard]] std::uint64_t append_batch(std::vector<cdr>& records, std::error_code& ec);
  /// The record, std::nullopt when absent; `ec` set on an I/O error or a
  /// corrupt record (errc::parse_error).
  [[nodiscard]] std::optional<cdr> get(std::uint64_t id, std::error_code& ec) const;
  /// Visits up to `limit` (capped at scan_limit_max) records with id >=
  /// `from_id` in id order, until `visit` returns false. Stops with
  /// errc::parse_error at a corrupt record.
  [[nodiscard]] std::error_code scan(std::uint64_t from_id, std::size_t limit,
                                     const std::function<bool(const cdr&)>& visit) const;
  /// The last id stored (0 before the first append).
  [[nodiscard]] std::uint64_t last_id(std::error_code& ec) const;
  /// Removes every record with id < `id` (retention); the counter stays.
  [[nodiscard]] std::error_code erase_before(std::uint64_t id);

  /// The family-`cdrs` key of `id`.
  [[nodiscard]] static std::string key(std::uint64_t id);

private:
  [[nodiscard]] std::uint64_t load_last_id(std::error_code& ec) const;

  kv& db_;
  std::mutex mutex_;          ///< guards allocation
  std::uint64_t last_id_ = 0; ///< valid when loaded_
  bool loaded_ = false;
};

} // namespace ringdown::storage
