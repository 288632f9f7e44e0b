#include "net/sip/parser.hpp"

#include <cstring>

#include "net/sip/scan.hpp"

namespace ringdown::sip {

namespace {

constexpr std::uint64_t u32_max = 0xFFFFFFFFu;

// First error wins; later ones are ignored so the reason names the cause.
struct outcome {
  parse_result r;
  void fail(parse_error e, int status, std::string_view reason) noexcept {
    if (r.error != parse_error::none)
      return;
    r.error = e;
    r.status = status;
    r.reason = reason;
  }
};

bool is_sp_ht(char c) noexcept {
  return c == ' ' || c == '\t';
}

// Offset of the '\n' ending the logical line starting at `p` (folds
// joined), or `n` when the buffer ends first.
std::size_t logical_line_end(const char* b, std::size_t p, std::size_t n) noexcept {
  for (;;) {
    const void* hit = std::memchr(b + p, '\n', n - p);
    if (hit == nullptr)
      return n;
    const std::size_t e = static_cast<std::size_t>(static_cast<const char*>(hit) - b);
    if (e + 1 < n && is_sp_ht(b[e + 1])) {
      p = e + 1;
      continue;
    }
    return e;
  }
}

bool valid_call_id(std::string_view s) noexcept {
  if (s.empty())
    return false;
  for (char c : s)
    if (scan::is_lws(c) || static_cast<unsigned char>(c) < 0x21 ||
        static_cast<unsigned char>(c) > 0x7E)
      return false;
  return true;
}

// Cheap structural check of a From/To value (RFC 3261 §20.20, §20.39):
// balanced quotes, a closed <...>, and a URI that starts with a scheme.
// The full grammar is checked lazily by name_addr::parse (a full parse
// here costs ~20% of the parse time); `message::from()`/`to()` stay
// optional for the values that pass this check and still break it.
bool address_shape_ok(std::string_view value) noexcept {
  std::string_view s = scan::trim(value);
  if (s.empty())
    return false;
  std::string_view uri;
  if (s[0] == '"') {
    std::size_t i = 1;
    for (; i < s.size() && s[i] != '"'; ++i)
      if (s[i] == '\\')
        ++i;
    if (i >= s.size())
      return false; // unterminated quoted-string
    s = scan::trim_left(s.substr(i + 1));
    if (s.empty() || s[0] != '<')
      return false;
  }
  const std::size_t lt = s.find('<');
  if (lt != std::string_view::npos) {
    const std::size_t gt = s.find('>', lt);
    if (gt == std::string_view::npos)
      return false;
    uri = scan::trim(s.substr(lt + 1, gt - lt - 1));
    if (uri.find('<') != std::string_view::npos)
      return false; // nested name-addr: `<sip:a<sip:b@h>`
  } else {
    uri = scan::trim(s.substr(0, s.find(';')));
  }
  std::size_t i = 0;
  while (i < uri.size() &&
         (scan::is_alnum(uri[i]) || uri[i] == '+' || uri[i] == '-' || uri[i] == '.'))
    ++i;
  return i > 0 && i + 1 < uri.size() && uri[i] == ':' && scan::is_alpha(uri[0]);
}

} // namespace

/// Header fields of a typical request (an INVITE from a phone has 10..16).
constexpr std::size_t typical_field_count = 16;

parse_result parser::parse(std::string_view bytes, message& out) const {
  out.buffer_.assign(bytes.data(), bytes.size());
  return parse_owned(out);
}

parse_result parser::parse_owned(message& m) const {
  m.reset();
  outcome o;
  const char* const b = m.buffer_.data();
  const std::size_t n = m.buffer_.size();
  if (n > limits_.message_bytes_max)
    o.fail(parse_error::too_large, 413, "Request Entity Too Large");
  if (n > 0xFFFF'0000u) { // offsets are 32-bit
    o.r.error = parse_error::too_large;
    return o.r;
  }

  // -- start line (RFC 3261 §7.1, §7.2); CRLFs before it are ignored (§7.5)
  std::size_t pos = 0;
  while (pos < n && (b[pos] == '\r' || b[pos] == '\n'))
    ++pos;
  if (pos == n) {
    o.r = {};
    o.fail(parse_error::empty, 0, "Empty");
    return o.r;
  }
  const void* nl = std::memchr(b + pos, '\n', n - pos);
  if (nl == nullptr) {
    o.fail(parse_error::bad_start_line, 400, "Bad Start Line");
    return o.r;
  }
  const std::size_t sl_end = static_cast<std::size_t>(static_cast<const char*>(nl) - b);
  std::string_view line(b + pos, sl_end - pos);
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  bool start_ok = true;
  const auto off = [b](std::string_view v) {
    return static_cast<std::uint32_t>(v.data() - b);
  };
  const auto len = [](std::string_view v) { return static_cast<std::uint32_t>(v.size()); };

  if (line.size() >= 4 && scan::iequals(line.substr(0, 4), "SIP/")) {
    // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
    if (line.size() < 11 || !scan::iequals(line.substr(0, 8), "SIP/2.0 ") ||
        !scan::is_digit(line[8]) || !scan::is_digit(line[9]) || !scan::is_digit(line[10]) ||
        (line.size() > 11 && line[11] != ' ') || line[8] < '1' || line[8] > '6') {
      o.fail(parse_error::bad_start_line, 400, "Bad Status Line");
      return o.r; // responses are never answered
    }
    m.status_ = static_cast<std::int16_t>((line[8] - '0') * 100 + (line[9] - '0') * 10 +
                                          (line[10] - '0'));
    const std::string_view reason =
        line.size() > 12 ? line.substr(12) : line.substr(line.size());
    m.start_a_off_ = off(reason);
    m.start_a_len_ = len(reason);
    if (line.size() > limits_.line_bytes_max)
      o.fail(parse_error::line_too_long, 400, "Line Too Long");
  } else {
    // Request-Line = Method SP Request-URI SP SIP-Version
    const std::size_t sp1 = line.find(' ');
    const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    const std::string_view method = line.substr(0, sp1);
    const std::string_view ruri = sp2 == std::string_view::npos
                                      ? line.substr(line.size())
                                      : line.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string_view version =
        sp2 == std::string_view::npos ? line.substr(line.size()) : line.substr(sp2 + 1);
    m.start_a_off_ = off(method);
    m.start_a_len_ = len(method);
    m.start_b_off_ = off(ruri);
    m.start_b_len_ = len(ruri);
    m.method_ = method_from(method);
    if (!scan::all_token(method)) {
      o.fail(parse_error::bad_start_line, 400, "Bad Request Line");
      start_ok = false; // not even a request
    } else if (ruri.empty()) {
      o.fail(parse_error::bad_start_line, 400, "Bad Request Line");
    } else if (ruri.size() > limits_.line_bytes_max) {
      o.fail(parse_error::line_too_long, 414, "Request-URI Too Long");
    } else if (auto u = uri::parse(ruri)) {
      m.ruri_ = *u;
    } else if (uri::is_absolute_uri(ruri) && !scan::iequals(ruri.substr(0, 3), "sip") &&
               !scan::iequals(ruri.substr(0, 4), "tel:")) {
      m.ruri_.scheme = uri::scheme_t::other; // 416 is the application's call
      m.ruri_.text = ruri;
    } else {
      o.fail(parse_error::bad_start_line, 400, "Bad Request-URI");
    }
    if (!scan::iequals(version, "SIP/2.0")) {
      const bool looks_sip = version.size() > 4 &&
                             scan::iequals(version.substr(0, 4), "SIP/") &&
                             version.find(' ') == std::string_view::npos;
      if (looks_sip)
        o.fail(parse_error::bad_version, 505, "Version Not Supported");
      else
        o.fail(parse_error::bad_start_line, 400, "Bad Request Line");
    }
    if (line.size() > limits_.line_bytes_max)
      o.fail(parse_error::line_too_long, 400, "Line Too Long");
  }

  // -- header fields (RFC 3261 §7.3) --------------------------------------
  pos = sl_end + 1;
  // One allocation for the field index of a typical message (a fresh
  // message would otherwise grow it 1, 2, 4, 8, 16); a reused one keeps
  // the capacity it has.
  m.fields_.reserve(typical_field_count);
  std::size_t cl_field = SIZE_MAX;
  std::uint8_t seen[static_cast<std::size_t>(header_id::count_)] = {};
  for (;;) {
    if (pos >= n) { // no empty line: a truncated message (RFC 3261 §7)
      m.headers_end_ = static_cast<std::uint32_t>(n);
      m.body_off_ = static_cast<std::uint32_t>(n);
      o.fail(parse_error::bad_header, 400, "Missing Empty Line");
      break;
    }
    if (b[pos] == '\n' || (b[pos] == '\r' && pos + 1 < n && b[pos + 1] == '\n')) {
      m.headers_end_ = static_cast<std::uint32_t>(pos);
      m.body_off_ = static_cast<std::uint32_t>(pos + (b[pos] == '\r' ? 2 : 1));
      break;
    }
    const std::size_t le = logical_line_end(b, pos, n);
    std::size_t p = pos;
    while (p < le && scan::is_token(b[p]))
      ++p;
    const std::size_t name_end = p;
    while (p < le && is_sp_ht(b[p]))
      ++p;
    if (name_end == pos || p == le || b[p] != ':') {
      o.fail(parse_error::bad_header, 400, "Bad Header Line");
      pos = le + 1;
      continue;
    }
    ++p;
    while (p < le && scan::is_lws(b[p]))
      ++p;
    std::size_t ve = le;
    while (ve > p && scan::is_lws(b[ve - 1]))
      --ve;
    if (le - pos > limits_.line_bytes_max)
      o.fail(parse_error::line_too_long, 400, "Header Line Too Long");
    if (m.fields_.size() >= limits_.headers_max)
      o.fail(parse_error::too_many_headers, 400, "Too Many Headers");
    const std::string_view name(b + pos, name_end - pos);
    header_field f;
    f.id = header_id_from(name);
    f.name_off = static_cast<std::uint32_t>(pos);
    f.name_len = static_cast<std::uint16_t>(name.size() > 0xFFFF ? 0xFFFF : name.size());
    f.value_off = static_cast<std::uint32_t>(p);
    f.value_len = static_cast<std::uint32_t>(ve - p);
    auto& count = seen[static_cast<std::size_t>(f.id)];
    if (count < 255)
      ++count;
    if (f.id == header_id::content_length)
      cl_field = m.fields_.size();
    m.fields_.push_back(f);
    pos = le + 1;
  }
  const auto seen_of = [&seen](header_id id) { return seen[static_cast<std::size_t>(id)]; };

  // -- Content-Length and body (RFC 3261 §18.3, §20.14) ---------------------
  if (seen_of(header_id::content_length) > 1) {
    o.fail(parse_error::bad_value, 400, "Multiple Content-Length");
  } else if (cl_field != SIZE_MAX) {
    const auto cl = scan::to_uint(m.value_of(m.fields_[cl_field]), u32_max);
    const std::size_t avail = n - m.body_off_;
    if (!cl) {
      o.fail(parse_error::bad_value, 400, "Bad Content-Length");
    } else if (*cl > avail) {
      o.fail(parse_error::body_length, 400, "Content-Length Exceeds Body");
    } else if (*cl < avail) {
      m.buffer_.resize(m.body_off_ + *cl); // datagram noise dropped (§18.3)
    }
  }

  // -- mandatory fields (RFC 3261 §8.1.1, §8.2.1) ---------------------------
  bool via_ok = false;
  if (seen_of(header_id::via) == 0) {
    o.fail(parse_error::missing_header, 400, "Missing Via");
  } else {
    // Validates the first via_max values (bounds the work; RFC 4475 §3.1.1.7
    // has 34 valid ones, so more is not an error here).
    message::list_cursor c;
    std::string_view v;
    std::size_t vias = 0;
    bool all_ok = true;
    while (vias < limits_.via_max && m.next_value(header_id::via, c, v)) {
      const bool ok = via::parse(v).has_value();
      via_ok = via_ok || (vias == 0 && ok);
      all_ok = all_ok && ok;
      ++vias;
    }
    if (!all_ok)
      o.fail(parse_error::bad_value, 400, "Malformed Via");
  }
  static constexpr struct {
    header_id id;
    std::string_view missing;
    std::string_view multiple;
  } singles[] = {
      {header_id::from, "Missing From", "Multiple From"},
      {header_id::to, "Missing To", "Multiple To"},
      {header_id::call_id, "Missing Call-ID", "Multiple Call-ID"},
      {header_id::cseq, "Missing CSeq", "Multiple CSeq"},
  };
  for (const auto& s : singles) {
    if (seen_of(s.id) == 0)
      o.fail(parse_error::missing_header, 400, s.missing);
    else if (seen_of(s.id) > 1)
      o.fail(parse_error::bad_value, 400, s.multiple);
  }
  if (seen_of(header_id::from) == 1 && !address_shape_ok(m.header(header_id::from)))
    o.fail(parse_error::bad_value, 400, "Malformed From");
  if (seen_of(header_id::to) == 1 &&
      (!address_shape_ok(m.header(header_id::to)) || !m.to()))
    o.fail(parse_error::bad_value, 400, "Malformed To");
  if (seen_of(header_id::call_id) == 1 && !valid_call_id(m.call_id()))
    o.fail(parse_error::bad_value, 400, "Malformed Call-ID");
  if (seen_of(header_id::cseq) == 1) {
    const auto cs = m.cseq();
    if (!cs)
      o.fail(parse_error::bad_value, 400, "Malformed CSeq");
    else if (m.is_request() && cs->method_text != m.method_text())
      o.fail(parse_error::cseq_mismatch, 400, "CSeq Method Mismatch");
  }
  if (seen_of(header_id::max_forwards) > 1)
    o.fail(parse_error::bad_value, 400, "Multiple Max-Forwards");
  else if (seen_of(header_id::max_forwards) == 1 &&
           !scan::to_uint(m.header(header_id::max_forwards), 255))
    o.fail(parse_error::bad_value, 400, "Bad Max-Forwards");
  if (seen_of(header_id::expires) == 1 && !m.expires())
    o.fail(parse_error::bad_value, 400, "Bad Expires");

  o.r.answerable = o.r.error != parse_error::none && m.is_request() && start_ok && via_ok;
  if (!o.r.answerable && o.r.error != parse_error::none && m.is_response())
    o.r.status = 0;
  return o.r;
}

} // namespace ringdown::sip
