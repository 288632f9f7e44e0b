#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/tone_spec.hpp"

namespace ringdown::config {

/// Where a listener binds: `udp:127.0.0.1:5060`, `tcp:[::1]:5060`,
/// `tls:127.0.0.1:5061`.
struct listen_address {
  enum class protocol : std::uint8_t { udp, tcp, tls };
  protocol proto = protocol::udp;
  std::string host; ///< IPv4 or IPv6 literal (no brackets)
  std::uint16_t port = 0;

  /// Parses `proto:host:port` (IPv6 host in brackets); false when malformed,
  /// when the host is not an IP literal or when the port is not 1..65535.
  static bool parse(std::string_view text, listen_address& out);
  [[nodiscard]] std::string to_string() const;
  friend bool operator==(const listen_address&, const listen_address&) = default;
};

/// Bounds on SIP messages (`[limits]`). A message over any of them is
/// refused: 413 for size, 414 for the Request-URI, 400 otherwise.
struct sip_limits {
  std::size_t message_bytes_max = 65'535; ///< whole message incl. body
  std::size_t headers_max = 128;          ///< header fields (lines), not list elements
  std::size_t line_bytes_max = 8'192;     ///< one header line after unfolding
  std::size_t via_max = 32;               ///< Via values in one message
};

/// RFC 3261 §17 timer base values.
struct sip_timers {
  std::uint32_t t1_ms = 500;  ///< RTT estimate
  std::uint32_t t2_ms = 4000; ///< maximum retransmit interval
  std::uint32_t t4_ms = 5000; ///< maximum time a message stays in the network
};

/// Transport limits beyond the parser's.
struct transport_limits {
  std::uint32_t connections_max = 1024;  ///< open TCP/TLS connections
  std::uint32_t connection_idle_s = 300; ///< close after this long unused
  std::uint32_t tls_handshake_timeout_ms = 5000;
  /// UDP socket receive and send buffers (SO_RCVBUF/SO_SNDBUF), capped by
  /// the kernel at net.core.rmem_max / wmem_max.
  std::uint32_t udp_buffer_bytes = 4 * 1024 * 1024;
};

/// Registrar settings (RFC 3261 §10.3, RFC 7616/8760 digest).
struct registrar_settings {
  /// Digest challenges offered, preferred first (RFC 8760 §2.4):
  /// "SHA-256,MD5" by default. Some UAs use only the first challenge and
  /// know only MD5 (SIPp): list "MD5" first, or alone, for them.
  std::string digest_algorithms = "SHA-256,MD5";
  std::uint32_t min_expires_s = 60;       ///< shorter non-zero requests get 423
  std::uint32_t max_expires_s = 7200;     ///< longer requests are clamped
  std::uint32_t default_expires_s = 3600; ///< no expires given
};

/// The media plane (`[media]`): where calls' bridges take RTP. With no
/// address the engine relays SDP between the legs unchanged and runs no
/// bridge (phones then send media to each other).
struct media_settings {
  std::string address;              ///< IP literal the legs bind and SDP names
  std::uint32_t port_first = 20000; ///< even; RTP on even ports, RTCP on the next
  std::uint32_t port_last = 29999;
  std::uint32_t threads = 1;    ///< media threads
  std::uint32_t timeout_s = 30; ///< no RTP for this long ends the call
  /// What the bridge offers a leg it calls: "mirror" (SRTP when the other
  /// party uses it), "never" (plain RTP: SRTP phones bridged to RTP
  /// gateways), "always" (SRTP required).
  std::string srtp_offer = "mirror";
  /// Line seizure dialling: RFC 4733 digits end at `#`, at `digits_max`,
  /// `inter_digit_ms` after the last digit, or `first_digit_ms` after
  /// the seizure when none came (dial tone meanwhile).
  std::uint32_t digits_max = 20;
  std::uint32_t inter_digit_ms = 4000;
  std::uint32_t first_digit_ms = 15000;
  /// A dialled number that fails: busy or congestion tone for this long,
  /// then the call is hung up.
  std::uint32_t failure_tone_s = 30;
  /// A call to a URI whose user part starts with this (`conf-huddle`) joins
  /// the conference room named by the rest; "" turns conferences off.
  std::string conference_prefix = "conf-";
  /// `[media.tones]`: the tone plan's overrides and additions, parsed
  /// (`rtp::parse_tone`, each named by its key), in name order; at most
  /// media_tones_max. Empty: the built-in plan (`rtp::default_tone`).
  std::vector<rtp::tone_spec> tones;
};

inline constexpr std::size_t media_tones_max = 32;
inline constexpr std::size_t media_tone_text_bytes_max = 1024;

/// Cluster membership (`[cluster]`, SWIM over UDP on cluster.listen).
/// Every packet carries an HMAC-SHA256 tag under `key`; a node with seeds
/// must have a key, a node without seeds and key runs alone with an empty
/// key.
struct cluster_settings {
  /// Cluster addresses ("host:port", comma-separated, at most
  /// cluster_seeds_max) to join through; empty: the first node. Our own
  /// address among them is skipped.
  std::string seeds;
  /// The cluster key as hex: 32..128 digits (16..64 bytes); empty: none.
  std::string key;
  std::uint32_t probe_interval_ms = 1000; ///< one probe per interval
  std::uint32_t probe_timeout_ms = 500;   ///< direct ack wait, < probe_interval_ms
  /// Suspicion timeout bounds, in probe intervals (scaled by log10 of the
  /// member count): min with every confirmation (0: dead once confirmed),
  /// max with none.
  std::uint32_t suspicion_min_mult = 4;
  std::uint32_t suspicion_max_mult = 24;
  /// Mutual TLS between node managers (the directory's CAF connections):
  /// this node's certificate and key and the CA file every node's
  /// certificate is checked against (PEM). All three or none; none: TCP.
  std::string tls_certificate;
  std::string tls_private_key;
  std::string tls_ca_file;
};

inline constexpr std::size_t cluster_seeds_max = 16;

/// The seeds of `text` ("a:1, b:2"), trimmed, empty items skipped.
std::vector<std::string> split_seeds(std::string_view text);
/// The bytes of a hex key; false when `hex` is not an even number of hex
/// digits.
bool decode_hex_key(std::string_view hex, std::vector<std::uint8_t>& out);

/// Typed node configuration, loaded from TOML by `load_file` and adjusted by
/// command-line overrides. Read-only after start-up; shared by every module.
/// Relative paths in a file are resolved against the file's directory.
struct node_config {
  std::string node_id = "node-1";
  std::string zone = "default";
  std::vector<listen_address> sip_listen{
      {listen_address::protocol::udp, "127.0.0.1", 5060},
      {listen_address::protocol::tcp, "127.0.0.1", 5060}};
  std::string cluster_listen = "127.0.0.1:7946"; ///< host:port, SWIM's UDP socket
  std::string admin_listen = "127.0.0.1:8080";   ///< host:port, HTTP admin plane
  std::string data_dir = "./ringdown-data";
  std::string tls_certificate; ///< PEM file; required when a tls listener exists
  std::string tls_private_key; ///< PEM file; required when a tls listener exists
  sip_timers timers;
  /// Live SIP transactions at most; a new request over it gets 503.
  std::uint32_t transactions_max = 100'000;
  sip_limits limits;
  transport_limits transport;
  registrar_settings registrar;
  media_settings media;
  cluster_settings cluster;
  std::string log_level = "info";
  std::string log_file; ///< empty: stderr only
  /// Provisioning TOML (config/provisioning.hpp) loaded into the store at
  /// start-up; empty: serve what the store already holds.
  std::string provisioning_file;
};

} // namespace ringdown::config
