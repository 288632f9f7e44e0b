#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ringdown::line {

/// The dialog a Join header names (RFC 3911 §7.1):
/// `Join: call-id;to-tag=T;from-tag=F`. As with Replaces, `to_tag` is the
/// tag of the recipient (our local tag), `from_tag` the other side's.
struct join_target {
  std::string call_id;
  std::string to_tag;
  std::string from_tag;
};

/// Parses a Join header value: a Call-ID and both tags, each non-empty,
/// other parameters ignored; nullopt when malformed. The call engine uses
/// it to turn a barge INVITE into `line_stm::barge(...)` (see line_stm.hpp).
std::optional<join_target> parse_join(std::string_view value);

} // namespace ringdown::line
