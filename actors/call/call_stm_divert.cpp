// call_stm: call diversion on busy or no answer (call forwarding; RFC 5806
// Diversion header) and telling the caller whom it reached (an UPDATE with
// P-Asserted-Identity, RFC 3311 / RFC 4916 spirit).
#include "actors/call/call_stm.hpp"

namespace ringdown::call {

bool call_stm::try_divert(std::string_view reason, call_time t, effects& out) {
  if (!divert_)
    return false;
  const bool wanted = reason == "user-busy" ? divert_->on_busy : divert_->on_no_answer;
  if (!wanted || divert_->uris.empty() || state_ == state::confirmed ||
      state_ == state::terminated)
    return false;
  if (legs_.size() >= cfg_.legs_max)
    return false;
  const auto d = std::move(*std::exchange(divert_, {})); // one hop
  const header_list diversion = diverted(d, reason);
  const call_leg& a = legs_[leg_a];
  for (const std::string& uri : d.uris) {
    if (legs_.size() >= cfg_.legs_max)
      break;
    call_leg& b = new_b_leg(uri);
    fork(b, b_from_, relay_sdp(leg_a, b.id, a.sdp_received), out, diversion);
  }
  arm({timer_kind::ring_no_answer, leg_a}, t.now + cfg_.ring_timeout, out);
  return true;
}

header_list call_stm::diverted(const call_targets::diversion& d, std::string_view reason) {
  log().info("Call-ID {}: {} diverted to {} ({}), {} contact(s)", cdr_.call_id, d.from_aor,
             d.to_aor, reason, d.uris.size());
  connected_aor_ = d.to_aor;
  cdr_.diverted_from = d.from_aor;
  cdr_.diverted_to = d.to_aor;
  cdr_.divert_reason = std::string(reason);
  return {
      {"Diversion", "<" + d.from_aor + ">;reason=" + std::string(reason) + ";counter=1"}};
}

} // namespace ringdown::call
