#pragma once

#include <array>
#include <map>
#include <shared_mutex>
#include <string>
#include <vector>

#include "storage/kv.hpp"

namespace ringdown::storage {

/// The in-memory `kv`: one ordered map per family behind a shared mutex.
/// Used by unit tests and the simulator; passes the same conformance tests
/// as `rocksdb_kv`. Owned by whoever made it (`make_memory_kv`); any thread
/// may call any method. Nothing here survives the process; `durability`
/// only matters to `lose_unsynced`, which plays a machine crash for the
/// simulator.
///
/// `scan` copies the matching range under a shared lock and visits the copy
/// with no lock held, so `visit` may call `get`, `write` or `scan` on the
/// same store and sees a consistent snapshot.
class memory_kv final : public kv {
public:
  memory_kv() = default;

  [[nodiscard]] std::optional<std::string> get(family f, std::string_view key,
                                               std::error_code& ec) const override;
  [[nodiscard]] std::error_code write(const write_batch& batch,
                                      durability d = durability::sync) override;
  [[nodiscard]] std::error_code scan(family f, std::string_view prefix,
                                     const visit_fn& visit) const override;
  [[nodiscard]] std::error_code scan_range(family f, std::string_view begin,
                                           std::string_view end,
                                           const visit_fn& visit) const override;

  /// Number of keys in `f` (tests and the simulator's invariants).
  [[nodiscard]] std::size_t size(family f) const;

  /// Undoes every `durability::buffered` write since the last
  /// `durability::sync` one (a synced write makes all before it durable,
  /// as a WAL fsync does): what a machine crash may lose.
  void lose_unsynced();

private:
  using table = std::map<std::string, std::string, std::less<>>;
  /// A key's value before a buffered write touched it.
  struct undo {
    family fam;
    std::string key;
    std::optional<std::string> previous;
  };

  mutable std::shared_mutex mutex_;
  std::array<table, family_count> tables_;
  std::vector<undo> unsynced_; ///< oldest first; cleared by a sync write
};

} // namespace ringdown::storage
