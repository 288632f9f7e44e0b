// XML 1.0 §4.1 references: predefined entities and character references.
#include "actors/line/xml_entities.hpp"

#include <cstdint>

namespace ringdown::line {

namespace {

void put_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

} // namespace

const char* decode_xml_reference(std::string_view ref, std::string& out) {
  if (ref == "lt")
    out.push_back('<');
  else if (ref == "gt")
    out.push_back('>');
  else if (ref == "amp")
    out.push_back('&');
  else if (ref == "quot")
    out.push_back('"');
  else if (ref == "apos")
    out.push_back('\'');
  else if (ref.size() >= 2 && ref[0] == '#') {
    const bool hex = ref[1] == 'x';
    const std::string_view digits = ref.substr(hex ? 2 : 1);
    if (digits.empty())
      return "bad character reference";
    std::uint32_t cp = 0;
    for (char c : digits) {
      std::uint32_t d = 0;
      if (c >= '0' && c <= '9')
        d = static_cast<std::uint32_t>(c - '0');
      else if (hex && c >= 'a' && c <= 'f')
        d = static_cast<std::uint32_t>(c - 'a' + 10);
      else if (hex && c >= 'A' && c <= 'F')
        d = static_cast<std::uint32_t>(c - 'A' + 10);
      else
        return "bad character reference";
      cp = cp * (hex ? 16 : 10) + d;
      if (cp > 0x10FFFF)
        return "character reference out of range";
    }
    if ((cp < 0x20 && cp != 0x9 && cp != 0xA && cp != 0xD) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
      return "character reference not allowed";
    put_utf8(out, cp);
  } else {
    return "unknown entity";
  }
  return nullptr;
}

} // namespace ringdown::line
