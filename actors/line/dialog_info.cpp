// RFC 4235 §4 dialog-info documents with RFC 7463 §5.2 extensions.
#include "actors/line/dialog_info.hpp"

#include <algorithm>

namespace ringdown::line {

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&apos;";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
        out += "\xEF\xBF\xBD";
      else
        out.push_back(c);
    }
  }
  return out;
}

std::string dialog_id_of(std::uint32_t appearance, std::uint64_t dialog_seq) {
  return "a" + std::to_string(appearance) + "-" + std::to_string(dialog_seq);
}

namespace {

void attr(std::string& out, std::string_view name, std::string_view value) {
  if (value.empty())
    return;
  out.append(" ").append(name).append("=\"").append(xml_escape(value)).append("\"");
}

void identity(std::string& out, std::string_view uri, std::string_view display) {
  out += "<identity";
  attr(out, "display", display);
  out.append(">").append(xml_escape(uri)).append("</identity>");
}

std::string_view state_of(const appearance_snapshot& a) {
  switch (a.state) {
  case appearance_state::ringing:
    return "early";
  case appearance_state::busy:
    return a.seized_only ? "trying" : "confirmed";
  case appearance_state::held:
  case appearance_state::private_held:
    return "confirmed";
  case appearance_state::idle:
    break;
  }
  return "terminated";
}

struct dialog_fields {
  std::string id;
  std::string_view call_id, local_tag, remote_tag;
  bool outgoing = false;
  std::string_view state;
  std::uint32_t appearance = 0;
  bool exclusive = false;
  bool held = false;
  const appearance_snapshot* joined_to = nullptr; ///< set for a barger's dialog
};

void dialog(std::string& out, const line_snapshot& line, const dialog_fields& f,
            const line_call* remote) {
  out += "<dialog";
  attr(out, "id", f.id);
  attr(out, "call-id", f.call_id);
  attr(out, "local-tag", f.local_tag);
  attr(out, "remote-tag", f.remote_tag);
  attr(out, "direction", f.outgoing ? "initiator" : "recipient");
  out.append("><state>").append(f.state).append("</state>");
  if (f.state != "terminated") {
    out += "<local>";
    identity(out, line.uri, line.display_name);
    out += "<target";
    attr(out, "uri", line.uri);
    if (f.held)
      out += "><param pname=\"+sip.rendering\" pvalue=\"no\"/></target>";
    else
      out += "/>";
    out += "</local>";
    if (remote != nullptr && !remote->remote_uri.empty()) {
      out += "<remote>";
      identity(out, remote->remote_uri, remote->remote_display);
      out += "</remote>";
    }
  }
  out.append("<sa:appearance>")
      .append(std::to_string(f.appearance))
      .append("</sa:appearance>");
  out.append("<sa:exclusive>")
      .append(f.exclusive ? "true" : "false")
      .append("</sa:exclusive>");
  if (f.joined_to != nullptr) {
    const line_call& c = f.joined_to->call;
    out += "<sa:joined-dialog";
    attr(out, "call-id", c.call_id);
    attr(out, "local-tag", c.local_tag);
    attr(out, "remote-tag", c.remote_tag);
    out += "/>";
  }
  out += "</dialog>";
}

void appearance_dialogs(std::string& out, const line_snapshot& line,
                        const appearance_snapshot& a) {
  const bool held =
      a.state == appearance_state::held || a.state == appearance_state::private_held;
  dialog_fields f;
  f.id = dialog_id_of(a.number, a.dialog_seq);
  f.call_id = a.call.call_id;
  f.local_tag = a.call.local_tag;
  f.remote_tag = a.call.remote_tag;
  f.outgoing = a.outgoing;
  f.state = state_of(a);
  f.appearance = a.number;
  f.exclusive = line.private_line || a.state == appearance_state::private_held;
  f.held = held;
  dialog(out, line, f, &a.call);
  for (std::size_t k = 0; k < a.joined.size(); ++k) {
    dialog_fields j;
    j.id = f.id + "-j" + std::to_string(k + 1);
    j.call_id = a.joined[k].call_id;
    j.outgoing = true;
    j.state = "confirmed";
    j.appearance = a.number;
    j.exclusive = f.exclusive;
    j.held = held;
    j.joined_to = &a;
    dialog(out, line, j, &a.call);
  }
}

} // namespace

std::string render_dialog_info(const line_snapshot& line, std::uint64_t version,
                               std::span<const ended_dialog> ended, bool full,
                               std::span<const std::uint32_t> partial_appearances) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<dialog-info xmlns=\"";
  out.append(dialog_info_ns).append("\" xmlns:sa=\"").append(sa_dialog_info_ns);
  out.append("\" version=\"").append(std::to_string(version));
  out.append("\" state=\"").append(full ? "full" : "partial").append("\"");
  attr(out, "entity", line.uri);
  out += ">\n";
  for (const ended_dialog& e : ended) {
    dialog_fields f;
    f.id = dialog_id_of(e.appearance, e.dialog_seq);
    f.call_id = e.call_id;
    f.state = "terminated";
    f.appearance = e.appearance;
    f.exclusive = line.private_line;
    dialog(out, line, f, nullptr);
    out += "\n";
  }
  for (const appearance_snapshot& a : line.appearances) {
    if (a.state == appearance_state::idle)
      continue;
    if (!full && std::find(partial_appearances.begin(), partial_appearances.end(),
                           a.number) == partial_appearances.end())
      continue;
    appearance_dialogs(out, line, a);
    out += "\n";
  }
  out += "</dialog-info>\n";
  return out;
}

} // namespace ringdown::line
