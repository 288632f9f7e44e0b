#include "net/sip/method.hpp"

#include <array>
#include <utility>

namespace ringdown::sip {

namespace {
constexpr std::array<std::pair<std::string_view, method>, 14> table{{
    {"INVITE", method::invite},
    {"ACK", method::ack},
    {"BYE", method::bye},
    {"CANCEL", method::cancel},
    {"OPTIONS", method::options},
    {"REGISTER", method::register_},
    {"PRACK", method::prack},
    {"SUBSCRIBE", method::subscribe},
    {"NOTIFY", method::notify},
    {"PUBLISH", method::publish},
    {"INFO", method::info},
    {"REFER", method::refer},
    {"MESSAGE", method::message},
    {"UPDATE", method::update},
}};
} // namespace

method method_from(std::string_view token) noexcept {
  for (const auto& [name, m] : table)
    if (name == token)
      return m;
  return method::unknown;
}

std::string_view to_string(method m) noexcept {
  for (const auto& [name, value] : table)
    if (value == m)
      return name;
  return {};
}

} // namespace ringdown::sip
