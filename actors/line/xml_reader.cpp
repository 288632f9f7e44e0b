// A bounded, strict reader for the small XML subset of dialog-info bodies.
#include "actors/line/xml_reader.hpp"

#include <utility>

#include "actors/line/xml_entities.hpp"

namespace ringdown::line {

std::optional<std::string_view> xml_element::attribute(std::string_view name) const {
  for (const xml_attribute& a : attributes)
    if (a.name == name)
      return std::string_view(a.value);
  return std::nullopt;
}

namespace {

constexpr std::string_view xml_ns = "http://www.w3.org/XML/1998/namespace";

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool is_name_start(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
         u >= 0x80;
}
bool is_name_char(char c) noexcept {
  return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/// One prefix binding in scope: `prefix` ("" = default namespace) -> uri.
struct binding {
  std::string prefix;
  std::string uri;
};

class reader {
public:
  reader(std::string_view doc, const xml_limits& limits) : s_(doc), lim_(limits) {}

  xml_result run() {
    xml_result r;
    if (s_.size() > lim_.bytes_max)
      return fail_result("document too large");
    if (s_.starts_with("\xEF\xBB\xBF"))
      pos_ = 3;
    if (!misc())
      return fail_result();
    if (!at('<'))
      return fail_result("no root element");
    auto root = std::make_unique<xml_element>();
    if (!element(*root, 1) || !misc())
      return fail_result();
    if (pos_ != s_.size())
      return fail_result("content after the root element");
    r.root = std::move(root);
    return r;
  }

private:
  xml_result fail_result(std::string_view what = {}) {
    if (!what.empty())
      fail(what);
    xml_result r;
    r.error = error_;
    return r;
  }
  bool fail(std::string_view what) {
    if (error_.empty())
      error_ = std::string(what) + " at byte " + std::to_string(pos_);
    return false;
  }
  [[nodiscard]] bool at(char c) const noexcept { return pos_ < s_.size() && s_[pos_] == c; }
  [[nodiscard]] bool at(std::string_view t) const noexcept {
    return s_.substr(pos_).starts_with(t);
  }
  void skip_space() noexcept {
    while (pos_ < s_.size() && is_space(s_[pos_]))
      ++pos_;
  }
  /// Skips past `end`; false when it never comes.
  bool skip_past(std::string_view end, std::string_view what) {
    const std::size_t e = s_.find(end, pos_);
    if (e == std::string_view::npos)
      return fail(what);
    for (std::size_t i = pos_; i < e; ++i)
      if (!char_ok(s_[i]))
        return fail("control character");
    pos_ = e + end.size();
    return true;
  }
  static bool char_ok(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 || c == '\t' || c == '\n' || c == '\r';
  }

  /// Whitespace, comments and processing instructions around the root.
  bool misc() {
    for (;;) {
      skip_space();
      if (at("<!--")) {
        pos_ += 4;
        if (!skip_past("-->", "unterminated comment"))
          return false;
      } else if (at("<?")) {
        pos_ += 2;
        if (!skip_past("?>", "unterminated processing instruction"))
          return false;
      } else if (at("<!")) {
        return fail("DOCTYPE and declarations are not accepted");
      } else {
        return true;
      }
    }
  }

  bool name(std::string& out) {
    const std::size_t b = pos_;
    if (pos_ >= s_.size() || !is_name_start(s_[pos_]))
      return fail("expected a name");
    while (pos_ < s_.size() && is_name_char(s_[pos_]))
      ++pos_;
    if (pos_ - b > lim_.name_bytes_max)
      return fail("name too long");
    out.assign(s_.substr(b, pos_ - b));
    return true;
  }

  /// Decodes an entity or character reference at `&`, appending to `out`.
  bool reference(std::string& out) {
    const std::size_t semi = s_.find(';', pos_);
    if (semi == std::string_view::npos || semi - pos_ > 12)
      return fail("bad entity reference");
    const std::string_view ref = s_.substr(pos_ + 1, semi - pos_ - 1);
    pos_ = semi + 1;
    if (const char* why = decode_xml_reference(ref, out))
      return fail(why);
    return true;
  }

  bool attribute_value(std::string& out) {
    if (!at('"') && !at('\''))
      return fail("expected a quoted attribute value");
    const char q = s_[pos_++];
    while (pos_ < s_.size() && s_[pos_] != q) {
      const char c = s_[pos_];
      if (c == '<' || !char_ok(c))
        return fail("bad character in attribute value");
      if (c == '&') {
        if (!reference(out))
          return false;
      } else {
        out.push_back(c);
        ++pos_;
      }
      if (out.size() > lim_.text_bytes_max)
        return fail("attribute value too long");
    }
    if (pos_ >= s_.size())
      return fail("unterminated attribute value");
    ++pos_;
    return true;
  }

  /// Namespace URI of `prefix` in the current scope; false if undeclared.
  bool resolve(std::string_view prefix, std::string& uri) const {
    if (prefix == "xml") {
      uri = xml_ns;
      return true;
    }
    for (auto it = scope_.rbegin(); it != scope_.rend(); ++it)
      if (it->prefix == prefix) {
        uri = it->uri;
        return true;
      }
    if (prefix.empty()) {
      uri.clear();
      return true;
    }
    return false;
  }

  bool element(xml_element& el, std::size_t depth) {
    if (depth > lim_.depth_max)
      return fail("elements nested too deep");
    if (++elements_ > lim_.elements_max)
      return fail("too many elements");
    ++pos_; // '<'
    std::string qname;
    if (!name(qname))
      return false;
    const std::size_t scope_mark = scope_.size();
    for (;;) {
      const std::size_t before = pos_;
      skip_space();
      if (at("/>") || at('>'))
        break;
      if (pos_ == before)
        return fail("expected whitespace before an attribute");
      xml_attribute a;
      if (!name(a.name))
        return false;
      skip_space();
      if (!at('='))
        return fail("expected '='");
      ++pos_;
      skip_space();
      if (!attribute_value(a.value))
        return false;
      for (const xml_attribute& o : el.attributes)
        if (o.name == a.name)
          return fail("duplicate attribute");
      if (el.attributes.size() >= lim_.attributes_max)
        return fail("too many attributes");
      if (a.name == "xmlns")
        scope_.push_back({"", a.value});
      else if (a.name.starts_with("xmlns:"))
        scope_.push_back({a.name.substr(6), a.value});
      el.attributes.push_back(std::move(a));
    }
    const std::size_t colon = qname.find(':');
    const std::string prefix = colon == std::string::npos ? "" : qname.substr(0, colon);
    el.local_name = colon == std::string::npos ? qname : qname.substr(colon + 1);
    if (el.local_name.empty() || el.local_name.find(':') != std::string::npos)
      return fail("bad qualified name");
    if (!resolve(prefix, el.ns))
      return fail("undeclared namespace prefix");
    bool ok = true;
    if (at("/>")) {
      pos_ += 2;
    } else {
      ++pos_; // '>'
      ok = content(el, depth, qname);
    }
    scope_.resize(scope_mark);
    return ok;
  }

  bool content(xml_element& el, std::size_t depth, const std::string& qname) {
    for (;;) {
      if (pos_ >= s_.size())
        return fail("unterminated element");
      if (at("</")) {
        pos_ += 2;
        std::string end;
        if (!name(end))
          return false;
        skip_space();
        if (end != qname || !at('>'))
          return fail("mismatched end tag");
        ++pos_;
        return true;
      }
      if (at("<!--")) {
        pos_ += 4;
        if (!skip_past("-->", "unterminated comment"))
          return false;
      } else if (at("<![CDATA[")) {
        pos_ += 9;
        const std::size_t b = pos_;
        if (!skip_past("]]>", "unterminated CDATA"))
          return false;
        el.text.append(s_.substr(b, pos_ - 3 - b));
      } else if (at("<?")) {
        pos_ += 2;
        if (!skip_past("?>", "unterminated processing instruction"))
          return false;
      } else if (at("<!")) {
        return fail("declarations are not accepted in content");
      } else if (at('<')) {
        auto child = std::make_unique<xml_element>();
        if (!element(*child, depth + 1))
          return false;
        el.children.push_back(std::move(child));
      } else if (at('&')) {
        if (!reference(el.text))
          return false;
      } else {
        const char c = s_[pos_];
        if (!char_ok(c))
          return fail("control character");
        el.text.push_back(c);
        ++pos_;
      }
      if (el.text.size() > lim_.text_bytes_max)
        return fail("text too long");
    }
  }

  std::string_view s_;
  const xml_limits& lim_;
  std::size_t pos_ = 0;
  std::size_t elements_ = 0;
  std::vector<binding> scope_;
  std::string error_;
};

} // namespace

xml_result read_xml(std::string_view doc, const xml_limits& limits) {
  return reader(doc, limits).run();
}

} // namespace ringdown::line
