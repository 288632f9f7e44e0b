#pragma once

#include <cstdint>
#include <span>
#include <spandsp.h>

namespace ringdown::rtp {

/// Packet-loss concealment for one leg's G.711 audio: spandsp's concealer
/// (the pitch-repetition method of ITU-T G.711 Appendix I). Received frames
/// go through `good` so it keeps a history of the speech; a frame that is
/// missing at its playout time is synthesised by `fill`, repeating the last
/// pitch period and fading it to silence over about 50 ms of consecutive
/// loss. The first good frame after a loss is cross-faded with the
/// synthesised signal by `good` itself.
///
/// The spandsp state is held by value (no allocation). Owned by the bridge's
/// mixer beside the leg's jitter buffer; used on the media thread only.
class concealer {
public:
  concealer() noexcept;
  ~concealer();
  concealer(const concealer&) = default;
  concealer& operator=(const concealer&) = default;

  /// Feeds a received, decoded frame; may rewrite its start (cross-fade
  /// after a loss).
  void good(std::span<std::int16_t> samples) noexcept;
  /// Writes a concealment frame into `samples`.
  void fill(std::span<std::int16_t> samples) noexcept;
  /// Forgets the history (new stream on the leg).
  void reset() noexcept;
  /// True while the last frame handled was a concealment frame.
  [[nodiscard]] bool concealing() const noexcept { return state_.missing_samples > 0; }

private:
  plc_state_t state_;
};

} // namespace ringdown::rtp
