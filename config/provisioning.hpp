#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/loader.hpp"

namespace ringdown::config {

/// The provisioned world of one deployment: what an administrator declares
/// in the provisioning file (config/examples/provisioning.toml) and what
/// `storage::provisioning_store` keeps. Plain data; names are the keys the
/// other records refer to.

/// A site. Every resource, line and trunk belongs to one zone.
struct zone_def {
  std::string name; ///< [a-z0-9-]{1,32}, unique
  std::string description;
  friend bool operator==(const zone_def&, const zone_def&) = default;
};

enum class resource_kind : std::uint8_t { turret, phone, softphone, gateway };

/// A user or device: registers, is called, holds lines.
/// The conditions `resource_def::divert_on` accepts.
inline constexpr std::string_view divert_conditions[] = {"always", "busy", "no_answer",
                                                         "unavailable"};

struct resource_def {
  std::string name; ///< unique; also the digest username
  std::string aor;  ///< sip:/sips: URI, unique (the address of record)
  std::string zone; ///< Active Resource Zone: a zone_def name
  resource_kind kind = resource_kind::phone;
  std::string password;           ///< digest password (cleartext in the file)
  std::vector<std::string> lines; ///< line URIs this resource holds
  std::uint32_t contacts_max = 8; ///< registered contacts at most, 1..64
  std::string display_name;
  /// Call diversion (call forwarding): calls to this resource go to the
  /// resource whose AOR is `divert_to` (any zone) when a `divert_on`
  /// condition holds: "always", "busy", "no_answer", "unavailable" (no
  /// registered contact). Both empty: no diversion.
  std::string divert_to;
  std::vector<std::string> divert_on;
  /// With "no_answer": ring this long before diverting, 1..600 s; 0 (the
  /// default) waits for the call's ring timer.
  std::uint32_t divert_after_s = 0;
  friend bool operator==(const resource_def&, const resource_def&) = default;
};

/// Who may retrieve a held call on a shared line.
enum class hold_policy : std::uint8_t {
  open,    ///< any appearance may pick the call up (state HELD)
  private_ ///< only the holder (state PRIVATE_HELD)
};

/// A shared line: one URI, rung on every resource that lists it.
struct line_def {
  std::string uri;               ///< sip: URI, unique
  std::string zone;              ///< zone whose actor owns the line
  std::uint32_t appearances = 2; ///< simultaneous calls on the line, 1..32
  bool private_line = false;     ///< no barge, reserved to its holders
  bool barge_allowed = true;     ///< must be false when private_line
  hold_policy hold = hold_policy::open;
  std::string display_name;
  friend bool operator==(const line_def&, const line_def&) = default;
};

enum class trunk_transport : std::uint8_t { udp, tcp, tls };

/// A carrier or PBX gateway: numbers matching a prefix are sent to it.
struct trunk_def {
  std::string name; ///< unique
  std::string zone;
  std::string gateway_host; ///< IP literal
  std::uint16_t gateway_port = 5060;
  trunk_transport transport = trunk_transport::udp;
  std::vector<std::string> prefixes; ///< digits, `+` allowed first; longest wins
  std::uint32_t calls_max = 30;      ///< concurrent calls, 1..100000 (admission)
  friend bool operator==(const trunk_def&, const trunk_def&) = default;
};

struct provisioning {
  std::string realm = "ringdown"; ///< digest realm (RFC 7616)
  std::vector<zone_def> zones;
  std::vector<resource_def> resources;
  std::vector<line_def> lines;
  std::vector<trunk_def> trunks;
  friend bool operator==(const provisioning&, const provisioning&) = default;
};

/// Bounds on one provisioning (each one a problem past it). They keep one
/// provisioning inside one storage write batch.
struct provisioning_limits {
  static constexpr std::size_t zones_max = 64;
  static constexpr std::size_t resources_max = 20'000;
  static constexpr std::size_t lines_max = 10'000;
  static constexpr std::size_t trunks_max = 1'000;
  static constexpr std::size_t lines_per_resource_max = 256;
  static constexpr std::size_t prefixes_per_trunk_max = 1'024;
  static constexpr std::size_t prefix_digits_max = 32;
  static constexpr std::size_t name_bytes_max = 64; ///< resource, trunk
  static constexpr std::size_t zone_name_bytes_max = 32;
  static constexpr std::size_t uri_bytes_max = 256;
  static constexpr std::size_t text_bytes_max = 256; ///< realm, descriptions
  static constexpr std::size_t password_bytes_max = 128;
  static constexpr std::size_t file_bytes_max = std::size_t{4} * 1024 * 1024;
};

struct provisioning_result {
  provisioning data;
  std::vector<problem> problems; ///< key path (`resource[2].zone`), line, what
  [[nodiscard]] bool ok() const noexcept { return problems.empty(); }
};

/// Parses and validates a provisioning file: unknown keys, wrong types,
/// out-of-range values, duplicate names or URIs, references to missing
/// zones or lines, a private line with barge allowed — each a problem naming
/// the key and line. Nothing is valid unless `problems` is empty (and then
/// `data` is the default, empty provisioning). Key paths are those of the
/// file layout, indices from 0: `resource[2].lines[0]`.
provisioning_result load_provisioning_text(std::string_view toml_text,
                                           std::string_view file = "<text>");
provisioning_result load_provisioning_file(const std::string& path);

/// Every check `load_provisioning_*` makes on values (ranges, names, URIs,
/// IP literals, prefixes, duplicates, references, private line rules), on
/// data built in code. Appends problems with key paths and line 0.
void validate_provisioning(const provisioning& p, std::vector<problem>& problems);

/// The comparison key of a SIP URI: `scheme:user@host[:port]` with scheme
/// and host lower-cased, user and port as written, URI parameters and
/// headers dropped (so `sip:Alice@EX.com;transport=tcp` and
/// `sip:Alice@ex.com` give the same key, `sip:alice@ex.com` another).
/// nullopt when `uri` is not `sip:` or `sips:` with a user and a host.
std::optional<std::string> canonical_uri(std::string_view uri);

/// What is wrong with `uri` as a provisioned URI ("" when fine): strictly
/// `sip:user@host[:port]` or `sips:`, user of unreserved characters or
/// %-escapes, host a DNS name or an IP literal (IPv6 in brackets), no
/// parameters or headers.
std::string check_provisioned_uri(std::string_view uri);

/// True for an IPv4 literal or an IPv6 literal without brackets.
bool is_ip_literal(std::string_view host);

std::string_view to_string(resource_kind kind) noexcept;
std::string_view to_string(hold_policy policy) noexcept;
std::string_view to_string(trunk_transport transport) noexcept;
/// The inverse of `to_string`; false for an unknown name.
bool parse_resource_kind(std::string_view text, resource_kind& out) noexcept;
bool parse_hold_policy(std::string_view text, hold_policy& out) noexcept;
bool parse_trunk_transport(std::string_view text, trunk_transport& out) noexcept;

} // namespace ringdown::config
