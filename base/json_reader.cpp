#include "base/json_reader.hpp"

#include <charconv>

#include "base/json.hpp"

namespace ringdown {

/// Recursive-descent reader over one text; stops at the first error.
class json_parser {
public:
  explicit json_parser(std::string_view text) : text_(text) {}

  bool document(json_value& out) {
    skip_space();
    if (!value(out, 0))
      return false;
    skip_space();
    return pos_ == text_.size() || fail("trailing characters");
  }

  [[nodiscard]] const std::string& error() const { return error_; }

private:
  bool fail(std::string_view what) {
    if (error_.empty())
      error_ = std::string{what} + " at offset " + std::to_string(pos_);
    return false;
  }

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word)
      return fail("unexpected character");
    pos_ += word.size();
    return true;
  }

  bool value(json_value& out, std::size_t depth) {
    if (pos_ >= text_.size())
      return fail("unexpected end");
    switch (text_[pos_]) {
    case '{':
      return object(out, depth + 1);
    case '[':
      return array(out, depth + 1);
    case '"':
      out.kind_ = json_value::kind::string;
      return string(out.text_);
    case 't':
      out.kind_ = json_value::kind::boolean;
      out.flag_ = true;
      return literal("true");
    case 'f':
      out.kind_ = json_value::kind::boolean;
      return literal("false");
    case 'n':
      return literal("null");
    default:
      out.kind_ = json_value::kind::number;
      return number(out.text_);
    }
  }

  bool object(json_value& out, std::size_t depth) {
    if (depth > json_depth_max)
      return fail("nesting too deep");
    out.kind_ = json_value::kind::object;
    ++pos_;
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return true;
    }
    for (;;) {
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != '"')
        return fail("expected a member name");
      auto& m = out.members_.emplace_back();
      if (!string(m.first))
        return false;
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != ':')
        return fail("expected ':'");
      ++pos_;
      skip_space();
      if (!value(m.second, depth))
        return false;
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        return true;
      }
      return fail("expected ',' or '}'");
    }
  }

  bool array(json_value& out, std::size_t depth) {
    if (depth > json_depth_max)
      return fail("nesting too deep");
    out.kind_ = json_value::kind::array;
    ++pos_;
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return true;
    }
    for (;;) {
      skip_space();
      if (!value(out.items_.emplace_back(), depth))
        return false;
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        return true;
      }
      return fail("expected ',' or ']'");
    }
  }

  bool hex4(unsigned& cp) {
    if (pos_ + 4 > text_.size())
      return fail("short \\u escape");
    const auto* first = text_.data() + pos_;
    const auto [end, ec] = std::from_chars(first, first + 4, cp, 16);
    if (ec != std::errc{} || end != first + 4)
      return fail("bad \\u escape");
    pos_ += 4;
    return true;
  }

  static void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xc0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xe0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (cp & 0x3f));
    }
  }

  bool escape(std::string& out) {
    if (pos_ >= text_.size())
      return fail("unexpected end");
    const char c = text_[pos_++];
    switch (c) {
    case '"':
    case '\\':
    case '/':
      out += c;
      return true;
    case 'b':
      out += '\b';
      return true;
    case 'f':
      out += '\f';
      return true;
    case 'n':
      out += '\n';
      return true;
    case 'r':
      out += '\r';
      return true;
    case 't':
      out += '\t';
      return true;
    case 'u':
      break;
    default:
      return fail("bad escape");
    }
    unsigned cp = 0;
    if (!hex4(cp))
      return false;
    if (cp >= 0xd800 && cp <= 0xdbff) {
      unsigned low = 0;
      if (text_.substr(pos_, 2) != "\\u")
        return fail("lone surrogate");
      pos_ += 2;
      if (!hex4(low))
        return false;
      if (low < 0xdc00 || low > 0xdfff)
        return fail("lone surrogate");
      cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
    } else if (cp >= 0xdc00 && cp <= 0xdfff) {
      return fail("lone surrogate");
    }
    append_utf8(out, cp);
    return true;
  }

  bool string(std::string& out) {
    ++pos_; // the opening quote
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"')
        return true;
      if (static_cast<unsigned char>(c) < 0x20)
        return fail("control character in a string");
      if (c != '\\')
        out += c;
      else if (!escape(out))
        return false;
    }
    return fail("unterminated string");
  }

  bool digits() {
    const auto start = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9')
      ++pos_;
    return pos_ > start;
  }

  /// RFC 8259 §6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  bool number(std::string& out) {
    const auto start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '-')
      ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '0')
      ++pos_;
    else if (!digits())
      return fail("unexpected character");
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (!digits())
        return fail("bad number");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-'))
        ++pos_;
      if (!digits())
        return fail("bad number");
    }
    out.assign(text_.substr(start, pos_ - start));
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::string error_;
};

std::optional<json_value> json_value::parse(std::string_view text, std::string& error) {
  json_parser parser{text};
  json_value out;
  if (!parser.document(out)) {
    error = parser.error();
    return std::nullopt;
  }
  return out;
}

std::optional<std::uint64_t> json_value::as_u64() const {
  if (kind_ != kind::number)
    return std::nullopt;
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(text_.data(), text_.data() + text_.size(), n);
  if (ec != std::errc{} || end != text_.data() + text_.size())
    return std::nullopt;
  return n;
}

const json_value* json_value::find(std::string_view name) const {
  for (const auto& m : members_)
    if (m.first == name)
      return &m.second;
  return nullptr;
}

} // namespace ringdown
