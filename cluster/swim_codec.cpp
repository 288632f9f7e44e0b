#include "cluster/swim_codec.hpp"

#include <string_view>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "base/assert.hpp"

namespace ringdown::cluster {
namespace {

constexpr std::uint8_t flag_request = 0x01;
constexpr std::uint8_t flag_join = 0x02;

void mac(std::span<const std::uint8_t> key, const std::uint8_t* data, std::size_t len,
         std::uint8_t* tag) {
  static const std::uint8_t empty_key = 0;
  unsigned int tag_len = 0;
  const void* k = key.empty() ? &empty_key : key.data();
  const auto* r =
      HMAC(EVP_sha256(), k, static_cast<int>(key.size()), data, len, tag, &tag_len);
  RINGDOWN_ASSERT(r != nullptr && tag_len == mac_bytes, "HMAC-SHA256 failed");
}

class writer {
public:
  explicit writer(std::vector<std::uint8_t>& out) : out_(out) {}
  void u8(std::uint8_t v) { out_.push_back(v); }
  void u16(std::uint16_t v) { be(v, 2); }
  void u32(std::uint32_t v) { be(v, 4); }
  void u64(std::uint64_t v) { be(v, 8); }
  void str(std::string_view s) {
    RINGDOWN_ASSERT(s.size() <= 255, "string field too long");
    u8(static_cast<std::uint8_t>(s.size()));
    out_.insert(out_.end(), s.begin(), s.end());
  }
  [[nodiscard]] std::size_t size() const noexcept { return out_.size(); }
  void truncate(std::size_t n) { out_.resize(n); }
  void patch_u8(std::size_t at, std::uint8_t v) { out_[at] = v; }
  void patch_u16(std::size_t at, std::uint16_t v) {
    out_[at] = static_cast<std::uint8_t>(v >> 8);
    out_[at + 1] = static_cast<std::uint8_t>(v);
  }

private:
  void be(std::uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i)
      out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  std::vector<std::uint8_t>& out_;
};

class reader {
public:
  explicit reader(std::span<const std::uint8_t> in) : in_(in) {}
  bool u8(std::uint8_t& v) {
    std::uint64_t x = 0;
    return be(x, 1) && (v = static_cast<std::uint8_t>(x), true);
  }
  bool u16(std::uint16_t& v) {
    std::uint64_t x = 0;
    return be(x, 2) && (v = static_cast<std::uint16_t>(x), true);
  }
  bool u32(std::uint32_t& v) {
    std::uint64_t x = 0;
    return be(x, 4) && (v = static_cast<std::uint32_t>(x), true);
  }
  bool u64(std::uint64_t& v) { return be(v, 8); }
  bool str(std::string& s, std::size_t max) {
    std::uint8_t len = 0;
    if (!u8(len) || len > max || in_.size() - pos_ < len)
      return false;
    s.assign(reinterpret_cast<const char*>(in_.data() + pos_), len);
    pos_ += len;
    return true;
  }
  [[nodiscard]] bool done() const noexcept { return pos_ == in_.size(); }

private:
  bool be(std::uint64_t& v, std::size_t bytes) {
    if (in_.size() - pos_ < bytes)
      return false;
    v = 0;
    for (std::size_t i = 0; i < bytes; ++i)
      v = (v << 8) | in_[pos_++];
    return true;
  }
  std::span<const std::uint8_t> in_;
  std::size_t pos_ = 0;
};

void put_addresses(writer& w, const member& m) {
  w.str(m.zone);
  w.str(m.addresses.sip);
  w.str(m.addresses.cluster);
  w.str(m.addresses.admin);
  w.str(m.addresses.media);
}

bool get_addresses(reader& r, member& m) {
  return r.str(m.zone, zone_bytes_max) && r.str(m.addresses.sip, address_bytes_max) &&
         r.str(m.addresses.cluster, address_bytes_max) &&
         r.str(m.addresses.admin, address_bytes_max) &&
         r.str(m.addresses.media, address_bytes_max);
}

bool get_state(reader& r, member_state& s) {
  std::uint8_t v = 0;
  if (!r.u8(v) || v > static_cast<std::uint8_t>(member_state::left))
    return false;
  s = static_cast<member_state>(v);
  return true;
}

void put_member(writer& w, const member& m) {
  w.str(m.id);
  put_addresses(w, m);
  w.u8(static_cast<std::uint8_t>(m.state));
  w.u64(m.incarnation);
}

bool get_member(reader& r, member& m) {
  return r.str(m.id, member_id_bytes_max) && !m.id.empty() && get_addresses(r, m) &&
         get_state(r, m.state) && r.u64(m.incarnation);
}

void put_update(writer& w, const swim_update& u) {
  w.u8(static_cast<std::uint8_t>(u.subject.state));
  w.u64(u.subject.incarnation);
  w.str(u.subject.id);
  w.str(u.from);
  if (u.subject.state == member_state::alive)
    put_addresses(w, u.subject);
}

bool get_update(reader& r, swim_update& u) {
  u.subject = member{};
  if (!get_state(r, u.subject.state) || !r.u64(u.subject.incarnation) ||
      !r.str(u.subject.id, member_id_bytes_max) || u.subject.id.empty() ||
      !r.str(u.from, member_id_bytes_max))
    return false;
  return u.subject.state != member_state::alive || get_addresses(r, u.subject);
}

bool parse(reader& r, swim_message& m) {
  std::uint8_t version = 0;
  std::uint8_t kind = 0;
  if (!r.u8(version) || version != wire_version || !r.u8(kind) ||
      kind < static_cast<std::uint8_t>(message_kind::ping) ||
      kind > static_cast<std::uint8_t>(message_kind::gossip))
    return false;
  m.kind = static_cast<message_kind>(kind);
  if (!r.str(m.from_id, member_id_bytes_max) || m.from_id.empty() || !r.u32(m.seq))
    return false;
  m.target_id.clear();
  m.target_address.clear();
  m.request = m.join = false;
  m.members.clear();
  m.updates.clear();
  if ((m.kind == message_kind::ping || m.kind == message_kind::ping_req) &&
      !r.str(m.target_id, member_id_bytes_max))
    return false;
  if (m.kind == message_kind::ping_req && !r.str(m.target_address, address_bytes_max))
    return false;
  if (m.kind == message_kind::push_pull) {
    std::uint8_t flags = 0;
    std::uint16_t count = 0;
    if (!r.u8(flags) || (flags & ~(flag_request | flag_join)) != 0 || !r.u16(count) ||
        count > members_per_packet_max)
      return false;
    m.request = (flags & flag_request) != 0;
    m.join = (flags & flag_join) != 0;
    m.members.resize(count);
    for (auto& mem : m.members)
      if (!get_member(r, mem))
        return false;
  }
  std::uint8_t count = 0;
  if (!r.u8(count))
    return false;
  m.updates.resize(count);
  for (auto& u : m.updates)
    if (!get_update(r, u))
      return false;
  return r.done();
}

} // namespace

encode_result encode(const swim_message& msg, std::span<const member> members,
                     std::span<const swim_update> updates,
                     std::span<const std::uint8_t> key, std::vector<std::uint8_t>& out) {
  constexpr std::size_t body_max = packet_bytes_max - mac_bytes;
  out.clear();
  writer w(out);
  w.u8(wire_version);
  w.u8(static_cast<std::uint8_t>(msg.kind));
  w.str(msg.from_id);
  w.u32(msg.seq);
  if (msg.kind == message_kind::ping || msg.kind == message_kind::ping_req)
    w.str(msg.target_id);
  if (msg.kind == message_kind::ping_req)
    w.str(msg.target_address);
  encode_result fitted;
  if (msg.kind == message_kind::push_pull) {
    w.u8(static_cast<std::uint8_t>((msg.request ? flag_request : 0) |
                                   (msg.join ? flag_join : 0)));
    const std::size_t count_at = w.size();
    w.u16(0);
    for (const auto& m : members) {
      RINGDOWN_ASSERT(well_formed(m), "member record past its limits");
      const std::size_t before = w.size();
      put_member(w, m);
      if (w.size() + 1 > body_max || fitted.members == members_per_packet_max) {
        w.truncate(before);
        break;
      }
      ++fitted.members;
    }
    w.patch_u16(count_at, static_cast<std::uint16_t>(fitted.members));
  }
  const std::size_t count_at = w.size();
  w.u8(0);
  RINGDOWN_ASSERT(w.size() <= body_max, "SWIM header past the packet limit");
  for (const auto& u : updates) {
    RINGDOWN_ASSERT(well_formed(u.subject) && u.from.size() <= member_id_bytes_max,
                    "update past its limits");
    const std::size_t before = w.size();
    put_update(w, u);
    if (w.size() > body_max || fitted.updates == updates_per_packet_max) {
      w.truncate(before);
      break;
    }
    ++fitted.updates;
  }
  w.patch_u8(count_at, static_cast<std::uint8_t>(fitted.updates));
  const std::size_t body = out.size();
  out.resize(body + mac_bytes);
  mac(key, out.data(), body, out.data() + body);
  return fitted;
}

encode_result encode(const swim_message& msg, std::span<const std::uint8_t> key,
                     std::vector<std::uint8_t>& out) {
  return encode(msg, msg.members, msg.updates, key, out);
}

bool decode_into(std::span<const std::uint8_t> bytes, std::span<const std::uint8_t> key,
                 swim_message& out, decode_error* error) {
  const auto fail = [error](decode_error e) {
    if (error != nullptr)
      *error = e;
    return false;
  };
  if (bytes.size() > packet_bytes_max)
    return fail(decode_error::too_big);
  if (bytes.size() < mac_bytes + 2)
    return fail(decode_error::malformed);
  const std::size_t body = bytes.size() - mac_bytes;
  std::uint8_t tag[mac_bytes];
  mac(key, bytes.data(), body, tag);
  if (CRYPTO_memcmp(tag, bytes.data() + body, mac_bytes) != 0)
    return fail(decode_error::bad_mac);
  reader r(bytes.first(body));
  if (!parse(r, out))
    return fail(decode_error::malformed);
  return true;
}

std::optional<swim_message> decode(std::span<const std::uint8_t> bytes,
                                   std::span<const std::uint8_t> key, decode_error* error) {
  swim_message m;
  if (!decode_into(bytes, key, m, error))
    return std::nullopt;
  return m;
}

} // namespace ringdown::cluster
