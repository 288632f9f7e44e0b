#pragma once

#include <string>
#include <string_view>

#include "base/random.hpp"

namespace ringdown {

/// Generates the identifiers SIP needs (RFC 3261 §8.1.1.4, §8.1.1.7,
/// §19.3) from an injected generator, so a seed reproduces them. Owned by
/// one thread or actor, like the `rng` it borrows.
class id_generator {
public:
  /// The RFC 3261 §8.1.1.7 magic cookie every branch starts with.
  static constexpr std::string_view branch_cookie = "z9hG4bK";

  /// `host` is appended to Call-IDs (`<random>@host`); may be empty.
  id_generator(rng& gen, std::string host) : gen_(gen), host_(std::move(host)) {}

  /// A globally unique Call-ID: 128 random bits, base32, `@host` if set.
  [[nodiscard]] std::string call_id();
  /// A From/To tag: 64 random bits (RFC 3261 §19.3 asks for 32 at least).
  [[nodiscard]] std::string tag();
  /// A Via branch: `z9hG4bK` followed by 96 random bits.
  [[nodiscard]] std::string branch();

  /// True when `branch` carries the RFC 3261 cookie (case-sensitive, §17.2.3).
  static bool is_rfc3261_branch(std::string_view branch) noexcept {
    return branch.starts_with(branch_cookie);
  }

private:
  void append_random(std::string& out, int bits);

  rng& gen_;
  std::string host_;
};

} // namespace ringdown
