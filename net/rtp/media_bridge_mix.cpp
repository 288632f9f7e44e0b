#include <algorithm>

#include <boost/asio/bind_executor.hpp>

#include "base/logging.hpp"
#include "net/rtp/g711.hpp"
#include "net/rtp/media_bridge.hpp"
#include "net/rtp/mixer.hpp"
#include "net/rtp/rtcp.hpp"
#include "net/rtp/rtp_packet.hpp"
#include "net/rtp/tick_slot.hpp"

namespace ringdown::rtp {

namespace {

using std::chrono::milliseconds;

/// Housekeeping (media timeout, RTCP, inter-digit timer) runs this often
/// when the bridge is not mixing.
constexpr milliseconds housekeeping_interval{100};
constexpr milliseconds tick_interval{frame_ms};
static_assert(housekeeping_interval % tick_interval == milliseconds{0},
              "housekeeping ticks stay on the bridge's slot of the frame");

void bump(std::atomic<std::uint64_t>& c) {
  c.fetch_add(1, std::memory_order_relaxed);
}

} // namespace

void media_bridge::arm_tick() {
  if (closed_)
    return;
  const auto interval = mixing_ ? tick_interval : housekeeping_interval;
  const time_point now = clock_.now();
  if (tick_interval_ == interval && next_tick_ > now)
    return; // already armed at this pace
  tick_interval_ = interval;
  next_tick_ = next_tick_slot(now + interval, tick_phase(id_), tick_interval);
  wait_for_tick(now);
}

void media_bridge::wait_for_tick(time_point now) {
  // A later arming supersedes this one: its handler sees another generation.
  const auto generation = ++tick_generation_;
  timer_.expires_after(next_tick_ - now);
  timer_.async_wait(asio::bind_executor(strand_, [self = shared_from_this(), generation](
                                                     const boost::system::error_code& ec) {
    if (ec || self->closed_ || generation != self->tick_generation_)
      return;
    self->on_tick();
  }));
}

void media_bridge::on_tick() {
  const time_point now = clock_.now();
  bump(counters_.ticks);
  if (mixing_) {
    read_polled(now);
    if (music_)
      music_tick();
    else
      mix_tick(now);
  }
  if (now - last_housekeeping_ >= housekeeping_interval) {
    last_housekeeping_ = now;
    housekeeping(now);
  }
  // Absolute deadlines keep 20 ms ticks from drifting; after a stall the
  // bridge resynchronises (on its slot) rather than bursting. Intervals are
  // whole frames, so the ticks stay on the bridge's slot.
  next_tick_ += tick_interval_;
  if (next_tick_ <= now)
    next_tick_ = next_tick_slot(now + tick_interval_, tick_phase(id_), tick_interval);
  wait_for_tick(now);
}

void media_bridge::mix_tick(time_point now) {
  mix_in_.clear();
  mix_out_.clear();
  for (auto& lp : legs_) {
    media_leg& l = *lp;
    mix_state& m = *l.mix; // every leg has one while the bridge mixes
    m.pcm_valid = false;
    if (l.configured && !l.spec.held) {
      const auto r = m.jitter.pop(now);
      if (r.kind == pop_kind::packet) {
        const std::size_t n = std::min(r.payload.size(), frame_samples);
        decode(l.spec.audio, r.payload.first(n), {m.pcm.data(), n});
        std::fill(m.pcm.begin() + static_cast<std::ptrdiff_t>(n), m.pcm.end(), 0);
        m.plc.good(m.pcm);
        m.pcm_valid = true;
      } else if (r.kind == pop_kind::missing) {
        m.plc.fill(m.pcm);
        m.pcm_valid = true;
      }
    }
    mix_in_.push_back(m.pcm_valid ? &m.pcm : nullptr);
    mix_out_.push_back(&m.mixed);
  }
  mix_n_minus_1(mix_in_, mix_out_, scratch_);

  bool mode_change = false;
  for (auto& lp : legs_) {
    media_leg& l = *lp;
    frame& mixed = l.mix->mixed;
    if (l.spec.held)
      mixed.fill(0); // a held party hears music on hold, not the call
    if (l.tone) {
      frame t;
      l.tone->render(t);
      add_saturating(mixed, t);
      if (l.tone->finished()) {
        l.tone.reset();
        media_event e;
        e.what = media_event::kind::tone_finished;
        e.leg = l.index;
        emit(std::move(e));
        mode_change = true;
      }
    }
    if (!l.configured || l.remote_rtp.port() == 0)
      continue;
    const std::uint32_t timestamp = l.out_timestamp + frame_samples;
    if (l.dtmf_out.active()) {
      if (const auto step = l.dtmf_out.next(); step && l.spec.event_payload_type != 0) {
        std::array<std::uint8_t, 4> payload;
        (void)write_telephone_event(step->event, payload);
        rtp_header h;
        h.payload_type = l.spec.event_payload_type;
        h.marker = step->marker;
        h.sequence = static_cast<std::uint16_t>(l.out_seq + 1);
        h.timestamp = step->timestamp;
        h.ssrc = l.out_ssrc;
        send_rtp(l, h, payload);
        l.out_timestamp = timestamp;
        continue;
      }
      mode_change = true;
    }
    std::array<std::uint8_t, frame_samples> payload;
    encode(l.spec.audio, mixed, payload);
    rtp_header h;
    h.payload_type = l.spec.audio_payload_type;
    h.marker = false;
    h.sequence = static_cast<std::uint16_t>(l.out_seq + 1);
    h.timestamp = timestamp;
    h.ssrc = l.out_ssrc;
    send_rtp(l, h, payload);
  }
  if (mode_change)
    update_mode();
}

void media_bridge::housekeeping(time_point now) {
  const auto timeout = milliseconds{cfg_.media_timeout_ms};
  for (auto& lp : legs_) {
    media_leg& l = *lp;
    if (l.configured && !l.spec.held && !l.spec.may_be_silent && !l.timed_out &&
        now - l.last_rx >= timeout) {
      l.timed_out = true;
      bump(counters_.media_timeouts);
      media_event e;
      e.what = media_event::kind::media_timeout;
      e.leg = l.index;
      emit(std::move(e));
    }
    if (l.collecting) {
      const auto& c = *l.collecting;
      const auto wait =
          l.digits.empty() && c.first_digit_ms != 0 ? c.first_digit_ms : c.inter_digit_ms;
      if (now - l.last_digit >= milliseconds{wait})
        finish_digits(l);
    }
    if (l.configured && l.remote_rtp.port() != 0 &&
        now - l.last_rtcp_tx >= milliseconds{cfg_.rtcp_interval_ms})
      send_rtcp(l, now);
  }
}

void media_bridge::send_rtcp(media_leg& l, time_point now) {
  l.last_rtcp_tx = now;
  rtcp_report r;
  r.ssrc = l.out_ssrc;
  if (l.sent.has_sent())
    r.sender = l.sent.make_sender_info(ntp_from_wall_ms(clock_.wall_ms()), now);
  if (l.received.packets_received() > 0) {
    std::uint32_t dlsr = 0;
    if (l.last_sr_ntp_middle != 0) {
      const auto since =
          std::chrono::duration_cast<std::chrono::microseconds>(now - l.last_sr_at);
      dlsr = static_cast<std::uint32_t>(since.count() * 65536 / 1'000'000);
    }
    (void)r.add(l.received.make_report(l.in_ssrc, l.last_sr_ntp_middle, dlsr));
  }
  r.cname = "ringdown";
  const std::size_t n = write_rtcp(r, {tx_.data(), datagram_bytes_max});
  if (n > 0)
    send_raw(l, tx_, n, true);
}

void media_bridge::digit_received(media_leg& l, char digit, time_point now) {
  media_event e;
  e.what = media_event::kind::digit;
  e.leg = l.index;
  e.digit = digit;
  emit(std::move(e));
  if (!l.collecting)
    return;
  if (digit == l.collecting->terminator) {
    finish_digits(l);
    return;
  }
  l.digits.push_back(digit);
  l.last_digit = now;
  if (l.digits.size() >= l.collecting->digits_max)
    finish_digits(l);
}

void media_bridge::finish_digits(media_leg& l) {
  media_event e;
  e.what = media_event::kind::digits_collected;
  e.leg = l.index;
  e.digits = std::move(l.digits);
  l.digits.clear();
  l.collecting.reset();
  emit(std::move(e));
}

void media_bridge::play_tone(leg_index idx, tone_spec tone) {
  if (media_leg* l = find(idx)) {
    l->tone.emplace(tone);
    update_mode();
  }
}

void media_bridge::stop_tone(leg_index idx) {
  if (media_leg* l = find(idx); l && l->tone) {
    l->tone.reset();
    update_mode();
  }
}

void media_bridge::collect_digits(leg_index idx, digit_collection how) {
  if (media_leg* l = find(idx)) {
    l->collecting = how;
    l->digits.clear();
    l->last_digit = clock_.now();
  }
}

void media_bridge::dialled_digit(leg_index idx, char digit) {
  if (media_leg* l = find(idx))
    digit_received(*l, digit, clock_.now());
}

void media_bridge::send_digit(leg_index idx, char digit, std::uint32_t duration_ms) {
  media_leg* l = find(idx);
  if (l == nullptr || l->spec.event_payload_type == 0)
    return;
  if (l->dtmf_out.start(digit, l->out_timestamp + frame_samples, duration_ms))
    update_mode();
}

leg_quality media_bridge::quality_of(const media_leg& l) const {
  leg_quality q;
  q.packets_received = l.received.packets_received();
  q.packets_sent = l.sent.packets();
  q.packets_lost = l.received.cumulative_lost();
  q.jitter_ms = l.received.jitter_ms();
  q.rtt_ms = l.rtt_ms;
  const double expected = static_cast<double>(q.packets_received) +
                          static_cast<double>(std::max<std::int64_t>(q.packets_lost, 0));
  const double loss =
      expected > 0
          ? static_cast<double>(std::max<std::int64_t>(q.packets_lost, 0)) / expected
          : 0.0;
  const auto e = estimate_quality(l.rtt_ms ? *l.rtt_ms / 2 : 0.0, loss, q.jitter_ms);
  q.r_factor = e.r_factor;
  q.mos = e.mos;
  return q;
}

} // namespace ringdown::rtp
