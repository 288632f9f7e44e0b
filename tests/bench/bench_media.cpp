// The media plane under load: two-party calls (forwarding) and conferences
// (N-1 mixing) bridged by one media thread, fed by simulated phones on
// another thread over loopback UDP. Prints packets/s, the media thread's
// CPU, and for two-party calls the latency the bridge adds (phone to phone
// through the bridge, minus phone to phone direct).
//
// Every socket is on 127.0.0.1 inside --port-first..--port-last (default
// 30000-30999): the phones share --phone-sockets sockets at the top of the
// range (a phone is told apart by its SSRC), the bridge legs take port
// pairs from the rest, so the range bounds the number of legs.
//
//   ./tests/bench/bench_media --calls 240 --seconds 10
//   ./tests/bench/bench_media --conference 10 --rooms 48 --seconds 10
//
// With --relay-targets the same phones talk through another relay instead
// (tests/bench/media_reference.py sets up rtpengine and passes its ports and
// pid): the figures are then the relay process's.
#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <optional>
#include <pthread.h>
#include <sched.h>
#include <string>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "base/clock.hpp"
#include "base/logging.hpp"
#include "net/rtp/g711.hpp"
#include "net/rtp/media_engine.hpp"

using namespace ringdown;
using steady = std::chrono::steady_clock;

namespace {

struct options {
  int calls = 0;      ///< two-party calls
  int conference = 0; ///< legs per conference room
  int rooms = 0;
  double seconds = 10;
  int port_first = 30000;
  int port_last = 30999;
  int phone_sockets = 16;
  /// Reference run: no bridge of ours; phone i sends to the i-th port of
  /// this file (a relay such as rtpengine set up by media_reference.py).
  std::string relay_targets;
  int relay_pid = 0; ///< whose CPU is measured in a reference run
  /// SCHED_FIFO for every thread of the bench (the media thread and the
  /// phones): other programs on the machine then cannot delay them, so
  /// the latency is the bridge's own. They all block most of the time.
  bool realtime = false;
  int slot_us = 250; ///< sending slot; 20 ms / slot_us slots per packet time
};

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; i += 2) {
    const std::string k = i + 1 < argc ? argv[i] : "--help";
    const double v = i + 1 < argc ? std::atof(argv[i + 1]) : 0;
    if (k == "--relay-targets")
      o.relay_targets = argv[i + 1];
    else if (k == "--relay-pid")
      o.relay_pid = static_cast<int>(v);
    else if (k == "--realtime")
      o.realtime = v != 0;
    else if (k == "--slot-us")
      o.slot_us = std::clamp(static_cast<int>(v), 50, 20'000);
    else if (k == "--calls")
      o.calls = static_cast<int>(v);
    else if (k == "--conference")
      o.conference = static_cast<int>(v);
    else if (k == "--rooms")
      o.rooms = static_cast<int>(v);
    else if (k == "--seconds")
      o.seconds = v;
    else if (k == "--port-first")
      o.port_first = static_cast<int>(v);
    else if (k == "--port-last")
      o.port_last = static_cast<int>(v);
    else if (k == "--phone-sockets")
      o.phone_sockets = static_cast<int>(v);
    else {
      std::fprintf(
          stderr,
          "usage: bench_media [--calls N | --conference LEGS --rooms N] "
          "[--seconds S] [--port-first P] [--port-last P] [--phone-sockets N]\n"
          "       [--realtime 1]  (SCHED_FIFO threads) [--slot-us US]  (send slot)\n"
          "       [--relay-targets FILE --relay-pid PID]  (two-party calls "
          "through another relay)\n");
      std::exit(2);
    }
  }
  if (o.calls == 0 && o.rooms == 0)
    o.calls = 240;
  return o;
}

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

/// CPU seconds of process `pid` so far (user + system, all threads).
double pid_cpu_s(int pid) {
  std::FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
  if (f == nullptr)
    return 0;
  char line[1024] = {};
  const std::size_t n = std::fread(line, 1, sizeof line - 1, f);
  std::fclose(f);
  line[n] = 0;
  // Fields after the command's closing parenthesis: state is field 3,
  // utime and stime fields 14 and 15.
  const char* p = std::strrchr(line, ')');
  unsigned long long utime = 0, stime = 0;
  if (p == nullptr ||
      std::sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
                  &stime) != 2)
    return 0;
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double process_cpu_s() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

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

struct result {
  std::uint64_t sent = 0, received = 0;
  std::vector<double> latency_us;
  std::vector<double> after_tick_us; ///< mixed: from the tick that sent it
  double generator_cpu_s = 0;
};

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
    std::vector<std::uint8_t> packet(12 + 160, 0xFF);
    packet[0] = 0x80;
    packet[1] = 0;
    const double cpu0 = thread_cpu_s();
    auto next = start;
    for (std::uint64_t n = 0; steady::now() < end; ++n) {
      // The RTP clock runs with real time, between runs too (a phone that
      // stops sending and starts again jumps its timestamp, and the jitter
      // buffer takes a new talk-spurt): frame k of the bench's epoch.
      const auto frame_index = (next - bench_epoch()) / std::chrono::milliseconds{20};
      for (std::size_t i = n % slots; i < phones.size(); i += slots) {
        auto& p = phones[i];
        p.ts = static_cast<std::uint32_t>(160 * frame_index);
        packet[2] = static_cast<std::uint8_t>(p.seq >> 8);
        packet[3] = static_cast<std::uint8_t>(p.seq);
        for (int b = 0; b < 4; ++b) {
          packet[4 + b] = static_cast<std::uint8_t>(p.ts >> (24 - 8 * b));
          packet[8 + b] = static_cast<std::uint8_t>(p.ssrc >> (24 - 8 * b));
        }
        const std::int64_t t = now_ns();
        if (take == latency::forwarded)
          std::memcpy(packet.data() + 12, &t, sizeof t);
        else if (p.talker)
          put_mixable(packet.data() + 12, t,
                      static_cast<std::uint32_t>(&p - phones.data()));
        else
          std::fill_n(packet.data() + 12, mixable_bytes, std::uint8_t{0xFF});
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = htons(p.target);
        if (::sendto(p.fd, packet.data(), packet.size(), 0, reinterpret_cast<sockaddr*>(&a),
                     sizeof a) > 0)
          sent.fetch_add(1, std::memory_order_relaxed);
        ++p.seq;
      }
      next += slot;
      std::this_thread::sleep_until(next);
    }
    sender_cpu = thread_cpu_s() - cpu0;
  });
  std::vector<epoll_event> events(std::max<std::size_t>(1024, sockets.size()));
  std::array<std::uint8_t, 2048> buf;
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
        const auto got = ::recv(fd, buf.data(), buf.size(), 0);
        if (got <= 0)
          break;
        // RTP only: the bridge's RTCP (rtcp-mux) carries no send time.
        if (got < 20 || (buf[1] & 0x7F) != 0)
          continue;
        ++r.received;
        if (take == latency::forwarded) {
          std::int64_t t = 0;
          std::memcpy(&t, buf.data() + 12, sizeof t);
          r.latency_us.push_back(static_cast<double>(now_ns() - t) / 1000.0);
        } else if (take == latency::mixed && got >= static_cast<long>(12 + mixable_bytes)) {
          std::int64_t t = 0;
          std::uint32_t talker = 0;
          if (!get_mixable(buf.data() + 12, t, talker) || talker >= phones.size())
            continue;
          // The tick that sent it: the last instant on its bridge's slot.
          const std::int64_t now = now_ns(), frame = 20'000'000;
          const std::int64_t since_tick =
              ((now - phones[talker].tick_phase_ns) % frame + frame) % frame;
          r.latency_us.push_back(static_cast<double>(now - t) / 1000.0);
          r.after_tick_us.push_back(static_cast<double>(since_tick) / 1000.0);
        }
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

} // namespace

int main(int argc, char** argv) {
  const options o = parse(argc, argv);
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  log::options lo;
  lo.level = "warn";
  log::setup(lo);

  const bool two_party = o.rooms == 0;
  const int size = two_party ? 2 : o.conference;
  const int bridges = two_party ? o.calls : o.rooms;
  const int phone_first = o.port_last - o.phone_sockets + 1;
  const int legs_max = (phone_first - o.port_first) / 2;
  if (o.port_first < 1024 || o.port_first % 2 != 0 || o.phone_sockets < 1 ||
      o.port_last > 65535 || legs_max < 1) {
    std::fprintf(stderr,
                 "ports %d-%d: need an even first port >= 1024 and room for %d "
                 "phone sockets and one port pair\n",
                 o.port_first, o.port_last, o.phone_sockets);
    return 2;
  }
  if (bridges * size > legs_max) {
    std::fprintf(stderr,
                 "%d legs do not fit in ports %d-%d: at most %d legs (a port pair each) "
                 "beside %d phone sockets\n",
                 bridges * size, o.port_first, o.port_last, legs_max, o.phone_sockets);
    return 2;
  }
  std::vector<int> sockets;
  for (int port = phone_first; port <= o.port_last; ++port) {
    const int fd = open_phone_socket(static_cast<std::uint16_t>(port));
    if (fd < 0) {
      std::fprintf(stderr, "phone port %d is taken\n", port);
      return 1;
    }
    sockets.push_back(fd);
  }

  const bool relay = !o.relay_targets.empty();
  if (relay && !two_party) {
    std::fprintf(stderr, "--relay-targets: two-party calls only\n");
    return 2;
  }
  std::vector<std::uint16_t> relay_ports;
  if (relay) {
    std::FILE* f = std::fopen(o.relay_targets.c_str(), "r");
    unsigned port = 0;
    while (f != nullptr && std::fscanf(f, "%u", &port) == 1)
      relay_ports.push_back(static_cast<std::uint16_t>(port));
    if (f != nullptr)
      std::fclose(f);
    if (relay_ports.size() != static_cast<std::size_t>(bridges * size)) {
      std::fprintf(stderr, "%s: %zu ports for %d phones\n", o.relay_targets.c_str(),
                   relay_ports.size(), bridges * size);
      return 2;
    }
  }

  if (o.realtime) {
    // Threads started from here on (the media thread, the phones) inherit it.
    sched_param sp{};
    sp.sched_priority = 10;
    if (const int e = pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp); e != 0) {
      std::fprintf(stderr, "--realtime: %s\n", std::strerror(e));
      return 1;
    }
  }
  real_clock clk;
  rtp::media_engine_config cfg;
  cfg.port_first = static_cast<std::uint16_t>(o.port_first);
  cfg.port_last = static_cast<std::uint16_t>(phone_first - 1);
  cfg.threads = 1;
  cfg.media_timeout_ms = 3'600'000;
  cfg.bridges_max = 100'000;
  rtp::media_engine engine(cfg, clk);
  if (auto e = relay ? std::nullopt : engine.start()) {
    std::fprintf(stderr, "%s\n", e->c_str());
    return 1;
  }
  std::vector<phone> phones;
  phones.reserve(static_cast<std::size_t>(bridges * size));
  for (int b = 0; b < bridges; ++b) {
    const rtp::bridge_id id = relay ? 0 : engine.create_bridge({}).value_or(0);
    for (int l = 0; l < size; ++l) {
      phone p;
      const std::size_t k = phones.size() % sockets.size();
      p.fd = sockets[k];
      p.port = static_cast<std::uint16_t>(phone_first + static_cast<int>(k));
      p.ssrc = static_cast<std::uint32_t>(phones.size() + 1);
      p.talker = two_party || l == 0;
      p.tick_phase_ns = static_cast<std::int64_t>(id % 20) * 1'000'000; // see tick_slot.hpp
      if (relay) {
        p.target = relay_ports[phones.size()];
        phones.push_back(p);
        continue;
      }
      const auto port = engine.add_leg(id, static_cast<rtp::leg_index>(l));
      if (!port) {
        std::fprintf(stderr, "no port for bridge %d leg %d\n", b, l);
        return 1;
      }
      p.target = *port;
      rtp::leg_spec spec;
      spec.remote_address = "127.0.0.1";
      spec.remote_port = p.port;
      spec.rtcp_mux = true; // RTCP to the phone's socket, not to the port above it
      engine.configure_leg(id, static_cast<rtp::leg_index>(l), spec);
      phones.push_back(p);
    }
  }
  // Let the engine bind everything before the clock starts.
  std::this_thread::sleep_for(std::chrono::milliseconds{500});

  const double cpu0 = relay ? pid_cpu_s(o.relay_pid) : process_cpu_s();
  const auto wall0 = steady::now();
  result r = drive(phones, sockets, o.seconds, o.slot_us,
                   two_party ? latency::forwarded : latency::none);
  const double wall = std::chrono::duration<double>(steady::now() - wall0).count();
  const double engine_cpu =
      relay ? pid_cpu_s(o.relay_pid) - cpu0 : process_cpu_s() - cpu0 - r.generator_cpu_s;
  const auto& c = engine.counters();
  const double legs = static_cast<double>(phones.size());
  std::printf("%s: %d bridges x %d legs = %.0f legs, %.1f s\n",
              relay       ? "two-party calls through the relay"
              : two_party ? "two-party calls (forwarding)"
                          : "conferences (N-1 mixing)",
              bridges, size, legs, wall);
  std::printf("  packets in %.0f/s, out %.0f/s (phones sent %llu, received %llu)\n",
              static_cast<double>(relay ? r.sent : c.packets_in.load()) / wall,
              static_cast<double>(relay ? r.received : c.packets_out.load()) / wall,
              static_cast<unsigned long long>(r.sent),
              static_cast<unsigned long long>(r.received));
  // A starved media thread skips ticks and sends less: its CPU is then
  // not the cost of the load asked for.
  const double expected_out = static_cast<double>(r.sent) / o.seconds;
  const double out_rate = static_cast<double>(r.received) / o.seconds;
  if (out_rate < 0.98 * expected_out)
    std::printf(
        "  WARNING: the phones got %.0f packets/s of %.0f expected: the media thread "
        "fell behind (a busy machine?); its CPU figure is not comparable\n",
        out_rate, expected_out);
  if (!relay)
    std::printf("  bridge ticks %.0f/s, send failures %llu, malformed %llu\n",
                static_cast<double>(c.ticks.load()) / wall,
                static_cast<unsigned long long>(c.send_failures.load()),
                static_cast<unsigned long long>(c.malformed_rtp.load()));
  const double per_100_legs = 100 * engine_cpu / wall / legs * 100;
  std::printf("  %s CPU %.1f %% of one core; %.2f %% per 100 %s; %.0f legs per core\n",
              relay ? "relay process" : "media thread", 100 * engine_cpu / wall,
              two_party ? 2 * per_100_legs : per_100_legs, two_party ? "calls" : "legs",
              per_100_legs > 0 ? 100 * 100 / per_100_legs : 0.0);
  if (two_party) {
    auto bridged = r.latency_us;
    const double p50 = percentile(bridged, 0.50), p99 = percentile(bridged, 0.99);
    // Baseline: the same phones sending to each other directly.
    for (std::size_t i = 0; i + 1 < phones.size(); i += 2) {
      phones[i].target = phones[i + 1].port;
      phones[i + 1].target = phones[i].port;
    }
    result direct =
        drive(phones, sockets, std::min(o.seconds, 5.0), o.slot_us, latency::forwarded);
    const double d50 = percentile(direct.latency_us, 0.50),
                 d99 = percentile(direct.latency_us, 0.99);
    std::printf(
        "  phone to phone through the bridge p50 %.0f us p99 %.0f us; direct p50 %.0f us "
        "p99 %.0f us; added p50 %.0f us p99 %.0f us\n",
        p50, p99, d50, d99, p50 - d50, p99 - d99);
  } else if (!relay) {
    // Latency through the mix, in a run of its own: its receiver is woken
    // per packet, which the CPU figure above must not include.
    result mixed =
        drive(phones, sockets, std::min(o.seconds, 5.0), o.slot_us, latency::mixed);
    std::printf(
        "  through the mix (%zu packets timed): phone to phone p50 %.1f ms p99 %.1f ms "
        "(the jitter buffer's hold and the wait for the tick included); from the "
        "bridge's tick to the phone p50 %.0f us p99 %.0f us\n",
        mixed.latency_us.size(), percentile(mixed.latency_us, 0.50) / 1000,
        percentile(mixed.latency_us, 0.99) / 1000, percentile(mixed.after_tick_us, 0.50),
        percentile(mixed.after_tick_us, 0.99));
  }
  for (const int fd : sockets)
    ::close(fd);
  engine.stop();
  return 0;
}
