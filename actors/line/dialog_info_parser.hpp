#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/line/xml_reader.hpp"

namespace ringdown::line {

/// Dialog states of RFC 4235 §3.7.1 (the <state> element).
enum class dialog_state : std::uint8_t { trying, proceeding, early, confirmed, terminated };
std::string_view to_string(dialog_state s) noexcept;
bool parse_dialog_state(std::string_view text, dialog_state& out) noexcept;

/// One <dialog> of a published document: the subset the line acts on.
struct published_dialog {
  std::string id;      ///< the `id` attribute (required)
  std::string call_id; ///< may be empty (a "trying" dialog has no Call-ID yet)
  dialog_state state = dialog_state::trying;
  std::optional<std::uint32_t> appearance; ///< RFC 7463 <sa:appearance>
  std::optional<bool> exclusive;           ///< RFC 7463 <sa:exclusive>
};

/// A dialog-info document a device PUBLISHes (RFC 4235 §4, RFC 7463 §5.2).
struct published_dialog_info {
  std::string entity;
  std::uint64_t version = 0;
  bool full = true; ///< state="full" (else "partial")
  std::vector<published_dialog> dialogs;
};

struct dialog_info_parse {
  std::optional<published_dialog_info> info;
  std::string error; ///< set when `info` is empty
};

/// Strict parse of application/dialog-info+xml: root <dialog-info> in the
/// RFC 4235 namespace with version, state and entity; each <dialog> with an
/// id and a <state>; <appearance> and <exclusive> read only in the RFC 7463
/// namespace; unknown elements skipped. Bounded by `limits` and
/// `dialogs_max`; malformed input gives an error, never a crash.
dialog_info_parse parse_dialog_info(std::string_view body, const xml_limits& limits = {},
                                    std::size_t dialogs_max = 32);

} // namespace ringdown::line
