#include "net/sip/header_params.hpp"

#include <cstdint>

#include "net/sip/scan.hpp"

namespace ringdown::sip::detail {

using scan::is_lws;

namespace {
bool params_ok_slow(std::string_view text) noexcept;
} // namespace

// Checks a header-parameter list `;a=b;c` (text after the first ';') in one
// pass: elements are token [ EQUAL ( token / host / quoted-string ) ],
// LWS allowed around ';' and '=', empty elements tolerated.
bool params_ok(std::string_view text) noexcept {
  // Fast path: only token characters, ';' and '=' with names and values
  // non-empty; anything else (LWS, quotes, IPv6) takes the full check.
  char prev = ';';
  for (char c : text) {
    if (c == '=') {
      if (prev == '=' || prev == ';')
        return false;
    } else if (c == ';') {
      if (prev == '=')
        return false;
    } else if (!scan::is_token(c)) {
      return params_ok_slow(text);
    }
    prev = c;
  }
  return prev != '=';
}

namespace {
bool params_ok_slow(std::string_view text) noexcept {
  enum class st : std::uint8_t {
    before_name,
    name,
    after_name,
    before_value,
    value,
    after_value
  };
  st state = st::before_name;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool lws = is_lws(c);
    switch (state) {
    case st::before_name:
      if (scan::is_token(c))
        state = st::name;
      else if (!lws && c != ';')
        return false;
      break;
    case st::name:
    case st::after_name:
      if (c == ';')
        state = st::before_name;
      else if (c == '=')
        state = st::before_value;
      else if (lws)
        state = st::after_name;
      else if (state == st::after_name || !scan::is_token(c))
        return false;
      break;
    case st::before_value:
      if (c == '"') {
        for (++i; i < text.size() && text[i] != '"'; ++i)
          if (text[i] == '\\')
            ++i;
        if (i >= text.size())
          return false;
        state = st::after_value;
      } else if (scan::is_token(c) || c == '[' || c == ':') {
        state = st::value;
      } else if (!lws) {
        return false;
      }
      break;
    case st::value:
    case st::after_value:
      if (c == ';')
        state = st::before_name;
      else if (lws)
        state = st::after_value;
      else if (state == st::after_value ||
               !(scan::is_token(c) || c == ':' || c == '[' || c == ']'))
        return false;
      break;
    }
  }
  return state != st::before_value;
}

} // namespace

} // namespace ringdown::sip::detail
