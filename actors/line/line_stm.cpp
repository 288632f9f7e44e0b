// RFC 7463 shared appearances: the line's call events.
#include "actors/line/line_stm.hpp"

#include <algorithm>
#include <utility>

#include "actors/line/dialog_info.hpp"
#include "base/assert.hpp"
#include "base/logging.hpp"

namespace ringdown::line {

namespace {

/// Whether the tags of a Join or Replaces header (`to`, `from`) name the
/// dialog `known` (RFC 3891 §3: Call-ID and both tags must match). A
/// dialog whose tags the line has not learned matches on its Call-ID. The
/// tags match in either order: a device takes them from the line's
/// dialog-info (RFC 4235 local and remote tag, the line's view), and
/// phones differ in which they send as to-tag.
bool tags_match(const line_call& known, std::string_view to, std::string_view from) {
  if (known.local_tag.empty() || (to.empty() && from.empty()))
    return true;
  return (to == known.local_tag && from == known.remote_tag) ||
         (to == known.remote_tag && from == known.local_tag);
}

} // namespace

std::string_view to_string(appearance_state s) noexcept {
  switch (s) {
  case appearance_state::idle:
    return "IDLE";
  case appearance_state::ringing:
    return "RINGING";
  case appearance_state::busy:
    return "BUSY";
  case appearance_state::held:
    return "HELD";
  case appearance_state::private_held:
    return "PRIVATE_HELD";
  }
  return "IDLE";
}

outcome refuse(int status, std::string_view reason) {
  outcome o;
  o.status = status;
  o.reason = std::string(reason);
  return o;
}

spdlog::logger& line_stm::log() {
  static const auto lg = ringdown::log::get("line");
  return *lg;
}

outcome line_stm::no(std::string_view call_id, int status, std::string_view reason) const {
  log().debug("line {} ({}): refused {} {}", def_.uri, call_id, status, reason);
  return refuse(status, reason);
}

line_stm::line_stm(config::line_def def, std::vector<std::string> holders)
    : def_(std::move(def)), holders_(std::move(holders)) {
  RINGDOWN_ASSERT(def_.appearances >= 1 && def_.appearances <= 32, "appearances in 1..32");
  slots_.resize(def_.appearances);
  for (std::uint32_t i = 0; i < def_.appearances; ++i)
    slots_[i].a.number = i + 1;
}

bool line_stm::is_holder(std::string_view resource) const noexcept {
  return std::find(holders_.begin(), holders_.end(), resource) != holders_.end();
}

const appearance_snapshot& line_stm::appearance(std::uint32_t number) const {
  RINGDOWN_ASSERT(number >= 1 && number <= slots_.size(), "appearance number in range");
  return slots_[number - 1].a;
}

appearance_state line_stm::aggregate() const noexcept {
  auto any = [this](appearance_state s) {
    return std::any_of(slots_.begin(), slots_.end(),
                       [s](const slot& x) { return x.a.state == s; });
  };
  for (auto s : {appearance_state::busy, appearance_state::ringing,
                 appearance_state::private_held, appearance_state::held})
    if (any(s))
      return s;
  return appearance_state::idle;
}

line_snapshot line_stm::snapshot() const {
  line_snapshot s;
  s.uri = def_.uri;
  s.display_name = def_.display_name;
  s.private_line = def_.private_line;
  s.version = version_;
  s.aggregate = aggregate();
  s.appearances.reserve(slots_.size());
  for (const slot& x : slots_)
    s.appearances.push_back(x.a);
  return s;
}

line_stm::slot* line_stm::find_call(std::string_view call_id) noexcept {
  if (call_id.empty())
    return nullptr;
  for (slot& s : slots_)
    if (s.a.state != appearance_state::idle && s.a.call.call_id == call_id)
      return &s;
  return nullptr;
}

line_stm::slot* line_stm::first_idle() noexcept {
  for (slot& s : slots_)
    if (s.a.state == appearance_state::idle)
      return &s;
  return nullptr;
}

void line_stm::occupy(slot& s) {
  const std::uint32_t n = s.a.number;
  s = slot{};
  s.a.number = n;
  s.a.dialog_seq = ++dialog_seq_;
}

outcome line_stm::changed(slot& s, outcome out, std::vector<ended_dialog> ended) {
  ++version_;
  out.appearance = s.a.number;
  out.fx.emplace_back(line_changed{snapshot(), std::move(ended)});
  return out;
}

outcome line_stm::release(slot& s, outcome out) {
  std::vector<ended_dialog> ended{{s.a.number, s.a.dialog_seq, s.a.call.call_id}};
  if (s.seize_deadline)
    out.fx.emplace_back(cancel_timer{s.a.number});
  const std::uint32_t n = s.a.number;
  s = slot{};
  s.a.number = n;
  return changed(s, std::move(out), std::move(ended));
}

outcome line_stm::offered(const line_call& call, std::vector<std::string> alerted) {
  if (call.call_id.empty())
    return no(call.call_id, 400, "Missing Call-ID");
  if (find_call(call.call_id) != nullptr)
    return no(call.call_id, 482, "Loop Detected"); // same call offered twice
  slot* s = first_idle();
  if (s == nullptr)
    return no(call.call_id, 486, "Busy Here");
  if (alerted.empty())
    alerted = holders_;
  occupy(*s);
  s->a.state = appearance_state::ringing;
  s->a.call = call;
  s->a.alerted = std::move(alerted);
  return changed(*s, outcome{});
}

outcome line_stm::originated(const line_call& call, std::string_view by) {
  if (!is_holder(by))
    return no(call.call_id, 403, "Not a holder of the line");
  if (call.call_id.empty() || find_call(call.call_id) != nullptr)
    return no(call.call_id, 400, "Bad or duplicate Call-ID");
  // A seize by this device (PUBLISH trying) is used first.
  slot* s = nullptr;
  for (slot& x : slots_)
    if (x.a.state == appearance_state::busy && x.a.seized_only && x.a.owner == by) {
      s = &x;
      break;
    }
  outcome out;
  if (s != nullptr) {
    if (s->seize_deadline)
      out.fx.emplace_back(cancel_timer{s->a.number});
    s->seize_deadline.reset();
    s->publish_dialog_id.clear();
  } else {
    s = first_idle();
    if (s == nullptr)
      return no(call.call_id, 486, "Busy Here");
    occupy(*s);
  }
  s->a.state = appearance_state::busy;
  s->a.seized_only = false;
  s->a.outgoing = true;
  s->a.owner = std::string(by);
  s->a.call = call;
  return changed(*s, std::move(out));
}

void line_stm::learn_tags(const line_call& call) {
  slot* s = find_call(call.call_id);
  if (s == nullptr || call.local_tag.empty())
    return;
  s->a.call.local_tag = call.local_tag;
  s->a.call.remote_tag = call.remote_tag;
}

outcome line_stm::answered(std::string_view call_id, std::string_view by) {
  slot* s = find_call(call_id);
  if (s == nullptr)
    return no(call_id, 481, "Call Does Not Exist");
  if (s->a.state != appearance_state::ringing)
    return no(call_id, 486, "Busy Here"); // lost the seize race
  if (std::find(s->a.alerted.begin(), s->a.alerted.end(), by) == s->a.alerted.end())
    return no(call_id, 403, "Not alerted for this call");
  outcome out;
  cancel_alerts c{std::string(call_id), {}};
  for (const std::string& r : s->a.alerted)
    if (r != by)
      c.resources.push_back(r);
  if (!c.resources.empty())
    out.fx.emplace_back(std::move(c));
  s->a.state = appearance_state::busy;
  s->a.owner = std::string(by);
  s->a.alerted.clear();
  return changed(*s, std::move(out));
}

outcome line_stm::held(std::string_view call_id, std::string_view by, bool private_hold) {
  slot* s = find_call(call_id);
  if (s == nullptr)
    return no(call_id, 481, "Call Does Not Exist");
  if (s->a.state != appearance_state::busy || s->a.seized_only)
    return no(call_id, 403, "Not in a state that can be held");
  if (s->a.owner != by)
    return no(call_id, 403, "Only the owner may hold");
  const bool priv =
      private_hold || def_.private_line || def_.hold == config::hold_policy::private_;
  s->a.state = priv ? appearance_state::private_held : appearance_state::held;
  return changed(*s, outcome{});
}

outcome line_stm::may_retrieve(std::string_view call_id, std::string_view by,
                               std::string_view to_tag, std::string_view from_tag) const {
  const slot* s = nullptr;
  for (const slot& x : slots_)
    if (!x.a.call.call_id.empty() && x.a.call.call_id == call_id)
      s = &x;
  if (s == nullptr || !tags_match(s->a.call, to_tag, from_tag))
    return no(call_id, 481, "Call Does Not Exist");
  if (s->a.state == appearance_state::private_held) {
    if (s->a.owner != by)
      return no(call_id, 403, "Private hold: only the holder may retrieve");
  } else if (s->a.state == appearance_state::held) {
    if (!is_holder(by))
      return no(call_id, 403, "Not a holder of the line");
  } else {
    return no(call_id, 403, "Call is not held");
  }
  return outcome{};
}

outcome line_stm::retrieved(std::string_view call_id, std::string_view by) {
  if (auto verdict = may_retrieve(call_id, by); !verdict.ok())
    return verdict;
  slot* s = find_call(call_id);
  s->a.state = appearance_state::busy;
  s->a.owner = std::string(by);
  return changed(*s, outcome{});
}

outcome line_stm::barge(std::string_view call_id, std::string_view by,
                        std::string_view barger_call_id, std::string_view to_tag,
                        std::string_view from_tag) {
  // Refused before the call is even looked up: a barge attempt on a
  // private line learns nothing about the calls on it.
  if (def_.private_line || !def_.barge_allowed)
    return no(call_id, 403, "Barge not allowed on this line");
  slot* s = find_call(call_id);
  if (s == nullptr || !tags_match(s->a.call, to_tag, from_tag))
    return no(call_id, 481, "Call Does Not Exist");
  if (s->a.state != appearance_state::busy || s->a.seized_only)
    return no(call_id, 403, "Barge only into a busy appearance");
  if (!is_holder(by) || s->a.owner == by)
    return no(call_id, 403, "Not allowed to barge");
  if (barger_call_id.empty() || find_call(barger_call_id) != nullptr)
    return no(call_id, 400, "Bad barger Call-ID");
  for (const joined_party& j : s->a.joined)
    if (j.resource == by || j.call_id == barger_call_id)
      return no(call_id, 403, "Already joined");
  if (s->a.joined.size() >= joined_max)
    return no(call_id, 486, "Too many parties");
  outcome out;
  out.fx.emplace_back(
      join_call{std::string(call_id), std::string(by), std::string(barger_call_id)});
  out.fx.emplace_back(inform_parties{std::string(call_id), std::string(barge_content_type),
                                     barge_info_body(s->a, by)});
  s->a.joined.push_back({std::string(by), std::string(barger_call_id)});
  return changed(*s, std::move(out));
}

outcome line_stm::ended(std::string_view call_id) {
  if (slot* s = find_call(call_id))
    return release(*s, outcome{});
  for (slot& s : slots_) {
    auto it = std::find_if(s.a.joined.begin(), s.a.joined.end(),
                           [&](const joined_party& j) { return j.call_id == call_id; });
    if (it != s.a.joined.end()) {
      s.a.joined.erase(it);
      return changed(s, outcome{});
    }
  }
  return no(call_id, 481, "Call Does Not Exist");
}

std::string line_stm::barge_info_body(const appearance_snapshot& a,
                                      std::string_view by) const {
  // JSON, every string escaped; see the header for the contract.
  auto str = [](std::string_view v) {
    std::string o = "\"";
    for (char c : v) {
      if (c == '"' || c == '\\') {
        o.push_back('\\');
        o.push_back(c);
      } else if (static_cast<unsigned char>(c) < 0x20) {
        static constexpr char hex[] = "0123456789abcdef";
        o += "\\u00";
        o.push_back(hex[(c >> 4) & 0xF]);
        o.push_back(hex[c & 0xF]);
      } else {
        o.push_back(c);
      }
    }
    return o + "\"";
  };
  return "{\"event\":\"barge\",\"line\":" + str(def_.uri) +
         ",\"appearance\":" + std::to_string(a.number) +
         ",\"call_id\":" + str(a.call.call_id) + ",\"joined_by\":" + str(by) +
         ",\"parties\":" + std::to_string(a.joined.size() + 3) + "}";
}

} // namespace ringdown::line
