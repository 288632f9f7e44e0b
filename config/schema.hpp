#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace ringdown::config {

/// One key of the TOML layout: its dotted path, its type, its range and how
/// it maps onto `node_config`. The table behind `schema()` is the single
/// source of truth for the loader, `validate` and the command line.
/// Immutable; usable from any thread.
struct key_spec {
  /// tone_table: a table of tone name = tone text (`media.tones`).
  enum class kind : std::uint8_t { integer, string, listen_list, tone_table };
  std::string_view path; ///< `sip.timers.t1_ms`
  kind type = kind::integer;
  std::int64_t min =
      0; ///< integer: smallest value; string: fewest bytes; list: fewest items
  /// integer: largest value; string: most bytes; list, table: most items
  std::int64_t max = 0;
  /// Checks a string value (or one list item) beyond its length: "" when
  /// fine, else what is wrong (`is not a log level ...`).
  std::string (*check)(std::string_view value) = nullptr;
  /// Resolved against the file's directory when relative (data_dir, PEM files).
  bool is_path = false;
  std::int64_t (*get_int)(const node_config&) = nullptr;
  void (*set_int)(node_config&, std::int64_t) = nullptr;
  std::string (*get_str)(const node_config&) = nullptr;
  void (*set_str)(node_config&, std::string) = nullptr;
};

/// Every key, in the order of the sample file.
std::span<const key_spec> schema();

/// The spec of `path`, or nullptr when there is no such key.
const key_spec* find_key(std::string_view path);

/// True for the tables of the layout: `node`, `sip`, `sip.timers`, ...
bool is_table(std::string_view path);

/// The closest known key or table to an unknown `path` (same parent,
/// edit distance <= 2), or "" when nothing is close.
std::string suggest(std::string_view path);

/// Checks one value against `spec` (range, length, `check`); "" when fine,
/// else the problem text, e.g. `0 is out of range (1..10000)`.
std::string check_integer(const key_spec& spec, std::int64_t value);
std::string check_string(const key_spec& spec, std::string_view value);
/// Checks one `proto:host:port` item of a listen list.
std::string check_listen_item(std::string_view value);
/// Checks one `media.tones` entry and parses it into `out`: "" when fine,
/// else the problem (a bad name, a too long text, or `rtp::parse_tone`'s).
std::string check_tone_item(std::string_view name, std::string_view text,
                            rtp::tone_spec& out);
/// Checks parsed `media.tones` entries (names, count, playability); each
/// problem is added as {key, what}, the key `media.tones[.<name>]`.
void check_tones(const std::vector<rtp::tone_spec>& tones,
                 const std::function<void(std::string key, std::string what)>& add);

} // namespace ringdown::config
