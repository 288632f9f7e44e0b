#include "net/sip/message.hpp"

#include <algorithm>
#include <limits>

#include "net/sip/parser.hpp"
#include "net/sip/scan.hpp"

namespace ringdown::sip {

namespace {

// Moves every view of `u` from buffer `from` to buffer `to`.
void rebase(uri& u, const char* from, const char* to) noexcept {
  if (from == to)
    return;
  const auto shift = [from, to](std::string_view v) {
    return v.data() == nullptr ? v : std::string_view(to + (v.data() - from), v.size());
  };
  u.user = shift(u.user);
  u.password = shift(u.password);
  u.host = shift(u.host);
  u.params = param_list(shift(u.params.text()));
  u.headers = shift(u.headers);
  u.text = shift(u.text);
}

std::optional<std::uint32_t> to_u32(std::string_view v) noexcept {
  const auto r = scan::to_uint(v, std::numeric_limits<std::uint32_t>::max());
  if (!r)
    return std::nullopt;
  return static_cast<std::uint32_t>(*r);
}

// Bounds-checked view of the buffer: never throws, empty when out of range.
std::string_view slice(const std::string& b, std::size_t off, std::size_t len) noexcept {
  if (off > b.size())
    return {};
  return std::string_view(b).substr(off, std::min(len, b.size() - off));
}

} // namespace

message::message(const message& other)
    : buffer_(other.buffer_), fields_(other.fields_), ruri_(other.ruri_),
      start_a_off_(other.start_a_off_), start_a_len_(other.start_a_len_),
      start_b_off_(other.start_b_off_), start_b_len_(other.start_b_len_),
      headers_end_(other.headers_end_), body_off_(other.body_off_), status_(other.status_),
      method_(other.method_) {
  rebase(ruri_, other.buffer_.data(), buffer_.data());
}

message& message::operator=(const message& other) {
  if (this != &other) {
    message copy(other);
    *this = std::move(copy);
  }
  return *this;
}

message::message(message&& other) noexcept {
  *this = std::move(other);
}

message& message::operator=(message&& other) noexcept {
  if (this == &other)
    return *this;
  const char* const old = other.buffer_.data();
  buffer_ = std::move(other.buffer_);
  fields_ = std::move(other.fields_);
  ruri_ = other.ruri_;
  rebase(ruri_, old, buffer_.data());
  start_a_off_ = other.start_a_off_;
  start_a_len_ = other.start_a_len_;
  start_b_off_ = other.start_b_off_;
  start_b_len_ = other.start_b_len_;
  headers_end_ = other.headers_end_;
  body_off_ = other.body_off_;
  status_ = other.status_;
  method_ = other.method_;
  other.reset();
  other.buffer_.clear();
  return *this;
}

message::~message() = default;

void message::reset() noexcept {
  fields_.clear();
  ruri_ = {};
  start_a_off_ = start_a_len_ = start_b_off_ = start_b_len_ = 0;
  headers_end_ = body_off_ = 0;
  status_ = 0;
  method_ = sip::method::unknown;
}

std::string_view message::method_text() const noexcept {
  if (status_ != 0)
    return {};
  return slice(buffer_, start_a_off_, start_a_len_);
}

std::string_view message::request_uri_text() const noexcept {
  if (status_ != 0)
    return {};
  return slice(buffer_, start_b_off_, start_b_len_);
}

std::string_view message::reason_phrase() const noexcept {
  if (status_ == 0)
    return {};
  return slice(buffer_, start_a_off_, start_a_len_);
}

std::string_view message::name_of(const header_field& f) const noexcept {
  return slice(buffer_, f.name_off, f.name_len);
}

std::string_view message::value_of(const header_field& f) const noexcept {
  return slice(buffer_, f.value_off, f.value_len);
}

std::size_t message::find_field(std::string_view name, bool last) const noexcept {
  const header_id id = header_id_from(name);
  std::size_t found = std::string_view::npos;
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    const header_field& f = fields_[i];
    if (f.id != id || (id == header_id::other && !scan::iequals(name_of(f), name)))
      continue;
    found = i;
    if (!last)
      break;
  }
  return found;
}

std::string_view message::header(header_id id) const noexcept {
  for (const header_field& f : fields_)
    if (f.id == id)
      return value_of(f);
  return {};
}

std::string_view message::header(std::string_view name) const noexcept {
  const std::size_t i = find_field(name, false);
  return i == std::string_view::npos ? std::string_view{} : value_of(fields_[i]);
}

std::size_t message::count(header_id id) const noexcept {
  std::size_t c = 0;
  for (const header_field& f : fields_)
    c += f.id == id ? 1 : 0;
  return c;
}

bool message::next_value(header_id id, list_cursor& c,
                         std::string_view& out) const noexcept {
  for (;;) {
    if (!c.started) {
      while (c.field < fields_.size() && fields_[c.field].id != id)
        ++c.field;
      if (c.field >= fields_.size())
        return false;
      c.rest = value_of(fields_[c.field]);
      c.started = true;
      // An empty field is one empty element.
      if (c.rest.empty()) {
        ++c.field;
        c.started = false;
        out = {};
        return true;
      }
    }
    if (c.rest.data() == nullptr) {
      ++c.field;
      c.started = false;
      continue;
    }
    const std::size_t comma = scan::find_unquoted(c.rest, ',');
    if (comma == std::string_view::npos) {
      out = scan::trim(c.rest);
      c.rest = std::string_view{};
    } else {
      out = scan::trim(c.rest.substr(0, comma));
      c.rest = c.rest.substr(comma + 1);
    }
    return true;
  }
}

std::optional<sip::via> message::top_via() const noexcept {
  list_cursor c;
  std::string_view v;
  if (!next_value(header_id::via, c, v))
    return std::nullopt;
  return via::parse(v);
}

std::optional<name_addr> message::from() const noexcept {
  return name_addr::parse(header(header_id::from));
}

std::optional<name_addr> message::to() const noexcept {
  return name_addr::parse(header(header_id::to));
}

std::string_view message::call_id() const noexcept {
  return header(header_id::call_id);
}

std::optional<sip::cseq> message::cseq() const noexcept {
  return cseq::parse(header(header_id::cseq));
}

std::optional<std::uint32_t> message::max_forwards() const noexcept {
  return to_u32(header(header_id::max_forwards));
}

std::optional<std::uint32_t> message::expires() const noexcept {
  return to_u32(header(header_id::expires));
}

std::optional<std::uint32_t> message::content_length() const noexcept {
  return to_u32(header(header_id::content_length));
}

std::optional<token_params> message::content_type() const noexcept {
  return token_params::parse(header(header_id::content_type));
}

std::vector<std::string_view> message::values(header_id id) const {
  std::vector<std::string_view> out;
  list_cursor c;
  std::string_view v;
  while (next_value(id, c, v))
    if (!v.empty())
      out.push_back(v);
  return out;
}

std::vector<contact> message::contacts() const {
  std::vector<contact> out;
  list_cursor c;
  std::string_view v;
  while (next_value(header_id::contact, c, v))
    if (auto parsed = contact::parse(v))
      out.push_back(*parsed);
  return out;
}

namespace {
std::vector<name_addr> name_addrs(const message& m, header_id id) {
  std::vector<name_addr> out;
  for (std::string_view v : m.values(id))
    if (auto parsed = name_addr::parse(v))
      out.push_back(*parsed);
  return out;
}
} // namespace

std::vector<name_addr> message::routes() const {
  return name_addrs(*this, header_id::route);
}

std::vector<name_addr> message::record_routes() const {
  return name_addrs(*this, header_id::record_route);
}

bool message::lists_token(header_id id, std::string_view token) const {
  list_cursor c;
  std::string_view v;
  while (next_value(id, c, v))
    if (scan::iequals(v, token))
      return true;
  return false;
}

std::string_view message::body() const noexcept {
  if (body_off_ >= buffer_.size())
    return {};
  return slice(buffer_, body_off_, buffer_.size());
}

std::string message::serialize() const {
  return buffer_;
}

void message::serialize_to(std::string& out) const {
  out.append(buffer_);
}

} // namespace ringdown::sip
