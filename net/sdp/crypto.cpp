#include "net/sdp/crypto.hpp"

#include <array>

#include "base/base64.hpp"
#include "base/secure_random.hpp"
#include "net/sdp/text.hpp"

namespace ringdown::sdp {
namespace {

bool is_lifetime(std::string_view s) noexcept {
  if (s.starts_with("2^"))
    s.remove_prefix(2);
  return s.size() <= 20 && text::all_digits(s);
}

std::optional<crypto_key> parse_key_param(std::string_view kp) {
  const auto colon = kp.find(':');
  if (colon == std::string_view::npos)
    return std::nullopt;
  crypto_key k;
  k.method = std::string(kp.substr(0, colon));
  if (k.method != "inline")
    return std::nullopt; // RFC 4568 §6.1: the only key method defined
  auto info = kp.substr(colon + 1);
  const auto bar = info.find('|');
  k.key_salt = std::string(info.substr(0, bar));
  if (k.key_salt.empty() || !base64_decode(k.key_salt))
    return std::nullopt;
  info = bar == std::string_view::npos ? std::string_view{} : info.substr(bar + 1);
  while (!info.empty()) {
    const auto b = info.find('|');
    const auto part = info.substr(0, b);
    info = b == std::string_view::npos ? std::string_view{} : info.substr(b + 1);
    const auto mki_colon = part.find(':');
    if (mki_colon != std::string_view::npos) {
      if (k.mki_value)
        return std::nullopt;
      k.mki_value = text::to_uint<std::uint32_t>(part.substr(0, mki_colon));
      k.mki_length = text::to_uint<std::uint32_t>(part.substr(mki_colon + 1));
      if (!k.mki_value || !k.mki_length || *k.mki_length == 0 || *k.mki_length > 128)
        return std::nullopt;
    } else {
      if (k.lifetime || k.mki_value || !is_lifetime(part))
        return std::nullopt; // lifetime comes before the MKI, once
      k.lifetime = std::string(part);
    }
  }
  return k;
}

} // namespace

std::optional<crypto> parse_crypto(std::string_view value) {
  value = text::trim(value);
  crypto c;
  auto tag = text::to_uint<std::uint32_t>(text::next_token(value));
  if (!tag || *tag > 999999999)
    return std::nullopt;
  c.tag = *tag;
  const auto suite = text::next_token(value);
  if (!text::is_token(suite))
    return std::nullopt;
  c.suite = std::string(suite);
  auto key_params = text::next_token(value);
  if (key_params.empty())
    return std::nullopt;
  while (!key_params.empty()) {
    const auto semi = key_params.find(';');
    auto k = parse_key_param(key_params.substr(0, semi));
    if (!k || c.keys.size() >= 16)
      return std::nullopt;
    c.keys.push_back(std::move(*k));
    key_params =
        semi == std::string_view::npos ? std::string_view{} : key_params.substr(semi + 1);
  }
  for (auto sp = text::next_token(value); !sp.empty(); sp = text::next_token(value)) {
    if (c.session_params.size() >= 16)
      return std::nullopt;
    c.session_params.emplace_back(sp);
  }
  return c;
}

std::string to_string(const crypto& c) {
  std::string out = std::to_string(c.tag) + " " + c.suite + " ";
  for (std::size_t i = 0; i < c.keys.size(); ++i) {
    const auto& k = c.keys[i];
    if (i != 0)
      out += ';';
    out += k.method + ":" + k.key_salt;
    if (k.lifetime)
      out += "|" + *k.lifetime;
    if (k.mki_value)
      out += "|" + std::to_string(*k.mki_value) + ":" +
             std::to_string(k.mki_length.value_or(1));
  }
  for (const auto& sp : c.session_params)
    out += " " + sp;
  return out;
}

std::vector<crypto> media_cryptos(const media& m) {
  std::vector<crypto> out;
  for (const auto& a : m.attributes)
    if (a.name == "crypto" && a.value)
      if (auto c = parse_crypto(*a.value))
        out.push_back(std::move(*c));
  return out;
}

std::optional<std::size_t> key_salt_bytes(std::string_view suite) noexcept {
  struct entry {
    std::string_view suite;
    std::size_t bytes;
  };
  static constexpr std::array<entry, 9> table{{
      {"AES_CM_128_HMAC_SHA1_80", 30},
      {"AES_CM_128_HMAC_SHA1_32", 30},
      {"F8_128_HMAC_SHA1_80", 30},
      {"AES_192_CM_HMAC_SHA1_80", 38},
      {"AES_192_CM_HMAC_SHA1_32", 38},
      {"AES_256_CM_HMAC_SHA1_80", 46},
      {"AES_256_CM_HMAC_SHA1_32", 46},
      {"AEAD_AES_128_GCM", 28},
      {"AEAD_AES_256_GCM", 44},
  }};
  for (const auto& e : table)
    if (e.suite == suite)
      return e.bytes;
  return std::nullopt;
}

bool key_fits_suite(const crypto_key& key, std::string_view suite) {
  const auto need = key_salt_bytes(suite);
  const auto bytes = base64_decode(key.key_salt);
  return need && bytes && bytes->size() == *need;
}

std::string random_key_salt(std::string_view suite) {
  std::vector<std::uint8_t> bytes(key_salt_bytes(suite).value_or(30));
  secure_random(bytes);
  return base64_encode(bytes.data(), bytes.size());
}

std::string base64_encode(const std::uint8_t* data, std::size_t size) {
  return base64::encode({reinterpret_cast<const char*>(data), size},
                        base64::alphabet::standard, base64::padding::pad);
}

std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
  // RFC 4568 keys are written with padding; unpadded text is accepted too.
  for (int pad = 0; pad < 2 && !text.empty() && text.back() == '='; ++pad)
    text.remove_suffix(1);
  std::string bytes;
  if (!base64::decode(text, base64::alphabet::standard, bytes))
    return std::nullopt;
  return std::vector<std::uint8_t>(bytes.begin(), bytes.end());
}

} // namespace ringdown::sdp
