#include "net/rtp/rtp_stats.hpp"

#include <algorithm>
#include <limits>

namespace ringdown::rtp {

namespace {

constexpr std::int64_t ns_per_s = 1'000'000'000;

// Ticks of a `rate_hz` clock in `ns` nanoseconds (wrapping modulo 2^64),
// without overflowing the intermediate product.
std::uint64_t ticks_of(std::int64_t ns, std::uint32_t rate_hz) noexcept {
  std::int64_t s = ns / ns_per_s;
  std::int64_t rem = ns % ns_per_s;
  if (rem < 0) {
    rem += ns_per_s;
    --s;
  }
  return static_cast<std::uint64_t>(s) * rate_hz +
         static_cast<std::uint64_t>(rem) * rate_hz / ns_per_s;
}

double non_negative(double x) noexcept {
  return x > 0 ? x : 0;
} // NaN → 0

} // namespace

receiver_stats::receiver_stats(std::uint32_t clock_rate_hz) noexcept
    : clock_rate_hz_(clock_rate_hz == 0 ? sample_rate_hz : clock_rate_hz) {}

void receiver_stats::init_seq(std::uint16_t seq) noexcept {
  base_seq_ = seq;
  max_seq_ = seq;
  bad_seq_ = seq_mod + 1; // so seq == bad_seq is false
  cycles_ = 0;
  received_ = 0;
  received_prior_ = 0;
  expected_prior_ = 0;
  have_transit_ = false;
}

// RFC 3550 A.1 update_seq(), line for line.
bool receiver_stats::update_seq(std::uint16_t seq) noexcept {
  const auto udelta = static_cast<std::uint16_t>(seq - max_seq_);
  if (probation_ != 0) {
    if (seq == static_cast<std::uint16_t>(max_seq_ + 1)) {
      --probation_;
      max_seq_ = seq;
      if (probation_ == 0) {
        init_seq(seq);
        ++received_;
        return true;
      }
    } else {
      probation_ = min_sequential - 1;
      max_seq_ = seq;
    }
    return false;
  }
  if (udelta < max_dropout) {
    if (seq < max_seq_) {
      cycles_ += seq_mod; // wrapped
    }
    max_seq_ = seq;
  } else if (udelta <= seq_mod - max_misorder) {
    if (seq == bad_seq_) {
      // Two sequential packets after a large jump: the source restarted.
      init_seq(seq);
    } else {
      bad_seq_ = (seq + 1u) & (seq_mod - 1);
      return false;
    }
  }
  // else: duplicate or reordered packet, counted but max_seq_ kept
  ++received_;
  return true;
}

void receiver_stats::update_jitter(std::uint32_t rtp_ts,
                                   std::uint32_t arrival_ts) noexcept {
  const std::uint32_t transit = arrival_ts - rtp_ts;
  if (have_transit_) {
    const auto diff = static_cast<std::int32_t>(transit - transit_);
    const std::uint64_t d = diff < 0 ? 0ULL - static_cast<std::uint64_t>(std::int64_t{diff})
                                     : static_cast<std::uint64_t>(diff);
    // A.8: J += (|D| - J) / 16, kept as 16 J.
    jitter_q4_ = jitter_q4_ + d - ((jitter_q4_ + 8) >> 4);
  }
  transit_ = transit;
  have_transit_ = true;
}

bool receiver_stats::on_packet(const rtp_header& h, std::uint32_t arrival_ts) noexcept {
  if (!started_ || h.ssrc != ssrc_) {
    *this = receiver_stats(clock_rate_hz_);
    started_ = true;
    ssrc_ = h.ssrc;
    init_seq(h.sequence);
    max_seq_ = static_cast<std::uint16_t>(h.sequence - 1);
    probation_ = min_sequential;
  }
  if (!update_seq(h.sequence)) {
    return false;
  }
  update_jitter(h.timestamp, arrival_ts);
  return true;
}

bool receiver_stats::on_packet(const rtp_header& h, time_point arrival) noexcept {
  const auto ticks = ticks_of(arrival.time_since_epoch().count(), clock_rate_hz_);
  return on_packet(h, static_cast<std::uint32_t>(ticks));
}

std::uint64_t receiver_stats::packets_expected() const noexcept {
  if (!valid()) {
    return 0;
  }
  return cycles_ + max_seq_ - base_seq_ + 1;
}

std::int64_t receiver_stats::cumulative_lost() const noexcept {
  return static_cast<std::int64_t>(packets_expected()) -
         static_cast<std::int64_t>(received_);
}

std::uint32_t receiver_stats::jitter() const noexcept {
  return static_cast<std::uint32_t>(
      std::min<std::uint64_t>(jitter_q4_ >> 4, std::numeric_limits<std::uint32_t>::max()));
}

double receiver_stats::jitter_ms() const noexcept {
  return static_cast<double>(jitter()) * 1000.0 / clock_rate_hz_;
}

double receiver_stats::loss_fraction() const noexcept {
  const std::uint64_t expected = packets_expected();
  const std::int64_t lost = cumulative_lost();
  if (expected == 0 || lost <= 0) {
    return 0;
  }
  return std::min(1.0, static_cast<double>(lost) / static_cast<double>(expected));
}

report_block receiver_stats::make_report(std::uint32_t ssrc, std::uint32_t lsr,
                                         std::uint32_t dlsr) noexcept {
  report_block b;
  b.ssrc = ssrc;
  b.lsr = lsr;
  b.dlsr = dlsr;
  if (!valid()) {
    return b;
  }
  const std::uint64_t expected = packets_expected();
  b.cumulative_lost = static_cast<std::int32_t>(
      std::clamp<std::int64_t>(cumulative_lost(), -0x800000, 0x7fffff));
  // A.3: fraction lost over the interval since the previous report.
  const std::uint64_t expected_interval = expected - expected_prior_;
  const std::uint64_t received_interval = received_ - received_prior_;
  expected_prior_ = expected;
  received_prior_ = received_;
  const std::int64_t lost_interval = static_cast<std::int64_t>(expected_interval) -
                                     static_cast<std::int64_t>(received_interval);
  if (expected_interval != 0 && lost_interval > 0) {
    b.fraction_lost = static_cast<std::uint8_t>(std::min<std::uint64_t>(
        (static_cast<std::uint64_t>(lost_interval) << 8) / expected_interval, 255));
  }
  b.highest_seq = extended_highest_seq();
  b.jitter = jitter();
  return b;
}

void sender_stats::on_sent(std::uint32_t rtp_timestamp, std::size_t payload_bytes,
                           time_point now) noexcept {
  ++packets_;
  octets_ += static_cast<std::uint32_t>(payload_bytes); // modulo 2^32, as on the wire
  last_ts_ = rtp_timestamp;
  last_sent_ = now;
}

sender_info sender_stats::make_sender_info(std::uint64_t ntp_now,
                                           time_point now) const noexcept {
  sender_info s;
  s.ntp = ntp_now;
  s.packets = packets_;
  s.octets = octets_;
  s.rtp_timestamp = last_ts_;
  if (packets_ != 0 && now > last_sent_) {
    const auto elapsed = (now - last_sent_).count();
    s.rtp_timestamp += static_cast<std::uint32_t>(ticks_of(elapsed, clock_rate_hz_));
  }
  return s;
}

std::optional<double> round_trip_ms(std::uint32_t lsr, std::uint32_t dlsr,
                                    std::uint64_t ntp_now) noexcept {
  if (lsr == 0) {
    return std::nullopt;
  }
  const std::uint32_t since_sr = ntp_middle32(ntp_now) - lsr;
  if (since_sr < dlsr || since_sr >= 0x80000000u) {
    return std::nullopt; // negative, or an SR from half an NTP era ago
  }
  return static_cast<double>(since_sr - dlsr) * 1000.0 / 65536.0;
}

quality estimate_quality(double one_way_delay_ms, double loss_fraction,
                         double jitter_ms) noexcept {
  constexpr double codec_delay_ms = 10;
  constexpr double ie = 0;     // G.711
  constexpr double bpl = 25.1; // G.711 with PLC (G.113 Appendix I)
  const double d = std::min(non_negative(one_way_delay_ms) + 2 * non_negative(jitter_ms) +
                                codec_delay_ms,
                            100'000.0);
  const double id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0.0);
  const double ppl = 100 * std::min(non_negative(loss_fraction), 1.0);
  const double ie_eff = ie + (95 - ie) * ppl / (ppl + bpl);
  const double r = std::clamp(93.2 - id - ie_eff, 0.0, 100.0);
  double mos = 1;
  if (r >= 100) {
    mos = 4.5;
  } else if (r > 0) {
    mos = std::max(1.0, 1 + 0.035 * r + 7e-6 * r * (r - 60) * (100 - r));
  }
  return {r, mos};
}

} // namespace ringdown::rtp
