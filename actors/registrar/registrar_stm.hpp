#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/registrar/digest.hpp"
#include "actors/registrar/nonce_manager.hpp"
#include "base/clock.hpp"
#include "base/random.hpp"
#include "config/provisioning.hpp"
#include "net/sip/message.hpp"
#include "storage/binding_store.hpp"

namespace ringdown::registrar {

/// The provisioned resource of a canonical AOR (config::canonical_uri),
/// nullptr when none. Its name is the digest username, its password the
/// digest password. The pointer must stay valid during one `handle` call.
using resource_lookup = std::function<const config::resource_def*(std::string_view aor)>;

struct registrar_config {
  std::string realm = "ringdown";
  std::uint32_t default_expires_s = 3600; ///< no expires param nor Expires header
  std::uint32_t max_expires_s = 7200;     ///< longer requests are clamped to it
  std::uint32_t min_expires_s = 60;       ///< shorter (non-zero) get 423
  std::int64_t nonce_lifetime_ms = nonce_manager::default_lifetime_ms;
  std::size_t nonces_tracked_max = nonce_manager::default_tracked_max;
  std::size_t contacts_per_request_max = 32; ///< more: 400
  /// One WWW-Authenticate per algorithm, in this order (RFC 8760 §2.4:
  /// the preferred first). Never empty.
  std::vector<digest_algorithm> challenge_algorithms{digest_algorithm::sha256,
                                                     digest_algorithm::md5};
};

/// What `handle` decided (the response code says it too; this is for
/// metrics, logs and tests).
enum class register_outcome : std::uint8_t {
  ok,                 ///< 200, bindings changed or queried
  challenged,         ///< 401, no (usable) credentials or nonce not ours
  stale,              ///< 401 stale=true, right password on an expired nonce
  replay,             ///< 401, nonce-count not increasing
  forbidden,          ///< 403, wrong username/realm/password
  too_many_contacts,  ///< 403, more than contacts_max bindings
  not_found,          ///< 404, AOR not provisioned
  method_not_allowed, ///< 405, not a REGISTER
  bad_request,        ///< 400, malformed request
  interval_too_brief, ///< 423 with Min-Expires
  out_of_order,       ///< 500, CSeq not higher for the same Call-ID
};
[[nodiscard]] std::string_view to_string(register_outcome o) noexcept;

/// Result of one REGISTER: the response to send and, when the bindings of
/// the AOR change, the full new list to persist (empty list = erase).
struct registrar_result {
  sip::message response;
  register_outcome outcome = register_outcome::bad_request;
  std::optional<storage::aor_bindings> change;
};

/// Result of `expire`: the AORs whose lists changed (persist them) and
/// the next wall-clock instant a binding expires (arm a timer for it).
struct expire_result {
  std::vector<storage::aor_bindings> changes;
  std::optional<std::int64_t> next_expiry_ms;
};

/// The registrar of RFC 3261 §10.3 with digest authentication (RFC 7616,
/// RFC 8760), as a pure state machine: no I/O, time passed in.
///
/// `handle` decides and builds the response but does not change the
/// bindings: the shell persists `change` (binding_store::put, synced) and
/// then calls `commit(change)` and sends the response; if the write fails
/// it sends a 500 instead and does not commit. Owned by one registrar
/// actor; single thread. Bindings: AORs are canonical URIs.
///
/// Choices pinned by the tests: wrong password, username or realm not
/// those of the AOR's resource → 403 (not a re-challenge: a UA with a bad
/// password stops instead of looping); unknown AOR → 404 before any
/// challenge (this reveals which AORs exist); replayed nonce-count → 401
/// with a fresh nonce; too many contacts → 403 (retrying will not help).
class registrar_stm {
public:
  /// `gen` must outlive the stm (nonce secret, nonces, To tags).
  registrar_stm(registrar_config cfg, resource_lookup lookup, rng& gen);

  /// One REGISTER received from `source` ("udp:1.2.3.4:5060").
  [[nodiscard]] registrar_result handle(const sip::message& request,
                                        std::string_view source, time_point now,
                                        std::int64_t wall_ms);
  /// Applies a change returned by `handle` or `expire` once persisted.
  void commit(const storage::aor_bindings& change);

  /// Live bindings of `aor` (any form; canonicalised), q descending then
  /// most recently registered first.
  [[nodiscard]] std::vector<storage::binding> lookup(std::string_view aor,
                                                     std::int64_t wall_ms) const;
  /// Drops bindings expired at `wall_ms` (applied at once; persist the
  /// returned changes).
  [[nodiscard]] expire_result expire(std::int64_t wall_ms);
  /// Loads persisted bindings at start-up (replaces what is in memory;
  /// expired ones are dropped, returned AORs must be persisted).
  [[nodiscard]] expire_result restore(std::vector<storage::aor_bindings> records,
                                      std::int64_t wall_ms);
  [[nodiscard]] std::optional<std::int64_t> next_expiry_ms() const;
  [[nodiscard]] std::size_t aor_count() const noexcept { return bindings_.size(); }
  [[nodiscard]] const registrar_config& config() const noexcept { return cfg_; }

private:
  struct reply {
    int status = 500;
    register_outcome outcome = register_outcome::bad_request;
    bool stale = false;
  };
  /// Digest check (RFC 7616 §3.4); nullopt when authenticated.
  std::optional<reply> authenticate(const sip::message& req,
                                    const config::resource_def& res, time_point now);
  /// RFC 3261 §10.3 steps 6-8 on `list`; nullopt when accepted.
  std::optional<reply> update(const sip::message& req, std::string_view source,
                              std::int64_t wall_ms, std::uint32_t contacts_max,
                              std::vector<storage::binding>& list, bool& changed) const;
  sip::message respond(const sip::message& req, const reply& r, time_point now,
                       std::int64_t wall_ms, const std::vector<storage::binding>* list);

  registrar_config cfg_;
  resource_lookup lookup_;
  rng& rng_;
  nonce_manager nonces_;
  std::map<std::string, std::vector<storage::binding>, std::less<>> bindings_;
};

/// RFC 1123 date for the Date header ("Sun, 06 Nov 1994 08:49:37 GMT").
[[nodiscard]] std::string http_date(std::int64_t wall_ms);

} // namespace ringdown::registrar
