#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/sdp/limits.hpp"

namespace ringdown::sdp {

/// `o=` (RFC 8866 §5.2). Numbers are kept as their digits so that a parsed
/// body is written back byte for byte; `sess_version` is digits only.
struct origin {
  std::string username = "-";
  std::string sess_id = "0";
  std::string sess_version = "0";
  std::string nettype = "IN";
  std::string addrtype = "IP4";
  std::string address = "0.0.0.0";
  bool operator==(const origin&) const = default;
};

/// `c=` (RFC 8866 §5.7). Multicast suffixes are split off the address:
/// IP4 `addr/ttl[/count]`, IP6 `addr[/count]`; other address types keep
/// their address text whole.
struct connection {
  std::string nettype = "IN";
  std::string addrtype = "IP4";
  std::string address;
  std::optional<std::uint32_t> ttl;   ///< IP4 multicast only
  std::optional<std::uint32_t> count; ///< number of addresses
  bool operator==(const connection&) const = default;
};

/// `b=<type>:<value>` (RFC 8866 §5.8; TIAS RFC 3890). Unknown types are kept.
struct bandwidth {
  std::string type; ///< AS, CT, TIAS, RR, RS or other
  std::uint64_t value = 0;
  bool operator==(const bandwidth&) const = default;
};

/// `t=` with its `r=` lines (RFC 8866 §5.9, §5.10). Repeat fields are kept
/// as their typed-time tokens (`7d`, `3600`).
struct timing {
  std::uint64_t start = 0;
  std::uint64_t stop = 0;
  std::vector<std::vector<std::string>> repeats;
  bool operator==(const timing&) const = default;
};

/// `a=<name>` (property) or `a=<name>:<value>` (value attribute), RFC 8866
/// §5.13. Unknown attributes are kept in order and written back.
struct attribute {
  std::string name;
  std::optional<std::string> value;
  bool operator==(const attribute&) const = default;
};

/// One `m=` section (RFC 8866 §5.14) and the lines under it.
struct media {
  std::string type = "audio";
  std::uint16_t port = 0;
  std::optional<std::uint32_t> port_count; ///< the `/2` of `m=audio 49170/2 ...`
  std::string proto = "RTP/AVP";
  std::vector<std::string> formats;
  std::optional<std::string> information; ///< i=
  std::vector<connection> connections;    ///< c= (several only for multicast)
  std::vector<bandwidth> bandwidths;
  std::optional<std::string> key; ///< k=, obsolete: kept, never interpreted
  std::vector<attribute> attributes;
  bool operator==(const media&) const = default;
};

/// A whole session description (RFC 8866 §5). Plain value type: the SIP
/// layer parses a body into it, the offer/answer and hold helpers transform
/// copies, the media plane reads it. No thread affinity.
struct session {
  std::uint32_t version = 0; ///< v=, always 0
  struct origin origin;
  std::string name = "-"; ///< s=
  std::optional<std::string> information;
  std::optional<std::string> uri;
  std::vector<std::string> emails;
  std::vector<std::string> phones;
  std::optional<struct connection> connection;
  std::vector<bandwidth> bandwidths;
  std::vector<timing> timings;
  std::vector<std::string> zones; ///< z= tokens: adjustment time, offset, ...
  std::optional<std::string> key;
  std::vector<attribute> attributes;
  std::vector<struct media> media;
  bool operator==(const session&) const = default;
};

/// Parses `text` (CRLF or bare LF line ends; trailing blanks tolerated on
/// structured lines; blank lines skipped). Returns nullopt on any error and,
/// when `error` is set, a message naming the offending line.
std::optional<session> parse(std::string_view text, std::string* error = nullptr);
std::optional<session> parse(std::string_view text, const limits& lim,
                             std::string* error = nullptr);

/// Writes `s` with CRLF line ends in RFC 8866 line order. A body that was
/// parsed from well-formed CRLF text comes back byte for byte.
std::string serialize(const session& s);

// Attribute lookup shared by the typed helpers.

/// First attribute called `name` (case-sensitive, as RFC 8866 says), or null.
const attribute* find_attribute(const std::vector<attribute>& attrs,
                                std::string_view name) noexcept;
bool has_attribute(const std::vector<attribute>& attrs, std::string_view name) noexcept;
/// The connection that applies to `m`: its first c=, else the session's.
const connection* effective_connection(const session& s, const media& m) noexcept;

} // namespace ringdown::sdp
