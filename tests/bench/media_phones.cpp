#include "tests/bench/media_phones.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <atomic>
#include <cstring>
#include <ctime>
#include <memory>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace ringdown::bench {

namespace {

/// A send time and a phone's index in bytes that survive µ-law decoding,
/// an N-1 mix with silent legs and encoding again: six bits a byte (codes
/// below 0x40, never the second zero code 0x7F), after a marker byte.
constexpr std::uint8_t mixable_mark = 0x2A;
constexpr std::size_t mixable_bytes = 1 + 11 + 4;

void put_mixable(std::uint8_t* out, std::int64_t t, std::uint32_t phone) {
  out[0] = mixable_mark;
  for (std::size_t k = 0; k < 11; ++k)
    out[1 + k] =
        static_cast<std::uint8_t>((static_cast<std::uint64_t>(t) >> (6 * k)) & 0x3F);
  for (std::size_t k = 0; k < 4; ++k)
    out[12 + k] = static_cast<std::uint8_t>((phone >> (6 * k)) & 0x3F);
}

bool get_mixable(const std::uint8_t* in, std::int64_t& t, std::uint32_t& phone) {
  if (in[0] != mixable_mark)
    return false;
  std::uint64_t v = 0;
  phone = 0;
  for (std::size_t k = 1; k < mixable_bytes; ++k)
    if (in[k] >= 0x40)
      return false; // concealed, cross-faded or mixed with a talker: not ours
  for (std::size_t k = 0; k < 11; ++k)
    v |= static_cast<std::uint64_t>(in[1 + k]) << (6 * k);
  for (std::size_t k = 0; k < 4; ++k)
    phone |= static_cast<std::uint32_t>(in[12 + k]) << (6 * k);
  t = static_cast<std::int64_t>(v);
  return true;
}

} // namespace

steady::time_point bench_epoch() {
  static const steady::time_point epoch = steady::now();
  return epoch;
}

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             steady::now().time_since_epoch())
      .count();
}

double thread_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}
/// A socket on 127.0.0.1:`port` with a receive buffer deep enough for the
/// phones sharing it; -1 when the port is taken.
int open_phone_socket(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  const int buffer_bytes = 4 << 20;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer_bytes, sizeof buffer_bytes);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}
namespace {

/// Datagrams one sendmmsg or recvmmsg takes: the phones of one sending
/// slot that share a socket go out in one system call, and the receiver
/// reads a socket's queue in as few, so that the phones' two threads leave
/// the machine's other core to the media thread under test.
constexpr std::size_t batch_max = 64;
constexpr std::size_t packet_bytes = 12 + 160;

/// A batch of outgoing packets from one socket, each to its own address.
struct send_batch {
  std::array<std::array<std::uint8_t, packet_bytes>, batch_max> data{};
  std::array<sockaddr_in, batch_max> to{};
  std::array<iovec, batch_max> iov{};
  std::array<mmsghdr, batch_max> headers{};
  std::size_t size = 0;
  int fd = -1;

  /// Sends what is queued; returns how many went out.
  std::uint64_t flush() {
    std::uint64_t sent = 0;
    std::size_t from = 0;
    while (from < size) {
      const int n = ::sendmmsg(fd, &headers[from], static_cast<unsigned>(size - from), 0);
      if (n <= 0) // a full socket buffer: the rest of the batch is lost, as
        break;    // sendto's failures were
      sent += static_cast<unsigned>(n);
      from += static_cast<unsigned>(n);
    }
    size = 0;
    return sent;
  }
  /// The next packet's buffer, for socket `socket` to port `port` (sends
  /// the batch first when it is full or from another socket).
  std::uint8_t* next(int socket, std::uint16_t port, std::uint64_t& sent) {
    if (size == batch_max || (size > 0 && socket != fd))
      sent += flush();
    fd = socket;
    const std::size_t i = size++;
    to[i] = sockaddr_in{};
    to[i].sin_family = AF_INET;
    to[i].sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    to[i].sin_port = htons(port);
    iov[i].iov_base = data[i].data();
    iov[i].iov_len = packet_bytes;
    headers[i] = mmsghdr{};
    headers[i].msg_hdr.msg_name = &to[i];
    headers[i].msg_hdr.msg_namelen = sizeof(sockaddr_in);
    headers[i].msg_hdr.msg_iov = &iov[i];
    headers[i].msg_hdr.msg_iovlen = 1;
    return data[i].data();
  }
};

/// Buffers for reading a socket's queue in batches.
struct receive_batch {
  receive_batch() {
    for (std::size_t i = 0; i < batch_max; ++i) {
      iov[i].iov_base = data[i].data();
      iov[i].iov_len = data[i].size();
    }
  }
  /// Reads up to batch_max datagrams from `fd` (none waiting: 0).
  int read(int fd) {
    for (std::size_t i = 0; i < batch_max; ++i) {
      headers[i] = mmsghdr{};
      headers[i].msg_hdr.msg_iov = &iov[i];
      headers[i].msg_hdr.msg_iovlen = 1;
    }
    const int n = ::recvmmsg(fd, headers.data(), batch_max, MSG_DONTWAIT, nullptr);
    return n < 0 ? 0 : n;
  }
  std::array<std::array<std::uint8_t, 2048>, batch_max> data{};
  std::array<iovec, batch_max> iov{};
  std::array<mmsghdr, batch_max> headers{};
};

} // namespace

/// Every phone sends one 20 ms packet per 20 ms, spread evenly over the
/// 20 ms in slots of `slot_us` (phone i in slot i mod slots), from a sender
/// thread; phones of one call are in different slots, as they are not
/// synchronised in life. Shorter slots send smaller bursts: a burst queues
/// in the bridge, and its last packet waits for all the others. This
/// thread reads what comes back and takes the latency from the send time
/// carried in the payload (forwarding keeps payloads byte for byte; a mix
/// of one talker and silence keeps the talker's bytes).
result drive(std::vector<phone>& phones, const std::vector<int>& sockets, double seconds,
             int slot_us, latency take) {
  const bool measure_latency = take != latency::none;
  const auto slot = std::chrono::microseconds{slot_us};
  const auto slots = static_cast<std::size_t>(std::max(1, 20'000 / slot_us));
  result r;
  const int ep = epoll_create1(0);
  for (const int fd : sockets) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  }
  const auto start = steady::now();
  const auto end = start + std::chrono::duration<double>(seconds);
  std::atomic<std::uint64_t> sent{0};
  std::atomic<double> sender_cpu{0};
  std::thread sender([&] {
    auto batch = std::make_unique<send_batch>();
    const double cpu0 = thread_cpu_s();
    auto next = start;
    std::uint64_t out = 0;
    for (std::uint64_t n = 0; steady::now() < end; ++n) {
      // The RTP clock runs with real time, between runs too (a phone that
      // stops sending and starts again jumps its timestamp, and the jitter
      // buffer takes a new talk-spurt): frame k of the bench's epoch.
      const auto frame_index = (next - bench_epoch()) / std::chrono::milliseconds{20};
      for (std::size_t i = n % slots; i < phones.size(); i += slots) {
        auto& p = phones[i];
        std::uint8_t* packet = batch->next(p.fd, p.target, out);
        p.ts = static_cast<std::uint32_t>(160 * frame_index);
        packet[0] = 0x80;
        packet[1] = 0;
        packet[2] = static_cast<std::uint8_t>(p.seq >> 8);
        packet[3] = static_cast<std::uint8_t>(p.seq);
        for (int b = 0; b < 4; ++b) {
          packet[4 + b] = static_cast<std::uint8_t>(p.ts >> (24 - 8 * b));
          packet[8 + b] = static_cast<std::uint8_t>(p.ssrc >> (24 - 8 * b));
        }
        std::fill_n(packet + 12, packet_bytes - 12, std::uint8_t{0xFF});
        const std::int64_t t = now_ns();
        if (take == latency::forwarded)
          std::memcpy(packet + 12, &t, sizeof t);
        else if (p.talker)
          put_mixable(packet + 12, t, static_cast<std::uint32_t>(&p - phones.data()));
        ++p.seq;
        // A forwarded packet's send time must be when it left: it goes
        // out at once, not after the others of its batch.
        if (take == latency::forwarded)
          out += batch->flush();
      }
      out += batch->flush();
      sent.store(out, std::memory_order_relaxed);
      next += slot;
      std::this_thread::sleep_until(next);
    }
    sender_cpu = thread_cpu_s() - cpu0;
  });
  std::vector<epoll_event> events(std::max<std::size_t>(1024, sockets.size()));
  auto batch = std::make_unique<receive_batch>();
  const double cpu0 = thread_cpu_s();
  const auto drain_until = end + std::chrono::milliseconds{200};
  if (measure_latency)
    r.latency_us.reserve(static_cast<std::size_t>(seconds * 50.5) * phones.size());
  while (steady::now() < drain_until) {
    int n = 0;
    if (measure_latency) {
      n = epoll_wait(ep, events.data(), static_cast<int>(events.size()), 5);
    } else {
      // Without latency to take, read every millisecond instead of being
      // woken per packet: on loopback that wake-up (and the preemption it
      // causes) is paid inside the bridge's sendto, a cost a phone across
      // a network does not put on it.
      std::this_thread::sleep_for(std::chrono::milliseconds{1});
      for (const int fd : sockets)
        events[static_cast<std::size_t>(n++)].data.fd = fd;
    }
    for (int i = 0; i < n; ++i) {
      const int fd = events[static_cast<std::size_t>(i)].data.fd;
      for (;;) {
        const int got = batch->read(fd);
        const std::int64_t now = now_ns();
        for (int k = 0; k < got; ++k) {
          const std::uint8_t* buf = batch->data[static_cast<std::size_t>(k)].data();
          const auto size =
              static_cast<long>(batch->headers[static_cast<std::size_t>(k)].msg_len);
          // RTP only: the bridge's RTCP (rtcp-mux) carries no send time.
          if (size < 20 || (buf[1] & 0x7F) != 0)
            continue;
          ++r.received;
          if (take == latency::forwarded) {
            std::int64_t t = 0;
            std::memcpy(&t, buf + 12, sizeof t);
            r.latency_us.push_back(static_cast<double>(now - t) / 1000.0);
          } else if (take == latency::mixed &&
                     size >= static_cast<long>(12 + mixable_bytes)) {
            std::int64_t t = 0;
            std::uint32_t talker = 0;
            if (!get_mixable(buf + 12, t, talker) || talker >= phones.size())
              continue;
            // The tick that sent it: the last instant on its bridge's slot.
            const std::int64_t frame = 20'000'000;
            const std::int64_t since_tick =
                ((now - phones[talker].tick_phase_ns) % frame + frame) % frame;
            r.latency_us.push_back(static_cast<double>(now - t) / 1000.0);
            r.after_tick_us.push_back(static_cast<double>(since_tick) / 1000.0);
          }
        }
        if (static_cast<std::size_t>(got) < batch_max)
          break;
      }
    }
  }
  sender.join();
  r.sent = sent;
  r.generator_cpu_s = thread_cpu_s() - cpu0 + sender_cpu;
  ::close(ep);
  return r;
}
double percentile(std::vector<double>& v, double q) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
}

} // namespace ringdown::bench
