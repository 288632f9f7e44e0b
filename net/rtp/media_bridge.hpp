#pragma once

// Internal to the media engine: includes Asio, never included by actors.

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "base/clock.hpp"
#include "net/rtp/jitter_buffer.hpp"
#include "net/rtp/media_engine.hpp"
#include "net/rtp/plc.hpp"
#include "net/rtp/port_pool.hpp"
#include "net/rtp/rtp_stats.hpp"
#include "net/rtp/srtp_session.hpp"
#include "net/rtp/telephone_event.hpp"
#include "net/rtp/tone.hpp"

namespace ringdown::rtp {

namespace asio = boost::asio;
using udp = asio::ip::udp;

/// Largest datagram a leg takes in (RTP/RTCP over Ethernet; bigger is cut
/// and dropped as malformed).
inline constexpr std::size_t datagram_bytes_max = 1500;

/// What a leg needs only while its bridge mixes (20 ms ticks): the jitter
/// buffer, concealment and this tick's frames — some 12 KB, so a
/// forwarding bridge (most calls) does without it.
struct mix_state {
  explicit mix_state(const jitter_config& jb) : jitter(jb) {}
  jitter_buffer jitter;
  concealer plc;
  frame pcm{}; ///< this tick's decoded input
  bool pcm_valid = false;
  frame mixed{}; ///< this tick's output
};

/// Everything of one leg: its two sockets (one with rtcp-mux), the peer's
/// addresses, SRTP contexts, statistics, jitter buffer, concealment, the
/// stream we send it (SSRC, sequence, timestamp), digit collection and
/// tone. Lives in its bridge, touched only on the bridge's strand.
struct media_leg {
  media_leg(asio::io_context& io, leg_index idx, port_lease lease, udp::socket rtp_socket,
            udp::socket rtcp_socket, const jitter_config& jb, std::uint32_t ssrc);
  ~media_leg();
  media_leg(const media_leg&) = delete;
  media_leg& operator=(const media_leg&) = delete;

  leg_index index;
  bool removed = false; ///< pending handlers see this and stop
  port_lease port;
  udp::socket rtp;
  udp::socket rtcp;
  /// While the bridge mixes, the RTP socket is taken out of the reactor and
  /// owned here: each tick reads what came in since the last one, with the
  /// kernel's arrival times (no wake-up per packet). -1 while forwarding.
  int polled_fd = -1;
  udp rtp_protocol = udp::v4(); ///< to hand polled_fd back to `rtp`
  bool receiving = false;       ///< an async receive on `rtp` is pending
  leg_spec spec;
  bool configured = false;
  bool latched = false;
  udp::endpoint remote_rtp;
  udp::endpoint remote_rtcp;
  std::array<std::uint8_t, datagram_bytes_max + srtp_overhead_max> rx_rtp{};
  std::array<std::uint8_t, datagram_bytes_max + srtp_overhead_max> rx_rtcp{};
  udp::endpoint from_rtp;
  udp::endpoint from_rtcp;
  std::optional<srtp_session> srtp_in;
  std::optional<srtp_session> srtp_out;

  receiver_stats received;
  sender_stats sent;
  std::optional<double> rtt_ms;
  jitter_config jitter_settings;
  std::unique_ptr<mix_state> mix; ///< while the bridge mixes
  dtmf_receiver dtmf_in;
  dtmf_sender dtmf_out;

  // Our stream to this leg's peer.
  std::uint32_t out_ssrc;
  std::uint16_t out_seq;
  std::uint32_t out_timestamp;
  // The peer's stream, re-stamped onto the other leg's stream when
  // forwarded: out = in + offset, so gaps and reordering pass unchanged.
  bool have_offset = false;
  std::uint32_t in_ssrc = 0;
  std::uint16_t seq_offset = 0;
  std::uint32_t timestamp_offset = 0;
  // The last SR from the peer (RFC 3550 §6.4.1 LSR/DLSR).
  std::uint32_t last_sr_ntp_middle = 0;
  time_point last_sr_at{};

  time_point last_rx{};
  time_point last_rtcp_tx{};
  bool timed_out = false;

  std::optional<digit_collection> collecting;
  /// The event that a collection consumed: its later packets (updates, end
  /// repeats) are not passed on either, even after the collection ended.
  std::optional<std::uint32_t> swallowed_event;
  std::string digits;
  time_point last_digit{};

  std::optional<tone_player> tone;
  bool tone_repeats = false;
};

/// One bridge on its strand: receive, forward or mix, send. See
/// media_engine for the modes. Owned by the engine through a shared_ptr
/// that every pending handler also holds.
class media_bridge : public std::enable_shared_from_this<media_bridge> {
public:
  /// With `music`, a music-on-hold bridge: every leg hears it, no leg
  /// hears another.
  media_bridge(asio::io_context& io, bridge_id id, const media_engine_config& cfg,
               const clock& clk, media_counters& counters, media_engine::event_sink sink,
               std::optional<tone_spec> music = std::nullopt);

  asio::strand<asio::io_context::executor_type>& strand() noexcept { return strand_; }
  [[nodiscard]] bridge_id id() const noexcept { return id_; }

  // Commands; each runs on the strand.
  /// Adds a new leg, or one detached from another bridge (which keeps its
  /// peer, SRTP and stream). A closed bridge drops it (ports released).
  void add_leg(std::shared_ptr<media_leg> leg);
  /// Takes leg `idx` out of this bridge for another (move_leg): a new leg
  /// object, numbered `as`, with the sockets, peer, SRTP contexts,
  /// statistics and our stream; the old object stays behind for the
  /// handlers still pending on it. Null when there is no such leg.
  std::shared_ptr<media_leg> detach_leg(leg_index idx, leg_index as);
  void configure_leg(leg_index idx, leg_spec spec);
  void remove_leg(leg_index idx);
  void play_tone(leg_index idx, tone_spec tone);
  void stop_tone(leg_index idx);
  void collect_digits(leg_index idx, digit_collection how);
  void dialled_digit(leg_index idx, char digit);
  void send_digit(leg_index idx, char digit, std::uint32_t duration_ms);
  /// Ends the bridge; returns each leg's figures (also reported as
  /// leg_stats events).
  std::vector<std::pair<leg_index, leg_quality>> close();

private:
  // media_bridge.cpp: the packet path
  void receive_rtp(const std::shared_ptr<media_leg>& l);
  void receive_rtcp(const std::shared_ptr<media_leg>& l);
  /// `data` holds `size` bytes of a datagram in a buffer of
  /// datagram_bytes_max + srtp_overhead_max bytes, from `from`, arrived at
  /// `arrival`.
  void on_rtp(media_leg& l, std::uint8_t* data, std::size_t size, const udp::endpoint& from,
              time_point arrival);
  void on_rtcp(media_leg& l, std::uint8_t* data, std::size_t size);
  void on_event(media_leg& l, const rtp_view& v);
  void forward(media_leg& from, const rtp_view& v, bool event);
  void send_rtp(media_leg& to, const rtp_header& h, std::span<const std::uint8_t> payload);
  void send_raw(media_leg& to, std::span<std::uint8_t> buffer, std::size_t length,
                bool rtcp);
  [[nodiscard]] bool accept_source(media_leg& l, const udp::endpoint& from);
  media_leg* find(leg_index idx) noexcept;
  media_leg* peer_of(const media_leg& l) noexcept;
  void emit(media_event e);
  /// Takes the leg at `it` off the bridge (removed or moved away): marks it
  /// for the handlers still pending on it, counts it out, and has the
  /// other legs re-stamp their streams.
  void unlist(std::vector<std::shared_ptr<media_leg>>::iterator it);
  void update_mode();
  // media_bridge_poll.cpp: the RTP sockets of a mixing bridge, read on ticks
  /// Moves the leg's RTP socket out of the reactor (mixing) or back into it
  /// (forwarding) to match the bridge's mode.
  void set_polled(const std::shared_ptr<media_leg>& l, bool polled);
  /// Reads every polled socket dry (recvmmsg) and handles the packets.
  void read_polled(time_point now);
  // media_bridge_mix.cpp: ticks, mixing, tones, digits, housekeeping
  void arm_tick();
  /// Arms the timer for next_tick_ (one pending tick at a time).
  void wait_for_tick(time_point now);
  void on_tick();
  void mix_tick(time_point now);
  /// A music-on-hold bridge's tick: one frame of music, encoded once per
  /// codec, sent to every leg.
  void music_tick();
  void housekeeping(time_point now);
  void send_rtcp(media_leg& l, time_point now);
  void finish_digits(media_leg& l);
  void digit_received(media_leg& l, char digit, time_point now);
  [[nodiscard]] leg_quality quality_of(const media_leg& l) const;

  asio::io_context& io_;
  asio::strand<asio::io_context::executor_type> strand_;
  /// Typed on the strand, not on any_io_executor: arming a type-erased
  /// strand executor allocates (the strand does not fit its small buffer),
  /// and the bridge arms its timer every tick.
  asio::basic_waitable_timer<std::chrono::steady_clock,
                             asio::wait_traits<std::chrono::steady_clock>,
                             asio::strand<asio::io_context::executor_type>>
      timer_;
  bridge_id id_;
  const media_engine_config& cfg_;
  const clock& clock_;
  media_counters& counters_;
  media_engine::event_sink sink_;
  std::vector<std::shared_ptr<media_leg>> legs_;
  std::optional<tone_player> music_; ///< a music-on-hold bridge's music
  bool mixing_ = false;
  bool closed_ = false;
  std::uint64_t tick_generation_ = 0;
  std::chrono::milliseconds tick_interval_{0};
  time_point next_tick_{};
  time_point last_housekeeping_{};
  std::array<std::uint8_t, datagram_bytes_max + srtp_overhead_max> tx_{};
  std::array<std::int32_t, frame_samples> scratch_{};
  std::vector<const frame*> mix_in_;
  std::vector<frame*> mix_out_;
};

} // namespace ringdown::rtp
