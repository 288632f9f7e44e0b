#include "net/sdp/rtpmap.hpp"

#include <algorithm>
#include <array>

#include "net/sdp/text.hpp"

namespace ringdown::sdp {
namespace {

struct static_entry {
  std::uint8_t pt;
  std::string_view name;
  std::uint32_t rate;
  std::uint32_t channels;
};

// RFC 3551 §6, tables 4 and 5.
constexpr std::array<static_entry, 24> static_table{{
    {0, "PCMU", 8000, 1},   {3, "GSM", 8000, 1},    {4, "G723", 8000, 1},
    {5, "DVI4", 8000, 1},   {6, "DVI4", 16000, 1},  {7, "LPC", 8000, 1},
    {8, "PCMA", 8000, 1},   {9, "G722", 8000, 1},   {10, "L16", 44100, 2},
    {11, "L16", 44100, 1},  {12, "QCELP", 8000, 1}, {13, "CN", 8000, 1},
    {14, "MPA", 90000, 0},  {15, "G728", 8000, 1},  {16, "DVI4", 11025, 1},
    {17, "DVI4", 22050, 1}, {18, "G729", 8000, 1},  {25, "CelB", 90000, 0},
    {26, "JPEG", 90000, 0}, {28, "nv", 90000, 0},   {31, "H261", 90000, 0},
    {32, "MPV", 90000, 0},  {33, "MP2T", 90000, 0}, {34, "H263", 90000, 0},
}};

std::optional<std::uint8_t> to_pt(std::string_view s) {
  auto v = text::to_uint<unsigned>(s);
  if (!v || *v > 127)
    return std::nullopt;
  return static_cast<std::uint8_t>(*v);
}

/// Splits `<pt> <rest>` of rtpmap and fmtp values.
std::optional<std::pair<std::uint8_t, std::string_view>> split_pt(std::string_view value) {
  value = text::trim(value);
  const auto sp = value.find_first_of(" \t");
  if (sp == std::string_view::npos)
    return std::nullopt;
  auto pt = to_pt(value.substr(0, sp));
  if (!pt)
    return std::nullopt;
  return std::pair{*pt, text::trim(value.substr(sp + 1))};
}

} // namespace

bool rtpmap::same_codec(const rtpmap& o) const noexcept {
  return clock_rate == o.clock_rate && channel_count() == o.channel_count() &&
         text::iequals(encoding, o.encoding);
}

std::optional<rtpmap> parse_rtpmap(std::string_view value) {
  auto head = split_pt(value);
  if (!head)
    return std::nullopt;
  auto rest = head->second;
  const auto s1 = rest.find('/');
  if (s1 == std::string_view::npos || s1 == 0)
    return std::nullopt;
  rtpmap m;
  m.payload_type = head->first;
  m.encoding = std::string(rest.substr(0, s1));
  rest.remove_prefix(s1 + 1);
  const auto s2 = rest.find('/');
  auto rate = text::to_uint<std::uint32_t>(rest.substr(0, s2));
  if (!rate || *rate == 0)
    return std::nullopt;
  m.clock_rate = *rate;
  if (s2 != std::string_view::npos) {
    m.channels = text::to_uint<std::uint32_t>(rest.substr(s2 + 1));
    if (!m.channels || *m.channels == 0)
      return std::nullopt;
  }
  return m;
}

std::string to_string(const rtpmap& m) {
  std::string out = std::to_string(m.payload_type) + " " + m.encoding + "/" +
                    std::to_string(m.clock_rate);
  if (m.channels)
    out += "/" + std::to_string(*m.channels);
  return out;
}

std::optional<rtpmap> static_payload_type(std::uint8_t pt) {
  for (const auto& e : static_table)
    if (e.pt == pt) {
      rtpmap m{pt, std::string(e.name), e.rate, std::nullopt};
      if (e.channels > 1)
        m.channels = e.channels;
      return m;
    }
  return std::nullopt;
}

std::optional<fmtp> parse_fmtp(std::string_view value) {
  auto head = split_pt(value);
  if (!head || head->second.empty())
    return std::nullopt;
  return fmtp{head->first, std::string(head->second)};
}

std::string to_string(const fmtp& f) {
  return std::to_string(f.payload_type) + " " + f.params;
}

std::vector<std::pair<std::string, std::string>> fmtp_params(std::string_view params) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!params.empty()) {
    const auto semi = params.find(';');
    const auto item = text::trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
    if (item.empty())
      continue;
    const auto eq = item.find('=');
    if (eq == std::string_view::npos)
      out.emplace_back(std::string(item), std::string());
    else
      out.emplace_back(std::string(text::trim(item.substr(0, eq))),
                       std::string(text::trim(item.substr(eq + 1))));
  }
  return out;
}

bool fmtp_equivalent(std::string_view a, std::string_view b) {
  auto pa = fmtp_params(a), pb = fmtp_params(b);
  if (pa.size() != pb.size())
    return false;
  auto norm = [](auto& v) {
    for (auto& p : v)
      p.first = text::to_lower(p.first);
    std::sort(v.begin(), v.end());
  };
  norm(pa);
  norm(pb);
  return pa == pb;
}

std::optional<event_set> parse_events(std::string_view list) {
  event_set out;
  list = text::trim(list);
  if (list.empty())
    return std::nullopt;
  while (!list.empty()) {
    const auto comma = list.find(',');
    const auto item = text::trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    const auto dash = item.find('-');
    auto lo = text::to_uint<unsigned>(item.substr(0, dash));
    auto hi = dash == std::string_view::npos
                  ? lo
                  : text::to_uint<unsigned>(item.substr(dash + 1));
    if (!lo || !hi || *lo > *hi || *hi > 255)
      return std::nullopt;
    for (unsigned e = *lo; e <= *hi; ++e)
      out.set(e);
  }
  return out;
}

std::string to_string(const event_set& events) {
  std::string out;
  for (unsigned e = 0; e < events.size();) {
    if (!events.test(e)) {
      ++e;
      continue;
    }
    unsigned end = e;
    while (end + 1 < events.size() && events.test(end + 1))
      ++end;
    if (!out.empty())
      out += ',';
    out += std::to_string(e);
    if (end != e)
      out += "-" + std::to_string(end);
    e = end + 1;
  }
  return out;
}

event_set default_events() {
  event_set s;
  for (unsigned e = 0; e <= 15; ++e)
    s.set(e);
  return s;
}

bool is_telephone_event(const rtpmap& m) noexcept {
  return text::iequals(m.encoding, "telephone-event");
}

std::vector<codec> media_codecs(const media& m) {
  std::array<const attribute*, 128> maps{}, fmtps{};
  for (const auto& a : m.attributes) {
    if (!a.value)
      continue;
    const bool is_map = a.name == "rtpmap";
    if (!is_map && a.name != "fmtp")
      continue;
    auto head = split_pt(*a.value);
    if (!head)
      continue;
    auto& slot = (is_map ? maps : fmtps)[head->first];
    if (!slot)
      slot = &a;
  }
  std::vector<codec> out;
  out.reserve(m.formats.size());
  for (const auto& f : m.formats) {
    auto pt = to_pt(f);
    if (!pt)
      continue;
    codec c{*pt, std::nullopt, std::nullopt};
    if (maps[*pt])
      c.map = parse_rtpmap(*maps[*pt]->value);
    if (!c.map)
      c.map = static_payload_type(*pt);
    if (fmtps[*pt]) {
      if (auto f2 = parse_fmtp(*fmtps[*pt]->value))
        c.fmtp = std::move(f2->params);
    }
    out.push_back(std::move(c));
  }
  return out;
}

} // namespace ringdown::sdp
