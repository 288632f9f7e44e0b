#pragma once

// Shared by the client-side loopback tests: requests to a raw peer, and
// answers built from what the peer received.

#include <string>
#include <string_view>

#include "net/sip/builder.hpp"
#include "net/sip/parser.hpp"
#include "tests/unit/transport/loopback_fixture.hpp"

namespace ringdown::test {

struct seen {
  int status = 0;
  bool local = false;
  std::string text;
};

inline sip::message request_to(std::string_view method, std::uint16_t port,
                               std::string_view call_id) {
  const std::string ruri = "sip:bob@127.0.0.1:" + std::to_string(port);
  sip::message_builder b{method, ruri};
  b.header("Max-Forwards", "70");
  b.header("From", "<sip:alice@127.0.0.1>;tag=a1");
  b.header("To", "<" + ruri + ">");
  b.header("Call-ID", call_id);
  b.header("CSeq", "1 " + std::string{method});
  b.header("Route", "<sip:127.0.0.1:" + std::to_string(port) + ";lr>");
  return b.build();
}

inline sip::message parse(const config::node_config& cfg, const std::string& text) {
  sip::parser p{cfg.limits};
  sip::message m;
  REQUIRE(p.parse(text, m).ok());
  return m;
}

inline std::string answer(const config::node_config& cfg, const std::string& request,
                          int status) {
  return sip::message_builder::response(parse(cfg, request), status,
                                        sip::message_builder::default_reason(status), "b1")
      .serialize();
}

inline transport::peer udp_peer(std::uint16_t port) {
  return transport::peer{transport::protocol::udp, "127.0.0.1", port, 0};
}

} // namespace ringdown::test
