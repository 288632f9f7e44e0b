#include "base/json.hpp"

#include <array>

#include "base/assert.hpp"

namespace ringdown {

namespace {

/// Length of the well-formed UTF-8 sequence at s[i] (RFC 3629 §4), 0 when
/// the bytes there are not one.
std::size_t utf8_length(std::string_view s, std::size_t i) noexcept {
  const auto at = [&](std::size_t k) -> unsigned {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0U;
  };
  const auto cont = [](unsigned b, unsigned lo = 0x80, unsigned hi = 0xbf) {
    return b >= lo && b <= hi;
  };
  const unsigned c = at(0);
  if (c >= 0xc2 && c <= 0xdf)
    return cont(at(1)) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const unsigned lo = c == 0xe0 ? 0xa0 : 0x80;
    const unsigned hi = c == 0xed ? 0x9f : 0xbf;
    return cont(at(1), lo, hi) && cont(at(2)) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const unsigned lo = c == 0xf0 ? 0x90 : 0x80;
    const unsigned hi = c == 0xf4 ? 0x8f : 0xbf;
    return cont(at(1), lo, hi) && cont(at(2)) && cont(at(3)) ? 4 : 0;
  }
  return 0;
}

} // namespace

void append_json_string(std::string& out, std::string_view s) {
  static constexpr std::array<char, 16> hex{'0', '1', '2', '3', '4', '5', '6', '7',
                                            '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  out.push_back('"');
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const auto n = utf8_length(s, i);
      if (n == 0) {
        out += "\\ufffd";
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    ++i;
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\b':
      out += "\\b";
      break;
    case '\f':
      out += "\\f";
      break;
    default:
      if (c < 0x20 || c == 0x7f) {
        out += "\\u00";
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 0xf]);
      } else {
        out.push_back(static_cast<char>(c));
      }
    }
  }
  out.push_back('"');
}

void json_writer::before_value() {
  if (frames_.empty()) {
    RINGDOWN_ASSERT(out_.empty(), "json_writer: one top-level value only");
    return;
  }
  auto& top = frames_.back();
  if (top == frame::object_first || top == frame::object) {
    RINGDOWN_ASSERT(key_pending_, "json_writer: an object member needs a key");
    key_pending_ = false;
    return;
  }
  if (top == frame::array)
    out_ += ',';
  top = frame::array;
}

void json_writer::open(char c, frame f) {
  before_value();
  RINGDOWN_ASSERT(frames_.size() < json_depth_max, "json_writer: nesting too deep");
  frames_.push_back(f);
  out_ += c;
}

void json_writer::close(char c, frame first, frame rest) {
  RINGDOWN_ASSERT(!frames_.empty() && (frames_.back() == first || frames_.back() == rest),
                  "json_writer: unbalanced end");
  RINGDOWN_ASSERT(!key_pending_, "json_writer: a key without a value");
  frames_.pop_back();
  out_ += c;
}

json_writer& json_writer::begin_object() {
  open('{', frame::object_first);
  return *this;
}

json_writer& json_writer::end_object() {
  close('}', frame::object_first, frame::object);
  return *this;
}

json_writer& json_writer::begin_array() {
  open('[', frame::array_first);
  return *this;
}

json_writer& json_writer::end_array() {
  close(']', frame::array_first, frame::array);
  return *this;
}

json_writer& json_writer::key(std::string_view name) {
  RINGDOWN_ASSERT(
      !frames_.empty() && !key_pending_ &&
          (frames_.back() == frame::object_first || frames_.back() == frame::object),
      "json_writer: a key outside an object");
  if (frames_.back() == frame::object)
    out_ += ',';
  frames_.back() = frame::object;
  append_json_string(out_, name);
  out_ += ':';
  key_pending_ = true;
  return *this;
}

json_writer& json_writer::value_string(std::string_view text) {
  before_value();
  append_json_string(out_, text);
  return *this;
}

json_writer& json_writer::value_uint(std::uint64_t n) {
  before_value();
  out_ += std::to_string(n);
  return *this;
}

json_writer& json_writer::value_int(std::int64_t n) {
  before_value();
  out_ += std::to_string(n);
  return *this;
}

json_writer& json_writer::value_bool(bool b) {
  before_value();
  out_ += b ? "true" : "false";
  return *this;
}

json_writer& json_writer::value_null() {
  before_value();
  out_ += "null";
  return *this;
}

} // namespace ringdown
