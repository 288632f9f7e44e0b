#include "net/sip/dtmf_info.hpp"

#include "net/sip/scan.hpp"

namespace ringdown::sip {

namespace {

/// The media type of a Content-Type value, without parameters or LWS.
std::string_view media_type(std::string_view content_type) noexcept {
  return scan::trim(content_type.substr(0, content_type.find(';')));
}

std::optional<char> digit_of(std::string_view value) noexcept {
  value = scan::trim(value);
  if (value == "10")
    return '*';
  if (value == "11")
    return '#';
  if (value.size() != 1)
    return std::nullopt;
  const char c = value.front();
  if (scan::is_digit(c) || c == '*' || c == '#')
    return c;
  const char upper = static_cast<char>(scan::lower(c) - 'a' + 'A');
  if (upper >= 'A' && upper <= 'D')
    return upper;
  return std::nullopt;
}

} // namespace

bool is_dtmf_info(std::string_view content_type) noexcept {
  const auto type = media_type(content_type);
  return scan::iequals(type, "application/dtmf-relay") ||
         scan::iequals(type, "application/dtmf");
}

std::optional<char> dtmf_info_digit(std::string_view content_type,
                                    std::string_view body) noexcept {
  const auto type = media_type(content_type);
  if (scan::iequals(type, "application/dtmf"))
    return digit_of(body);
  if (!scan::iequals(type, "application/dtmf-relay"))
    return std::nullopt;
  // Lines of "name=value"; the digit is Signal's value.
  while (!body.empty()) {
    const auto eol = body.find('\n');
    const std::string_view line = body.substr(0, eol);
    body = eol == std::string_view::npos ? std::string_view{} : body.substr(eol + 1);
    const auto eq = line.find('=');
    if (eq == std::string_view::npos)
      continue;
    if (scan::iequals(scan::trim(line.substr(0, eq)), "signal"))
      return digit_of(line.substr(eq + 1));
  }
  return std::nullopt;
}

} // namespace ringdown::sip
