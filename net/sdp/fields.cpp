#include "net/sdp/fields.hpp"

#include "net/sdp/text.hpp"

namespace ringdown::sdp::fields {
namespace {

/// `1*DIGIT [d|h|m|s]` (RFC 8866 §5.10 typed-time).
bool is_typed_time(std::string_view t) noexcept {
  if (!t.empty() &&
      (t.back() == 'd' || t.back() == 'h' || t.back() == 'm' || t.back() == 's'))
    t.remove_suffix(1);
  return t.size() <= 20 && text::all_digits(t);
}

bool is_proto(std::string_view p) noexcept {
  if (p.empty() || p.front() == '/' || p.back() == '/')
    return false;
  for (char c : p)
    if (c != '/' && !text::is_token_char(c))
      return false;
  return true;
}

/// A unicast or multicast address token: no blanks, no control characters.
bool is_address(std::string_view a) noexcept {
  if (a.empty())
    return false;
  for (char c : a)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return false;
  return true;
}

} // namespace

std::string_view parse_origin(std::string_view value, origin& out) {
  std::string_view tok[6];
  for (auto& t : tok) {
    t = text::next_token(value);
    if (t.empty())
      return "o= needs 6 fields: username sess-id sess-version nettype addrtype address";
  }
  if (!text::next_token(value).empty())
    return "o= has more than 6 fields";
  if (!text::all_digits(tok[2]))
    return "o= sess-version is not a number";
  if (!text::is_token(tok[3]) || !text::is_token(tok[4]))
    return "o= nettype or addrtype is not a token";
  if (!is_address(tok[5]))
    return "o= address is malformed";
  out = origin{std::string(tok[0]), std::string(tok[1]), std::string(tok[2]),
               std::string(tok[3]), std::string(tok[4]), std::string(tok[5])};
  return {};
}

std::string_view parse_connection(std::string_view value, connection& out) {
  const auto net = text::next_token(value);
  const auto addrtype = text::next_token(value);
  auto addr = text::next_token(value);
  if (addr.empty())
    return "c= needs 3 fields: nettype addrtype address";
  if (!text::next_token(value).empty())
    return "c= has more than 3 fields";
  if (!text::is_token(net) || !text::is_token(addrtype) || !is_address(addr))
    return "c= field is malformed";
  out = connection{std::string(net), std::string(addrtype), {}, {}, {}};
  const bool ip4 = addrtype == "IP4", ip6 = addrtype == "IP6";
  if (ip4 || ip6) {
    const auto slash = addr.find('/');
    if (slash != std::string_view::npos) {
      auto rest = addr.substr(slash + 1);
      addr = addr.substr(0, slash);
      const auto slash2 = rest.find('/');
      auto first = rest.substr(0, slash2);
      auto n1 = text::to_uint<std::uint32_t>(first);
      if (!n1)
        return "c= multicast ttl or count is not a number";
      if (ip6) {
        if (slash2 != std::string_view::npos)
          return "c= IP6 address takes one /count only";
        out.count = n1;
      } else {
        if (*n1 > 255)
          return "c= multicast ttl above 255";
        out.ttl = n1;
        if (slash2 != std::string_view::npos) {
          out.count = text::to_uint<std::uint32_t>(rest.substr(slash2 + 1));
          if (!out.count)
            return "c= multicast count is not a number";
        }
      }
    }
    if (addr.empty())
      return "c= address is empty";
    if (ip4 && addr.find(':') != std::string_view::npos)
      return "c= IP4 address contains ':'";
  }
  out.address = std::string(addr);
  return {};
}

std::string_view parse_bandwidth(std::string_view value, bandwidth& out) {
  const auto colon = value.find(':');
  if (colon == std::string_view::npos)
    return "b= needs <bwtype>:<bandwidth>";
  const auto type = value.substr(0, colon);
  if (!text::is_token(type))
    return "b= bwtype is not a token";
  auto v = text::to_uint<std::uint64_t>(value.substr(colon + 1));
  if (!v)
    return "b= bandwidth is not a number";
  out = bandwidth{std::string(type), *v};
  return {};
}

std::string_view parse_timing(std::string_view value, timing& out) {
  const auto start = text::to_uint<std::uint64_t>(text::next_token(value));
  const auto stop = text::to_uint<std::uint64_t>(text::next_token(value));
  if (!start || !stop)
    return "t= needs two numbers: start stop";
  if (!text::next_token(value).empty())
    return "t= has more than 2 fields";
  out.start = *start;
  out.stop = *stop;
  return {};
}

std::string_view parse_repeat(std::string_view value, std::vector<std::string>& out) {
  for (auto tok = text::next_token(value); !tok.empty(); tok = text::next_token(value)) {
    if (!is_typed_time(tok))
      return "r= field is not a typed time";
    if (out.size() >= 64)
      return "r= has too many fields";
    out.emplace_back(tok);
  }
  if (out.size() < 3)
    return "r= needs interval, duration and at least one offset";
  return {};
}

std::string_view parse_zones(std::string_view value, std::vector<std::string>& out) {
  for (auto tok = text::next_token(value); !tok.empty(); tok = text::next_token(value)) {
    const bool is_offset = out.size() % 2 == 1;
    auto t = tok;
    if (is_offset && t.front() == '-')
      t.remove_prefix(1);
    if (is_offset ? !is_typed_time(t) : !text::all_digits(t))
      return "z= field is malformed";
    if (out.size() >= 64)
      return "z= has too many fields";
    out.emplace_back(tok);
  }
  if (out.empty() || out.size() % 2 != 0)
    return "z= needs pairs of adjustment time and offset";
  return {};
}

std::string_view parse_attribute(std::string_view value, attribute& out) {
  const auto colon = value.find(':');
  const auto name = value.substr(0, colon);
  if (!text::is_token(name))
    return "a= attribute name is not a token";
  out.name = std::string(name);
  if (colon != std::string_view::npos)
    out.value = std::string(value.substr(colon + 1));
  return {};
}

std::string_view parse_media(std::string_view value, std::size_t formats_max, media& out) {
  const auto type = text::next_token(value);
  const auto port_field = text::next_token(value);
  const auto proto = text::next_token(value);
  if (proto.empty())
    return "m= needs media, port, proto and formats";
  if (!text::is_token(type))
    return "m= media type is not a token";
  const auto slash = port_field.find('/');
  const auto port = text::to_uint<std::uint32_t>(port_field.substr(0, slash));
  if (!port)
    return "m= port is not a number";
  if (*port > 65535)
    return "m= port above 65535";
  out.port = static_cast<std::uint16_t>(*port);
  if (slash != std::string_view::npos) {
    out.port_count = text::to_uint<std::uint32_t>(port_field.substr(slash + 1));
    if (!out.port_count || *out.port_count == 0)
      return "m= port count is not a positive number";
  }
  if (!is_proto(proto))
    return "m= proto is malformed";
  out.type = std::string(type);
  out.proto = std::string(proto);
  for (auto f = text::next_token(value); !f.empty(); f = text::next_token(value)) {
    if (out.formats.size() >= formats_max)
      return "m= has too many formats";
    if (!is_address(f))
      return "m= format is malformed";
    out.formats.emplace_back(f);
  }
  // RFC 8866 §5.14 asks for one format at least; a rejected stream (port 0)
  // without one is tolerated because some phones send it.
  if (out.formats.empty() && out.port != 0)
    return "m= has no formats";
  return {};
}

void write_origin(const origin& o, std::string& out) {
  out.append("o=").append(o.username).append(" ").append(o.sess_id).append(" ");
  out.append(o.sess_version).append(" ").append(o.nettype).append(" ");
  out.append(o.addrtype).append(" ").append(o.address).append("\r\n");
}

void write_connection(const connection& c, std::string& out) {
  out.append("c=").append(c.nettype).append(" ").append(c.addrtype).append(" ");
  out.append(c.address);
  if (c.ttl)
    out.append("/").append(std::to_string(*c.ttl));
  if (c.count)
    out.append("/").append(std::to_string(*c.count));
  out.append("\r\n");
}

void write_bandwidth(const bandwidth& b, std::string& out) {
  out.append("b=")
      .append(b.type)
      .append(":")
      .append(std::to_string(b.value))
      .append("\r\n");
}

void write_attribute(const attribute& a, std::string& out) {
  out.append("a=").append(a.name);
  if (a.value)
    out.append(":").append(*a.value);
  out.append("\r\n");
}

void write_media_line(const media& m, std::string& out) {
  out.append("m=").append(m.type).append(" ").append(std::to_string(m.port));
  if (m.port_count)
    out.append("/").append(std::to_string(*m.port_count));
  out.append(" ").append(m.proto);
  for (const auto& f : m.formats)
    out.append(" ").append(f);
  out.append("\r\n");
}

} // namespace ringdown::sdp::fields
