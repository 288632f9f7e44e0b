#include "net/sdp/fields.hpp"
#include "net/sdp/session.hpp"

namespace ringdown::sdp {
namespace {

void write_text(char type, std::string_view value, std::string& out) {
  out.push_back(type);
  out.push_back('=');
  out.append(value).append("\r\n");
}

void write_tokens(char type, const std::vector<std::string>& tokens, std::string& out) {
  out.push_back(type);
  out.push_back('=');
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i != 0)
      out.push_back(' ');
    out.append(tokens[i]);
  }
  out.append("\r\n");
}

std::size_t estimate_size(const session& s) {
  std::size_t n = 128 + s.name.size() + 48 * s.attributes.size();
  for (const auto& m : s.media)
    n += 64 + 8 * m.formats.size() + 48 * m.attributes.size();
  return n;
}

} // namespace

std::string serialize(const session& s) {
  std::string out;
  out.reserve(estimate_size(s));
  out.append("v=").append(std::to_string(s.version)).append("\r\n");
  fields::write_origin(s.origin, out);
  write_text('s', s.name, out);
  if (s.information)
    write_text('i', *s.information, out);
  if (s.uri)
    write_text('u', *s.uri, out);
  for (const auto& e : s.emails)
    write_text('e', e, out);
  for (const auto& p : s.phones)
    write_text('p', p, out);
  if (s.connection)
    fields::write_connection(*s.connection, out);
  for (const auto& b : s.bandwidths)
    fields::write_bandwidth(b, out);
  for (const auto& t : s.timings) {
    out.append("t=").append(std::to_string(t.start)).append(" ");
    out.append(std::to_string(t.stop)).append("\r\n");
    for (const auto& r : t.repeats)
      write_tokens('r', r, out);
  }
  if (!s.zones.empty())
    write_tokens('z', s.zones, out);
  if (s.key)
    write_text('k', *s.key, out);
  for (const auto& a : s.attributes)
    fields::write_attribute(a, out);
  for (const auto& m : s.media) {
    fields::write_media_line(m, out);
    if (m.information)
      write_text('i', *m.information, out);
    for (const auto& c : m.connections)
      fields::write_connection(c, out);
    for (const auto& b : m.bandwidths)
      fields::write_bandwidth(b, out);
    if (m.key)
      write_text('k', *m.key, out);
    for (const auto& a : m.attributes)
      fields::write_attribute(a, out);
  }
  return out;
}

const attribute* find_attribute(const std::vector<attribute>& attrs,
                                std::string_view name) noexcept {
  for (const auto& a : attrs)
    if (a.name == name)
      return &a;
  return nullptr;
}

bool has_attribute(const std::vector<attribute>& attrs, std::string_view name) noexcept {
  return find_attribute(attrs, name) != nullptr;
}

const connection* effective_connection(const session& s, const media& m) noexcept {
  if (!m.connections.empty())
    return &m.connections.front();
  return s.connection ? &*s.connection : nullptr;
}

} // namespace ringdown::sdp
