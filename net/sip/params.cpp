#include "net/sip/params.hpp"

#include "net/sip/scan.hpp"

namespace ringdown::sip {

std::optional<param> param_list::find(std::string_view name) const noexcept {
  for (auto it = begin(); it != end(); ++it)
    if (scan::iequals(it->name, name))
      return *it;
  return std::nullopt;
}

std::string_view param_list::value(std::string_view name) const noexcept {
  const auto p = find(name);
  return p ? p->value : std::string_view{};
}

param_list::iterator param_list::begin() const noexcept {
  return iterator(text_, false);
}
param_list::iterator param_list::end() const noexcept {
  return iterator({}, true);
}

param_list::iterator::iterator(std::string_view rest, bool end) noexcept
    : rest_(rest), end_(end) {
  if (!end_)
    load();
}

param_list::iterator& param_list::iterator::operator++() noexcept {
  load();
  return *this;
}

// Reads the next non-empty `name[=value]` from rest_ into cur_; end when none.
void param_list::iterator::load() noexcept {
  for (;;) {
    if (rest_.empty()) {
      end_ = true;
      cur_ = {};
      return;
    }
    const std::size_t semi = scan::find_unquoted(rest_, ';');
    const std::string_view piece = rest_.substr(0, semi);
    rest_ = semi == std::string_view::npos ? rest_.substr(rest_.size())
                                           : rest_.substr(semi + 1);
    const std::string_view t = scan::trim(piece);
    if (t.empty())
      continue;
    const std::size_t eq = t.find('=');
    if (eq == std::string_view::npos) {
      cur_ = param{t, {}, false};
    } else {
      cur_ =
          param{scan::trim_right(t.substr(0, eq)), scan::trim_left(t.substr(eq + 1)), true};
    }
    return;
  }
}

} // namespace ringdown::sip
