#include "storage/provisioning_records.hpp"

#include <limits>
#include <vector>

#include "storage/codec.hpp"

namespace ringdown::storage {

namespace {

using config::provisioning_limits;

/// Reads a list written as a varint count and strings; false past `max`.
bool strings(decoder& in, std::vector<std::string>& out, std::size_t max) {
  const auto count = in.varint();
  if (!in.ok() || count > max)
    return false;
  out.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i)
    out.emplace_back(in.str());
  return in.ok();
}

void strings(encoder& out, const std::vector<std::string>& list) {
  out.varint(list.size());
  for (const auto& s : list)
    out.str(s);
}

/// Reads an enum stored as one byte; false when it is not below `count`.
template <typename E>
bool enum_byte(decoder& in, E& out, std::uint8_t count) {
  const auto v = in.u8();
  out = static_cast<E>(v);
  return in.ok() && v < count;
}

/// A decoder past the version byte; `good` false for an unknown version.
struct reader {
  decoder in;
  bool good;
};

reader open(std::string_view bytes) {
  reader r{decoder{bytes}, false};
  r.good = r.in.u8() == provisioning_format_version;
  return r;
}

template <typename T>
std::optional<T> done(const decoder& in, T&& value, bool good = true) {
  if (!good || !in.done())
    return std::nullopt;
  return std::forward<T>(value);
}

} // namespace

std::string provisioning_key(provisioning_kind kind, std::uint32_t index) {
  if (kind == provisioning_kind::header)
    return std::string(1, static_cast<char>(kind));
  std::string key = provisioning_prefix(kind);
  for (int shift = 24; shift >= 0; shift -= 8)
    key.push_back(static_cast<char>(static_cast<std::uint8_t>(index >> shift)));
  return key;
}

std::string provisioning_prefix(provisioning_kind kind) {
  if (kind == provisioning_kind::header)
    return std::string(1, static_cast<char>(kind));
  return {static_cast<char>(kind), '/'};
}

std::optional<std::uint32_t> provisioning_index(provisioning_kind kind,
                                                std::string_view key) {
  const auto prefix = provisioning_prefix(kind);
  if (kind == provisioning_kind::header || !key.starts_with(prefix) ||
      key.size() != prefix.size() + 4)
    return std::nullopt;
  std::uint32_t index = 0;
  for (const char c : key.substr(prefix.size()))
    index = (index << 8) | static_cast<std::uint8_t>(c);
  return index;
}

std::string encode(const provisioning_header& h) {
  encoder out;
  out.u8(provisioning_format_version).str(h.realm);
  out.u32(h.zones).u32(h.resources).u32(h.lines).u32(h.trunks);
  return out.take();
}

std::string encode(const config::zone_def& z) {
  encoder out;
  out.u8(provisioning_format_version).str(z.name).str(z.description);
  return out.take();
}

std::string encode(const config::resource_def& r) {
  encoder out;
  out.u8(provisioning_format_version).str(r.name).str(r.aor).str(r.zone);
  out.u8(static_cast<std::uint8_t>(r.kind)).str(r.password);
  strings(out, r.lines);
  out.u32(r.contacts_max).str(r.display_name).str(r.divert_to);
  strings(out, r.divert_on);
  out.u32(r.divert_after_s);
  return out.take();
}

std::string encode(const config::line_def& l) {
  encoder out;
  out.u8(provisioning_format_version).str(l.uri).str(l.zone).u32(l.appearances);
  out.boolean(l.private_line).boolean(l.barge_allowed);
  out.u8(static_cast<std::uint8_t>(l.hold)).str(l.display_name);
  return out.take();
}

std::string encode(const config::trunk_def& t) {
  encoder out;
  out.u8(provisioning_format_version).str(t.name).str(t.zone).str(t.gateway_host);
  out.u32(t.gateway_port).u8(static_cast<std::uint8_t>(t.transport));
  strings(out, t.prefixes);
  out.u32(t.calls_max);
  return out.take();
}

std::optional<provisioning_header> decode_header(std::string_view bytes) {
  auto [in, good] = open(bytes);
  provisioning_header h;
  h.realm = in.str();
  h.zones = in.u32();
  h.resources = in.u32();
  h.lines = in.u32();
  h.trunks = in.u32();
  return done(in, std::move(h), good);
}

std::optional<config::zone_def> decode_zone(std::string_view bytes) {
  auto [in, good] = open(bytes);
  config::zone_def z;
  z.name = in.str();
  z.description = in.str();
  return done(in, std::move(z), good);
}

std::optional<config::resource_def> decode_resource(std::string_view bytes) {
  auto [in, good] = open(bytes);
  config::resource_def r;
  r.name = in.str();
  r.aor = in.str();
  r.zone = in.str();
  good = enum_byte(in, r.kind, 4) && good;
  r.password = in.str();
  good = good && strings(in, r.lines, provisioning_limits::lines_per_resource_max);
  r.contacts_max = in.u32();
  r.display_name = in.str();
  if (in.ok() && !in.done()) { // diversion came later: a record without it has none
    r.divert_to = in.str();
    good = good && strings(in, r.divert_on, std::size(config::divert_conditions));
    r.divert_after_s = in.u32();
  }
  return done(in, std::move(r), good);
}

std::optional<config::line_def> decode_line(std::string_view bytes) {
  auto [in, good] = open(bytes);
  config::line_def l;
  l.uri = in.str();
  l.zone = in.str();
  l.appearances = in.u32();
  l.private_line = in.boolean();
  l.barge_allowed = in.boolean();
  good = enum_byte(in, l.hold, 2) && good;
  l.display_name = in.str();
  return done(in, std::move(l), good);
}

std::optional<config::trunk_def> decode_trunk(std::string_view bytes) {
  auto [in, good] = open(bytes);
  config::trunk_def t;
  t.name = in.str();
  t.zone = in.str();
  t.gateway_host = in.str();
  const auto port = in.u32();
  t.gateway_port = static_cast<std::uint16_t>(port);
  good = good && port <= std::numeric_limits<std::uint16_t>::max();
  good = enum_byte(in, t.transport, 3) && good;
  good = good && strings(in, t.prefixes, provisioning_limits::prefixes_per_trunk_max);
  t.calls_max = in.u32();
  return done(in, std::move(t), good);
}

} // namespace ringdown::storage
