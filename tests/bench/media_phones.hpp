#pragma once

// The simulated phones of bench_media: their sockets, the sender and
// receiver threads that drive them, and the figures a run gives.

#include <chrono>
#include <cstdint>
#include <vector>

namespace ringdown::bench {

using steady = std::chrono::steady_clock;

/// One simulated phone: the shared socket it sends from, its SSRC and
/// where it sends (a bridge port or, for the baseline, another phone).
struct phone {
  int fd = -1;
  std::uint16_t port = 0;
  std::uint16_t target = 0;
  std::uint32_t ssrc = 0;
  std::uint16_t seq = 0;
  std::uint32_t ts = 0;
  /// In a conference only the first phone of a room talks (its send time
  /// survives the mix, see put_mixable); the others send silence.
  bool talker = true;
  std::int64_t tick_phase_ns = 0; ///< when its bridge ticks in the 20 ms frame
};

/// What the phones' receiver takes from each packet.
enum class latency { none, forwarded, mixed };

/// What one run of the phones gives.
struct result {
  std::uint64_t sent = 0, received = 0;
  std::vector<double> latency_us;
  std::vector<double> after_tick_us; ///< mixed: from the tick that sent it
  double generator_cpu_s = 0;        ///< the phones' two threads
};

/// The bench's epoch (first call), the phones' RTP clock origin.
steady::time_point bench_epoch();
std::int64_t now_ns();
/// CPU seconds of the calling thread so far.
double thread_cpu_s();

/// A socket on 127.0.0.1:`port` with a receive buffer deep enough for the
/// phones sharing it; -1 when the port is taken.
int open_phone_socket(std::uint16_t port);

/// Every phone sends one 20 ms packet per 20 ms, spread evenly over the
/// 20 ms in slots of `slot_us` (phone i in slot i mod slots), from a sender
/// thread; phones of one call are in different slots, as they are not
/// synchronised in life. Shorter slots send smaller bursts: a burst queues
/// in the bridge, and its last packet waits for all the others. A slot's
/// phones that share a socket send with one sendmmsg (but for forwarded
/// latency, where each packet leaves as it is stamped), and the receiver
/// reads with recvmmsg: the phones then leave the other core of a small
/// machine to the media thread, as phones across a network would. This
/// thread reads what comes back and takes the latency from the send time
/// carried in the payload (forwarding keeps payloads byte for byte; a mix
/// of one talker and silence keeps the talker's bytes).
result drive(std::vector<phone>& phones, const std::vector<int>& sockets, double seconds,
             int slot_us, latency take);

/// The q-quantile of `v` (sorts it); 0 when empty.
double percentile(std::vector<double>& v, double q);

} // namespace ringdown::bench
