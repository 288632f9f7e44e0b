// ringdownd: one Ringdown node.
//
// Threading: one Boost.Asio io_context, run on the main thread. The SIP
// stack (transports, parser, transactions), the request responder and the
// signal handling all run on it; nothing else needs locking.

#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "apps/ringdownd/request_responder.hpp"
#include "base/clock.hpp"
#include "base/ids.hpp"
#include "base/logging.hpp"
#include "base/random.hpp"
#include "config/cli.hpp"
#include "net/transport/sip_stack.hpp"

namespace {

using namespace ringdown;

int run(const config::node_config& cfg) {
  if (!log::setup({.level = cfg.log_level, .to_stderr = true, .file = cfg.log_file})) {
    std::fprintf(stderr, "ringdownd: unknown log level '%s'\n", cfg.log_level.c_str());
    return 1;
  }
  auto lg = log::get("ringdownd");
  lg->info("ringdownd {} starting: node {} zone {}", RINGDOWN_VERSION, cfg.node_id,
           cfg.zone);

  std::error_code ec;
  std::filesystem::create_directories(cfg.data_dir, ec);
  if (ec) {
    lg->error("cannot create data dir '{}': {}", cfg.data_dir, ec.message());
    return 1;
  }

  real_clock clk;
  auto gen = rng::from_entropy();
  id_generator ids{gen, cfg.node_id};
  ringdownd::request_responder responder{ids, ringdownd::request_responder::product()};

  boost::asio::io_context io;
  transport::sip_stack* stack_ptr = nullptr;
  transport::sip_stack stack{
      io, cfg, clk, ids, [&](const sip::message& request, transport::server_tx_handle tx) {
        if (auto response = responder.respond(request, tx.cancels != 0))
          stack_ptr->respond(tx, *response);
      }};
  stack_ptr = &stack;

  for (const auto& where : cfg.sip_listen) {
    std::string error;
    if (!stack.listen(where, error)) {
      lg->error("{}", error);
      stack.shutdown();
      return 1;
    }
  }
  for (const auto& bound : stack.listeners())
    lg->info("listening on {}", bound.to_string());

  boost::asio::signal_set signals{io, SIGTERM, SIGINT};
  signals.async_wait([&](const boost::system::error_code& err, int signal_number) {
    if (err)
      return;
    lg->info("signal {} received: stopping", signal_number);
    stack.shutdown();
  });

  lg->info("ringdownd ready");
  io.run();
  lg->info("transport counters: {}", stack.probe().summary());
  lg->info("stopped");
  lg->flush();
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  auto cli = ringdown::config::parse_command_line(argc, argv);
  using action = ringdown::config::cli_result::action;
  if (cli.what != action::run) {
    std::FILE* out = cli.exit_code == 0 ? stdout : stderr;
    std::fputs(cli.output.c_str(), out);
    if (!cli.output.empty() && cli.output.back() != '\n')
      std::fputc('\n', out);
    return cli.exit_code;
  }
  return run(cli.config);
}
