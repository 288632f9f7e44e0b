// RFC 4235 §4 / RFC 7463 §5.2 dialog-info documents published by devices.
#include "actors/line/dialog_info_parser.hpp"

#include <charconv>

#include "actors/line/dialog_info.hpp"

namespace ringdown::line {

std::string_view to_string(dialog_state s) noexcept {
  switch (s) {
  case dialog_state::trying:
    return "trying";
  case dialog_state::proceeding:
    return "proceeding";
  case dialog_state::early:
    return "early";
  case dialog_state::confirmed:
    return "confirmed";
  case dialog_state::terminated:
    return "terminated";
  }
  return "terminated";
}

bool parse_dialog_state(std::string_view text, dialog_state& out) noexcept {
  for (auto s : {dialog_state::trying, dialog_state::proceeding, dialog_state::early,
                 dialog_state::confirmed, dialog_state::terminated})
    if (text == to_string(s)) {
      out = s;
      return true;
    }
  return false;
}

namespace {

std::string_view trim(std::string_view t) noexcept {
  while (!t.empty() &&
         (t.front() == ' ' || t.front() == '\t' || t.front() == '\r' || t.front() == '\n'))
    t.remove_prefix(1);
  while (!t.empty() &&
         (t.back() == ' ' || t.back() == '\t' || t.back() == '\r' || t.back() == '\n'))
    t.remove_suffix(1);
  return t;
}

template <class T>
bool parse_uint(std::string_view t, T& out) noexcept {
  t = trim(t);
  if (t.empty() || t.size() > 19)
    return false;
  const auto r = std::from_chars(t.data(), t.data() + t.size(), out);
  return r.ec == std::errc{} && r.ptr == t.data() + t.size();
}

dialog_info_parse error(std::string what) {
  dialog_info_parse r;
  r.error = std::move(what);
  return r;
}

/// Reads one <dialog>; "" on success, else the problem.
std::string read_dialog(const xml_element& el, published_dialog& d) {
  const auto id = el.attribute("id");
  if (!id || id->empty())
    return "dialog without id";
  d.id = std::string(*id);
  if (const auto cid = el.attribute("call-id"))
    d.call_id = std::string(*cid);
  bool have_state = false;
  for (const auto& c : el.children) {
    if (c->ns == dialog_info_ns && c->local_name == "state") {
      if (have_state)
        return "dialog with two states";
      if (!parse_dialog_state(trim(c->text), d.state))
        return "unknown dialog state";
      have_state = true;
    } else if (c->ns == sa_dialog_info_ns && c->local_name == "appearance") {
      std::uint32_t n = 0;
      if (d.appearance || !parse_uint(c->text, n) || n > 1'000'000)
        return "bad appearance";
      d.appearance = n;
    } else if (c->ns == sa_dialog_info_ns && c->local_name == "exclusive") {
      const std::string_view v = trim(c->text);
      if (d.exclusive)
        return "two exclusive elements";
      if (v == "true" || v == "1")
        d.exclusive = true;
      else if (v == "false" || v == "0")
        d.exclusive = false;
      else
        return "bad exclusive";
    }
  }
  return have_state ? std::string{} : std::string("dialog without state");
}

} // namespace

dialog_info_parse parse_dialog_info(std::string_view body, const xml_limits& limits,
                                    std::size_t dialogs_max) {
  const xml_result x = read_xml(body, limits);
  if (!x.root)
    return error(x.error);
  const xml_element& root = *x.root;
  if (root.ns != dialog_info_ns || root.local_name != "dialog-info")
    return error("root is not dialog-info");
  published_dialog_info info;
  const auto version = root.attribute("version");
  const auto state = root.attribute("state");
  const auto entity = root.attribute("entity");
  if (!version || !parse_uint(*version, info.version))
    return error("missing or bad version");
  if (!state || (*state != "full" && *state != "partial"))
    return error("missing or bad state");
  if (!entity || entity->empty())
    return error("missing entity");
  info.full = *state == "full";
  info.entity = std::string(*entity);
  for (const auto& c : root.children) {
    if (c->ns != dialog_info_ns || c->local_name != "dialog")
      continue;
    if (info.dialogs.size() >= dialogs_max)
      return error("too many dialogs");
    published_dialog d;
    if (std::string why = read_dialog(*c, d); !why.empty())
      return error(why);
    info.dialogs.push_back(std::move(d));
  }
  dialog_info_parse r;
  r.info = std::move(info);
  return r;
}

} // namespace ringdown::line
