// Edits of a parsed message (RFC 3261 §16.6, §18.2.1, §20.14): each one
// rewrites the buffer and re-indexes it with the parser.
#include <algorithm>
#include <limits>
#include <string>

#include "base/assert.hpp"
#include "net/sip/message.hpp"
#include "net/sip/parser.hpp"
#include "net/sip/scan.hpp"

namespace ringdown::sip {

namespace {

std::string header_line(std::string_view name, std::string_view value) {
  std::string line;
  line.reserve(name.size() + value.size() + 4);
  line.append(name).append(": ").append(value).append("\r\n");
  return line;
}

} // namespace

void message::reindex() {
  (void)parser(unbounded_limits()).parse_owned(*this);
}

void message::splice(std::size_t pos, std::size_t erase, std::string_view text) {
  RINGDOWN_ASSERT(pos <= buffer_.size() && erase <= buffer_.size() - pos,
                  "splice in range");
  buffer_.replace(pos, erase, text);
  reindex();
}

std::size_t message::line_end(std::size_t i) const noexcept {
  return i + 1 < fields_.size() ? fields_[i + 1].name_off : headers_end_;
}

void message::set_top_via_param(std::string_view name, std::string_view value) {
  list_cursor c;
  std::string_view first;
  if (!next_value(header_id::via, c, first))
    return;
  const auto v = via::parse(first);
  if (!v)
    return;
  std::string text;
  text.append(name);
  if (!value.empty())
    text.append("=").append(value);
  for (const param& p : v->params) {
    if (!scan::iequals(p.name, name))
      continue;
    const char* begin = p.name.data();
    const char* end = p.has_value ? p.value.data() + p.value.size() : begin + p.name.size();
    splice(static_cast<std::size_t>(begin - buffer_.data()),
           static_cast<std::size_t>(end - begin), text);
    return;
  }
  const std::size_t at =
      static_cast<std::size_t>(first.data() + first.size() - buffer_.data());
  text.insert(text.begin(), ';');
  splice(at, 0, text);
}

void message::prepend_header(std::string_view name, std::string_view value) {
  const std::size_t i = find_field(name, false);
  const std::size_t at = i == std::string_view::npos ? headers_end_ : fields_[i].name_off;
  splice(at, 0, header_line(name, value));
}

void message::append_header(std::string_view name, std::string_view value) {
  const std::size_t i = find_field(name, true);
  const std::size_t at = i == std::string_view::npos ? headers_end_ : line_end(i);
  splice(at, 0, header_line(name, value));
}

void message::remove_first(header_id id) {
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].id != id)
      continue;
    const std::size_t at = fields_[i].name_off;
    splice(at, line_end(i) - at, {});
    return;
  }
}

void message::remove_first_value(header_id id) {
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].id != id)
      continue;
    const std::string_view value = value_of(fields_[i]);
    const std::size_t comma = scan::find_unquoted(value, ',');
    if (comma == std::string_view::npos) {
      const std::size_t at = fields_[i].name_off;
      splice(at, line_end(i) - at, {});
      return;
    }
    // Drop the element, its comma and the blanks before the next one.
    std::size_t next = comma + 1;
    while (next < value.size() && (value[next] == ' ' || value[next] == '\t' ||
                                   value[next] == '\r' || value[next] == '\n'))
      ++next;
    splice(fields_[i].value_off, next, {});
    return;
  }
}

void message::set_first(header_id id, std::string_view value) {
  for (const header_field& f : fields_)
    if (f.id == id) {
      splice(f.value_off, f.value_len, value);
      return;
    }
  append_header(canonical_name(id), value);
}

void message::set_body(std::string_view content_type, std::string_view body) {
  struct change {
    std::size_t pos;
    std::size_t erase;
    std::string text;
  };
  std::vector<change> changes;
  const auto set_field = [&](header_id id, std::string_view value) {
    for (const header_field& f : fields_)
      if (f.id == id) {
        changes.push_back({f.value_off, f.value_len, std::string(value)});
        return;
      }
    changes.push_back({headers_end_, 0, header_line(canonical_name(id), value)});
  };
  if (!content_type.empty())
    set_field(header_id::content_type, content_type);
  set_field(header_id::content_length, std::to_string(body.size()));
  // Apply from the back so earlier offsets stay valid; equal positions keep
  // their order (Content-Type before Content-Length).
  std::stable_sort(changes.begin(), changes.end(),
                   [](const change& a, const change& b) { return a.pos > b.pos; });
  std::string out = buffer_.substr(0, headers_end_);
  for (const change& ch : changes)
    out.replace(ch.pos, ch.erase, ch.text);
  out.append("\r\n").append(body);
  buffer_ = std::move(out);
  reindex();
}

} // namespace ringdown::sip
