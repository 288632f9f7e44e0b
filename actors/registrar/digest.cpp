#include "actors/registrar/digest.hpp"

#include <array>
#include <cctype>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "base/assert.hpp"

namespace ringdown::registrar {
namespace {

bool iequal(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

bool is_tchar(char c) noexcept {
  if (std::isalnum(static_cast<unsigned char>(c)))
    return true;
  return std::string_view{"!#$%&'*+-.^_`|~"}.find(c) != std::string_view::npos;
}

bool is_ws(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void skip_ws(std::string_view& s) noexcept {
  while (!s.empty() && is_ws(s.front()))
    s.remove_prefix(1);
}

std::string_view take_token(std::string_view& s) noexcept {
  std::size_t n = 0;
  while (n < s.size() && is_tchar(s[n]))
    ++n;
  const std::string_view t = s.substr(0, n);
  s.remove_prefix(n);
  return t;
}

/// Reads a token or a quoted-string (unescaped) into `out`.
bool take_value(std::string_view& s, std::string& out) {
  out.clear();
  if (s.empty())
    return false;
  if (s.front() != '"') {
    const std::string_view t = take_token(s);
    out.assign(t);
    return !t.empty();
  }
  s.remove_prefix(1);
  while (!s.empty()) {
    const char c = s.front();
    s.remove_prefix(1);
    if (c == '"')
      return out.size() <= auth_value_bytes_max;
    if (c == '\\') {
      if (s.empty())
        return false;
      out.push_back(s.front());
      s.remove_prefix(1);
    } else {
      out.push_back(c);
    }
    if (out.size() > auth_value_bytes_max)
      return false;
  }
  return false; // unterminated
}

bool parse_nc(std::string_view text, std::uint32_t& out) noexcept {
  if (text.size() != 8)
    return false;
  std::uint32_t v = 0;
  for (const char c : text) {
    const int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                  : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
                  : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                              : -1;
    if (d < 0)
      return false;
    v = (v << 4) | static_cast<std::uint32_t>(d);
  }
  out = v;
  return true;
}

const EVP_MD* md_of(digest_algorithm a) noexcept {
  return (a == digest_algorithm::md5 || a == digest_algorithm::md5_sess) ? EVP_md5()
                                                                         : EVP_sha256();
}

bool is_sess(digest_algorithm a) noexcept {
  return a == digest_algorithm::md5_sess || a == digest_algorithm::sha256_sess;
}

std::string join(std::initializer_list<std::string_view> parts) {
  std::string s;
  bool first = true;
  for (const auto p : parts) {
    if (!first)
      s.push_back(':');
    first = false;
    s.append(p);
  }
  return s;
}

} // namespace

std::optional<digest_algorithm> parse_algorithm(std::string_view token) noexcept {
  if (iequal(token, "MD5"))
    return digest_algorithm::md5;
  if (iequal(token, "MD5-sess"))
    return digest_algorithm::md5_sess;
  if (iequal(token, "SHA-256"))
    return digest_algorithm::sha256;
  if (iequal(token, "SHA-256-sess"))
    return digest_algorithm::sha256_sess;
  return std::nullopt;
}

std::string_view to_string(digest_algorithm a) noexcept {
  switch (a) {
  case digest_algorithm::md5:
    return "MD5";
  case digest_algorithm::md5_sess:
    return "MD5-sess";
  case digest_algorithm::sha256:
    return "SHA-256";
  case digest_algorithm::sha256_sess:
    return "SHA-256-sess";
  }
  return "MD5";
}

std::optional<digest_credentials> parse_credentials(std::string_view v,
                                                    credentials_error& why) {
  why = credentials_error::malformed;
  skip_ws(v);
  const std::string_view scheme = take_token(v);
  if (scheme.empty())
    return std::nullopt;
  if (!iequal(scheme, "Digest")) {
    why = credentials_error::not_digest;
    return std::nullopt;
  }
  if (v.empty() || !is_ws(v.front()))
    return std::nullopt;
  digest_credentials c;
  std::string alg, value, nc, userhash;
  struct slot {
    std::string_view name;
    std::string* out;
    bool seen = false;
  };
  std::array<slot, 11> slots{{{"username", &c.username},
                              {"realm", &c.realm},
                              {"nonce", &c.nonce},
                              {"uri", &c.uri},
                              {"response", &c.response},
                              {"algorithm", &alg},
                              {"cnonce", &c.cnonce},
                              {"qop", &c.qop},
                              {"nc", &nc},
                              {"opaque", &c.opaque},
                              {"userhash", &userhash}}};
  std::size_t count = 0;
  for (;;) {
    skip_ws(v);
    if (v.empty())
      break;
    if (++count > auth_params_max)
      return std::nullopt;
    const std::string_view name = take_token(v);
    skip_ws(v);
    if (name.empty() || v.empty() || v.front() != '=')
      return std::nullopt;
    v.remove_prefix(1);
    skip_ws(v);
    if (!take_value(v, value))
      return std::nullopt;
    for (auto& s : slots) {
      if (!iequal(s.name, name))
        continue;
      if (s.seen)
        return std::nullopt; // duplicate parameter
      s.seen = true;
      *s.out = value;
    }
    skip_ws(v);
    if (v.empty())
      break;
    if (v.front() != ',')
      return std::nullopt;
    v.remove_prefix(1);
  }
  for (std::size_t i = 0; i < 5; ++i)
    if (!slots[i].seen || slots[i].out->empty()) {
      why = credentials_error::missing_parameter;
      return std::nullopt;
    }
  for (char& ch : c.response)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (!userhash.empty() && !iequal(userhash, "false"))
    return std::nullopt;
  if (!alg.empty()) {
    const auto a = parse_algorithm(alg);
    if (!a) {
      why = credentials_error::bad_algorithm;
      return std::nullopt;
    }
    c.algorithm = *a;
  }
  if (!c.qop.empty()) {
    if (!iequal(c.qop, "auth") || c.cnonce.empty() || !parse_nc(nc, c.nc)) {
      why = credentials_error::bad_qop;
      return std::nullopt;
    }
    c.qop = "auth";
    c.nc_text = nc;
  } else if (!nc.empty() || is_sess(c.algorithm)) {
    why = credentials_error::bad_qop;
    return std::nullopt;
  }
  why = credentials_error::none;
  return c;
}

std::string hash_hex(digest_algorithm a, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
  unsigned int len = 0;
  const int ok = EVP_Digest(data.data(), data.size(), md.data(), &len, md_of(a), nullptr);
  RINGDOWN_ASSERT(ok == 1, "EVP_Digest failed");
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(std::size_t{len} * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(hex[md[i] >> 4]);
    out.push_back(hex[md[i] & 0xf]);
  }
  return out;
}

std::string expected_response(const digest_credentials& c, std::string_view password,
                              std::string_view method) {
  std::string ha1 = hash_hex(c.algorithm, join({c.username, c.realm, password}));
  if (is_sess(c.algorithm))
    ha1 = hash_hex(c.algorithm, join({ha1, c.nonce, c.cnonce}));
  const std::string ha2 = hash_hex(c.algorithm, join({method, c.uri}));
  if (c.qop.empty())
    return hash_hex(c.algorithm, join({ha1, c.nonce, ha2}));
  return hash_hex(c.algorithm, join({ha1, c.nonce, c.nc_text, c.cnonce, c.qop, ha2}));
}

std::string make_challenge(std::string_view realm, std::string_view nonce,
                           std::string_view opaque, digest_algorithm a, bool stale) {
  std::string s = "Digest realm=\"";
  s.append(realm);
  s.append("\", qop=\"auth\", algorithm=");
  s.append(to_string(a));
  s.append(", nonce=\"");
  s.append(nonce);
  s.append("\"");
  if (!opaque.empty()) {
    s.append(", opaque=\"");
    s.append(opaque);
    s.append("\"");
  }
  if (stale)
    s.append(", stale=true");
  return s;
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size())
    return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace ringdown::registrar
