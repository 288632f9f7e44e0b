#pragma once

#include <atomic>
#include <cstdint>

namespace ringdown::actors {

/// Counters of the gateway and its relay; written on the I/O thread,
/// readable from any thread.
struct gateway_counters {
  std::atomic<std::uint64_t> dispatched{0};  ///< requests handed to an actor
  std::atomic<std::uint64_t> local{0};       ///< answered by the node's responder
  std::atomic<std::uint64_t> no_dialog{0};   ///< 481: no actor for an in-dialog request
  std::atomic<std::uint64_t> unavailable{0}; ///< 503: the actor could not be spawned
  std::atomic<std::uint64_t> acks_absorbed{0};
  // -- the relay (sip_relay, RFC 3261 §16) --
  std::atomic<std::uint64_t> relayed_requests{0};       ///< sent on to another node or hop
  std::atomic<std::uint64_t> relayed_responses{0};      ///< sent back upstream
  std::atomic<std::uint64_t> loops{0};                  ///< 482 Loop Detected
  std::atomic<std::uint64_t> max_forwards_exhausted{0}; ///< 483 Too Many Hops
  std::atomic<std::uint64_t> relays_refused{0}; ///< 503: relay table full or no route
};

} // namespace ringdown::actors
