#include "net/sdp/media_attributes.hpp"

#include <algorithm>

#include "net/sdp/fields.hpp"
#include "net/sdp/text.hpp"

namespace ringdown::sdp {
namespace {

std::optional<std::uint32_t> milliseconds(const media& m, std::string_view name) {
  const auto* a = find_attribute(m.attributes, name);
  if (!a || !a->value)
    return std::nullopt;
  auto v = text::trim(*a->value);
  // Some phones write `a=ptime:20.0`; the fraction is dropped.
  v = v.substr(0, v.find('.'));
  auto ms = text::to_uint<std::uint32_t>(v);
  if (!ms || *ms == 0)
    return std::nullopt;
  return ms;
}

} // namespace

std::optional<rtcp_attribute> parse_rtcp(std::string_view value) {
  value = text::trim(value);
  auto port_text = text::next_token(value);
  auto port = text::to_uint<std::uint32_t>(port_text);
  if (!port || *port > 65535)
    return std::nullopt;
  rtcp_attribute r{static_cast<std::uint16_t>(*port), std::nullopt};
  value = text::trim(value);
  if (!value.empty()) {
    connection c;
    if (!fields::parse_connection(value, c).empty())
      return std::nullopt;
    r.address = std::move(c);
  }
  return r;
}

std::string to_string(const rtcp_attribute& r) {
  std::string out = std::to_string(r.port);
  if (r.address) {
    std::string line;
    fields::write_connection(*r.address, line); // "c=IN IP4 addr\r\n"
    out += " " + line.substr(2, line.size() - 4);
  }
  return out;
}

std::optional<rtcp_attribute> find_rtcp(const media& m) {
  const auto* a = find_attribute(m.attributes, "rtcp");
  if (!a || !a->value)
    return std::nullopt;
  return parse_rtcp(*a->value);
}

bool has_rtcp_mux(const media& m) noexcept {
  return has_attribute(m.attributes, "rtcp-mux");
}

std::optional<std::uint32_t> ptime_ms(const media& m) {
  return milliseconds(m, "ptime");
}

std::optional<std::uint32_t> maxptime_ms(const media& m) {
  return milliseconds(m, "maxptime");
}

void remove_attributes(media& m, std::string_view name) {
  std::erase_if(m.attributes, [name](const attribute& a) { return a.name == name; });
}

} // namespace ringdown::sdp
