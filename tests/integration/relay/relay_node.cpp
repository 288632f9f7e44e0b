// relay_node: a sip_stack and a sip_gateway (local directory, no actor
// factories) whose `forward` sends every request to one peer, for the
// relay's system test between a SIPp UAC and a SIPp UAS.
//
//   relay_node --listen udp:127.0.0.1:16110 --forward udp:127.0.0.1:16120
//
// Prints "ready <listeners>" on stdout once listening (the test waits for
// that line), runs until SIGTERM, then prints the gateway's counters as
// `counters relayed_requests=N ...` and exits 0.
#include <csignal>
#include <cstdio>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include "actors/engine/directory.hpp"
#include "actors/engine/sip_gateway.hpp"
#include "base/clock.hpp"
#include "base/ids.hpp"
#include "base/logging.hpp"
#include "base/random.hpp"
#include "config/config.hpp"
#include "net/sip/builder.hpp"
#include "net/transport/sip_stack.hpp"

using namespace ringdown;

namespace {

int usage() {
  std::fprintf(stderr, "usage: relay_node --listen udp:HOST:PORT --forward udp:HOST:PORT "
                       "[--relays-max N] [--log-level LEVEL]\n");
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  config::listen_address listen;
  config::listen_address forward;
  bool have_listen = false;
  bool have_forward = false;
  std::size_t relays_max = actors::sip_relay::relays_max_default;
  std::string level = "debug";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const std::string_view value = argv[i + 1];
    if (flag == "--listen")
      have_listen = config::listen_address::parse(value, listen);
    else if (flag == "--forward")
      have_forward = config::listen_address::parse(value, forward);
    else if (flag == "--relays-max")
      relays_max = std::stoul(std::string{value});
    else if (flag == "--log-level")
      level = value;
    else
      return usage();
  }
  if (!have_listen || !have_forward || relays_max == 0)
    return usage();
  log::options lo;
  lo.level = level;
  if (!log::setup(lo))
    return usage();

  config::node_config cfg;
  cfg.sip_listen = {listen};
  real_clock clk;
  auto gen = rng::from_entropy();
  id_generator ids{gen, "relay-node"};
  boost::asio::io_context io;
  actors::sip_gateway* gateway_ptr = nullptr;
  transport::sip_stack stack{
      io, cfg, clk, ids, [&](const sip::message& request, transport::server_tx_handle tx) {
        gateway_ptr->on_request(request, tx);
      }};
  std::string error;
  if (!stack.listen(listen, error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }

  caf::actor_system_config caf_cfg;
  caf_cfg.set("scheduler.max-threads", std::size_t{1});
  caf::actor_system sys{caf_cfg};
  actors::local_directory dir{sys, 16};
  actors::routing_context routing;
  routing.zone = "test";
  const transport::peer owner{forward.proto, forward.host, forward.port, 0};
  routing.forward = [owner](const sip::message&,
                            const actors::route&) -> std::optional<transport::peer> {
    return owner;
  };
  actors::sip_gateway gateway{
      io,
      stack,
      dir,
      ids,
      std::move(routing),
      [&](const sip::message& request, const transport::server_tx_handle& tx) {
        // Never reached: `forward` takes everything.
        stack.respond(
            tx, sip::message_builder::response(request, 500, "Not Relayed", ids.tag()));
      },
      relays_max};
  gateway_ptr = &gateway;

  boost::asio::signal_set signals{io, SIGTERM, SIGINT};
  signals.async_wait([&](const boost::system::error_code& err, int) {
    if (err)
      return;
    dir.shutdown();
    stack.shutdown();
  });

  std::string bound;
  for (const auto& l : stack.listeners())
    bound += " " + l.to_string();
  std::printf("ready%s\n", bound.c_str());
  std::fflush(stdout);
  io.run();

  const auto& c = gateway.counters();
  std::printf("counters relayed_requests=%llu relayed_responses=%llu loops=%llu "
              "max_forwards_exhausted=%llu relays_refused=%llu dispatched=%llu "
              "relays_live=%zu\n",
              static_cast<unsigned long long>(c.relayed_requests.load()),
              static_cast<unsigned long long>(c.relayed_responses.load()),
              static_cast<unsigned long long>(c.loops.load()),
              static_cast<unsigned long long>(c.max_forwards_exhausted.load()),
              static_cast<unsigned long long>(c.relays_refused.load()),
              static_cast<unsigned long long>(c.dispatched.load()), gateway.relays());
  std::fflush(stdout);
  sys.await_all_actors_done();
  return 0;
}
