#include "net/sip/header_id.hpp"

#include <array>
#include <bit>
#include <cstring>

#include "net/sip/scan.hpp"

namespace ringdown::sip {

namespace {

constexpr std::size_t id_count = static_cast<std::size_t>(header_id::count_);

// Canonical long names indexed by header_id.
constexpr std::array<std::string_view, id_count> names{
    "",
    "Accept",
    "Allow",
    "Authorization",
    "Call-ID",
    "Call-Info",
    "Contact",
    "Content-Encoding",
    "Content-Length",
    "Content-Type",
    "CSeq",
    "Event",
    "Expires",
    "From",
    "Max-Forwards",
    "Min-Expires",
    "P-Asserted-Identity",
    "Proxy-Authenticate",
    "Proxy-Authorization",
    "Proxy-Require",
    "Reason",
    "Record-Route",
    "Refer-To",
    "Referred-By",
    "Replaces",
    "Require",
    "Route",
    "Server",
    "Session-Expires",
    "Min-SE",
    "Subject",
    "Subscription-State",
    "Supported",
    "To",
    "Unsupported",
    "User-Agent",
    "Via",
    "WWW-Authenticate",
    "Allow-Events",
};

// Lower-case names as little-endian 64-bit words, zero-padded.
struct lower_name {
  std::array<std::uint64_t, 3> words{};
};

constexpr std::array<lower_name, id_count> make_lower_names() {
  std::array<lower_name, id_count> out{};
  for (std::size_t i = 0; i < id_count; ++i)
    for (std::size_t j = 0; j < names[i].size(); ++j)
      out[i].words[j / 8] |=
          static_cast<std::uint64_t>(static_cast<unsigned char>(scan::lower(names[i][j])))
          << (8 * (j % 8));
  return out;
}

constexpr auto lower_names = make_lower_names();

constexpr std::size_t len_max = 20;
constexpr std::size_t per_len_max = 8;

// Ids bucketed by name length: a lookup compares only same-length names.
struct length_table {
  std::array<std::array<header_id, per_len_max>, len_max> ids{};
  std::array<std::uint8_t, len_max> count{};
};

constexpr length_table make_length_table() {
  length_table t{};
  for (std::size_t i = 1; i < id_count; ++i) {
    const std::size_t len = names[i].size();
    t.ids[len][t.count[len]++] = static_cast<header_id>(i);
  }
  return t;
}

constexpr length_table by_length = make_length_table();

constexpr header_id compact(char c) noexcept {
  switch (scan::lower(c)) {
  case 'i':
    return header_id::call_id;
  case 'm':
    return header_id::contact;
  case 'e':
    return header_id::content_encoding;
  case 'l':
    return header_id::content_length;
  case 'c':
    return header_id::content_type;
  case 'o':
    return header_id::event;
  case 'f':
    return header_id::from;
  case 'r':
    return header_id::refer_to;
  case 'b':
    return header_id::referred_by;
  case 'x':
    return header_id::session_expires;
  case 's':
    return header_id::subject;
  case 'k':
    return header_id::supported;
  case 't':
    return header_id::to;
  case 'v':
    return header_id::via;
  case 'u':
    return header_id::allow_events;
  default:
    return header_id::other;
  }
}

} // namespace

static_assert(std::endian::native == std::endian::little,
              "word compare assumes little-endian");

header_id header_id_from(std::string_view name) noexcept {
  const std::size_t len = name.size();
  if (len == 1)
    return compact(name[0]);
  if (len == 0 || len >= len_max)
    return header_id::other;
  // Compared 8 bytes at a time. OR-ing 0x20 lower-cases letters; among
  // token characters (header names) none other maps onto a letter or '-'.
  std::array<std::uint64_t, 3> w{};
  for (std::size_t i = 0; i < len; i += 8) {
    const std::size_t k = len - i < 8 ? len - i : 8;
    std::uint64_t x = 0;
    std::memcpy(&x, name.data() + i, k);
    const std::uint64_t mask =
        k == 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * k)) - 1;
    w[i / 8] = x | (0x2020202020202020ULL & mask);
  }
  for (std::size_t k = 0; k < by_length.count[len]; ++k) {
    const header_id id = by_length.ids[len][k];
    const auto& cand = lower_names[static_cast<std::size_t>(id)].words;
    if (cand[0] == w[0] && cand[1] == w[1] && cand[2] == w[2])
      return id;
  }
  return header_id::other;
}

std::string_view canonical_name(header_id id) noexcept {
  const auto i = static_cast<std::size_t>(id);
  return i < id_count ? names[i] : std::string_view{};
}

bool is_list_header(header_id id) noexcept {
  switch (id) {
  case header_id::accept:
  case header_id::allow:
  case header_id::call_info:
  case header_id::contact:
  case header_id::content_encoding:
  case header_id::p_asserted_identity:
  case header_id::proxy_require:
  case header_id::reason:
  case header_id::record_route:
  case header_id::require:
  case header_id::route:
  case header_id::supported:
  case header_id::unsupported:
  case header_id::via:
  case header_id::allow_events:
    return true;
  default:
    return false;
  }
}

} // namespace ringdown::sip
