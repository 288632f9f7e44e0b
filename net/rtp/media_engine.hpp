#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/clock.hpp"
#include "net/rtp/media_types.hpp"
#include "net/rtp/tone.hpp"

namespace ringdown::rtp {

/// What an operator watches on the media plane. Updated by media threads
/// with relaxed atomics; read from anywhere.
struct media_counters {
  std::atomic<std::uint64_t> packets_in{0};
  std::atomic<std::uint64_t> packets_out{0};
  std::atomic<std::uint64_t> malformed_rtp{0};
  std::atomic<std::uint64_t> malformed_rtcp{0};
  std::atomic<std::uint64_t> srtp_auth_failures{0};
  std::atomic<std::uint64_t> srtp_replay_failures{0};
  std::atomic<std::uint64_t> foreign_source{0}; ///< from an address not the peer's
  std::atomic<std::uint64_t> send_failures{0};
  std::atomic<std::uint64_t> ports_exhausted{0};
  std::atomic<std::uint64_t> media_timeouts{0};
  std::atomic<std::uint64_t> ticks{0};
  std::atomic<std::uint64_t> bridges{0};
  std::atomic<std::uint64_t> legs{0};
  std::atomic<std::uint64_t> legs_moved{0}; ///< move_leg calls that moved a leg
  std::atomic<std::uint64_t> music_legs{0}; ///< legs in music-on-hold bridges now
};

/// The media plane (ARCHITECTURE.md §3): RTP/RTCP/SRTP sockets and bridges
/// on Asio threads of its own, packet by packet, no actor message per
/// packet. Its owner (ringdownd; the bridge actors through it) creates
/// bridges and legs, tells it where each leg's peer is and what it speaks,
/// plays tones and collects digits; events come back through each bridge's
/// sink. Every method is thread-safe; the work happens on the bridge's
/// strand, so a bridge's packets, ticks and commands never race.
///
/// A bridge with two talking legs and nothing playing forwards each packet
/// at once (re-stamped, transcoded between µ-law and A-law if needed, SRTP
/// on either side); three or more legs, a tone or a held leg switch it to
/// mixing on 20 ms ticks through per-leg jitter buffers (N-1 mix, G.711
/// concealment of lost packets). A mixing bridge reads its legs' sockets on
/// its ticks (recvmmsg, kernel arrival times) rather than being woken per
/// packet.
class media_engine {
public:
  using event_sink = std::function<void(const media_event&)>;

  media_engine(media_engine_config cfg, const clock& clk);
  ~media_engine();
  media_engine(const media_engine&) = delete;
  media_engine& operator=(const media_engine&) = delete;

  /// Starts `threads` media threads. Returns an error text if the
  /// configuration is unusable (port range, address).
  [[nodiscard]] std::optional<std::string> start();
  /// Ends every bridge and joins the threads.
  void stop();

  /// A new empty bridge reporting to `sink`; nullopt at bridges_max.
  [[nodiscard]] std::optional<bridge_id> create_bridge(event_sink sink);
  /// Ends the bridge: its legs report leg_stats, their ports are released.
  void destroy_bridge(bridge_id b);
  /// Ends the bridge and returns each leg's final figures (for the CDR),
  /// waiting at most `wait` for the bridge's thread; what did not come in
  /// time is left out. Blocks the caller briefly.
  std::vector<std::pair<leg_index, leg_quality>> end_bridge(bridge_id b,
                                                            std::chrono::milliseconds wait);

  /// A music-on-hold bridge reporting to `sink`: every leg hears `music`
  /// (rendered once a tick and encoded once per codec, however many legs
  /// listen) and nothing of the other legs; what its legs send is counted
  /// (RTCP, timeouts) but not played. nullopt at bridges_max.
  [[nodiscard]] std::optional<bridge_id> create_music_bridge(event_sink sink,
                                                             tone_spec music);
  /// Moves leg `leg` of bridge `from` into bridge `to` as its leg `as`
  /// with all it has: its ports, its peer, its SRTP contexts, its
  /// statistics and our stream to its peer (same SSRC, sequence numbers
  /// and timestamps running on), so the peer sees one stream throughout
  /// and no packet path is rebuilt. Commands about `as` given to `to`
  /// after this returns apply to the moved leg. Precondition: `to` has no
  /// leg `as` (else the moved leg is dropped and logged). False, nothing
  /// moved, when either bridge or the leg is unknown. Waits for `from`'s
  /// thread, which answers within microseconds.
  bool move_leg(bridge_id from, leg_index leg, bridge_id to, leg_index as);
  /// A place in the engine's own music-on-hold bridge (created on first
  /// use, playing the tone plan's "moh"): the bridge, and a leg index in
  /// it that no other caller gets. nullopt when no bridge could be made.
  struct hold_place {
    bridge_id bridge = 0;
    leg_index leg = 0;
  };
  [[nodiscard]] std::optional<hold_place> music_on_hold();

  /// Binds a port pair for leg `leg` of bridge `b` and returns the local
  /// RTP port (for our SDP); nullopt when the port range is exhausted
  /// (answer the call 503) or the bridge is unknown. The leg sends nothing
  /// until configured.
  [[nodiscard]] std::optional<std::uint16_t> add_leg(bridge_id b, leg_index leg);
  /// Where the leg's peer is and what it speaks (after offer/answer, and
  /// again on every re-INVITE: hold, resume, new address).
  void configure_leg(bridge_id b, leg_index leg, leg_spec spec);
  void remove_leg(bridge_id b, leg_index leg);

  /// Plays `tone` to leg `leg` on top of what it hears (ringback, busy,
  /// congestion from the tone plan); replaces a tone playing there.
  void play_tone(bridge_id b, leg_index leg, tone_spec tone);
  void stop_tone(bridge_id b, leg_index leg);
  /// Starts collecting RFC 4733 digits from `leg`; they are not passed on
  /// to the other legs meanwhile.
  void collect_digits(bridge_id b, leg_index leg, digit_collection how);
  /// A digit `leg` dialled out of band (SIP INFO): reported and collected
  /// as if it had come as RFC 4733 events from the leg.
  void dialled_digit(bridge_id b, leg_index leg, char digit);
  /// Sends `digit` to `leg` as RFC 4733 events (when it negotiated them).
  void send_digit(bridge_id b, leg_index leg, char digit, std::uint32_t duration_ms = 100);

  [[nodiscard]] const media_counters& counters() const noexcept;
  [[nodiscard]] const media_engine_config& config() const noexcept;
  [[nodiscard]] std::size_t ports_available() const;

  class impl;

private:
  std::unique_ptr<impl> impl_;
};

} // namespace ringdown::rtp
