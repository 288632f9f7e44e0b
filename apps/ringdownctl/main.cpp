// ringdownctl: the admin CLI. Talks HTTP/JSON to a node's admin address
// (admin.listen); see README.md "Admin API and ringdownctl".

#include <chrono>
#include <iostream>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "apps/ringdownctl/commands.hpp"

namespace {

std::chrono::milliseconds millis_of(double seconds) {
  return std::chrono::milliseconds{static_cast<std::int64_t>(seconds * 1000.0)};
}

} // namespace

int main(int argc, char** argv) {
  using namespace ringdown::ctl;
  CLI::App app{"ringdownctl: look at and steer a Ringdown cluster through a node's "
               "admin API"};
  app.require_subcommand(1);
  app.fallthrough();
  ctl_options opts;
  double timeout_s = 5.0;
  app.add_option("--node", opts.node, "admin address (HOST:PORT) of the node to ask")
      ->capture_default_str();
  app.add_option("--timeout", timeout_s, "seconds one HTTP exchange may take")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.set_version_flag("--version", std::string{"ringdownctl "} + RINGDOWN_VERSION);

  auto* cluster = app.add_subcommand("cluster", "the cluster as a node sees it");
  cluster->require_subcommand(1);
  auto* status = cluster->add_subcommand("status", "members, their states and addresses");
  bool json = false;
  status->add_flag("--json", json, "print the node's JSON as received");

  auto* node = app.add_subcommand("node", "act on one node");
  node->require_subcommand(1);
  auto* drain = node->add_subcommand(
      "drain", "ask a node to drain: it takes no new calls and leaves once idle");
  std::string id;
  drain->add_option("ID", id, "the node's id as the cluster status lists it")->required();
  double wait_s = 0.0;
  auto* wait = drain
                   ->add_option("--wait", wait_s,
                                "wait up to SECONDS until the node has left (exit 1 "
                                "when it has not)")
                   ->check(CLI::NonNegativeNumber);

  CLI11_PARSE(app, argc, argv);
  opts.timeout = millis_of(timeout_s);
  if (status->parsed())
    return cluster_status(opts, json, std::cout, std::cerr);
  std::optional<std::chrono::milliseconds> wait_for;
  if (wait->count() > 0)
    wait_for = millis_of(wait_s);
  return node_drain(opts, id, wait_for, std::cout, std::cerr);
}
