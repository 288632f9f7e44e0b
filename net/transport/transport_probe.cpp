#include "net/transport/transport_probe.hpp"

namespace ringdown::transport {

std::string transport_probe::summary() const {
  std::string out;
  const auto add = [&out](std::string_view key, std::uint64_t value) {
    if (!out.empty())
      out += ' ';
    out += key;
    out += '=';
    out += std::to_string(value);
  };
  add("udp_in", messages_in[0]);
  add("udp_out", messages_out[0]);
  add("tcp_in", messages_in[1]);
  add("tcp_out", messages_out[1]);
  add("tls_in", messages_in[2]);
  add("tls_out", messages_out[2]);
  add("parse_errors_answered", parse_errors_answered);
  add("dropped", dropped);
  add("stray_responses", stray_responses);
  add("send_failures", send_failures);
  add("connections_opened", connections_opened);
  add("connections_open", connections_open);
  add("connections_refused", connections_refused);
  add("connections_idle_closed", connections_idle_closed);
  add("tls_handshake_failures", tls_handshake_failures);
  add("keepalive_pings", keepalive_pings);
  return out;
}

} // namespace ringdown::transport
