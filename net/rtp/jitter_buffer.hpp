#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "base/clock.hpp"
#include "net/rtp/types.hpp"

namespace ringdown::rtp {

/// Limits of a jitter buffer's configuration.
inline constexpr std::size_t jitter_packets_max = 256;
inline constexpr std::size_t jitter_payload_bytes_max = 320;

/// A jitter buffer's settings, from the media plane's configuration.
struct jitter_config {
  std::uint32_t min_delay_ms = 20;  ///< the playout delay never goes below
  std::uint32_t max_delay_ms = 200; ///< ...nor above; at most (packets_max - 1) × 20
  std::size_t packets_max = 32;     ///< slots, preallocated; 2..jitter_packets_max
  std::uint32_t headroom_ms = 5;    ///< added to the measured peak lateness
  /// Ticks the delay must stay a frame above target before one frame is
  /// dropped to shrink it (expansion is immediate: lateness costs audio).
  std::uint32_t shrink_hold_ticks = 25;
};

/// What `jitter_buffer::push` did with a packet.
enum class push_result : std::uint8_t {
  stored,    ///< queued for playout
  duplicate, ///< a packet with this timestamp is already queued
  late,      ///< its playout time has passed, or a copy of a played one (dropped)
  too_big,   ///< payload over jitter_payload_bytes_max (dropped)
  overflow,  ///< beyond the window of queued packets (counted, dropped)
};

/// What `jitter_buffer::pop` gives for a tick.
enum class pop_kind : std::uint8_t {
  packet,  ///< `payload` holds the packet to decode and play
  missing, ///< no packet for this frame: conceal it
  empty,   ///< not started, or nothing queued (underrun): conceal or play silence
};

/// One tick's output of a jitter buffer.
struct pop_result {
  pop_kind kind = pop_kind::empty;
  /// For `packet`: the packet's payload, valid until the next push, pop or reset.
  std::span<const std::uint8_t> payload;
  std::uint16_t seq = 0;       ///< for `packet`
  std::uint32_t timestamp = 0; ///< for `packet` and `missing`: the frame's RTP timestamp
};

/// Counters of a jitter buffer since construction (reset() keeps them).
/// `lost` counts holes at playout; loss on the network is counted from
/// sequence numbers by the leg's RTP statistics.
struct jitter_stats {
  std::uint64_t received = 0; ///< stored packets
  std::uint64_t late = 0;     ///< arrived after their playout time
  std::uint64_t lost = 0;     ///< frames played as `missing` (later packets queued)
  std::uint64_t duplicate = 0;
  std::uint64_t overflow = 0;
  std::uint64_t too_big = 0;
  std::uint64_t underrun = 0; ///< ticks with nothing queued after the start
  std::uint64_t expanded = 0; ///< ticks held back to grow the delay
  std::uint64_t dropped = 0;  ///< frames skipped to shrink the delay
  std::uint64_t resets = 0;   ///< restarts on a timestamp jump or reset()
};

/// The adaptive jitter buffer of one leg of a bridge: packets go in as they
/// arrive (`push`), one 20 ms frame comes out per mixing tick (`pop`).
///
/// Only 20 ms frames are supported: every packet carries 160 timestamp
/// units (the SDP layer offers ptime 20); the slot of a packet is its
/// timestamp's distance from the playout point, in frames.
///
/// Delay. A packet's transit is its arrival time minus its timestamp's time;
/// the smallest recent transit (it creeps up slowly to follow clock drift) is
/// the reference, and a packet's lateness is its transit above it. The
/// playout delay, `current_delay_ms`, is the time from a frame's earliest
/// possible arrival (the reference) to its playout, measured at every pop.
/// The target is the peak lateness (decaying over ~5 s) plus headroom,
/// clamped to [min_delay_ms, max_delay_ms]. Under target, a tick is held
/// back (the caller conceals one frame); a frame or more above target for
/// `shrink_hold_ticks` ticks in a row, one frame is dropped. At a talk-spurt start
/// (marker bit, or consecutive sequence numbers across a timestamp gap)
/// with nothing queued, playout restarts at exactly the target delay.
///
/// Timestamps are compared modulo 2^32 and sequence numbers modulo 2^16, so
/// both wrap. A jump of more than 1 s from the playout point either way (a
/// new source, a sender restart) resets the buffer, unless it is a
/// talk-spurt with nothing queued (then only the timing reference is taken
/// afresh); the caller resets it on an SSRC change.
///
/// Owned by the bridge's mixer, one per leg; used on the media thread only.
/// Slots are allocated at construction; push and pop never allocate.
class jitter_buffer {
public:
  explicit jitter_buffer(const jitter_config& config = {});

  /// Queues a packet of one 20 ms frame (payload copied). `marker` is the
  /// RTP marker bit (start of a talk-spurt).
  push_result push(std::uint16_t seq, std::uint32_t timestamp,
                   std::span<const std::uint8_t> payload, time_point arrival,
                   bool marker = false) noexcept;
  /// Called once per 20 ms tick.
  pop_result pop(time_point now) noexcept;
  /// Forgets every queued packet and the timing reference (a new stream).
  void reset() noexcept;

  [[nodiscard]] std::uint32_t current_delay_ms() const noexcept;
  [[nodiscard]] std::uint32_t target_delay_ms() const noexcept;
  /// RFC 3550 §6.4.1 interarrival jitter, in milliseconds.
  [[nodiscard]] double jitter_ms() const noexcept;
  [[nodiscard]] std::size_t queued() const noexcept { return queued_; }
  [[nodiscard]] const jitter_stats& stats() const noexcept { return stats_; }
  [[nodiscard]] const jitter_config& config() const noexcept { return config_; }

private:
  struct slot {
    bool used = false;
    std::uint16_t seq = 0;
    std::uint16_t size = 0;
    std::uint32_t timestamp = 0;
    std::array<std::uint8_t, jitter_payload_bytes_max> payload{};
  };

  void start(std::uint16_t seq, std::uint32_t timestamp, time_point arrival) noexcept;
  void restart_at(std::uint32_t timestamp) noexcept;
  void measure(std::uint32_t timestamp, time_point arrival) noexcept;
  [[nodiscard]] duration ts_time(std::uint32_t timestamp) const noexcept;
  [[nodiscard]] duration delay_at(time_point now) const noexcept;
  [[nodiscard]] duration target() const noexcept;
  slot& slot_at(std::size_t frames_ahead) noexcept;
  void store(slot& s, std::uint16_t seq, std::uint32_t timestamp,
             std::span<const std::uint8_t> payload) noexcept;
  void advance() noexcept;

  jitter_config config_;
  std::vector<slot> slots_;
  std::size_t head_ = 0;   ///< slot of play_ts_
  std::size_t queued_ = 0; ///< used slots
  bool anchored_ = false;  ///< a timing reference exists
  bool playing_ = false;   ///< pops advance the playout point
  time_point start_at_{};  ///< first pop at or after it starts playing
  std::uint32_t play_ts_ = 0;
  std::uint32_t base_ts_ = 0;
  std::uint16_t last_seq_ = 0;
  std::uint32_t last_ts_ = 0; ///< of the packet with the highest sequence number
  duration transit_min_{};
  duration prev_transit_{};
  duration peak_late_{};
  double jitter_ns_ = 0;
  duration delay_{};
  std::uint32_t above_ticks_ = 0;
  jitter_stats stats_;
};

} // namespace ringdown::rtp
