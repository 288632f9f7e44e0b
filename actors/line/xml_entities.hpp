#pragma once

#include <string>
#include <string_view>

namespace ringdown::line {

/// Decodes the XML reference `ref` (the text between `&` and `;`): one of
/// the five predefined entities or a character reference (`#65`, `#x41`)
/// to a character XML 1.0 allows, appended to `out` as UTF-8. Returns
/// nullptr on success, else what is wrong. Used by xml_reader only.
const char* decode_xml_reference(std::string_view ref, std::string& out);

} // namespace ringdown::line
