#include "net/sdp/hold.hpp"

#include <algorithm>

#include "net/sdp/direction.hpp"

namespace ringdown::sdp {
namespace {

void drop_session_direction(session& s) {
  std::erase_if(s.attributes, [](const attribute& a) {
    return !a.value && parse_direction(a.name).has_value();
  });
}

/// Sets every active stream to `f(current direction)`; session level cleared.
template <typename F>
session redirect(session s, F f) {
  std::vector<direction> now;
  now.reserve(s.media.size());
  for (const auto& m : s.media)
    now.push_back(media_direction(s, m));
  drop_session_direction(s);
  for (std::size_t i = 0; i < s.media.size(); ++i)
    if (s.media[i].port != 0)
      set_direction(s.media[i].attributes, f(now[i]));
  return s;
}

/// RFC 6337 §5.3: we stop receiving, keep sending if we did.
direction held(direction d) noexcept {
  return make_direction(sends(d), false);
}

} // namespace

bool is_held(const session& s, const media& m) noexcept {
  if (m.port == 0)
    return false;
  const auto d = media_direction(s, m);
  if (d == direction::sendonly || d == direction::inactive)
    return true;
  const auto* c = effective_connection(s, m);
  return c && c->address == "0.0.0.0";
}

bool is_hold_offer(const session& s) noexcept {
  bool any_active = false;
  for (const auto& m : s.media) {
    if (m.port == 0)
      continue;
    any_active = true;
    if (!is_held(s, m))
      return false;
  }
  return any_active;
}

session make_hold(session s) {
  s = redirect(std::move(s), held);
  increment_version(s.origin);
  return s;
}

session make_hold(session s, origin_state& origin) {
  s = redirect(std::move(s), held);
  s.origin = origin.next();
  return s;
}

session make_resume(session s) {
  s = redirect(std::move(s), [](direction) { return direction::sendrecv; });
  increment_version(s.origin);
  return s;
}

session make_resume(session s, origin_state& origin) {
  s = redirect(std::move(s), [](direction) { return direction::sendrecv; });
  s.origin = origin.next();
  return s;
}

} // namespace ringdown::sdp
