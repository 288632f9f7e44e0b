#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ringdown {

/// Appends `text` as a JSON string literal, quotes included (RFC 8259 §7):
/// '"' and '\\' escaped, control characters and DEL as \b \f \n \r \t or \u00XX,
/// and any byte sequence that is not valid UTF-8 replaced by U+FFFD, so
/// the output is always valid JSON.
void append_json_string(std::string& out, std::string_view text);

/// A small streaming JSON writer: values, keys and nesting in order, commas
/// placed by the writer. Misuse (a value where a key is due, an unbalanced
/// end) is an invariant failure. Not thread-safe; one per document.
///
///   json_writer w;
///   w.begin_object().key("status").value_string("ok").end_object();
///   w.str() == R"({"status":"ok"})"
class json_writer {
public:
  json_writer& begin_object();
  json_writer& end_object();
  json_writer& begin_array();
  json_writer& end_array();
  json_writer& key(std::string_view name);

  json_writer& value_string(std::string_view text);
  json_writer& value_uint(std::uint64_t n);
  json_writer& value_int(std::int64_t n);
  json_writer& value_bool(bool b);
  json_writer& value_null();

  /// The document so far; complete once every begin has its end.
  [[nodiscard]] const std::string& str() const { return out_; }
  [[nodiscard]] bool complete() const { return frames_.empty() && !out_.empty(); }

private:
  enum class frame : std::uint8_t { object_first, object, array_first, array };
  void before_value();
  void open(char c, frame f);
  void close(char c, frame first, frame rest);

  std::string out_;
  std::vector<frame> frames_;
  bool key_pending_ = false;
};

/// Nesting deeper than this is refused by the writer and the reader.
constexpr std::size_t json_depth_max = 64;

} // namespace ringdown
