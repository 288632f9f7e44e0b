// RFC 3911 Join header: how a device names the call it barges into.
#include "actors/line/join_header.hpp"

#include "net/sip/headers.hpp"

namespace ringdown::line {

std::optional<join_target> parse_join(std::string_view value) {
  const auto t = sip::token_params::parse(value);
  if (!t || t->value.empty())
    return std::nullopt;
  join_target j;
  j.call_id = std::string(t->value);
  const auto to = t->params.find("to-tag");
  const auto from = t->params.find("from-tag");
  if (!to || !from || to->value.empty() || from->value.empty())
    return std::nullopt;
  j.to_tag = std::string(to->value);
  j.from_tag = std::string(from->value);
  return j;
}

} // namespace ringdown::line
