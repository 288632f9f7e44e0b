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
//   ./tests/bench/bench_media --calls 240 --held 1 --seconds 10
//   ./tests/bench/bench_media --conference 10 --rooms 48 --seconds 10
//   ./tests/bench/bench_media --conference 10 --rooms 200 --port-last 34999
//       --phone-sockets 4 --seconds 10    (2,000 mixed legs)
//
// With --relay-targets the same phones talk through another relay instead
// (tests/bench/media_reference.py sets up rtpengine and passes its ports and
// pid): the figures are then the relay process's.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <pthread.h>
#include <sched.h>
#include <string>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "base/clock.hpp"
#include "base/logging.hpp"
#include "net/rtp/media_engine.hpp"
#include "tests/bench/media_phones.hpp"

using namespace ringdown;
using namespace ringdown::bench;

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
  /// Two-party calls with one party of each on hold: with 1 that leg moves
  /// to the engine's music-on-hold bridge, which plays it the music; with 2
  /// it stays and its call's bridge plays the music (mixing), for
  /// comparison.
  int held = 0;
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
    else if (k == "--held")
      o.held = static_cast<int>(v);
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
          "usage: bench_media [--calls N [--held 1|2] | --conference LEGS --rooms N] "
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
  if (o.held && (!two_party || relay)) {
    std::fprintf(stderr, "--held: two-party calls through our bridges only\n");
    return 2;
  }
  std::vector<phone> phones;
  phones.reserve(static_cast<std::size_t>(bridges * size));
  std::vector<rtp::bridge_id> ids;
  for (int b = 0; b < bridges; ++b) {
    const rtp::bridge_id id = relay ? 0 : engine.create_bridge({}).value_or(0);
    ids.push_back(id);
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
  if (o.held) {
    // Every call's second party is put on hold: its leg leaves the call's
    // bridge for the music-on-hold bridge (as call_media does on a hold).
    for (std::size_t b = 0; b < ids.size(); ++b) {
      rtp::leg_spec spec;
      spec.remote_address = "127.0.0.1";
      spec.remote_port = phones[2 * b + 1].port;
      spec.rtcp_mux = true;
      spec.held = true;
      engine.configure_leg(ids[b], 1, spec);
      if (o.held == 2) {
        engine.play_tone(ids[b], 1, cfg.tones.get("moh"));
        continue;
      }
      const auto place = engine.music_on_hold();
      if (!place || !engine.move_leg(ids[b], 1, place->bridge, place->leg)) {
        std::fprintf(stderr, "call %zu: its held leg did not move\n", b);
        return 1;
      }
    }
  }
  // Let the engine bind everything before the clock starts.
  std::this_thread::sleep_for(std::chrono::milliseconds{500});

  const double cpu0 = relay ? pid_cpu_s(o.relay_pid) : process_cpu_s();
  const auto wall0 = steady::now();
  result r = drive(phones, sockets, o.seconds, o.slot_us,
                   two_party && !o.held ? latency::forwarded : latency::none);
  const double wall = std::chrono::duration<double>(steady::now() - wall0).count();
  const double engine_cpu =
      relay ? pid_cpu_s(o.relay_pid) - cpu0 : process_cpu_s() - cpu0 - r.generator_cpu_s;
  const auto& c = engine.counters();
  const double legs = static_cast<double>(phones.size());
  std::printf("%s: %d bridges x %d legs = %.0f legs, %.1f s\n",
              relay ? "two-party calls through the relay"
              : o.held == 1
                  ? "two-party calls, one party of each on the music-on-hold bridge"
              : o.held == 2
                  ? "two-party calls, one party of each on hold, music in the call's bridge"
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
  // On hold only the held party hears anything (the music).
  const double expected_out = static_cast<double>(r.sent) / o.seconds / (o.held ? 2 : 1);
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
  if (o.held) {
    std::printf("  music-on-hold legs now %llu, legs moved %llu\n",
                static_cast<unsigned long long>(c.music_legs.load()),
                static_cast<unsigned long long>(c.legs_moved.load()));
  } else if (two_party) {
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
