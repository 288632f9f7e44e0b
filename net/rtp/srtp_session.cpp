#include "net/rtp/srtp_session.hpp"

#include <array>
#include <climits>
#include <cstring>
#include <mutex>

#include <srtp2/srtp.h>

#include "base/assert.hpp"

namespace ringdown::rtp {

namespace {

constexpr std::size_t rtp_header_bytes = 12;
constexpr std::size_t rtcp_header_bytes = 8;
constexpr std::size_t srtcp_index_bytes = 4; // E flag and 31-bit SRTCP index
constexpr std::size_t rtcp_tag_bytes = 10;   // HMAC-SHA1-80 for SRTCP with both suites
constexpr std::size_t packet_bytes_max = INT_MAX - srtp_overhead_max;

// Our own reasons, reported with the libsrtp2 ones by last_status_name().
constexpr int status_bad_length = -1;
constexpr int status_wrong_direction = -2;
constexpr int status_no_room = -3;

static_assert(rtcp_tag_bytes + srtcp_index_bytes == srtp_overhead_max);
static_assert(srtp_overhead_max <= SRTP_MAX_TRAILER_LEN);

constexpr std::array<std::string_view, 28> status_names = {
    "srtp_err_status_ok",           "srtp_err_status_fail",
    "srtp_err_status_bad_param",    "srtp_err_status_alloc_fail",
    "srtp_err_status_dealloc_fail", "srtp_err_status_init_fail",
    "srtp_err_status_terminus",     "srtp_err_status_auth_fail",
    "srtp_err_status_cipher_fail",  "srtp_err_status_replay_fail",
    "srtp_err_status_replay_old",   "srtp_err_status_algo_fail",
    "srtp_err_status_no_such_op",   "srtp_err_status_no_ctx",
    "srtp_err_status_cant_check",   "srtp_err_status_key_expired",
    "srtp_err_status_socket_err",   "srtp_err_status_signal_err",
    "srtp_err_status_nonce_bad",    "srtp_err_status_read_fail",
    "srtp_err_status_write_fail",   "srtp_err_status_parse_err",
    "srtp_err_status_encode_err",   "srtp_err_status_semaphore_err",
    "srtp_err_status_pfkey_err",    "srtp_err_status_bad_mki",
    "srtp_err_status_pkt_idx_old",  "srtp_err_status_pkt_idx_adv",
};

std::string_view status_name(int status) noexcept {
  switch (status) {
  case status_bad_length:
    return "packet too short or too long";
  case status_wrong_direction:
    return "operation of the other direction";
  case status_no_room:
    return "no room for the authentication tag";
  default:
    break;
  }
  if (status >= 0 && static_cast<std::size_t>(status) < status_names.size())
    return status_names[static_cast<std::size_t>(status)];
  return "srtp_err_status_unknown";
}

// srtp_init() once per process; libsrtp2 is never shut down (sessions may
// outlive any owner that would do it).
srtp_err_status_t library_init() noexcept {
  static std::once_flag once;
  static srtp_err_status_t status = srtp_err_status_ok;
  std::call_once(once, [] { status = srtp_init(); });
  return status;
}

void set_error(std::string* error, std::string_view what, int status) {
  if (error == nullptr)
    return;
  *error = std::string(what);
  *error += ": ";
  *error += status_name(status);
}

} // namespace

std::optional<srtp_suite> srtp_suite_from_name(std::string_view name) noexcept {
  if (name == "AES_CM_128_HMAC_SHA1_80")
    return srtp_suite::aes_cm_128_hmac_sha1_80;
  if (name == "AES_CM_128_HMAC_SHA1_32")
    return srtp_suite::aes_cm_128_hmac_sha1_32;
  return std::nullopt;
}

std::string_view to_string(srtp_suite suite) noexcept {
  return suite == srtp_suite::aes_cm_128_hmac_sha1_80 ? "AES_CM_128_HMAC_SHA1_80"
                                                      : "AES_CM_128_HMAC_SHA1_32";
}

std::size_t srtp_tag_bytes(srtp_suite suite) noexcept {
  return suite == srtp_suite::aes_cm_128_hmac_sha1_80 ? 10 : 4;
}

void srtp_session::ctx_deleter::operator()(srtp_ctx_t_* ctx) const noexcept {
  srtp_dealloc(ctx);
}

srtp_session::srtp_session(srtp_ctx_t_* ctx, srtp_suite suite,
                           srtp_direction direction) noexcept
    : ctx_(ctx), suite_(suite), direction_(direction) {}

srtp_session::~srtp_session() = default;

std::optional<srtp_session> srtp_session::create(srtp_suite suite,
                                                 std::span<const std::uint8_t> key_salt,
                                                 srtp_direction direction,
                                                 std::string* error) {
  if (key_salt.size() != srtp_key_salt_bytes) {
    if (error != nullptr)
      *error = std::string(to_string(suite)) + " needs a " +
               std::to_string(srtp_key_salt_bytes) + "-byte key||salt, got " +
               std::to_string(key_salt.size()) + ": srtp_err_status_bad_param";
    return std::nullopt;
  }
  if (const auto status = library_init(); status != srtp_err_status_ok) {
    set_error(error, "srtp_init failed", status);
    return std::nullopt;
  }

  srtp_policy_t policy{};
  policy.ssrc.type =
      direction == srtp_direction::inbound ? ssrc_any_inbound : ssrc_any_outbound;
  policy.ssrc.value = 0;
  if (suite == srtp_suite::aes_cm_128_hmac_sha1_80)
    srtp_crypto_policy_set_rtp_default(&policy.rtp);
  else
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&policy.rtp);
  srtp_crypto_policy_set_rtcp_default(&policy.rtcp);
  std::array<unsigned char, srtp_key_salt_bytes> key{};
  std::memcpy(key.data(), key_salt.data(), key.size());
  policy.key = key.data();
  policy.window_size = 128;
  policy.allow_repeat_tx = 0;
  policy.next = nullptr;

  srtp_t ctx = nullptr;
  const auto status = srtp_create(&ctx, &policy);
  explicit_bzero(key.data(), key.size()); // libsrtp2 keeps its own derived keys
  if (status != srtp_err_status_ok) {
    if (ctx != nullptr)
      srtp_dealloc(ctx);
    set_error(error, "srtp_create failed", status);
    return std::nullopt;
  }
  RINGDOWN_ASSERT(ctx != nullptr, "srtp_create succeeded without a context");
  return srtp_session(ctx, suite, direction);
}

bool srtp_session::protect_rtp(std::span<std::uint8_t> buffer,
                               std::size_t& length) noexcept {
  return run(op::protect_rtp, buffer, length);
}

bool srtp_session::protect_rtcp(std::span<std::uint8_t> buffer,
                                std::size_t& length) noexcept {
  return run(op::protect_rtcp, buffer, length);
}

bool srtp_session::unprotect_rtp(std::span<std::uint8_t> buffer,
                                 std::size_t& length) noexcept {
  return run(op::unprotect_rtp, buffer, length);
}

bool srtp_session::unprotect_rtcp(std::span<std::uint8_t> buffer,
                                  std::size_t& length) noexcept {
  return run(op::unprotect_rtcp, buffer, length);
}

std::string_view srtp_session::last_status_name() const noexcept {
  return status_name(last_status_);
}

bool srtp_session::run(op what, std::span<std::uint8_t> buffer,
                       std::size_t& length) noexcept {
  RINGDOWN_ASSERT(ctx_ != nullptr, "srtp_session used after move");
  const bool outbound = what == op::protect_rtp || what == op::protect_rtcp;
  if (outbound != (direction_ == srtp_direction::outbound))
    return fail(srtp_failure::other, status_wrong_direction);

  // The shortest packet each operation can take: a header, plus on the
  // receiving side what the sender appended.
  std::size_t min_bytes = 0;
  switch (what) {
  case op::protect_rtp:
    min_bytes = rtp_header_bytes;
    break;
  case op::protect_rtcp:
    min_bytes = rtcp_header_bytes;
    break;
  case op::unprotect_rtp:
    min_bytes = rtp_header_bytes + srtp_tag_bytes(suite_);
    break;
  case op::unprotect_rtcp:
    min_bytes = rtcp_header_bytes + srtcp_index_bytes + rtcp_tag_bytes;
    break;
  }
  if (length < min_bytes || length > buffer.size() || length > packet_bytes_max)
    return fail(srtp_failure::other, status_bad_length);
  if (outbound) {
    const std::size_t overhead = what == op::protect_rtp
                                     ? srtp_tag_bytes(suite_)
                                     : srtcp_index_bytes + rtcp_tag_bytes;
    if (buffer.size() - length < overhead)
      return fail(srtp_failure::other, status_no_room);
  }

  int len = static_cast<int>(length);
  srtp_err_status_t status = srtp_err_status_ok;
  switch (what) {
  case op::protect_rtp:
    status = srtp_protect(ctx_.get(), buffer.data(), &len);
    break;
  case op::protect_rtcp:
    status = srtp_protect_rtcp(ctx_.get(), buffer.data(), &len);
    break;
  case op::unprotect_rtp:
    status = srtp_unprotect(ctx_.get(), buffer.data(), &len);
    break;
  case op::unprotect_rtcp:
    status = srtp_unprotect_rtcp(ctx_.get(), buffer.data(), &len);
    break;
  }
  switch (status) {
  case srtp_err_status_ok:
    RINGDOWN_ASSERT(len >= 0 && static_cast<std::size_t>(len) <= buffer.size(),
                    "libsrtp2 returned a length outside the buffer");
    length = static_cast<std::size_t>(len);
    return true;
  case srtp_err_status_auth_fail:
    return fail(srtp_failure::auth, status);
  case srtp_err_status_replay_fail:
  case srtp_err_status_replay_old:
    return fail(srtp_failure::replay, status);
  default:
    return fail(srtp_failure::other, status);
  }
}

bool srtp_session::fail(srtp_failure why, int status) noexcept {
  last_failure_ = why;
  last_status_ = status;
  switch (why) {
  case srtp_failure::auth:
    ++auth_failures_;
    break;
  case srtp_failure::replay:
    ++replay_failures_;
    break;
  case srtp_failure::other:
    ++other_failures_;
    break;
  }
  return false;
}

} // namespace ringdown::rtp
