// RFC 7463 §5.2/§6 appearance seizure by PUBLISH (RFC 3903), and its timer.
#include <algorithm>
#include <chrono>

#include "actors/line/line_stm.hpp"

namespace ringdown::line {

outcome line_stm::published(const published_dialog_info& info, std::string_view by,
                            std::uint32_t expires_s, time_point now) {
  if (!is_holder(by))
    return no(by, 403, "Not a holder of the line");
  outcome out;
  if (expires_s == 0) { // RFC 3903 §4.5: removal of the publication
    for (slot& s : slots_)
      if (s.a.seized_only && s.a.owner == by)
        out = release(s, std::move(out));
    out.status = 200;
    return out;
  }
  if (info.dialogs.empty()) { // RFC 3903 §4.3 refresh: the seizes last longer
    for (slot& s : slots_)
      if (s.a.seized_only && s.a.owner == by) {
        s.seize_deadline = now + std::chrono::seconds(std::min(expires_s, seize_max_s));
        out.fx.emplace_back(arm_timer{s.a.number, *s.seize_deadline});
        out.appearance = s.a.number;
      }
    out.etag = "L" + std::to_string(version_) + "-" + std::to_string(out.appearance);
    return out;
  }
  // Check every dialog first so a refused PUBLISH changes nothing.
  for (const published_dialog& d : info.dialogs) {
    if (d.state != dialog_state::trying)
      continue;
    if (d.appearance) {
      if (*d.appearance < 1 || *d.appearance > slots_.size())
        return no(by, 400, "No such appearance");
      const slot& s = slots_[*d.appearance - 1];
      const bool own_refresh =
          s.a.seized_only && s.a.owner == by && s.publish_dialog_id == d.id;
      if (s.a.state != appearance_state::idle && !own_refresh)
        return no(by, 400, "Appearance in use");
    }
  }
  for (const published_dialog& d : info.dialogs) {
    outcome one = publish_one(d, by, expires_s, now);
    if (!one.ok())
      return one; // only when no appearance is idle: nothing changed before
    for (effect& e : one.fx)
      out.fx.push_back(std::move(e));
    if (one.appearance != 0)
      out.appearance = one.appearance;
  }
  out.etag = "L" + std::to_string(version_) + "-" + std::to_string(out.appearance);
  return out;
}

outcome line_stm::publish_one(const published_dialog& d, std::string_view by,
                              std::uint32_t expires_s, time_point now) {
  if (d.state == dialog_state::terminated) {
    for (slot& s : slots_)
      if (s.a.seized_only && s.a.owner == by && s.publish_dialog_id == d.id)
        return release(s, outcome{});
    return outcome{};
  }
  if (d.state != dialog_state::trying)
    return outcome{}; // informational: the B2BUA tracks its calls itself
  slot* s = nullptr;
  if (d.appearance) {
    s = &slots_[*d.appearance - 1];
  } else {
    for (slot& x : slots_)
      if (x.a.seized_only && x.a.owner == by && x.publish_dialog_id == d.id)
        s = &x;
    if (s == nullptr)
      s = first_idle();
    if (s == nullptr)
      return no(by, 400, "No idle appearance");
  }
  outcome out;
  const bool refresh = s->a.seized_only && s->a.owner == by;
  if (!refresh) {
    occupy(*s);
    s->a.state = appearance_state::busy;
    s->a.seized_only = true;
    s->a.outgoing = true;
    s->a.owner = std::string(by);
    s->publish_dialog_id = d.id;
  }
  const std::uint32_t hold_s = std::min(expires_s, seize_max_s);
  s->seize_deadline = now + std::chrono::seconds(hold_s);
  out.fx.emplace_back(arm_timer{s->a.number, *s->seize_deadline});
  if (refresh) {
    out.appearance = s->a.number;
    return out;
  }
  return changed(*s, std::move(out));
}

bool line_stm::restore(const line_snapshot& saved, time_point now, effects& out) {
  if (saved.uri != def_.uri || saved.appearances.size() != slots_.size())
    return false;
  for (std::size_t i = 0; i < slots_.size(); ++i)
    if (saved.appearances[i].number != i + 1)
      return false;
  version_ = saved.version;
  dialog_seq_ = 0;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    slot& s = slots_[i];
    s = slot{};
    s.a = saved.appearances[i];
    dialog_seq_ = std::max(dialog_seq_, s.a.dialog_seq);
    if (s.a.seized_only) {
      s.seize_deadline = now + std::chrono::seconds(seize_max_s);
      out.emplace_back(arm_timer{s.a.number, *s.seize_deadline});
    }
  }
  return true;
}

outcome line_stm::on_timer(std::uint32_t appearance, time_point now) {
  if (appearance < 1 || appearance > slots_.size())
    return outcome{};
  slot& s = slots_[appearance - 1];
  // A timer that outlived its seize (dialled, released, re-armed) is stale.
  if (!s.a.seized_only || !s.seize_deadline || now < *s.seize_deadline)
    return outcome{};
  s.seize_deadline.reset();
  return release(s, outcome{});
}

} // namespace ringdown::line
