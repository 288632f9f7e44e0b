#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

#include "base/clock.hpp"
#include "net/rtp/g711.hpp"
#include "net/rtp/media_engine.hpp"
#include "tests/integration/media/udp_peer.hpp"

namespace ringdown::test {

/// A running media engine on 127.0.0.1 and the events its bridges report,
/// waited for with deadlines.
struct media_fixture {
  explicit media_fixture(rtp::media_engine_config cfg = make_config())
      : engine(std::move(cfg), clk) {
    const auto error = engine.start();
    if (error)
      throw std::runtime_error(*error);
  }

  static rtp::media_engine_config make_config() {
    rtp::media_engine_config cfg;
    cfg.address = "127.0.0.1";
    cfg.port_first = 41000;
    cfg.port_last = 41999;
    cfg.media_timeout_ms = 60000;
    return cfg;
  }

  rtp::bridge_id bridge() {
    auto b = engine.create_bridge([this](const rtp::media_event& e) {
      std::lock_guard lock(mutex);
      events.push_back(e);
      cv.notify_all();
    });
    if (!b)
      throw std::runtime_error("no bridge");
    return *b;
  }

  /// The first event matching `pred` within `wait`.
  std::optional<rtp::media_event>
  wait_event(std::function<bool(const rtp::media_event&)> pred,
             std::chrono::milliseconds wait = std::chrono::seconds{5}) {
    std::unique_lock lock(mutex);
    std::optional<rtp::media_event> found;
    cv.wait_for(lock, wait, [&] {
      for (const auto& e : events)
        if (pred(e)) {
          found = e;
          return true;
        }
      return false;
    });
    return found;
  }

  static rtp::leg_spec spec_for(const udp_peer& p, rtp::codec c = rtp::codec::pcmu) {
    rtp::leg_spec s;
    s.remote_address = "127.0.0.1";
    s.remote_port = p.port();
    s.audio = c;
    s.audio_payload_type = rtp::payload_type_of(c);
    s.event_payload_type = 101;
    return s;
  }

  // The engine is declared last: it stops (and reports its last events)
  // before what its sinks write to goes away.
  real_clock clk;
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<rtp::media_event> events;
  rtp::media_engine engine;
};

/// An RTP packet as a phone sends it: 12-byte header and `payload`.
inline std::vector<std::uint8_t> rtp_packet(std::uint8_t pt, std::uint16_t seq,
                                            std::uint32_t ts, std::uint32_t ssrc,
                                            std::span<const std::uint8_t> payload,
                                            bool marker = false) {
  std::vector<std::uint8_t> p(12 + payload.size());
  p[0] = 0x80;
  p[1] = static_cast<std::uint8_t>((marker ? 0x80 : 0) | pt);
  p[2] = static_cast<std::uint8_t>(seq >> 8);
  p[3] = static_cast<std::uint8_t>(seq);
  for (int i = 0; i < 4; ++i) {
    p[4 + i] = static_cast<std::uint8_t>(ts >> (24 - 8 * i));
    p[8 + i] = static_cast<std::uint8_t>(ssrc >> (24 - 8 * i));
  }
  std::copy(payload.begin(), payload.end(), p.begin() + 12);
  return p;
}

inline std::uint16_t seq_of(const std::vector<std::uint8_t>& p) {
  return static_cast<std::uint16_t>(p[2] << 8 | p[3]);
}
inline std::uint32_t ssrc_of(const std::vector<std::uint8_t>& p) {
  return static_cast<std::uint32_t>(p[8] << 24 | p[9] << 16 | p[10] << 8 | p[11]);
}
inline std::uint8_t pt_of(const std::vector<std::uint8_t>& p) {
  return p[1] & 0x7F;
}

/// 160 µ-law or A-law bytes of a sine at `freq_hz`, frame `n` of a stream.
inline std::vector<std::uint8_t> sine_frame(rtp::codec c, double freq_hz, std::uint32_t n,
                                            double amplitude = 8000) {
  std::array<std::int16_t, rtp::frame_samples> pcm;
  for (std::size_t i = 0; i < pcm.size(); ++i) {
    const double t = static_cast<double>(n * rtp::frame_samples + i) / 8000.0;
    pcm[i] =
        static_cast<std::int16_t>(amplitude * std::sin(2 * 3.14159265358979 * freq_hz * t));
  }
  std::vector<std::uint8_t> out(rtp::frame_samples);
  rtp::encode(c, pcm, out);
  return out;
}

/// Decoded samples of a received packet's payload.
inline std::vector<std::int16_t> decoded(rtp::codec c, const std::vector<std::uint8_t>& p) {
  std::vector<std::int16_t> pcm(p.size() - 12);
  rtp::decode(c, std::span<const std::uint8_t>(p).subspan(12), pcm);
  return pcm;
}

} // namespace ringdown::test
