#include "config/schema.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

#include "base/logging.hpp"

namespace ringdown::config {

namespace {

using kind = key_spec::kind;

constexpr std::int64_t path_bytes_max = 4096;

std::string quoted(std::string_view value) {
  std::string out{"\""};
  for (char ch : value.substr(0, 80)) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte < 0x20 || byte == 0x7f)
      out += '?';
    else
      out += ch;
  }
  if (value.size() > 80)
    out += "...";
  out += '"';
  return out;
}

std::string check_name(std::string_view value) {
  const auto ok_char = [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-';
  };
  if (!std::all_of(value.begin(), value.end(), ok_char) ||
      (!value.empty() && !std::isalnum(static_cast<unsigned char>(value.front()))))
    return quoted(value) + " is not a name (letters, digits, '.', '_', '-'; "
                           "starting with a letter or digit)";
  return {};
}

std::string check_host_port(std::string_view value) {
  listen_address parsed;
  if (!listen_address::parse("tcp:" + std::string{value}, parsed))
    return quoted(value) + " is not host:port (IP literal host, IPv6 in brackets, "
                           "port 1..65535)";
  return {};
}

std::string check_user_prefix(std::string_view value) {
  for (const char c : value)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
      return "may hold letters, digits, '-', '_' and '.' only (the start of a SIP user "
             "part)";
  return {};
}

std::string check_ip(std::string_view value) {
  listen_address parsed;
  if (!value.empty() &&
      !listen_address::parse("udp:" + std::string{value} + ":1", parsed) &&
      !listen_address::parse("udp:[" + std::string{value} + "]:1", parsed))
    return quoted(value) + " is not an IP address";
  return {};
}

std::string check_srtp_offer(std::string_view value) {
  if (value != "mirror" && value != "never" && value != "always")
    return quoted(value) + " is not an SRTP offer policy (mirror, never, always)";
  return {};
}

std::string check_seeds(std::string_view value) {
  const auto seeds = split_seeds(value);
  if (seeds.size() > cluster_seeds_max)
    return std::to_string(seeds.size()) + " seeds, allowed at most " +
           std::to_string(cluster_seeds_max);
  for (const auto& seed : seeds)
    if (auto what = check_host_port(seed); !what.empty())
      return what;
  return {};
}

std::string check_key(std::string_view value) {
  std::vector<std::uint8_t> bytes;
  if (!decode_hex_key(value, bytes))
    return "the key is not hex (an even number of digits 0-9 a-f)";
  if (!value.empty() && bytes.size() < 16)
    return "the key has " + std::to_string(bytes.size()) + " bytes, at least 16 needed";
  return {};
}

std::string check_log_level(std::string_view value) {
  if (!log::is_level_name(value))
    return quoted(value) + " is not a log level (trace, debug, info, warn, error, "
                           "critical, off)";
  return {};
}

std::string check_digest_algorithms(std::string_view value) {
  std::size_t start = 0;
  while (start <= value.size()) {
    auto end = value.find(',', start);
    if (end == std::string_view::npos)
      end = value.size();
    const auto item = value.substr(start, end - start);
    if (item != "SHA-256" && item != "MD5")
      return quoted(item) + " is not a digest algorithm (SHA-256, MD5)";
    start = end + 1;
  }
  return {};
}

std::string check_path(std::string_view value) {
  for (char ch : value)
    if (static_cast<unsigned char>(ch) < 0x20)
      return quoted(value) + " has a control character";
  return {};
}

// One line per key keeps the table readable.
#define RINGDOWN_INT_KEY(path, lo, hi, field)                                              \
  key_spec {                                                                               \
    path, kind::integer, lo, hi, nullptr, false,                                           \
        [](const node_config& c) -> std::int64_t { return c.field; },                      \
        [](node_config& c, std::int64_t v) {                                               \
          c.field = static_cast<decltype(c.field)>(v);                                     \
        },                                                                                 \
        nullptr, nullptr                                                                   \
  }
#define RINGDOWN_STR_KEY(path, lo, hi, check, is_path, field)                              \
  key_spec {                                                                               \
    path, kind::string, lo, hi, check, is_path, nullptr, nullptr,                          \
        [](const node_config& c) { return c.field; },                                      \
        [](node_config& c, std::string v) { c.field = std::move(v); }                      \
  }

constexpr std::array keys{
    RINGDOWN_STR_KEY("node.id", 1, 64, check_name, false, node_id),
    RINGDOWN_STR_KEY("node.zone", 1, 64, check_name, false, zone),
    RINGDOWN_STR_KEY("node.data_dir", 1, path_bytes_max, check_path, true, data_dir),
    key_spec{"sip.listen", kind::listen_list, 1, 32, check_listen_item},
    RINGDOWN_INT_KEY("sip.transactions_max", 1, 1'000'000, transactions_max),
    RINGDOWN_INT_KEY("sip.timers.t1_ms", 1, 10'000, timers.t1_ms),
    RINGDOWN_INT_KEY("sip.timers.t2_ms", 1, 60'000, timers.t2_ms),
    RINGDOWN_INT_KEY("sip.timers.t4_ms", 1, 60'000, timers.t4_ms),
    RINGDOWN_STR_KEY("sip.tls.certificate", 0, path_bytes_max, check_path, true,
                     tls_certificate),
    RINGDOWN_STR_KEY("sip.tls.private_key", 0, path_bytes_max, check_path, true,
                     tls_private_key),
    RINGDOWN_INT_KEY("limits.message_bytes_max", 1024, 1'048'576, limits.message_bytes_max),
    RINGDOWN_INT_KEY("limits.headers_max", 8, 1024, limits.headers_max),
    RINGDOWN_INT_KEY("limits.line_bytes_max", 256, 65'536, limits.line_bytes_max),
    RINGDOWN_INT_KEY("limits.via_max", 1, 256, limits.via_max),
    RINGDOWN_INT_KEY("transport.connections_max", 1, 100'000, transport.connections_max),
    RINGDOWN_INT_KEY("transport.connection_idle_s", 1, 86'400, transport.connection_idle_s),
    RINGDOWN_INT_KEY("transport.tls_handshake_timeout_ms", 100, 60'000,
                     transport.tls_handshake_timeout_ms),
    RINGDOWN_INT_KEY("transport.udp_buffer_bytes", 65'536, 268'435'456,
                     transport.udp_buffer_bytes),
    RINGDOWN_STR_KEY("media.address", 0, 64, check_ip, false, media.address),
    RINGDOWN_INT_KEY("media.port_first", 1024, 65'534, media.port_first),
    RINGDOWN_INT_KEY("media.port_last", 1025, 65'535, media.port_last),
    RINGDOWN_INT_KEY("media.threads", 1, 64, media.threads),
    RINGDOWN_INT_KEY("media.timeout_s", 1, 86'400, media.timeout_s),
    RINGDOWN_STR_KEY("media.srtp_offer", 1, 16, check_srtp_offer, false, media.srtp_offer),
    RINGDOWN_INT_KEY("media.digits_max", 1, 32, media.digits_max),
    RINGDOWN_INT_KEY("media.inter_digit_ms", 500, 60'000, media.inter_digit_ms),
    RINGDOWN_INT_KEY("media.first_digit_ms", 500, 120'000, media.first_digit_ms),
    RINGDOWN_INT_KEY("media.failure_tone_s", 1, 300, media.failure_tone_s),
    RINGDOWN_STR_KEY("media.conference_prefix", 0, 32, check_user_prefix, false,
                     media.conference_prefix),
    key_spec{"media.tones", kind::tone_table, 0, media_tones_max},
    RINGDOWN_STR_KEY("cluster.listen", 1, 64, check_host_port, false, cluster_listen),
    RINGDOWN_STR_KEY("cluster.seeds", 0, 1024, check_seeds, false, cluster.seeds),
    RINGDOWN_STR_KEY("cluster.key", 0, 128, check_key, false, cluster.key),
    RINGDOWN_INT_KEY("cluster.probe_interval_ms", 10, 60'000, cluster.probe_interval_ms),
    RINGDOWN_INT_KEY("cluster.probe_timeout_ms", 5, 60'000, cluster.probe_timeout_ms),
    RINGDOWN_INT_KEY("cluster.suspicion_min_mult", 0, 100, cluster.suspicion_min_mult),
    RINGDOWN_INT_KEY("cluster.suspicion_max_mult", 1, 1000, cluster.suspicion_max_mult),
    RINGDOWN_STR_KEY("cluster.tls.certificate", 0, path_bytes_max, check_path, true,
                     cluster.tls_certificate),
    RINGDOWN_STR_KEY("cluster.tls.private_key", 0, path_bytes_max, check_path, true,
                     cluster.tls_private_key),
    RINGDOWN_STR_KEY("cluster.tls.ca_file", 0, path_bytes_max, check_path, true,
                     cluster.tls_ca_file),
    RINGDOWN_STR_KEY("admin.listen", 1, 64, check_host_port, false, admin_listen),
    RINGDOWN_STR_KEY("log.level", 1, 16, check_log_level, false, log_level),
    RINGDOWN_STR_KEY("log.file", 0, path_bytes_max, check_path, true, log_file),
    RINGDOWN_STR_KEY("registrar.digest_algorithms", 1, 32, check_digest_algorithms, false,
                     registrar.digest_algorithms),
    RINGDOWN_INT_KEY("registrar.min_expires_s", 1, 86'400, registrar.min_expires_s),
    RINGDOWN_INT_KEY("registrar.max_expires_s", 1, 604'800, registrar.max_expires_s),
    RINGDOWN_INT_KEY("registrar.default_expires_s", 1, 604'800,
                     registrar.default_expires_s),
    RINGDOWN_STR_KEY("provisioning.file", 0, path_bytes_max, check_path, true,
                     provisioning_file),
};

#undef RINGDOWN_INT_KEY
#undef RINGDOWN_STR_KEY

constexpr std::array<std::string_view, 13> table_names = {
    "node",         "sip",       "sip.timers",  "sip.tls", "limits",
    "transport",    "cluster",   "cluster.tls", "admin",   "log",
    "provisioning", "registrar", "media"};

std::string_view parent_of(std::string_view path) {
  const auto dot = path.rfind('.');
  return dot == std::string_view::npos ? std::string_view{} : path.substr(0, dot);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] =
          std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

} // namespace

std::span<const key_spec> schema() {
  return keys;
}

const key_spec* find_key(std::string_view path) {
  for (const auto& spec : schema())
    if (spec.path == path)
      return &spec;
  return nullptr;
}

bool is_table(std::string_view path) {
  return std::find(table_names.begin(), table_names.end(), path) != table_names.end();
}

std::string suggest(std::string_view path) {
  const auto parent = parent_of(path);
  std::string_view best;
  std::size_t best_distance = 3;
  const auto consider = [&](std::string_view candidate) {
    if (parent_of(candidate) != parent)
      return;
    const auto distance = edit_distance(path, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  };
  for (const auto& spec : schema())
    consider(spec.path);
  for (auto name : table_names)
    consider(name);
  return std::string{best};
}

std::string check_integer(const key_spec& spec, std::int64_t value) {
  if (value < spec.min || value > spec.max)
    return std::to_string(value) + " is out of range (" + std::to_string(spec.min) + ".." +
           std::to_string(spec.max) + ")";
  return {};
}

std::string check_string(const key_spec& spec, std::string_view value) {
  const auto size = static_cast<std::int64_t>(value.size());
  if (size < spec.min || size > spec.max) {
    if (spec.min > 0 && value.empty())
      return "must not be empty";
    return quoted(value) + " has " + std::to_string(size) + " bytes, allowed " +
           std::to_string(spec.min) + ".." + std::to_string(spec.max);
  }
  return spec.check != nullptr ? spec.check(value) : std::string{};
}

std::vector<std::string> split_seeds(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(',', start);
    if (end == std::string_view::npos)
      end = text.size();
    auto item = text.substr(start, end - start);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t'))
      item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t'))
      item.remove_suffix(1);
    if (!item.empty())
      out.emplace_back(item);
    start = end + 1;
  }
  return out;
}

bool decode_hex_key(std::string_view hex, std::vector<std::uint8_t>& out) {
  const auto digit = [](char ch) -> int {
    if (ch >= '0' && ch <= '9')
      return ch - '0';
    if (ch >= 'a' && ch <= 'f')
      return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
      return ch - 'A' + 10;
    return -1;
  };
  out.clear();
  if (hex.size() % 2 != 0)
    return false;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = digit(hex[i]);
    const int lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0)
      return false;
    out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
  }
  return true;
}

std::string check_listen_item(std::string_view value) {
  listen_address parsed;
  if (!listen_address::parse(value, parsed))
    return quoted(value) + " is not proto:host:port (proto udp, tcp or tls; IP literal "
                           "host, IPv6 in brackets; port 1..65535)";
  return {};
}

std::string check_tone_item(std::string_view name, std::string_view text,
                            rtp::tone_spec& out) {
  if (!rtp::valid_tone_name(name))
    return quoted(name) + " is not a tone name (a-z first, then a-z, 0-9, '_'; at most " +
           std::to_string(rtp::tone_name_bytes_max) + " bytes)";
  if (text.size() > media_tone_text_bytes_max)
    return std::to_string(text.size()) + " bytes, allowed at most " +
           std::to_string(media_tone_text_bytes_max);
  std::string error;
  auto spec = rtp::parse_tone(name, text, &error);
  if (!spec)
    return error;
  out = std::move(*spec);
  return {};
}

void check_tones(const std::vector<rtp::tone_spec>& tones,
                 const std::function<void(std::string key, std::string what)>& add) {
  if (tones.size() > media_tones_max)
    add("media.tones", std::to_string(tones.size()) + " tones, allowed at most " +
                           std::to_string(media_tones_max));
  for (std::size_t i = 0; i < tones.size(); ++i) {
    const auto& tone = tones[i];
    const auto key = "media.tones." + tone.name;
    if (!rtp::valid_tone_name(tone.name))
      add("media.tones", quoted(tone.name) + " is not a tone name");
    else if (!rtp::valid(tone))
      add(key, "is not playable (at most " + std::to_string(rtp::tone_segments_max) +
                   " segments, frequencies up to " + std::to_string(rtp::tone_freq_max_hz) +
                   " Hz, levels -60..0 dBm0)");
    for (std::size_t j = 0; j < i; ++j)
      if (tones[j].name == tone.name) {
        add(key, "is set twice");
        break;
      }
  }
}

} // namespace ringdown::config
