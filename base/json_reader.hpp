#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ringdown {

/// A parsed JSON document (RFC 8259), for the admin CLI and the tests:
/// objects keep their members in document order, numbers keep their text
/// (read them with as_u64 / as_i64). Value type; owns its children.
class json_value {
public:
  enum class kind : std::uint8_t { null, boolean, number, string, array, object };
  using member = std::pair<std::string, json_value>;

  /// The document in `text`, or nullopt with a one-line reason in `error`
  /// (trailing garbage, nesting over json_depth_max, bad escapes...).
  static std::optional<json_value> parse(std::string_view text, std::string& error);

  [[nodiscard]] kind type() const { return kind_; }
  [[nodiscard]] bool is(kind k) const { return kind_ == k; }
  /// A string's value or a number's text; empty for the other kinds.
  [[nodiscard]] const std::string& text() const { return text_; }
  [[nodiscard]] bool as_bool() const { return kind_ == kind::boolean && flag_; }
  /// A non-negative integer number; nullopt for anything else.
  [[nodiscard]] std::optional<std::uint64_t> as_u64() const;
  /// An array's elements (empty for the other kinds).
  [[nodiscard]] const std::vector<json_value>& items() const { return items_; }
  /// An object's members in document order (empty for the other kinds).
  [[nodiscard]] const std::vector<member>& members() const { return members_; }
  /// The first member called `name`, nullptr when absent or not an object.
  [[nodiscard]] const json_value* find(std::string_view name) const;

private:
  friend class json_parser;
  kind kind_ = kind::null;
  bool flag_ = false;
  std::string text_;
  std::vector<json_value> items_;
  std::vector<member> members_;
};

} // namespace ringdown
