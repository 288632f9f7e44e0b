// One process of the cluster directory test (directory_test.py): a CAF
// actor system with the real cluster_directory and its node manager
// published on loopback, a static view the driver edits, and `zone/<name>`
// actors that answer who they are. Driven line by line on stdin:
//
//   ask NAME            → answer NAME <node>#<serial>   (or: answer NAME none)
//   owner NAME          → owner NAME <node>             (the placement we compute)
//   hold NAME           → answer NAME <node>#<serial>   (and keeps the handle)
//   ask-held NAME       → answer NAME <node>#<serial>   (asked through that handle)
//   member ID STATE [HOST:PORT]
//                       → ok     (STATE alive|dead; a view change; with an
//                                 address an unknown member is added)
//   counters            → counters remote=.. rerouted=.. handovers=.. served=..
//   bench N             → bench lookups=N remote=R p50_us=.. p99_us=.. cached_p50_us=..
//                          (N fresh keys: first lookups, remote ones timed;
//                          then the same keys again, answered from the cache)
//   quit
//
// With `--tls DIR` node managers talk mutual TLS with DIR/<self>.crt,
// DIR/<self>.key and DIR/ca.crt.
//
// Each zone actor answers "<node>#<serial>", serial counting the actors
// this process spawned, so the driver sees one actor per key cluster-wide
// and which keys moved; told its key moved (key_moved) it hands over as an
// idle line does: it forwards for a while, then quits.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include "actors/engine/cluster_directory.hpp"
#include "actors/engine/directory.hpp"
#include "actors/engine/handover.hpp"
#include "actors/engine/protocol.hpp"
#include "cluster/member.hpp"

namespace {

using namespace ringdown;
using who_atom = caf::atom_constant<caf::atom("who")>;

struct options {
  std::string self;
  std::string tls_dir; ///< node.crt, node.key (named by --self) and ca.crt
  std::string listen;
  std::vector<cluster::member> members;
};

bool parse(int argc, char** argv, options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--self") {
      o.self = value;
    } else if (flag == "--tls") {
      o.tls_dir = value;
    } else if (flag == "--member") { // id=host:port
      const auto eq = value.find('=');
      if (eq == std::string::npos)
        return false;
      cluster::member m;
      m.id = value.substr(0, eq);
      m.zone = "z";
      m.addresses.cluster = value.substr(eq + 1);
      o.members.push_back(m);
    } else {
      return false;
    }
  }
  for (const auto& m : o.members)
    if (m.id == o.self)
      o.listen = m.addresses.cluster;
  return !o.self.empty() && !o.listen.empty();
}

/// The process's directory, for the stand-ins' hand-over.
actors::directory* the_directory = nullptr;

/// A `zone/<name>` actor of the test: says who it is; when its key moves
/// it hands over as an idle line does (forwards for a while, then quits).
caf::behavior zone_stand_in(caf::event_based_actor* self, const std::string& id,
                            const actors::actor_key& key) {
  return {
      [id](who_atom) { return id; },
      [self, key](const actors::key_moved&) {
        actors::forward_after_handover(self, *the_directory, key, caf::message_handler{});
      },
  };
}

} // namespace

int main(int argc, char** argv) {
  options opt;
  if (!parse(argc, argv, opt)) {
    std::fprintf(stderr, "usage: directory_node --self ID --member ID=HOST:PORT ...\n");
    return 2;
  }
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", std::size_t{2});
  cfg.set("logger.verbosity", caf::atom("quiet"));
  cfg.load<caf::io::middleman>();
  actors::register_message_types(cfg);
  if (!opt.tls_dir.empty())
    actors::configure_cluster_tls(cfg, opt.tls_dir + "/" + opt.self + ".crt",
                                  opt.tls_dir + "/" + opt.self + ".key",
                                  opt.tls_dir + "/ca.crt");
  caf::actor_system sys{cfg};

  std::mutex view_mtx;
  std::vector<cluster::member> view = opt.members;
  actors::local_directory local{sys, 10'000};
  std::atomic<std::uint64_t> serial{0};
  const std::string self = opt.self;
  local.set_factory(actors::actor_kind::zone,
                    [&serial, self](caf::actor_system& s, const actors::actor_key& key) {
                      const std::string id = self + "#" + std::to_string(++serial);
                      return s.spawn(zone_stand_in, id, key);
                    });
  actors::cluster_directory_settings ds;
  ds.self_id = opt.self;
  ds.self_zone = "z";
  ds.tls = !opt.tls_dir.empty();
  ds.members = [&] {
    const std::lock_guard guard{view_mtx};
    return view;
  };
  ds.zone_of = [](const actors::actor_key&) -> std::optional<std::string> { return "z"; };
  actors::cluster_directory dir{sys, local, ds};
  the_directory = &dir;
  std::map<std::string, caf::actor> held; ///< handles kept by `hold`
  const auto colon = opt.listen.rfind(':');
  std::string error;
  if (!dir.publish(opt.listen.substr(0, colon),
                   static_cast<std::uint16_t>(std::stoi(opt.listen.substr(colon + 1))),
                   error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  std::printf("ready %s\n", opt.self.c_str());
  std::fflush(stdout);

  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in{line};
    std::string cmd;
    in >> cmd;
    if (cmd == "ask") {
      std::string name;
      in >> name;
      std::string answer = "none";
      if (const auto a = dir.lookup_or_spawn({actors::actor_kind::zone, name})) {
        caf::scoped_actor asker{sys};
        asker->request(a, std::chrono::seconds{2}, who_atom::value)
            .receive([&](std::string& id) { answer = id; }, [](caf::error&) {});
      }
      std::printf("answer %s %s\n", name.c_str(), answer.c_str());
    } else if (cmd == "hold" || cmd == "ask-held") {
      // hold: look the key up now and keep the handle; ask-held: ask
      // through that handle later (after the key moved).
      std::string name;
      in >> name;
      std::string answer = "none";
      caf::actor a = cmd == "hold" ? dir.lookup_or_spawn({actors::actor_kind::zone, name})
                                   : held[name];
      if (cmd == "hold")
        held[name] = a;
      if (a) {
        caf::scoped_actor asker{sys};
        asker->request(a, std::chrono::seconds{2}, who_atom::value)
            .receive([&](std::string& id) { answer = id; }, [](caf::error&) {});
      }
      std::printf("answer %s %s\n", name.c_str(), answer.c_str());
    } else if (cmd == "owner") {
      std::string name;
      in >> name;
      const auto owner = dir.owner_of({actors::actor_kind::zone, name});
      std::printf("owner %s %s\n", name.c_str(), owner ? owner->id.c_str() : self.c_str());
    } else if (cmd == "member") {
      std::string id;
      std::string state;
      std::string address;
      in >> id >> state >> address;
      const auto st =
          state == "alive" ? cluster::member_state::alive : cluster::member_state::dead;
      {
        const std::lock_guard guard{view_mtx};
        bool known = false;
        for (auto& m : view)
          if (m.id == id) {
            m.state = st;
            known = true;
          }
        if (!known && !address.empty()) {
          cluster::member m;
          m.id = id;
          m.zone = "z";
          m.addresses.cluster = address;
          m.state = st;
          view.push_back(m);
        }
      }
      dir.view_changed();
      std::printf("ok\n");
    } else if (cmd == "counters") {
      const auto& c = dir.counters();
      std::printf(
          "counters remote=%llu rerouted=%llu handovers=%llu served=%llu failures=%llu\n",
          static_cast<unsigned long long>(c.remote.load()),
          static_cast<unsigned long long>(c.rerouted.load()),
          static_cast<unsigned long long>(c.handovers.load()),
          static_cast<unsigned long long>(c.spawns_served.load()),
          static_cast<unsigned long long>(c.failures.load()));
    } else if (cmd == "bench") {
      std::size_t n = 0;
      in >> n;
      std::vector<double> first;
      std::vector<double> again;
      std::vector<std::string> remote;
      for (std::size_t i = 0; i < n; ++i) {
        const std::string name = "bench-" + self + "-" + std::to_string(i);
        const bool is_remote = dir.owner_of({actors::actor_kind::zone, name}).has_value();
        const auto t0 = std::chrono::steady_clock::now();
        const auto a = dir.lookup_or_spawn({actors::actor_kind::zone, name});
        const auto t1 = std::chrono::steady_clock::now();
        if (a && is_remote) {
          first.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
          remote.push_back(name);
        }
      }
      for (const auto& name : remote) {
        const auto t0 = std::chrono::steady_clock::now();
        (void)dir.lookup_or_spawn({actors::actor_kind::zone, name});
        const auto t1 = std::chrono::steady_clock::now();
        again.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
      }
      const auto pct = [](std::vector<double> v, double q) {
        if (v.empty())
          return 0.0;
        std::sort(v.begin(), v.end());
        return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
      };
      std::printf(
          "bench lookups=%zu remote=%zu p50_us=%.1f p99_us=%.1f cached_p50_us=%.2f\n", n,
          first.size(), pct(first, 0.5), pct(first, 0.99), pct(again, 0.5));
    } else if (cmd == "quit") {
      break;
    } else {
      std::printf("error unknown command\n");
    }
    std::fflush(stdout);
  }
  local.shutdown();
  dir.shutdown();
  return 0;
}
