#include "net/rtp/telephone_event.hpp"

#include <algorithm>

#include "net/rtp/rtp_wire.hpp"
#include "net/rtp/types.hpp"

namespace ringdown::rtp {

namespace {

constexpr std::uint32_t tick_ts = sample_rate_hz * frame_ms / 1000; // 160

} // namespace

std::optional<telephone_event>
parse_telephone_event(std::span<const std::uint8_t> payload) noexcept {
  if (payload.size() < telephone_event_size) {
    return std::nullopt;
  }
  const std::uint8_t* p = payload.data();
  return telephone_event{p[0], (p[1] & 0x80) != 0, static_cast<std::uint8_t>(p[1] & 0x3f),
                         wire::load16(p + 2)};
}

std::size_t write_telephone_event(const telephone_event& e,
                                  std::span<std::uint8_t> out) noexcept {
  if (out.size() < telephone_event_size) {
    return 0;
  }
  std::uint8_t* p = out.data();
  p[0] = e.event;
  p[1] = static_cast<std::uint8_t>((e.end ? 0x80 : 0x00) | (e.volume & 0x3f));
  wire::store16(p + 2, e.duration);
  return telephone_event_size;
}

char event_to_digit(std::uint8_t event) noexcept {
  if (event <= 9) {
    return static_cast<char>('0' + event);
  }
  switch (event) {
  case 10:
    return '*';
  case 11:
    return '#';
  case 12:
  case 13:
  case 14:
  case 15:
    return static_cast<char>('A' + (event - 12));
  default:
    return 0;
  }
}

std::optional<std::uint8_t> digit_to_event(char digit) noexcept {
  if (digit >= '0' && digit <= '9') {
    return static_cast<std::uint8_t>(digit - '0');
  }
  if (digit >= 'A' && digit <= 'D') {
    return static_cast<std::uint8_t>(12 + (digit - 'A'));
  }
  if (digit >= 'a' && digit <= 'd') {
    return static_cast<std::uint8_t>(12 + (digit - 'a'));
  }
  if (digit == '*') {
    return std::uint8_t{10};
  }
  if (digit == '#') {
    return std::uint8_t{11};
  }
  return std::nullopt;
}

std::optional<dtmf_digit> dtmf_receiver::feed(const rtp_header& h,
                                              const telephone_event& e) noexcept {
  if (started_ && h.ssrc != ssrc_) {
    started_ = false;
  }
  if (started_) {
    if (h.timestamp == timestamp_) {
      // Update or (redundant) end of the current event.
      duration_ = std::max(duration_, e.duration);
      ended_ = ended_ || e.end;
      return std::nullopt;
    }
    const std::uint32_t behind = timestamp_ - h.timestamp;
    if (behind <= stale_window_ts) {
      return std::nullopt; // late packet of an earlier event
    }
    if (!h.marker && !ended_ && e.event == event_ && duration_ != 0 &&
        h.timestamp - timestamp_ == duration_) {
      // §2.5.1.3: next segment of a long event, not a new key press.
      timestamp_ = h.timestamp;
      duration_ = e.duration;
      ended_ = e.end;
      return std::nullopt;
    }
  }
  started_ = true;
  ssrc_ = h.ssrc;
  timestamp_ = h.timestamp;
  event_ = e.event;
  duration_ = e.duration;
  ended_ = e.end;
  return current();
}

std::optional<dtmf_digit> dtmf_receiver::current() const noexcept {
  const char digit = event_to_digit(event_);
  if (!started_ || digit == 0) {
    return std::nullopt;
  }
  return dtmf_digit{digit, timestamp_, duration_, ended_};
}

bool dtmf_sender::start(char digit, std::uint32_t timestamp, std::uint32_t duration_ms,
                        std::uint8_t volume) noexcept {
  const auto event = digit_to_event(digit);
  if (!event) {
    sent_ = total_ = 0;
    return false;
  }
  event_ = *event;
  volume_ = static_cast<std::uint8_t>(std::min<unsigned>(volume, 63));
  timestamp_ = timestamp;
  const std::uint32_t ms = std::clamp(duration_ms, duration_min_ms, duration_max_ms);
  duration_ts_ = std::min<std::uint32_t>(ms * (sample_rate_hz / 1000), 0xffff);
  ticks_ = (duration_ts_ + tick_ts - 1) / tick_ts - 1; // packets before the end
  sent_ = 0;
  total_ = ticks_ + end_repeats;
  return true;
}

std::optional<dtmf_sender::step> dtmf_sender::next() noexcept {
  if (sent_ >= total_) {
    return std::nullopt;
  }
  step s;
  s.marker = sent_ == 0;
  s.timestamp = timestamp_;
  s.event.event = event_;
  s.event.volume = volume_;
  if (sent_ < ticks_) {
    s.event.duration = static_cast<std::uint16_t>((sent_ + 1) * tick_ts);
  } else {
    s.event.duration = static_cast<std::uint16_t>(duration_ts_);
    s.event.end = true;
  }
  ++sent_;
  return s;
}

} // namespace ringdown::rtp
