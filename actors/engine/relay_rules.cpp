#include "actors/engine/relay_rules.hpp"

#include <cstdint>

#include "base/host_port.hpp"
#include "base/ids.hpp"
#include "net/sip/scan.hpp"

namespace ringdown::actors::relay {

namespace {

constexpr std::string_view branch_marker = "rl";

std::uint16_t uri_port(const sip::uri& u) {
  if (u.has_port())
    return u.port;
  const bool tls =
      u.scheme == sip::uri::scheme_t::sips || sip::scan::iequals(u.transport(), "tls");
  return tls ? 5061 : 5060;
}

bool is_our_address(std::string_view host, std::uint16_t port, listeners ours) {
  const auto bare = transport::strip_brackets(host);
  for (const auto& l : ours)
    if (l.port == port && sip::scan::iequals(l.host, bare))
      return true;
  return false;
}

/// FNV-1a, 64 bits: stable across runs and nodes (std::hash is neither).
struct fnv1a {
  std::uint64_t h = 14695981039346656037ULL;
  void add(std::string_view s) {
    for (const char c : s) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ULL;
    }
    h ^= 0xff; // field separator: "ab","c" differs from "a","bc"
    h *= 1099511628211ULL;
  }
};

} // namespace

bool names_us(const sip::uri& u, listeners ours) {
  if (u.scheme != sip::uri::scheme_t::sip && u.scheme != sip::uri::scheme_t::sips)
    return false;
  return is_our_address(u.host, uri_port(u), ours);
}

loose_route pop_own_routes(sip::message& request, listeners ours) {
  loose_route out;
  for (std::size_t i = 0; i < own_routes_max; ++i) {
    const auto routes = request.routes();
    if (routes.empty() || !names_us(routes.front().uri, ours))
      break;
    request.remove_first_value(sip::header_id::route);
    out.popped = true;
  }
  if (!out.popped)
    return out;
  const auto routes = request.routes();
  const sip::uri& target = routes.empty() ? request.request_uri() : routes.front().uri;
  if (names_us(target, ours))
    return out;
  auto next = transport::peer_for(target);
  // A Request-URI of a domain (sip:floor.test, sip:bob@floor.test) after
  // our outbound-proxy Route: the request is for the domain this node
  // serves (a registration, a call), not for another hop.
  if (!next && routes.empty())
    return out;
  out.to_us = false;
  out.next = std::move(next);
  return out;
}

std::optional<std::string> record_route(listeners ours, transport::protocol proto) {
  for (const auto& l : ours) {
    if (l.proto != proto)
      continue;
    std::string value{"<sip:"};
    append_host_port(value, l.host, l.port);
    value += ";transport=";
    switch (proto) {
    case transport::protocol::udp:
      value += "udp";
      break;
    case transport::protocol::tcp:
      value += "tcp";
      break;
    case transport::protocol::tls:
      value += "tls";
      break;
    }
    value += ";lr>";
    return value;
  }
  return std::nullopt;
}

bool creates_dialog(const sip::message& request) {
  switch (request.method()) {
  case sip::method::invite:
  case sip::method::subscribe:
  case sip::method::refer: {
    const auto to = request.to();
    return to && to->tag().empty();
  }
  default:
    return false;
  }
}

bool take_hop(sip::message& request) {
  const auto mf = request.max_forwards();
  if (!mf) {
    request.set_first(sip::header_id::max_forwards, std::to_string(max_forwards_default));
    return true;
  }
  if (*mf == 0)
    return false;
  request.set_first(sip::header_id::max_forwards, std::to_string(*mf - 1));
  return true;
}

std::string loop_key(const sip::message& request) {
  fnv1a h;
  h.add(request.request_uri_text());
  const auto from = request.from();
  h.add(from ? from->tag() : std::string_view{});
  const auto to = request.to();
  h.add(to ? to->tag() : std::string_view{});
  h.add(request.call_id());
  const auto cseq = request.cseq();
  h.add(cseq ? std::to_string(cseq->number) : std::string{});
  h.add(request.method_text());
  h.add(request.header("Proxy-Require"));
  h.add(request.header("Proxy-Authorization"));
  static constexpr char hex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (std::size_t i = 0; i < 16; ++i)
    out[15 - i] = hex[(h.h >> (4 * i)) & 0xf];
  return out;
}

std::string relay_branch(const sip::message& request, std::string_view unique) {
  std::string branch{id_generator::branch_cookie};
  branch += branch_marker;
  branch += loop_key(request);
  branch += '.';
  branch += unique;
  return branch;
}

bool is_loop(const sip::message& request, listeners ours) {
  std::string prefix{id_generator::branch_cookie};
  prefix += branch_marker;
  prefix += loop_key(request);
  prefix += '.';
  bool loop = false;
  (void)request.for_each_via([&](const sip::via& v) {
    if (loop || !v.branch().starts_with(prefix))
      return;
    const std::uint16_t port = v.port != 0 ? v.port : 5060;
    loop = is_our_address(v.host, port, ours);
  });
  return loop;
}

} // namespace ringdown::actors::relay
