// URI equivalence: RFC 3261 §19.1.4 (sip/sips) and RFC 3966 §4 (tel).
#include "net/sip/scan.hpp"
#include "net/sip/uri.hpp"

namespace ringdown::sip {

using scan::is_hex;

namespace {

int hexval(char c) noexcept {
  if (c >= '0' && c <= '9')
    return c - '0';
  return (scan::lower(c) - 'a') + 10;
}

// Next unescaped character of `s` at `i` (advances `i`).
char next_char(std::string_view s, std::size_t& i) noexcept {
  if (s[i] == '%' && i + 2 < s.size() && is_hex(s[i + 1]) && is_hex(s[i + 2])) {
    const char c = static_cast<char>(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
    i += 3;
    return c;
  }
  return s[i++];
}

// Compares after %HH unescaping (one level), optionally case-insensitively.
bool unescaped_equal(std::string_view a, std::string_view b, bool icase) noexcept {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    char x = next_char(a, i);
    char y = next_char(b, j);
    if (icase) {
      x = scan::lower(x);
      y = scan::lower(y);
    }
    if (x != y)
      return false;
  }
  return i == a.size() && j == b.size();
}

std::optional<param> find_param(const param_list& l, std::string_view name) noexcept {
  for (const param& p : l)
    if (unescaped_equal(p.name, name, true))
      return p;
  return std::nullopt;
}

// A repeated parameter name counts once, by its first occurrence (the
// grammar allows the repeat; its meaning is the first value's).
bool first_of_name(const param_list& l, const param& p) noexcept {
  const auto f = find_param(l, p.name);
  return f && f->name.data() == p.name.data();
}

bool special_param(std::string_view name) noexcept {
  for (std::string_view s : {"user", "ttl", "method", "maddr", "transport"})
    if (unescaped_equal(name, s, true))
      return true;
  return false;
}

bool value_icase(std::string_view name) noexcept {
  return !unescaped_equal(name, "method", true);
}

bool params_equivalent(const param_list& a, const param_list& b) noexcept {
  for (const param& p : a) {
    if (!first_of_name(a, p))
      continue;
    const auto q = find_param(b, p.name);
    if (!q) {
      if (special_param(p.name))
        return false;
      continue;
    }
    if (p.has_value != q->has_value ||
        !unescaped_equal(p.value, q->value, value_icase(p.name)))
      return false;
  }
  for (const param& q : b)
    if (special_param(q.name) && !find_param(a, q.name))
      return false;
  return true;
}

// Header components: every header in one must be in the other, same value.
bool headers_equivalent(std::string_view a, std::string_view b) noexcept {
  auto contains_all = [](std::string_view x, std::string_view y) {
    std::string_view rest = x;
    while (!rest.empty()) {
      const std::size_t amp = rest.find('&');
      const std::string_view h = rest.substr(0, amp);
      rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
      const std::size_t eq = h.find('=');
      const std::string_view name = h.substr(0, eq);
      const std::string_view value = eq == std::string_view::npos ? "" : h.substr(eq + 1);
      bool found = false;
      std::string_view r2 = y;
      while (!r2.empty() && !found) {
        const std::size_t a2 = r2.find('&');
        const std::string_view h2 = r2.substr(0, a2);
        r2 = a2 == std::string_view::npos ? std::string_view{} : r2.substr(a2 + 1);
        const std::size_t e2 = h2.find('=');
        const std::string_view v2 = e2 == std::string_view::npos ? "" : h2.substr(e2 + 1);
        found = unescaped_equal(name, h2.substr(0, e2), true) &&
                unescaped_equal(value, v2, false);
      }
      if (!found)
        return false;
    }
    return true;
  };
  return contains_all(a, b) && contains_all(b, a);
}

// tel numbers compare without visual separators (RFC 3966 §4).
bool tel_number_equal(std::string_view a, std::string_view b) noexcept {
  auto skip = [](std::string_view s, std::size_t& i) {
    while (i < s.size() && (s[i] == '-' || s[i] == '.' || s[i] == '(' || s[i] == ')'))
      ++i;
  };
  std::size_t i = 0;
  std::size_t j = 0;
  for (;;) {
    skip(a, i);
    skip(b, j);
    if (i == a.size() || j == b.size())
      return i == a.size() && j == b.size();
    if (scan::lower(next_char(a, i)) != scan::lower(next_char(b, j)))
      return false;
  }
}

} // namespace

bool equivalent(const uri& a, const uri& b) {
  if (a.scheme != b.scheme)
    return false;
  switch (a.scheme) {
  case uri::scheme_t::other:
    return a.text == b.text;
  case uri::scheme_t::tel: {
    if (!tel_number_equal(a.user, b.user))
      return false;
    // RFC 3966 §4: same parameters, in any order.
    std::size_t na = 0;
    std::size_t nb = 0;
    for (const param& p : a.params) {
      if (!first_of_name(a.params, p))
        continue;
      ++na;
      const auto q = find_param(b.params, p.name);
      if (!q || !unescaped_equal(p.value, q->value, true))
        return false;
    }
    for (const param& p : b.params)
      nb += first_of_name(b.params, p) ? 1 : 0;
    return na == nb;
  }
  case uri::scheme_t::sip:
  case uri::scheme_t::sips:
    break;
  }
  return unescaped_equal(a.user, b.user, false) &&
         unescaped_equal(a.password, b.password, false) && scan::iequals(a.host, b.host) &&
         a.port == b.port && params_equivalent(a.params, b.params) &&
         headers_equivalent(a.headers, b.headers);
}

} // namespace ringdown::sip
