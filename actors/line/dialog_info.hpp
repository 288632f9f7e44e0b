#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "actors/line/line_types.hpp"

namespace ringdown::line {

constexpr std::string_view dialog_info_ns = "urn:ietf:params:xml:ns:dialog-info";
constexpr std::string_view sa_dialog_info_ns = "urn:ietf:params:xml:ns:sa-dialog-info";
constexpr std::string_view dialog_info_content_type = "application/dialog-info+xml";

/// `text` with & < > " ' replaced by entities (valid in text and in
/// attributes in either quotes); control characters other than TAB, LF and
/// CR, which XML 1.0 cannot carry, become U+FFFD.
std::string xml_escape(std::string_view text);

/// The dialog-info `id` of an appearance's dialog (stable for the life of
/// the call on that appearance).
std::string dialog_id_of(std::uint32_t appearance, std::uint64_t dialog_seq);

/// Builds an RFC 4235 §4 application/dialog-info+xml document for `line`
/// with the RFC 7463 §5.2 shared-appearance extensions:
/// - <dialog-info version state="full"|"partial" entity=line URI>;
/// - one <dialog> per non-idle appearance (id, call-id, local-tag,
///   remote-tag when known, direction) with <state> early (ringing),
///   trying (seized, not dialled yet) or confirmed (busy, held); <local>
///   identity = the line, target with `+sip.rendering` "no" when held
///   (RFC 4235 §4.1.6.2, RFC 7463 §5.2); <remote> identity = the far party;
///   <sa:appearance>, <sa:exclusive> (true on a private line or
///   private_held);
/// - one more <dialog> per barged device, with <sa:joined-dialog> naming
///   the dialog it joined;
/// - `ended` dialogs as <state>terminated</state>.
/// In a partial document only appearances listed in `ended` or in
/// `partial_appearances` appear. Every value is XML-escaped.
std::string render_dialog_info(const line_snapshot& line, std::uint64_t version,
                               std::span<const ended_dialog> ended = {}, bool full = true,
                               std::span<const std::uint32_t> partial_appearances = {});

} // namespace ringdown::line
