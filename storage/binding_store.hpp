#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "storage/kv.hpp"

namespace ringdown::storage {

/// One registered contact of an address of record (RFC 3261 §10.3). Plain
/// data kept by the registrar and persisted by `binding_store`. Expiry is
/// wall-clock time so a binding survives a restart.
struct binding {
  std::string contact;            ///< Contact URI as sent (without <>)
  std::uint32_t q_milli = 1000;   ///< q-value x 1000 (0..1000); 1000 when absent
  bool has_q = false;             ///< q was given by the UA
  std::int64_t expires_at_ms = 0; ///< wall ms since the epoch
  std::string call_id;
  std::uint32_t cseq = 0;
  std::string instance;     ///< +sip.instance (RFC 5626 §4.1), quotes removed
  std::uint32_t reg_id = 0; ///< reg-id (RFC 5626), 0 when absent
  std::string source;       ///< where the REGISTER came from: "udp:1.2.3.4:5060"
  friend bool operator==(const binding&, const binding&) = default;
};

/// The bindings of one AOR (the registrar's unit of persistence).
struct aor_bindings {
  std::string aor; ///< canonical AOR (config::canonical_uri)
  std::vector<binding> bindings;
  friend bool operator==(const aor_bindings&, const aor_bindings&) = default;
};

/// Registrar bindings in family `bindings`: key = canonical AOR, value =
/// version byte (1), then the binding list (codec.hpp). Each put is one
/// synced write: a 200 OK to REGISTER is sent only after it is durable.
///
/// Borrows the kv (which must outlive it). Thread-safe as the kv is; holds
/// no state of its own.
class binding_store {
public:
  static constexpr std::uint8_t format_version = 1;
  static constexpr std::size_t bindings_per_aor_max = 64;

  explicit binding_store(kv& db) noexcept : db_(db) {}

  /// Replaces the bindings of `aor`; an empty list erases the record.
  [[nodiscard]] std::error_code put(std::string_view aor, const std::vector<binding>& list);
  [[nodiscard]] std::error_code erase(std::string_view aor);

  /// The stored bindings of `aor` (canonical), empty when none; `ec` set on
  /// an I/O error or a corrupt record (errc::parse_error). Any zone may
  /// read them; only the AOR's zone registrar writes them.
  [[nodiscard]] std::vector<binding> get(std::string_view aor, std::error_code& ec) const;
  /// Every stored AOR in key order. A corrupt record (bad version, short,
  /// trailing bytes, too many bindings) is skipped and counted in
  /// `corrupt`; `ec` is set only on an I/O error.
  [[nodiscard]] std::vector<aor_bindings> load_all(std::error_code& ec,
                                                   std::size_t& corrupt) const;

  /// Record codec (exposed for tests).
  [[nodiscard]] static std::string encode(const std::vector<binding>& list);
  [[nodiscard]] static bool decode(std::string_view bytes, std::vector<binding>& out);

private:
  kv& db_;
};

} // namespace ringdown::storage
