#include "storage/cdr.hpp"

#include <array>
#include <limits>

#include "base/json.hpp"
#include "storage/codec.hpp"

namespace ringdown::storage {

namespace {

/// Builds `{"k":v,...}` one member at a time.
class json_object {
public:
  explicit json_object(std::string& out) : out_(out) { out_.push_back('{'); }
  json_object& str(std::string_view k, std::string_view v) {
    key(k);
    append_json_string(out_, v);
    return *this;
  }
  template <typename Int>
  json_object& num(std::string_view k, Int v) {
    key(k);
    out_ += std::to_string(v);
    return *this;
  }
  json_object& raw(std::string_view k, std::string_view json) {
    key(k);
    out_ += json;
    return *this;
  }
  void close() { out_.push_back('}'); }

private:
  void key(std::string_view k) {
    if (!first_)
      out_.push_back(',');
    first_ = false;
    append_json_string(out_, k);
    out_.push_back(':');
  }
  std::string& out_;
  bool first_ = true;
};

} // namespace

std::string_view to_string(cdr_disposition d) noexcept {
  switch (d) {
  case cdr_disposition::answered:
    return "answered";
  case cdr_disposition::busy:
    return "busy";
  case cdr_disposition::no_answer:
    return "no_answer";
  case cdr_disposition::cancelled:
    return "cancelled";
  case cdr_disposition::rejected:
    return "rejected";
  case cdr_disposition::failed:
    return "failed";
  case cdr_disposition::transferred:
    return "transferred";
  }
  return "unknown";
}

std::string_view to_string(transfer_kind k) noexcept {
  switch (k) {
  case transfer_kind::none:
    return "none";
  case transfer_kind::blind:
    return "blind";
  case transfer_kind::attended:
    return "attended";
  case transfer_kind::pick_up:
    return "pick_up";
  }
  return "unknown";
}

std::string cdr::to_json() const {
  std::string transfer_json;
  json_object t(transfer_json);
  t.str("kind", to_string(transfer.kind))
      .str("target_uri", transfer.target_uri)
      .str("by", transfer.by)
      .close();
  std::string diversion_json;
  json_object dv(diversion_json);
  dv.str("from_uri", diversion.from_uri)
      .str("to_uri", diversion.to_uri)
      .str("reason", diversion.reason)
      .close();

  std::string media_json = "[";
  for (const auto& m : media) {
    if (media_json.size() > 1)
      media_json += ',';
    json_object ml(media_json);
    ml.num("leg", m.leg)
        .num("packets_received", m.packets_received)
        .num("packets_sent", m.packets_sent)
        .num("packets_lost", m.packets_lost)
        .num("jitter_us", m.jitter_us)
        .num("rtt_us", m.rtt_us)
        .num("mos_milli", m.mos_milli)
        .close();
  }
  media_json += ']';

  std::string out;
  json_object o(out);
  o.num("id", id)
      .str("call_id", call_id)
      .str("from_uri", from_uri)
      .str("to_uri", to_uri)
      .str("line_uri", line_uri)
      .str("zone", zone)
      .str("node", node)
      .str("trunk", trunk)
      .num("start_ms", start_ms)
      .num("ring_ms", ring_ms)
      .num("answer_ms", answer_ms)
      .num("end_ms", end_ms)
      .num("duration_ms", duration_ms)
      .num("billable_s", billable_s)
      .str("disposition", to_string(disposition))
      .num("final_code", final_code)
      .str("final_reason", final_reason)
      .str("ended_by", ended_by)
      .num("hold_count", hold_count)
      .num("hold_total_ms", hold_total_ms)
      .raw("transfer", transfer_json)
      .raw("diversion", diversion_json)
      .raw("media", media_json)
      .close();
  return out;
}

std::string encode_cdr(const cdr& r) {
  encoder e;
  e.u8(cdr_format_version)
      .u64(r.id)
      .str(r.call_id)
      .str(r.from_uri)
      .str(r.to_uri)
      .str(r.line_uri)
      .str(r.zone)
      .str(r.node)
      .str(r.trunk)
      .i64(r.start_ms)
      .i64(r.ring_ms)
      .i64(r.answer_ms)
      .i64(r.end_ms)
      .i64(r.duration_ms)
      .i64(r.billable_s)
      .u8(static_cast<std::uint8_t>(r.disposition))
      .i64(r.final_code)
      .str(r.final_reason)
      .str(r.ended_by)
      .u32(r.hold_count)
      .i64(r.hold_total_ms)
      .u8(static_cast<std::uint8_t>(r.transfer.kind))
      .str(r.transfer.target_uri)
      .str(r.transfer.by)
      .str(r.diversion.from_uri)
      .str(r.diversion.to_uri)
      .str(r.diversion.reason)
      .u32(static_cast<std::uint32_t>(r.media.size()));
  for (const auto& m : r.media)
    e.u32(m.leg)
        .u64(m.packets_received)
        .u64(m.packets_sent)
        .i64(m.packets_lost)
        .i64(m.jitter_us)
        .i64(m.rtt_us)
        .u32(m.mos_milli);
  return e.take();
}

std::optional<cdr> decode_cdr(std::string_view bytes) {
  decoder d(bytes);
  const auto version = d.u8();
  if (version < 1 || version > cdr_format_version)
    return std::nullopt;
  cdr r;
  r.id = d.u64();
  r.call_id = d.str();
  r.from_uri = d.str();
  r.to_uri = d.str();
  r.line_uri = d.str();
  r.zone = d.str();
  r.node = d.str();
  r.trunk = d.str();
  r.start_ms = d.i64();
  r.ring_ms = d.i64();
  r.answer_ms = d.i64();
  r.end_ms = d.i64();
  r.duration_ms = d.i64();
  r.billable_s = d.i64();
  const auto disposition = d.u8();
  const auto final_code = d.i64();
  r.final_reason = d.str();
  r.ended_by = d.str();
  r.hold_count = d.u32();
  r.hold_total_ms = d.i64();
  const auto kind = d.u8();
  r.transfer.target_uri = d.str();
  r.transfer.by = d.str();
  if (version >= 2) {
    r.diversion.from_uri = d.str();
    r.diversion.to_uri = d.str();
    r.diversion.reason = d.str();
  }
  if (version >= 3) {
    const auto legs = d.u32();
    if (legs > cdr_media_legs_max)
      return std::nullopt;
    r.media.resize(legs);
    for (auto& m : r.media) {
      m.leg = d.u32();
      m.packets_received = d.u64();
      m.packets_sent = d.u64();
      m.packets_lost = d.i64();
      m.jitter_us = d.i64();
      m.rtt_us = d.i64();
      m.mos_milli = d.u32();
    }
  }
  if (!d.done() || disposition >= cdr_disposition_count || kind >= transfer_kind_count ||
      final_code < std::numeric_limits<int>::min() ||
      final_code > std::numeric_limits<int>::max())
    return std::nullopt;
  r.disposition = static_cast<cdr_disposition>(disposition);
  r.transfer.kind = static_cast<transfer_kind>(kind);
  r.final_code = static_cast<int>(final_code);
  return r;
}

} // namespace ringdown::storage
