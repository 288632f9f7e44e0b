#include "base/tone_spec.hpp"

#include <algorithm>
#include <charconv>

namespace ringdown::rtp {
namespace {

constexpr std::string_view blanks = " \t";

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(blanks);
  if (first == std::string_view::npos)
    return {};
  return s.substr(first, s.find_last_not_of(blanks) - first + 1);
}

/// The whole of `text` as a decimal integer (an optional sign only when
/// `signed_ok`); false when it is anything else or does not fit.
bool to_int(std::string_view text, bool signed_ok, std::int64_t& out) {
  if (text.starts_with('+') && signed_ok)
    text.remove_prefix(1);
  if (text.empty() || (text.front() == '-' && !signed_ok))
    return false;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc{} && ptr == end;
}

/// One element, `F1[+F2][@LEVEL]/MS`; "" when fine, else the problem.
std::string parse_element(std::string_view text, tone_segment& out) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos || trim(text.substr(slash + 1)).empty())
    return "no duration";
  auto tone = trim(text.substr(0, slash));
  const auto ms_text = trim(text.substr(slash + 1));
  std::int64_t ms = 0;
  if (!to_int(ms_text, false, ms))
    return "'" + std::string{ms_text} + "' is not a duration in ms";
  if (ms < 1 || ms > tone_element_ms_max)
    return "duration " + std::string{ms_text} + " ms is out of range (1.." +
           std::to_string(tone_element_ms_max) + ")";
  out.on_ms = static_cast<std::uint16_t>(ms);
  if (const auto at = tone.find('@'); at != std::string_view::npos) {
    const auto level_text = trim(tone.substr(at + 1));
    std::int64_t level = 0;
    if (!to_int(level_text, true, level))
      return "'" + std::string{level_text} + "' is not a level in dBm0";
    if (level < tone_level_min_dbm0 || level > tone_level_max_dbm0)
      return "level " + std::string{level_text} + " dBm0 is out of range (" +
             std::to_string(tone_level_min_dbm0) + ".." +
             std::to_string(tone_level_max_dbm0) + ")";
    out.level_dbm0 = static_cast<std::int16_t>(level);
    tone = trim(tone.substr(0, at));
  }
  const auto plus = tone.find('+');
  const std::string_view freqs[2] = {
      trim(tone.substr(0, plus)),
      plus == std::string_view::npos ? std::string_view{"0"} : trim(tone.substr(plus + 1))};
  std::uint16_t* fields[2] = {&out.freq1_hz, &out.freq2_hz};
  for (std::size_t i = 0; i < 2; ++i) {
    std::int64_t hz = 0;
    if (!to_int(freqs[i], false, hz))
      return "'" + std::string{freqs[i]} + "' is not a frequency in Hz";
    if (hz > tone_freq_max_hz)
      return "frequency " + std::string{freqs[i]} + " Hz is above " +
             std::to_string(tone_freq_max_hz);
    *fields[i] = static_cast<std::uint16_t>(hz);
  }
  return {};
}

bool audible(const tone_segment& s) noexcept {
  return s.freq1_hz != 0 || s.freq2_hz != 0;
}

} // namespace

bool valid(const tone_spec& spec) noexcept {
  if (spec.cadence.size() > tone_segments_max)
    return false;
  std::uint64_t total_ms = 0;
  for (const tone_segment& s : spec.cadence) {
    if (s.freq1_hz > tone_freq_max_hz || s.freq2_hz > tone_freq_max_hz ||
        s.level_dbm0 < tone_level_min_dbm0 || s.level_dbm0 > tone_level_max_dbm0)
      return false;
    total_ms += std::uint64_t{s.on_ms} + s.off_ms;
  }
  return !spec.repeat || total_ms > 0;
}

bool valid_tone_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > tone_name_bytes_max || name.front() < 'a' ||
      name.front() > 'z')
    return false;
  for (const char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

std::optional<tone_spec> parse_tone(std::string_view name, std::string_view text,
                                    std::string* error) {
  const auto fail = [error](std::string what) -> std::optional<tone_spec> {
    if (error != nullptr)
      *error = std::move(what);
    return std::nullopt;
  };
  tone_spec spec{std::string{name}, {}, true};
  text = trim(text);
  if (text.starts_with('!')) {
    spec.repeat = false;
    text.remove_prefix(1);
  }
  if (trim(text).empty())
    return fail("no elements (F1[+F2][@LEVEL]/MS, comma-separated)");
  std::size_t number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = std::min(text.find(',', start), text.size());
    const auto element = trim(text.substr(start, comma - start));
    start = comma + 1;
    ++number;
    const auto where =
        "element " + std::to_string(number) + " '" + std::string{element} + "': ";
    tone_segment seg;
    if (element.empty())
      return fail(where + "empty");
    if (auto what = parse_element(element, seg); !what.empty())
      return fail(where + what);
    // A silence right after a tone is that tone's off time.
    if (!audible(seg) && !spec.cadence.empty() && audible(spec.cadence.back()) &&
        spec.cadence.back().off_ms == 0) {
      spec.cadence.back().off_ms = seg.on_ms;
      continue;
    }
    if (spec.cadence.size() == tone_segments_max)
      return fail(where + "more than " + std::to_string(tone_segments_max) + " segments");
    spec.cadence.push_back(seg);
  }
  if (!valid(spec))
    return fail("not playable");
  return spec;
}

} // namespace ringdown::rtp
