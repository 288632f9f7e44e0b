// admin_stub: a node's admin API with canned state, for the ringdownctl
// system test. The real http::admin_server and register_cluster_routes on
// 127.0.0.1 (ephemeral port); the status is read from a file at each
// request, so the test can change it while the stub runs:
//
//   member ID ZONE STATE INCARNATION SIP CLUSTER ADMIN MEDIA   ('-' = empty)
//   keys KIND COUNT
//
// Prints "port N" once listening and "drain" at each POST /v1/node/drain
// (202 the first time, 409 after). Runs until killed.

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <utility>

#include <boost/asio/io_context.hpp>

#include "net/http/admin_server.hpp"
#include "net/http/cluster_routes.hpp"

namespace {

using namespace ringdown::http;

std::string field(const std::string& text) {
  return text == "-" ? std::string{} : text;
}

node_status read_status(const std::string& self, const std::string& path, bool draining) {
  node_status st;
  st.self = self;
  st.draining = draining;
  std::ifstream in{path};
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words{line};
    std::string kind;
    words >> kind;
    if (kind == "member") {
      member_status m;
      std::string sip, cluster, admin, media;
      words >> m.id >> m.zone >> m.state >> m.incarnation >> sip >> cluster >> admin >>
          media;
      m.sip = field(sip);
      m.cluster = field(cluster);
      m.admin = field(admin);
      m.media = field(media);
      st.members.push_back(std::move(m));
    } else if (kind == "keys") {
      std::pair<std::string, std::uint64_t> k;
      words >> k.first >> k.second;
      st.owned_keys.push_back(std::move(k));
    }
  }
  return st;
}

} // namespace

int main(int argc, char** argv) {
  std::string self = "node-1";
  std::string members;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    if (name == "--self")
      self = argv[i + 1];
    else if (name == "--members")
      members = argv[i + 1];
  }
  if (members.empty()) {
    std::cerr << "usage: admin_stub --self ID --members FILE\n";
    return 2;
  }
  boost::asio::io_context io;
  server_options opts;
  opts.listen = "127.0.0.1:0";
  admin_server server{io, opts};
  bool draining = false;
  register_cluster_routes(
      server, [&] { return read_status(self, members, draining); },
      [&] {
        std::cout << "drain" << std::endl;
        if (draining)
          return drain_answer{409, self + " is already draining"};
        draining = true;
        return drain_answer{202, self + " draining"};
      });
  std::string error;
  if (!server.start(error)) {
    std::cerr << error << '\n';
    return 1;
  }
  std::cout << "port " << server.port() << std::endl;
  io.run();
  return 0;
}
