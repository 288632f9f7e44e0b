#include "net/transport/response_route.hpp"

#include <string>

namespace ringdown::transport {

bool stamp_received(sip::message& request, const peer& source) {
  const auto top = request.top_via();
  if (!top)
    return false;
  // Copied out: an edit may move the message buffer the views point into.
  const bool has_rport = top->has_rport();
  const bool differs = strip_brackets(top->host) != source.host;
  const bool received_ok = top->received() == source.host;
  const auto port = std::to_string(source.port);
  const bool rport_ok = top->params.value("rport") == port;
  bool edited = false;
  if ((has_rport || differs) && !received_ok) {
    request.set_top_via_param("received", source.host);
    edited = true;
  }
  if (has_rport && !rport_ok) {
    request.set_top_via_param("rport", port);
    edited = true;
  }
  return edited;
}

peer response_destination(const sip::via& top, const peer& source) {
  peer dest;
  dest.proto = source.proto;
  const std::uint16_t sent_by_port = top.port != 0 ? top.port : default_port(source.proto);
  const auto received = top.received();
  if (is_reliable(source.proto)) {
    dest.connection_id = source.connection_id;
    dest.host = std::string{strip_brackets(received.empty() ? top.host : received)};
    dest.port = sent_by_port;
    return dest;
  }
  if (const auto maddr = top.maddr(); !maddr.empty()) {
    dest.host = std::string{strip_brackets(maddr)};
    dest.port = sent_by_port;
    return dest;
  }
  if (!received.empty()) {
    dest.host = std::string{strip_brackets(received)};
    const auto rport = top.rport();
    dest.port = rport && *rport != 0 ? *rport : sent_by_port;
    return dest;
  }
  dest.host = std::string{strip_brackets(top.host)};
  dest.port = sent_by_port;
  return dest;
}

} // namespace ringdown::transport
