#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <srtp2/srtp.h>

#include "base/random.hpp"
#include "net/rtp/srtp_session.hpp"

using namespace ringdown;
using namespace ringdown::rtp;

namespace {

constexpr std::size_t payload_bytes = 160;
constexpr std::size_t rtp_bytes = 12 + payload_bytes;
constexpr std::size_t rtcp_bytes = 28; // sender report without report blocks

using key_salt_t = std::array<std::uint8_t, srtp_key_salt_bytes>;

key_salt_t make_key(std::uint8_t first) {
  key_salt_t key{};
  for (std::size_t i = 0; i < key.size(); ++i)
    key[i] = static_cast<std::uint8_t>(first + i * 7);
  return key;
}

/// A 12-byte RTP header (V=2, PT 0) and a G.711 payload, with room after it.
std::vector<std::uint8_t> rtp_packet(std::uint16_t seq, std::uint32_t ssrc = 0x11223344) {
  std::vector<std::uint8_t> p(rtp_bytes + srtp_overhead_max, 0);
  const std::uint32_t ts = seq * 160u;
  p[0] = 0x80;
  p[1] = 0x00;
  p[2] = static_cast<std::uint8_t>(seq >> 8);
  p[3] = static_cast<std::uint8_t>(seq);
  for (int i = 0; i < 4; ++i) {
    p[4 + i] = static_cast<std::uint8_t>(ts >> (24 - 8 * i));
    p[8 + i] = static_cast<std::uint8_t>(ssrc >> (24 - 8 * i));
  }
  for (std::size_t i = 0; i < payload_bytes; ++i)
    p[12 + i] = static_cast<std::uint8_t>(0xd5 ^ i ^ seq);
  return p;
}

/// An RTCP sender report (PT 200, length 6 words) with room after it.
std::vector<std::uint8_t> rtcp_packet(std::uint32_t ssrc = 0x11223344) {
  std::vector<std::uint8_t> p(rtcp_bytes + srtp_overhead_max, 0);
  p[0] = 0x80;
  p[1] = 200;
  p[3] = 6;
  for (int i = 0; i < 4; ++i)
    p[4 + i] = static_cast<std::uint8_t>(ssrc >> (24 - 8 * i));
  for (std::size_t i = 8; i < rtcp_bytes; ++i)
    p[i] = static_cast<std::uint8_t>(i * 13);
  return p;
}

/// A libsrtp2 session set up directly, as a peer would: the reference.
struct raw_session {
  srtp_t ctx = nullptr;

  raw_session(srtp_suite suite, key_salt_t key, srtp_ssrc_type_t type) {
    // Our create() runs srtp_init() once for the process.
    REQUIRE(srtp_session::create(suite, key, srtp_direction::inbound).has_value());
    srtp_policy_t policy{};
    policy.ssrc.type = type;
    if (suite == srtp_suite::aes_cm_128_hmac_sha1_80)
      srtp_crypto_policy_set_rtp_default(&policy.rtp);
    else
      srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp);
    srtp_crypto_policy_set_rtcp_default(&policy.rtcp);
    policy.key = key.data();
    REQUIRE(srtp_create(&ctx, &policy) == srtp_err_status_ok);
  }
  raw_session(const raw_session&) = delete;
  raw_session& operator=(const raw_session&) = delete;
  ~raw_session() { srtp_dealloc(ctx); }
};

srtp_session make(srtp_suite suite, key_salt_t key, srtp_direction dir) {
  std::string error;
  auto s = srtp_session::create(suite, key, dir, &error);
  INFO(error);
  REQUIRE(s.has_value());
  return std::move(*s);
}

bool same_prefix(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b,
                 std::size_t n) {
  return std::equal(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(n), b.begin());
}

} // namespace

TEST_CASE("suite names of RFC 4568 map to suites and back", "[rtp][srtp]") {
  CHECK(srtp_suite_from_name("AES_CM_128_HMAC_SHA1_80") ==
        srtp_suite::aes_cm_128_hmac_sha1_80);
  CHECK(srtp_suite_from_name("AES_CM_128_HMAC_SHA1_32") ==
        srtp_suite::aes_cm_128_hmac_sha1_32);
  CHECK_FALSE(srtp_suite_from_name("AEAD_AES_128_GCM").has_value());
  CHECK_FALSE(srtp_suite_from_name("aes_cm_128_hmac_sha1_80").has_value());
  CHECK(to_string(srtp_suite::aes_cm_128_hmac_sha1_32) == "AES_CM_128_HMAC_SHA1_32");
  CHECK(srtp_tag_bytes(srtp_suite::aes_cm_128_hmac_sha1_80) == 10);
  CHECK(srtp_tag_bytes(srtp_suite::aes_cm_128_hmac_sha1_32) == 4);
}

TEST_CASE("SRTP and SRTCP interoperate with a libsrtp2 peer", "[rtp][srtp]") {
  const auto suite =
      GENERATE(srtp_suite::aes_cm_128_hmac_sha1_80, srtp_suite::aes_cm_128_hmac_sha1_32);
  const std::size_t tag_bytes = suite == srtp_suite::aes_cm_128_hmac_sha1_80 ? 10 : 4;
  CAPTURE(to_string(suite));
  const auto key = make_key(3);

  SECTION("peer protects, we unprotect") {
    raw_session peer(suite, key, ssrc_any_outbound);
    auto ours = make(suite, key, srtp_direction::inbound);

    const auto plain = rtp_packet(1000);
    auto p = plain;
    int len = static_cast<int>(rtp_bytes);
    REQUIRE(srtp_protect(peer.ctx, p.data(), &len) == srtp_err_status_ok);
    CHECK(static_cast<std::size_t>(len) == rtp_bytes + tag_bytes);
    CHECK_FALSE(same_prefix(p, plain, rtp_bytes)); // the payload is encrypted
    std::size_t length = static_cast<std::size_t>(len);
    REQUIRE(ours.unprotect_rtp(p, length));
    CHECK(length == rtp_bytes);
    CHECK(same_prefix(p, plain, rtp_bytes));

    const auto plain_rtcp = rtcp_packet();
    auto r = plain_rtcp;
    len = static_cast<int>(rtcp_bytes);
    REQUIRE(srtp_protect_rtcp(peer.ctx, r.data(), &len) == srtp_err_status_ok);
    CHECK(static_cast<std::size_t>(len) == rtcp_bytes + 4 + 10); // index, 80-bit tag
    length = static_cast<std::size_t>(len);
    REQUIRE(ours.unprotect_rtcp(r, length));
    CHECK(length == rtcp_bytes);
    CHECK(same_prefix(r, plain_rtcp, rtcp_bytes));
  }

  SECTION("we protect, peer unprotects") {
    auto ours = make(suite, key, srtp_direction::outbound);
    raw_session peer(suite, key, ssrc_any_inbound);

    const auto plain = rtp_packet(7);
    auto p = plain;
    std::size_t length = rtp_bytes;
    REQUIRE(ours.protect_rtp(p, length));
    CHECK(length == rtp_bytes + tag_bytes);
    CHECK_FALSE(same_prefix(p, plain, rtp_bytes));
    int len = static_cast<int>(length);
    REQUIRE(srtp_unprotect(peer.ctx, p.data(), &len) == srtp_err_status_ok);
    CHECK(static_cast<std::size_t>(len) == rtp_bytes);
    CHECK(same_prefix(p, plain, rtp_bytes));

    const auto plain_rtcp = rtcp_packet();
    auto r = plain_rtcp;
    length = rtcp_bytes;
    REQUIRE(ours.protect_rtcp(r, length));
    CHECK(length == rtcp_bytes + srtp_overhead_max);
    len = static_cast<int>(length);
    REQUIRE(srtp_unprotect_rtcp(peer.ctx, r.data(), &len) == srtp_err_status_ok);
    CHECK(static_cast<std::size_t>(len) == rtcp_bytes);
    CHECK(same_prefix(r, plain_rtcp, rtcp_bytes));
  }
}

TEST_CASE("SRTP failures are classified and counted: the session goes on", "[rtp][srtp]") {
  const auto suite =
      GENERATE(srtp_suite::aes_cm_128_hmac_sha1_80, srtp_suite::aes_cm_128_hmac_sha1_32);
  CAPTURE(to_string(suite));
  const auto key = make_key(9);
  auto tx = make(suite, key, srtp_direction::outbound);
  auto rx = make(suite, key, srtp_direction::inbound);

  const auto protect = [&](std::uint16_t seq, std::vector<std::uint8_t>& p) {
    p = rtp_packet(seq);
    std::size_t length = rtp_bytes;
    REQUIRE(tx.protect_rtp(p, length));
    return length;
  };

  SECTION("a flipped payload bit is an authentication failure") {
    std::vector<std::uint8_t> p;
    std::size_t length = protect(1, p);
    p[40] ^= 0x04;
    const std::size_t before = length;
    CHECK_FALSE(rx.unprotect_rtp(p, length));
    CHECK(length == before);
    CHECK(rx.last_failure() == srtp_failure::auth);
    CHECK(rx.last_status_name() == "srtp_err_status_auth_fail");
    CHECK(rx.auth_failures() == 1);
    CHECK(rx.replay_failures() == 0);

    length = protect(2, p);
    CHECK(rx.unprotect_rtp(p, length));
    CHECK(length == rtp_bytes);
    CHECK(same_prefix(p, rtp_packet(2), rtp_bytes));
    CHECK(rx.auth_failures() == 1);
  }

  SECTION("a replayed packet is a replay failure") {
    std::vector<std::uint8_t> p;
    const std::size_t length = protect(5, p);
    const auto copy = p;
    std::size_t n = length;
    REQUIRE(rx.unprotect_rtp(p, n));
    p = copy;
    n = length;
    CHECK_FALSE(rx.unprotect_rtp(p, n));
    CHECK(rx.last_failure() == srtp_failure::replay);
    CHECK(rx.replay_failures() == 1);
    CHECK(rx.auth_failures() == 0);
  }

  SECTION("a flipped SRTCP bit is an authentication failure") {
    auto r = rtcp_packet();
    std::size_t length = rtcp_bytes;
    REQUIRE(tx.protect_rtcp(r, length));
    r[12] ^= 0x80;
    CHECK_FALSE(rx.unprotect_rtcp(r, length));
    CHECK(rx.last_failure() == srtp_failure::auth);
    CHECK(rx.auth_failures() == 1);
  }

  SECTION("the wrong key is an authentication failure") {
    auto other = make(suite, make_key(10), srtp_direction::inbound);
    std::vector<std::uint8_t> p;
    std::size_t length = protect(3, p);
    CHECK_FALSE(other.unprotect_rtp(p, length));
    CHECK(other.last_failure() == srtp_failure::auth);
    CHECK(other.auth_failures() == 1);
  }

  SECTION("a session refuses the other direction's operation") {
    auto p = rtp_packet(4);
    std::size_t length = rtp_bytes;
    CHECK_FALSE(rx.protect_rtp(p, length));
    CHECK(rx.last_failure() == srtp_failure::other);
    CHECK_FALSE(tx.unprotect_rtp(p, length));
    CHECK(tx.other_failures() == 1);
  }

  SECTION("protect needs room for the tag") {
    auto p = rtp_packet(4);
    std::size_t length = rtp_bytes;
    CHECK_FALSE(tx.protect_rtp(std::span(p).first(rtp_bytes + 3), length));
    CHECK(tx.last_failure() == srtp_failure::other);
    CHECK(length == rtp_bytes);
    CHECK(tx.protect_rtp(p, length)); // the failed attempt used no index
  }
}

TEST_CASE("one session pair carries any SSRC", "[rtp][srtp]") {
  const auto key = make_key(44);
  auto tx = make(srtp_suite::aes_cm_128_hmac_sha1_80, key, srtp_direction::outbound);
  auto rx = make(srtp_suite::aes_cm_128_hmac_sha1_80, key, srtp_direction::inbound);
  int passed = 0;
  for (const std::uint32_t ssrc : {0x01020304u, 0xcafef00du, 0x0badf00du}) {
    for (std::uint16_t seq = 100; seq < 103; ++seq) {
      const auto plain = rtp_packet(seq, ssrc);
      auto p = plain;
      std::size_t length = rtp_bytes;
      REQUIRE(tx.protect_rtp(p, length));
      if (rx.unprotect_rtp(p, length) && same_prefix(p, plain, rtp_bytes))
        ++passed;
    }
  }
  CHECK(passed == 9);

  // Retransmitting an index already sent is refused (allow_repeat_tx off).
  auto again = rtp_packet(100, 0xcafef00du);
  std::size_t length = rtp_bytes;
  CHECK_FALSE(tx.protect_rtp(again, length));
  CHECK(tx.last_failure() == srtp_failure::replay);
}

TEST_CASE("a key||salt of the wrong length is refused with a message", "[rtp][srtp]") {
  const std::array<std::uint8_t, 16> short_key{};
  std::string error;
  CHECK_FALSE(srtp_session::create(srtp_suite::aes_cm_128_hmac_sha1_80, short_key,
                                   srtp_direction::inbound, &error)
                  .has_value());
  CHECK(error.find("30") != std::string::npos);
  CHECK(error.find("srtp_err_status_bad_param") != std::string::npos);
  CHECK_FALSE(srtp_session::create(srtp_suite::aes_cm_128_hmac_sha1_32, {},
                                   srtp_direction::outbound)
                  .has_value());
}

TEST_CASE("1,000 packets across the sequence wrap unprotect (ROC)", "[rtp][srtp]") {
  const auto suite =
      GENERATE(srtp_suite::aes_cm_128_hmac_sha1_80, srtp_suite::aes_cm_128_hmac_sha1_32);
  const auto key = make_key(21);
  auto tx = make(suite, key, srtp_direction::outbound);
  auto rx = make(suite, key, srtp_direction::inbound);
  std::uint16_t seq = 65000;
  int passed = 0;
  bool wrapped = false;
  for (int i = 0; i < 1000; ++i, ++seq) {
    wrapped = wrapped || seq == 0;
    const auto plain = rtp_packet(seq);
    auto p = plain;
    std::size_t length = rtp_bytes;
    REQUIRE(tx.protect_rtp(p, length));
    if (rx.unprotect_rtp(p, length) && length == rtp_bytes &&
        same_prefix(p, plain, rtp_bytes))
      ++passed;
  }
  CHECK(wrapped);
  CHECK(passed == 1000);
  CHECK(rx.auth_failures() == 0);
  CHECK(rx.replay_failures() == 0);
}

TEST_CASE("random buffers never unprotect and never crash", "[rtp][srtp]") {
  const auto suite =
      GENERATE(srtp_suite::aes_cm_128_hmac_sha1_80, srtp_suite::aes_cm_128_hmac_sha1_32);
  rng gen(0x5eed'0004);
  auto rx = make(suite, make_key(33), srtp_direction::inbound);
  std::vector<std::uint8_t> buf(200 + srtp_overhead_max);
  int accepted = 0;
  for (int round = 0; round < 20; ++round) {
    for (std::size_t len = 0; len <= 200; ++len) {
      for (auto& b : buf)
        b = static_cast<std::uint8_t>(gen());
      if (gen.below(2) == 0)
        buf[0] = 0x80; // half of them look like RTP version 2
      std::size_t n = len;
      if (rx.unprotect_rtp(buf, n))
        ++accepted;
      n = len;
      if (rx.unprotect_rtcp(buf, n))
        ++accepted;
      CHECK(n == len);
    }
  }
  CHECK(accepted == 0);
  CHECK(rx.auth_failures() + rx.other_failures() + rx.replay_failures() ==
        std::uint64_t{2 * 20 * 201});
}
