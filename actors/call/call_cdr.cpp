#include "actors/call/call_cdr.hpp"

namespace ringdown::call {

namespace {

storage::cdr_disposition stored(disposition d) noexcept {
  switch (d) {
  case disposition::answered:
    return storage::cdr_disposition::answered;
  case disposition::busy:
    return storage::cdr_disposition::busy;
  case disposition::no_answer:
    return storage::cdr_disposition::no_answer;
  case disposition::cancelled:
    return storage::cdr_disposition::cancelled;
  case disposition::rejected:
    return storage::cdr_disposition::rejected;
  case disposition::failed:
    break;
  }
  return storage::cdr_disposition::failed;
}

storage::transfer_kind stored(transfer_kind k) noexcept {
  switch (k) {
  case transfer_kind::blind:
    return storage::transfer_kind::blind;
  case transfer_kind::attended:
    return storage::transfer_kind::attended;
  case transfer_kind::pick_up:
    return storage::transfer_kind::pick_up;
  case transfer_kind::none:
    break;
  }
  return storage::transfer_kind::none;
}

} // namespace

storage::cdr to_cdr(const call_summary& s) {
  storage::cdr c;
  c.call_id = s.call_id;
  c.from_uri = s.from;
  c.to_uri = s.to;
  c.line_uri = s.line;
  c.zone = s.zone;
  c.node = s.node;
  c.trunk = s.trunk;
  c.start_ms = s.start_ms;
  c.ring_ms = s.ring_ms;
  c.answer_ms = s.answer_ms;
  c.end_ms = s.end_ms;
  c.duration_ms = s.duration_ms;
  c.billable_s = s.billable_s;
  // A call handed on by a transfer ends "transferred" (its transfer part
  // says how and where); otherwise as the call machine decided.
  c.disposition =
      s.transfer != transfer_kind::none && s.disposition == disposition::answered
          ? storage::cdr_disposition::transferred
          : stored(s.disposition);
  c.final_code = s.final_status;
  c.final_reason = s.final_reason;
  c.ended_by = s.ended_by;
  c.hold_count = s.hold_count;
  c.hold_total_ms = s.hold_total_ms;
  c.transfer.kind = stored(s.transfer);
  c.transfer.target_uri = s.transfer_target;
  c.transfer.by = s.transfer_by;
  c.diversion = {s.diverted_from, s.diverted_to, s.divert_reason};
  for (const auto& m : s.media) {
    storage::cdr_media_leg leg;
    leg.leg = m.leg;
    leg.packets_received = m.packets_received;
    leg.packets_sent = m.packets_sent;
    leg.packets_lost = m.packets_lost;
    leg.jitter_us = static_cast<std::int64_t>(m.jitter_ms * 1000);
    leg.rtt_us = m.rtt_ms < 0 ? -1 : static_cast<std::int64_t>(m.rtt_ms * 1000);
    leg.mos_milli = static_cast<std::uint32_t>(m.mos * 1000);
    c.media.push_back(leg);
  }
  return c;
}

} // namespace ringdown::call
