#include "net/sdp/direction.hpp"

#include <algorithm>

namespace ringdown::sdp {

std::string_view to_string(direction d) noexcept {
  switch (d) {
  case direction::sendrecv:
    return "sendrecv";
  case direction::sendonly:
    return "sendonly";
  case direction::recvonly:
    return "recvonly";
  case direction::inactive:
    return "inactive";
  }
  return "sendrecv";
}

std::optional<direction> parse_direction(std::string_view name) noexcept {
  if (name == "sendrecv")
    return direction::sendrecv;
  if (name == "sendonly")
    return direction::sendonly;
  if (name == "recvonly")
    return direction::recvonly;
  if (name == "inactive")
    return direction::inactive;
  return std::nullopt;
}

direction make_direction(bool send, bool receive) noexcept {
  if (send)
    return receive ? direction::sendrecv : direction::sendonly;
  return receive ? direction::recvonly : direction::inactive;
}

direction reverse(direction d) noexcept {
  return make_direction(receives(d), sends(d));
}

std::optional<direction> find_direction(const std::vector<attribute>& attrs) noexcept {
  std::optional<direction> found;
  for (const auto& a : attrs)
    if (!a.value)
      if (auto d = parse_direction(a.name))
        found = d;
  return found;
}

direction session_direction(const session& s) noexcept {
  return find_direction(s.attributes).value_or(direction::sendrecv);
}

direction media_direction(const session& s, const media& m) noexcept {
  if (auto d = find_direction(m.attributes))
    return *d;
  return session_direction(s);
}

void set_direction(std::vector<attribute>& attrs, direction d) {
  std::erase_if(attrs, [](const attribute& a) {
    return !a.value && parse_direction(a.name).has_value();
  });
  attrs.push_back(attribute{std::string(to_string(d)), std::nullopt});
}

} // namespace ringdown::sdp
