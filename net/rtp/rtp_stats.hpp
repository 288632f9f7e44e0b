#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "base/clock.hpp"
#include "net/rtp/rtcp.hpp"
#include "net/rtp/rtp_packet.hpp"
#include "net/rtp/types.hpp"

namespace ringdown::rtp {

/// Reception statistics of one remote source (one leg's inbound stream), as
/// RFC 3550 Appendix A keeps them: sequence validation with probation,
/// dropout and misorder limits and 16-bit cycles (A.1), expected / lost /
/// fraction lost per report interval (A.3), interarrival jitter (A.8).
/// Owned by the leg on its media thread; O(1) and allocation-free per packet.
/// A packet from another SSRC restarts the statistics for that source.
class receiver_stats {
public:
  static constexpr std::uint32_t min_sequential = 2; // A.1 MIN_SEQUENTIAL
  static constexpr std::uint32_t max_dropout = 3000; // A.1 MAX_DROPOUT
  static constexpr std::uint32_t max_misorder = 100; // A.1 MAX_MISORDER
  static constexpr std::uint32_t seq_mod = 1u << 16; // A.1 RTP_SEQ_MOD

  explicit receiver_stats(std::uint32_t clock_rate_hz = sample_rate_hz) noexcept;

  /// One received packet; `arrival_ts` is the arrival time on the RTP clock
  /// of the stream (any origin, wrapping). Returns true when A.1 counts the
  /// packet (the source is past probation and the sequence is plausible);
  /// false for probation packets and for a wild jump that is not yet
  /// confirmed by its successor.
  bool on_packet(const rtp_header& h, std::uint32_t arrival_ts) noexcept;
  /// The same with the arrival instant of the engine's clock.
  bool on_packet(const rtp_header& h, time_point arrival) noexcept;

  /// The report block about this source for the next RR/SR (A.3); starts a
  /// new report interval for the fraction lost.
  report_block make_report(std::uint32_t ssrc, std::uint32_t lsr,
                           std::uint32_t dlsr) noexcept;

  [[nodiscard]] std::uint64_t packets_received() const noexcept { return received_; }
  /// Expected minus received since the first counted packet; negative with
  /// duplicates (A.3).
  [[nodiscard]] std::int64_t cumulative_lost() const noexcept;
  [[nodiscard]] std::uint64_t packets_expected() const noexcept;
  /// Extended highest sequence number: cycles in the high 16 bits.
  [[nodiscard]] std::uint32_t extended_highest_seq() const noexcept {
    return static_cast<std::uint32_t>(cycles_ + max_seq_);
  }
  /// Interarrival jitter in timestamp units and in milliseconds (A.8).
  [[nodiscard]] std::uint32_t jitter() const noexcept;
  [[nodiscard]] double jitter_ms() const noexcept;
  /// Lost over expected since the first counted packet, in [0, 1].
  [[nodiscard]] double loss_fraction() const noexcept;
  /// Past probation: the source has sent min_sequential packets in a row.
  [[nodiscard]] bool valid() const noexcept { return started_ && probation_ == 0; }
  [[nodiscard]] std::uint32_t ssrc() const noexcept { return ssrc_; }

private:
  void init_seq(std::uint16_t seq) noexcept;
  bool update_seq(std::uint16_t seq) noexcept;
  void update_jitter(std::uint32_t rtp_ts, std::uint32_t arrival_ts) noexcept;

  std::uint32_t clock_rate_hz_;
  bool started_ = false;
  std::uint32_t ssrc_ = 0;
  std::uint16_t max_seq_ = 0;   // highest seq number seen
  std::uint64_t cycles_ = 0;    // shifted count of seq number cycles
  std::uint32_t base_seq_ = 0;  // first counted seq number
  std::uint32_t bad_seq_ = 0;   // last 'bad' seq number + 1
  std::uint32_t probation_ = 0; // sequential packets till source is valid
  std::uint64_t received_ = 0;
  std::uint64_t expected_prior_ = 0;
  std::uint64_t received_prior_ = 0;
  bool have_transit_ = false;
  std::uint32_t transit_ = 0;   // relative transit time of the previous packet
  std::uint64_t jitter_q4_ = 0; // jitter × 16 (A.8 integer form)
};

/// What an SR reports about our outbound stream of one leg (RFC 3550
/// §6.4.1): packets and payload octets sent, and the RTP timestamp that
/// corresponds to the SR's wall-clock instant. Owned by the leg's sender on
/// its media thread.
class sender_stats {
public:
  explicit sender_stats(std::uint32_t clock_rate_hz = sample_rate_hz) noexcept
      : clock_rate_hz_(clock_rate_hz) {}

  /// One packet sent with `payload_bytes` of payload at `now`.
  void on_sent(std::uint32_t rtp_timestamp, std::size_t payload_bytes,
               time_point now) noexcept;
  /// Sender info for an SR built at `now` whose wall time is `ntp_now`; the
  /// RTP timestamp is the last one sent advanced by the time since then.
  [[nodiscard]] sender_info make_sender_info(std::uint64_t ntp_now,
                                             time_point now) const noexcept;

  [[nodiscard]] bool has_sent() const noexcept { return packets_ != 0; }
  [[nodiscard]] std::uint32_t packets() const noexcept { return packets_; }
  [[nodiscard]] std::uint32_t octets() const noexcept { return octets_; }
  [[nodiscard]] std::uint32_t last_timestamp() const noexcept { return last_ts_; }

private:
  std::uint32_t clock_rate_hz_;
  std::uint32_t packets_ = 0; // wraps, as the SR field does
  std::uint32_t octets_ = 0;
  std::uint32_t last_ts_ = 0;
  time_point last_sent_{};
};

/// Round-trip time from a report block about our stream (RFC 3550 §6.4.1):
/// A - LSR - DLSR, with A the middle 32 bits of `ntp_now`. nullopt when LSR
/// is 0 (no SR received by the peer yet) or the result would be negative.
std::optional<double> round_trip_ms(std::uint32_t lsr, std::uint32_t dlsr,
                                    std::uint64_t ntp_now) noexcept;

/// An estimate of call quality.
struct quality {
  double r_factor = 0; ///< 0..100 (G.107 transmission rating)
  double mos = 0;      ///< 1..4.5 (conversational MOS-CQE)
};

/// Simplified ITU-T G.107 E-model for G.711 with packet loss concealment:
///   d    = one_way_delay_ms + 2 × jitter_ms + 10 (codec/packetisation)
///   Id   = 0.024 d + 0.11 (d − 177.3) H(d − 177.3)       (H: unit step)
///   Ppl  = 100 × loss_fraction (percent); random loss, BurstR = 1
///   Ie,eff = Ie + (95 − Ie) Ppl / (Ppl + Bpl), Ie = 0, Bpl = 25.1 (G.113)
///   R    = 93.2 − Id − Ie,eff   (Ro − Is with G.107 defaults; A = 0), 0..100
///   MOS  = 1 + 0.035 R + 7e-6 R (R − 60)(100 − R) for 0 < R < 100
///          (G.107 Annex B); 1 below, 4.5 above.
/// R ≈ 93 and MOS ≈ 4.4 on a clean LAN leg. Inputs are clamped to sane ranges.
quality estimate_quality(double one_way_delay_ms, double loss_fraction,
                         double jitter_ms) noexcept;

} // namespace ringdown::rtp
