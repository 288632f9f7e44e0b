#include <string>
#include <utility>

#include "net/sdp/fields.hpp"
#include "net/sdp/session.hpp"
#include "net/sdp/text.hpp"

namespace ringdown::sdp {
namespace {

/// One pass over the lines of a body, RFC 8866 §5 grammar: v, o, s first and
/// in that order; the other session lines in any order (written back in the
/// RFC's order); after the first m= only i, c, b, k and a.
class parser {
public:
  parser(const limits& lim, std::string* error) : lim_(lim), error_(error) {}

  std::optional<session> run(std::string_view text) {
    if (text.size() > lim_.size_max) {
      if (error_)
        *error_ = "SDP body of " + std::to_string(text.size()) +
                  " bytes exceeds the limit of " + std::to_string(lim_.size_max);
      return std::nullopt;
    }
    std::size_t pos = 0;
    while (pos < text.size()) {
      auto end = text.find('\n', pos);
      if (end == std::string_view::npos)
        end = text.size();
      auto raw = text.substr(pos, end - pos);
      pos = end + 1;
      ++line_no_;
      if (!raw.empty() && raw.back() == '\r')
        raw.remove_suffix(1);
      line_ = raw;
      if (text::trim(raw).empty())
        continue; // tolerated: blank lines, e.g. an extra CRLF at the end
      if (!on_line(raw))
        return std::nullopt;
    }
    if (stage_ == stage::want_v)
      return fail_whole("empty SDP: no v= line");
    if (stage_ != stage::session && stage_ != stage::media)
      return fail_whole(stage_ == stage::want_o ? "missing o= line" : "missing s= line");
    if (s_.timings.empty())
      return fail_whole("missing t= line");
    // RFC 8866 §5.7 wants a c= for every stream; a rejected one (port 0)
    // without it is tolerated.
    if (!s_.connection) {
      for (std::size_t i = 0; i < s_.media.size(); ++i)
        if (s_.media[i].connections.empty() && s_.media[i].port != 0) {
          line_no_ = media_lines_[i].first;
          line_ = media_lines_[i].second;
          fail("media section has no c= line and the session has none");
          return std::nullopt;
        }
    }
    return std::move(s_);
  }

private:
  enum class stage { want_v, want_o, want_s, session, media };

  bool on_line(std::string_view raw) {
    if (raw.size() > lim_.line_length_max)
      return fail("line longer than " + std::to_string(lim_.line_length_max) + " bytes");
    if (raw.size() < 2 || raw[1] != '=' || raw[0] < 'a' || raw[0] > 'z')
      return fail("not a <type>=<value> line");
    for (char c : raw)
      if (c == '\0' || c == '\r')
        return fail("control character inside the line");
    const char type = raw[0];
    const auto value = raw.substr(2);
    switch (stage_) {
    case stage::want_v:
      if (type != 'v')
        return fail("expected v= as the first line");
      if (text::trim_right(value) != "0")
        return fail("unsupported protocol version");
      stage_ = stage::want_o;
      return true;
    case stage::want_o:
      if (type != 'o')
        return fail("expected o= after v=");
      stage_ = stage::want_s;
      return check(fields::parse_origin(text::trim_right(value), s_.origin));
    case stage::want_s:
      if (type != 's')
        return fail("expected s= after o=");
      s_.name = std::string(value);
      stage_ = stage::session;
      return true;
    case stage::session:
      return session_line(type, value);
    case stage::media:
      return media_line(type, value);
    }
    return false;
  }

  bool session_line(char type, std::string_view raw_value) {
    const auto value = text::trim_right(raw_value);
    switch (type) {
    case 'i':
      if (s_.information)
        return fail("duplicate i= line");
      s_.information = std::string(raw_value);
      return true;
    case 'u':
      if (s_.uri || value.empty())
        return fail(value.empty() ? "empty u= line" : "duplicate u= line");
      s_.uri = std::string(value);
      return true;
    case 'e':
    case 'p': {
      auto& list = type == 'e' ? s_.emails : s_.phones;
      if (value.empty())
        return fail("empty e=/p= line");
      if (list.size() >= lim_.contacts_max)
        return fail("too many e=/p= lines");
      list.emplace_back(value);
      return true;
    }
    case 'c':
      if (s_.connection)
        return fail("duplicate session-level c= line");
      s_.connection.emplace();
      return check(fields::parse_connection(value, *s_.connection));
    case 'b':
      return add_bandwidth(s_.bandwidths, value);
    case 't': {
      if (s_.timings.size() >= lim_.timings_max)
        return fail("too many t= lines");
      return check(fields::parse_timing(value, s_.timings.emplace_back()));
    }
    case 'r': {
      if (s_.timings.empty())
        return fail("r= line before any t= line");
      auto& reps = s_.timings.back().repeats;
      if (reps.size() >= lim_.repeats_max)
        return fail("too many r= lines");
      return check(fields::parse_repeat(value, reps.emplace_back()));
    }
    case 'z':
      if (!s_.zones.empty())
        return fail("duplicate z= line");
      return check(fields::parse_zones(value, s_.zones));
    case 'k':
      if (s_.key)
        return fail("duplicate k= line");
      s_.key = std::string(value);
      return true;
    case 'a':
      return add_attribute(s_.attributes, value);
    case 'm':
      return start_media(value);
    case 'v':
    case 'o':
    case 's':
      return fail("duplicate line");
    default:
      return fail("unknown line type");
    }
  }

  bool media_line(char type, std::string_view raw_value) {
    const auto value = text::trim_right(raw_value);
    auto& m = s_.media.back();
    switch (type) {
    case 'i':
      if (m.information)
        return fail("duplicate i= line in media section");
      m.information = std::string(raw_value);
      return true;
    case 'c':
      if (m.connections.size() >= lim_.connections_max)
        return fail("too many c= lines in media section");
      return check(fields::parse_connection(value, m.connections.emplace_back()));
    case 'b':
      return add_bandwidth(m.bandwidths, value);
    case 'k':
      if (m.key)
        return fail("duplicate k= line in media section");
      m.key = std::string(value);
      return true;
    case 'a':
      return add_attribute(m.attributes, value);
    case 'm':
      return start_media(value);
    case 'v':
    case 'o':
    case 's':
    case 'u':
    case 'e':
    case 'p':
    case 't':
    case 'r':
    case 'z':
      return fail("session-level line inside a media section");
    default:
      return fail("unknown line type");
    }
  }

  bool start_media(std::string_view value) {
    if (s_.timings.empty())
      return fail("m= line before any t= line");
    if (s_.media.size() >= lim_.media_max)
      return fail("more than " + std::to_string(lim_.media_max) + " media sections");
    stage_ = stage::media;
    media_lines_.emplace_back(line_no_, line_);
    return check(fields::parse_media(value, lim_.formats_max, s_.media.emplace_back()));
  }

  bool add_bandwidth(std::vector<bandwidth>& list, std::string_view value) {
    if (list.size() >= lim_.bandwidths_max)
      return fail("too many b= lines");
    return check(fields::parse_bandwidth(value, list.emplace_back()));
  }

  bool add_attribute(std::vector<attribute>& list, std::string_view value) {
    if (list.size() >= lim_.attributes_max)
      return fail("more than " + std::to_string(lim_.attributes_max) +
                  " attributes in one section");
    return check(fields::parse_attribute(value, list.emplace_back()));
  }

  /// `why` empty means the field parser accepted the value.
  bool check(std::string_view why) { return why.empty() ? true : fail(why); }

  bool fail(std::string_view why) {
    if (error_) {
      constexpr std::size_t shown_max = 80;
      std::string shown;
      for (char c : line_.substr(0, shown_max))
        shown += (c >= 0x20 && c < 0x7f) ? c : '?';
      if (line_.size() > shown_max)
        shown += "...";
      *error_ =
          "line " + std::to_string(line_no_) + " \"" + shown + "\": " + std::string(why);
    }
    return false;
  }

  std::nullopt_t fail_whole(const std::string& why) {
    if (error_)
      *error_ = "end of SDP after line " + std::to_string(line_no_) + ": " + why;
    return std::nullopt;
  }

  const limits& lim_;
  std::string* error_;
  session s_;
  stage stage_ = stage::want_v;
  std::size_t line_no_ = 0;
  std::string_view line_;
  std::vector<std::pair<std::size_t, std::string_view>> media_lines_;
};

} // namespace

std::optional<session> parse(std::string_view text, const limits& lim, std::string* error) {
  return parser{lim, error}.run(text);
}

std::optional<session> parse(std::string_view text, std::string* error) {
  static const limits defaults{};
  return parse(text, defaults, error);
}

} // namespace ringdown::sdp
