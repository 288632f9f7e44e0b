#include "config/provisioning_layout.hpp"

#include <algorithm>
#include <array>

#include "config/schema.hpp"

namespace ringdown::config::layout {

namespace {

using limits = provisioning_limits;

constexpr auto signed_max(std::size_t v) {
  return static_cast<std::int64_t>(v);
}

bool is_alnum(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
}

std::string check_zone_name(std::string_view value) {
  const auto ok = [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-';
  };
  if (!std::all_of(value.begin(), value.end(), ok) || value.starts_with('-'))
    return quoted(value) + " is not a zone name (a-z, 0-9, '-'; not starting with '-')";
  return {};
}

std::string check_name(std::string_view value) {
  const auto ok = [](char ch) {
    return is_alnum(ch) || ch == '.' || ch == '_' || ch == '-';
  };
  if (!std::all_of(value.begin(), value.end(), ok) ||
      (!value.empty() && !is_alnum(value.front())))
    return quoted(value) + " is not a name (letters, digits, '.', '_', '-'; "
                           "starting with a letter or digit)";
  return {};
}

std::string check_printable(std::string_view value) {
  for (char ch : value)
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f)
      return quoted(value) + " has a control character";
  return {};
}

std::string check_ip(std::string_view value) {
  if (!is_ip_literal(value))
    return quoted(value) + " is not an IP literal (IPv4, or IPv6 without brackets)";
  return {};
}

std::string check_prefix(std::string_view value) {
  const auto digits = value.starts_with('+') ? value.substr(1) : value;
  if (digits.empty() || digits.size() > limits::prefix_digits_max ||
      !std::all_of(digits.begin(), digits.end(),
                   [](char ch) { return ch >= '0' && ch <= '9'; }))
    return quoted(value) + " is not a number prefix ('+' then 1.." +
           std::to_string(limits::prefix_digits_max) + " digits, or digits only)";
  return {};
}

/// A URI key that may be absent (its default, "", means none).
std::string check_optional_uri(std::string_view value) {
  return value.empty() ? std::string{} : check_provisioned_uri(value);
}

std::string check_divert_condition(std::string_view value) {
  for (const auto c : divert_conditions)
    if (value == c)
      return {};
  return quoted(value) + " is not a diversion condition (always, busy, no_answer, "
                         "unavailable)";
}

using zone_field = field<zone_def>;
using resource_field = field<resource_def>;
using line_field = field<line_def>;
using trunk_field = field<trunk_def>;

constexpr std::int64_t zone_bytes = signed_max(limits::zone_name_bytes_max);
constexpr std::int64_t name_bytes = signed_max(limits::name_bytes_max);
constexpr std::int64_t uri_bytes = signed_max(limits::uri_bytes_max);
constexpr std::int64_t text_bytes = signed_max(limits::text_bytes_max);

const std::array zone_table{
    zone_field{"name", &zone_def::name, true, 1, zone_bytes, check_zone_name},
    zone_field{"description", &zone_def::description, false, 0, text_bytes,
               check_printable},
};

const std::array resource_table{
    resource_field{"name", &resource_def::name, true, 1, name_bytes, check_name},
    resource_field{"aor", &resource_def::aor, true, 1, uri_bytes, check_provisioned_uri},
    resource_field{"zone", &resource_def::zone, true, 1, zone_bytes, check_zone_name},
    resource_field{"kind", &resource_def::kind},
    resource_field{"password", &resource_def::password, false, 0,
                   signed_max(limits::password_bytes_max), check_printable},
    resource_field{"lines", &resource_def::lines, false, 0,
                   signed_max(limits::lines_per_resource_max), check_provisioned_uri,
                   uri_bytes},
    resource_field{"contacts_max", &resource_def::contacts_max, false, 1, 64},
    resource_field{"display_name", &resource_def::display_name, false, 0, text_bytes,
                   check_printable},
    resource_field{"divert_to", &resource_def::divert_to, false, 0, uri_bytes,
                   check_optional_uri},
    resource_field{"divert_on", &resource_def::divert_on, false, 0, 4,
                   check_divert_condition, 16},
    resource_field{"divert_after_s", &resource_def::divert_after_s, false, 0, 600},
};

const std::array line_table{
    line_field{"uri", &line_def::uri, true, 1, uri_bytes, check_provisioned_uri},
    line_field{"zone", &line_def::zone, true, 1, zone_bytes, check_zone_name},
    line_field{"appearances", &line_def::appearances, false, 1, 32},
    line_field{"private", &line_def::private_line},
    line_field{"barge_allowed", &line_def::barge_allowed},
    line_field{"hold", &line_def::hold},
    line_field{"display_name", &line_def::display_name, false, 0, text_bytes,
               check_printable},
};

const std::array trunk_table{
    trunk_field{"name", &trunk_def::name, true, 1, name_bytes, check_name},
    trunk_field{"zone", &trunk_def::zone, true, 1, zone_bytes, check_zone_name},
    trunk_field{"gateway_host", &trunk_def::gateway_host, true, 1, 45, check_ip},
    trunk_field{"gateway_port", &trunk_def::gateway_port, false, 1, 65535},
    trunk_field{"transport", &trunk_def::transport},
    trunk_field{"prefixes", &trunk_def::prefixes, true, 1,
                signed_max(limits::prefixes_per_trunk_max), check_prefix,
                signed_max(limits::prefix_digits_max) + 1},
    trunk_field{"calls_max", &trunk_def::calls_max, false, 1, 100'000},
};

template <typename E, std::size_t N>
std::string join(const std::array<E, N>& values) {
  std::string out;
  for (const auto v : values)
    out += (out.empty() ? "" : ", ") + std::string{to_string(v)};
  return out;
}

} // namespace

// clang-format off
template <> std::string_view table_name<zone_def>() { return "zone"; }
template <> std::string_view table_name<resource_def>() { return "resource"; }
template <> std::string_view table_name<line_def>() { return "line"; }
template <> std::string_view table_name<trunk_def>() { return "trunk"; }
template <> std::span<const field<zone_def>> fields() { return zone_table; }
template <> std::span<const field<resource_def>> fields() { return resource_table; }
template <> std::span<const field<line_def>> fields() { return line_table; }
template <> std::span<const field<trunk_def>> fields() { return trunk_table; }
// clang-format on

template <typename R>
std::string check_integer(const field<R>& f, std::int64_t value) {
  const key_spec spec{f.key, key_spec::kind::integer, f.min, f.max};
  return config::check_integer(spec, value);
}

template <typename R>
std::string check_text(const field<R>& f, std::string_view value, bool item) {
  const key_spec spec{f.key, key_spec::kind::string, item ? 1 : f.min,
                      item ? f.item_bytes_max : f.max, f.check};
  return config::check_string(spec, value);
}

#define RINGDOWN_INSTANTIATE(R)                                                            \
  template std::string check_integer(const field<R>&, std::int64_t);                       \
  template std::string check_text(const field<R>&, std::string_view, bool);
RINGDOWN_INSTANTIATE(zone_def)
RINGDOWN_INSTANTIATE(resource_def)
RINGDOWN_INSTANTIATE(line_def)
RINGDOWN_INSTANTIATE(trunk_def)
#undef RINGDOWN_INSTANTIATE

std::string check_realm(std::string_view value) {
  const key_spec spec{realm_key, key_spec::kind::string, 1, realm_bytes_max};
  if (auto what = config::check_string(spec, value); !what.empty())
    return what;
  for (char ch : value)
    if (ch < 0x20 || ch == 0x7f || ch == '"' || ch == '\\')
      return quoted(value) + " is not a realm (printable ASCII, no '\"' or '\\')";
  return {};
}

std::string choices(resource_kind*) {
  return join(std::array{resource_kind::turret, resource_kind::phone,
                         resource_kind::softphone, resource_kind::gateway});
}
std::string choices(hold_policy*) {
  return join(std::array{hold_policy::open, hold_policy::private_});
}
std::string choices(trunk_transport*) {
  return join(std::array{trunk_transport::udp, trunk_transport::tcp, trunk_transport::tls});
}

std::string quoted(std::string_view value) {
  std::string out{"\""};
  for (char ch : value.substr(0, 80))
    out += (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ? '?' : ch;
  if (value.size() > 80)
    out += "...";
  return out + '"';
}

} // namespace ringdown::config::layout
