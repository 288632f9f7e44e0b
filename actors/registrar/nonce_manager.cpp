#include "actors/registrar/nonce_manager.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "base/assert.hpp"
#include "base/base64.hpp"
#include "base/secure_random.hpp"

namespace ringdown::registrar {
namespace {

void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 7; i >= 0; --i)
    out.push_back(static_cast<char>((v >> (i * 8)) & 0xff));
}

std::uint64_t get_u64(std::string_view in) noexcept {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i)
    v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

std::int64_t ns_of(time_point t) noexcept {
  return t.time_since_epoch().count();
}

} // namespace

std::string base64url_encode(std::string_view bytes) {
  return base64::encode(bytes, base64::alphabet::url, base64::padding::none);
}

bool base64url_decode(std::string_view text, std::string& out) {
  return base64::decode(text, base64::alphabet::url, out);
}

nonce_manager::nonce_manager(rng& gen, std::int64_t lifetime_ms, std::size_t tracked_max)
    : rng_(gen), lifetime_ms_(lifetime_ms), tracked_max_(tracked_max) {
  RINGDOWN_ASSERT(lifetime_ms > 0 && tracked_max > 0, "nonce_manager: bad limits");
  // The secret is a key: from the cryptographic generator, not from the
  // rng whose outputs every nonce shows.
  secure_random(secret_);
}

std::string nonce_manager::issue(time_point now) {
  std::string raw;
  raw.reserve(nonce_bytes);
  put_u64(raw, static_cast<std::uint64_t>(ns_of(now)));
  put_u64(raw, rng_());
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(raw.data()), raw.size(), mac, &mac_len);
  RINGDOWN_ASSERT(mac_len == 32, "HMAC-SHA256 length");
  raw.append(reinterpret_cast<const char*>(mac), mac_len);
  std::string nonce = base64url_encode(raw);
  evict(now);
  while (last_nc_.size() >= tracked_max_ && !order_.empty()) {
    last_nc_.erase(order_.front().second);
    order_.pop_front();
  }
  last_nc_.emplace(nonce, 0);
  order_.emplace_back(ns_of(now), nonce);
  return nonce;
}

nonce_status nonce_manager::verify(std::string_view nonce, time_point now) const {
  std::string raw;
  if (nonce.size() > 2 * nonce_bytes || !base64url_decode(nonce, raw) ||
      raw.size() != nonce_bytes)
    return nonce_status::invalid;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(raw.data()), 16, mac, &mac_len);
  if (mac_len != 32 || CRYPTO_memcmp(mac, raw.data() + 16, 32) != 0)
    return nonce_status::invalid;
  const auto issued_ns = static_cast<std::int64_t>(get_u64(raw));
  const std::int64_t now_ns = ns_of(now);
  if (issued_ns > now_ns)
    return nonce_status::invalid;
  if (now_ns - issued_ns >= lifetime_ms_ * 1'000'000)
    return nonce_status::stale;
  return nonce_status::ok;
}

nonce_status nonce_manager::check_and_count(std::string_view nonce, std::uint32_t nc,
                                            time_point now) {
  const nonce_status s = verify(nonce, now);
  if (s != nonce_status::ok)
    return s;
  const auto it = last_nc_.find(std::string{nonce});
  if (it == last_nc_.end())
    return nonce_status::stale; // evicted: make the client take a new one
  if (nc <= it->second)
    return nonce_status::replay;
  it->second = nc;
  return nonce_status::ok;
}

void nonce_manager::evict(time_point now) {
  const std::int64_t horizon = ns_of(now) - lifetime_ms_ * 1'000'000;
  while (!order_.empty() && order_.front().first <= horizon) {
    last_nc_.erase(order_.front().second);
    order_.pop_front();
  }
}

} // namespace ringdown::registrar
