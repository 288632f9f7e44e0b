#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "config/provisioning.hpp"
#include "storage/kv.hpp"

namespace ringdown::storage {

/// The provisioned world (zones, resources, shared lines, trunks) kept in
/// family `provisioning` (records: provisioning_records.hpp) and served
/// from an in-memory index built from it.
///
/// `apply` replaces the whole set in one synced write batch (erase of every
/// provisioning prefix, then the puts), so a reader of the kv never sees
/// half of two provisionings and a failed or refused apply leaves the
/// previous one in place. The index is rebuilt by `open` (from the kv) and
/// by `apply`, and swapped in whole: a lookup sees the old set or the new
/// one, never a mix.
///
/// URI lookups compare like RFC 3261 §19.1.4 in part (config::canonical_uri):
/// scheme and host case-insensitively, user and port exactly, URI
/// parameters and headers ignored.
///
/// Borrows the kv (which must outlive it); one provisioning_store per kv.
/// Thread-safe: lookups from any thread (they copy a pointer under a
/// mutex and never touch the kv); `open` and `apply` are serialised.
class provisioning_store {
public:
  explicit provisioning_store(kv& db);
  ~provisioning_store();
  provisioning_store(const provisioning_store&) = delete;
  provisioning_store& operator=(const provisioning_store&) = delete;

  /// Builds the index from what the kv holds (an empty provisioning when
  /// nothing was ever applied). errc::parse_error for a corrupt or
  /// incomplete set, which leaves the index as it was (empty at first). Call once before
  /// the lookups; they answer from an empty provisioning until then.
  [[nodiscard]] std::error_code open();
  /// Validates `p` (config::validate_provisioning) and replaces the stored
  /// set with it. errc::invalid_argument when it has a problem (logged,
  /// nothing written); a kv error as returned by `kv::write`. On any error
  /// the store and the index keep the previous provisioning.
  [[nodiscard]] std::error_code apply(const config::provisioning& p);
  /// `apply(loaded.data)` when the file loaded without a problem, else
  /// errc::invalid_argument and nothing written (a failed load's `data`
  /// is an empty provisioning, which must not replace the stored one).
  [[nodiscard]] std::error_code apply(const config::provisioning_result& loaded);
  /// The whole provisioning read back from the kv (equal to what was last
  /// applied); std::nullopt with `ec` set on an I/O error or a corrupt set.
  [[nodiscard]] std::optional<config::provisioning> load(std::error_code& ec) const;

  /// The indexed provisioning, whole (shared, immutable; stays valid after
  /// a later apply).
  [[nodiscard]] std::shared_ptr<const config::provisioning> snapshot() const;
  /// Counts index rebuilds (open and apply): a cheap change marker.
  [[nodiscard]] std::uint64_t generation() const;

  [[nodiscard]] std::string realm() const;
  [[nodiscard]] std::vector<config::zone_def> zones() const;
  [[nodiscard]] std::optional<config::zone_def> zone(std::string_view name) const;
  /// By name (the digest username), exactly.
  [[nodiscard]] std::optional<config::resource_def> resource(std::string_view name) const;
  /// By address of record, compared as described above.
  [[nodiscard]] std::optional<config::resource_def>
  resource_by_aor(std::string_view aor) const;
  [[nodiscard]] std::optional<config::line_def> line(std::string_view uri) const;
  /// The resources that list the line `uri`, in provisioning order.
  [[nodiscard]] std::vector<config::resource_def> holders(std::string_view uri) const;
  [[nodiscard]] std::optional<config::trunk_def> trunk(std::string_view name) const;
  /// The trunk for a dialled number: the longest prefix of `number` among
  /// all trunks' prefixes (compared as written, `+` included); between
  /// trunks with the same prefix, the one whose name sorts first.
  [[nodiscard]] std::optional<config::trunk_def> trunk_for(std::string_view number) const;

  struct index;

private:
  [[nodiscard]] std::shared_ptr<const index> current() const;
  void install(std::shared_ptr<const index> next);

  kv& db_;
  std::mutex apply_mutex_;   ///< serialises open and apply
  mutable std::mutex mutex_; ///< guards index_ and generation_
  std::shared_ptr<const index> index_;
  std::uint64_t generation_ = 0;
};

} // namespace ringdown::storage
