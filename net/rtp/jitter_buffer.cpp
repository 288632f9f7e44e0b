#include "net/rtp/jitter_buffer.hpp"

#include <algorithm>
#include <cstring>

#include "base/assert.hpp"

namespace ringdown::rtp {
namespace {

constexpr std::uint32_t frame_ts = frame_samples;
constexpr duration ts_unit = std::chrono::microseconds{125}; // 1 / 8000 s
constexpr duration frame_time = std::chrono::milliseconds{frame_ms};
/// A timestamp this many frames away from the playout point is a new stream.
constexpr std::int32_t jump_frames = 50;
/// How fast the transit reference rises per packet when no packet is as
/// early (0.5 ms/s at 50 packets/s, above any sane clock drift).
constexpr duration transit_creep = std::chrono::microseconds{10};
/// Peak lateness decays by 1/256 per packet (time constant ~5 s).
constexpr std::int64_t peak_decay_packets = 256;
constexpr std::int32_t rebase_after_ts = std::int32_t{1} << 30;
constexpr std::int32_t rebase_by_ts = std::int32_t{1} << 29;

constexpr std::int32_t ts_diff(std::uint32_t a, std::uint32_t b) noexcept {
  return static_cast<std::int32_t>(a - b);
}

constexpr std::int32_t frames_of(std::int32_t d) noexcept {
  return d >= 0 ? d / static_cast<std::int32_t>(frame_ts)
                : -((-d + static_cast<std::int32_t>(frame_ts) - 1) /
                    static_cast<std::int32_t>(frame_ts));
}

std::uint32_t to_ms(duration d) noexcept {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  return ms <= 0 ? 0 : static_cast<std::uint32_t>(ms);
}

} // namespace

jitter_buffer::jitter_buffer(const jitter_config& config) : config_(config) {
  RINGDOWN_ASSERT(config_.packets_max >= 2 && config_.packets_max <= jitter_packets_max,
                  "jitter buffer slots out of range");
  RINGDOWN_ASSERT(config_.min_delay_ms <= config_.max_delay_ms,
                  "jitter buffer min delay above max delay");
  RINGDOWN_ASSERT(config_.max_delay_ms <= (config_.packets_max - 1) * frame_ms,
                  "jitter buffer max delay beyond its slots");
  slots_.resize(config_.packets_max);
}

push_result jitter_buffer::push(std::uint16_t seq, std::uint32_t timestamp,
                                std::span<const std::uint8_t> payload, time_point arrival,
                                bool marker) noexcept {
  if (payload.size() > jitter_payload_bytes_max) {
    ++stats_.too_big;
    return push_result::too_big;
  }
  const bool next_seq = anchored_ && static_cast<std::uint16_t>(seq - last_seq_) == 1;
  const bool talkspurt = marker || (next_seq && ts_diff(timestamp, last_ts_) >
                                                    static_cast<std::int32_t>(frame_ts));
  if (anchored_) {
    const std::int32_t ahead = frames_of(ts_diff(timestamp, play_ts_));
    if (ahead <= -jump_frames || ahead >= jump_frames) {
      // A long silence ended by a talk-spurt is the same stream: only the
      // timing reference is taken afresh. Any other jump is a new stream.
      if (talkspurt && ahead > 0 && queued_ == 0) {
        anchored_ = false;
      } else {
        reset();
      }
    }
  }
  if (!anchored_) {
    start(seq, timestamp, arrival);
    store(slots_[head_], seq, timestamp, payload);
    return push_result::stored;
  }
  measure(timestamp, arrival);
  if (static_cast<std::int16_t>(seq - last_seq_) > 0) {
    last_seq_ = seq;
    last_ts_ = timestamp;
  }
  std::int32_t ahead = frames_of(ts_diff(timestamp, play_ts_));
  const auto window = static_cast<std::int32_t>(config_.packets_max);
  // With nothing queued, a new talk-spurt, or a packet past the window,
  // restarts playout at the target delay instead of being late or dropped.
  if (queued_ == 0 && (talkspurt || ahead >= window)) {
    restart_at(timestamp);
    ahead = 0;
  }
  if (ahead < 0) {
    ++stats_.late;
    return push_result::late;
  }
  if (ahead >= window) {
    ++stats_.overflow;
    return push_result::overflow;
  }
  slot& s = slot_at(static_cast<std::size_t>(ahead));
  if (s.used) {
    ++stats_.duplicate;
    return push_result::duplicate;
  }
  store(s, seq, timestamp, payload);
  return push_result::stored;
}

pop_result jitter_buffer::pop(time_point now) noexcept {
  if (!anchored_) {
    return {};
  }
  if (ts_diff(play_ts_, base_ts_) > rebase_after_ts) {
    // Keeps timestamp times within int32 range on streams running for days.
    base_ts_ += static_cast<std::uint32_t>(rebase_by_ts);
    transit_min_ += rebase_by_ts * ts_unit;
    prev_transit_ += rebase_by_ts * ts_unit;
  }
  if (!playing_) {
    if (now < start_at_) {
      return {};
    }
    playing_ = true;
    above_ticks_ = 0;
  }
  delay_ = delay_at(now);
  const duration goal = target();
  if (delay_ < goal) {
    ++stats_.expanded;
    above_ticks_ = 0;
    return {queued_ > 0 ? pop_kind::missing : pop_kind::empty, {}, 0, play_ts_};
  }
  if (delay_ >= goal + frame_time) {
    if (++above_ticks_ >= config_.shrink_hold_ticks) {
      slot& dropped = slots_[head_];
      if (dropped.used) {
        dropped.used = false;
        --queued_;
      }
      advance();
      ++stats_.dropped;
      above_ticks_ = 0;
      delay_ -= frame_time;
    }
  } else {
    above_ticks_ = 0;
  }
  slot& s = slots_[head_];
  const std::uint32_t ts = play_ts_;
  advance();
  if (s.used) {
    // s.timestamp differs from ts only for a sender off the 160-unit grid.
    s.used = false;
    --queued_;
    return {pop_kind::packet, std::span<const std::uint8_t>(s.payload.data(), s.size),
            s.seq, s.timestamp};
  }
  if (queued_ > 0) {
    ++stats_.lost;
    return {pop_kind::missing, {}, 0, ts};
  }
  ++stats_.underrun;
  return {pop_kind::empty, {}, 0, ts};
}

void jitter_buffer::reset() noexcept {
  for (slot& s : slots_) {
    s.used = false;
  }
  queued_ = 0;
  head_ = 0;
  anchored_ = false;
  playing_ = false;
  delay_ = {};
  above_ticks_ = 0;
  jitter_ns_ = 0;
  ++stats_.resets;
  // peak_late_ is kept: it describes the network path, not the source.
}

std::uint32_t jitter_buffer::current_delay_ms() const noexcept {
  return to_ms(delay_);
}

std::uint32_t jitter_buffer::target_delay_ms() const noexcept {
  return to_ms(target());
}

double jitter_buffer::jitter_ms() const noexcept {
  return jitter_ns_ / 1e6;
}

void jitter_buffer::start(std::uint16_t seq, std::uint32_t timestamp,
                          time_point arrival) noexcept {
  anchored_ = true;
  base_ts_ = timestamp;
  transit_min_ = arrival.time_since_epoch();
  prev_transit_ = transit_min_;
  last_seq_ = seq;
  last_ts_ = timestamp;
  restart_at(timestamp);
}

void jitter_buffer::restart_at(std::uint32_t timestamp) noexcept {
  RINGDOWN_ASSERT(queued_ == 0, "jitter buffer restarted with packets queued");
  play_ts_ = timestamp;
  playing_ = false;
  above_ticks_ = 0;
  start_at_ = time_point{ts_time(timestamp) + transit_min_ + target()};
}

void jitter_buffer::measure(std::uint32_t timestamp, time_point arrival) noexcept {
  const duration transit = arrival.time_since_epoch() - ts_time(timestamp);
  const auto step = std::chrono::abs(transit - prev_transit_).count();
  jitter_ns_ += (static_cast<double>(step) - jitter_ns_) / 16.0; // RFC 3550 §6.4.1
  prev_transit_ = transit;
  transit_min_ = std::min(transit, transit_min_ + transit_creep);
  const duration late_by = transit - transit_min_;
  peak_late_ = std::max(late_by, peak_late_ - peak_late_ / peak_decay_packets);
}

duration jitter_buffer::ts_time(std::uint32_t timestamp) const noexcept {
  return ts_diff(timestamp, base_ts_) * ts_unit;
}

duration jitter_buffer::delay_at(time_point now) const noexcept {
  return now.time_since_epoch() - ts_time(play_ts_) - transit_min_;
}

duration jitter_buffer::target() const noexcept {
  const duration lo = std::chrono::milliseconds{config_.min_delay_ms};
  const duration hi = std::chrono::milliseconds{config_.max_delay_ms};
  return std::clamp(peak_late_ + std::chrono::milliseconds{config_.headroom_ms}, lo, hi);
}

jitter_buffer::slot& jitter_buffer::slot_at(std::size_t frames_ahead) noexcept {
  return slots_[(head_ + frames_ahead) % slots_.size()];
}

void jitter_buffer::store(slot& s, std::uint16_t seq, std::uint32_t timestamp,
                          std::span<const std::uint8_t> payload) noexcept {
  s.used = true;
  s.seq = seq;
  s.timestamp = timestamp;
  s.size = static_cast<std::uint16_t>(payload.size());
  if (!payload.empty()) {
    std::memcpy(s.payload.data(), payload.data(), payload.size());
  }
  ++queued_;
  ++stats_.received;
}

void jitter_buffer::advance() noexcept {
  head_ = (head_ + 1) % slots_.size();
  play_ts_ += frame_ts;
}

} // namespace ringdown::rtp
