#pragma once

#include <cstdint>
#include <span>

namespace ringdown {

/// Fills `out` from the operating system's cryptographic generator
/// (OpenSSL's RAND_bytes, seeded by getrandom). For secrets only: SRTP
/// master keys, the digest nonce secret. Everything an attacker may see or
/// a simulation must replay (tags, branches, SSRCs, Call-IDs) comes from
/// an injected `rng` instead (ARCHITECTURE.md §5): a non-cryptographic
/// generator's outputs on the wire would let its state, and so every
/// secret drawn from it, be worked out. Aborts when the generator fails
/// (no entropy source): a key that is not secret must never be used.
/// Thread-safe.
void secure_random(std::span<std::uint8_t> out);

} // namespace ringdown
