#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ringdown::storage {

/// Appends fields to a record: fixed-width little-endian integers and
/// length-prefixed (varint) strings. Records start with a one-byte format
/// version written by the typed store. Plain value; one thread.
class encoder {
public:
  encoder& u8(std::uint8_t v);
  encoder& u32(std::uint32_t v);
  encoder& u64(std::uint64_t v);
  encoder& i64(std::int64_t v);
  encoder& boolean(bool v) { return u8(v ? 1 : 0); }
  encoder& varint(std::uint64_t v);
  encoder& str(std::string_view s);
  [[nodiscard]] const std::string& bytes() const noexcept { return out_; }
  [[nodiscard]] std::string take() noexcept { return std::move(out_); }

private:
  std::string out_;
};

/// Reads what `encoder` wrote. Every read checks the remaining length: a
/// short or corrupt record sets `ok()` false and returns zero values, it
/// never reads past the end.
class decoder {
public:
  explicit decoder(std::string_view in) noexcept : in_(in) {}
  std::uint8_t u8() noexcept;
  std::uint32_t u32() noexcept;
  std::uint64_t u64() noexcept;
  std::int64_t i64() noexcept;
  bool boolean() noexcept { return u8() != 0; }
  std::uint64_t varint() noexcept;
  /// A view into the input (valid as long as the input is).
  std::string_view str() noexcept;
  [[nodiscard]] bool ok() const noexcept { return ok_; }
  /// True when every byte was consumed and nothing failed.
  [[nodiscard]] bool done() const noexcept { return ok_ && pos_ == in_.size(); }

private:
  std::string_view take(std::size_t n) noexcept;
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

} // namespace ringdown::storage
