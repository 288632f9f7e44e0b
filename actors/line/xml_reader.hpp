#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ringdown::line {

/// Bounds on one XML document read by `read_xml`; past any of them the
/// document is refused.
struct xml_limits {
  std::size_t bytes_max = 16 * 1024;
  std::size_t depth_max = 8;         ///< element nesting, root = 1
  std::size_t elements_max = 256;    ///< elements in the whole document
  std::size_t attributes_max = 16;   ///< attributes on one element
  std::size_t text_bytes_max = 1024; ///< decoded text of one element or attribute
  std::size_t name_bytes_max = 64;
};

struct xml_attribute {
  std::string name;  ///< qualified, as written (`xmlns:sa`, `entity`)
  std::string value; ///< entities decoded
};

/// One element of a parsed document, namespaces resolved.
struct xml_element {
  std::string ns;         ///< namespace URI of the element ("" when none)
  std::string local_name; ///< name without prefix
  std::vector<xml_attribute> attributes;
  std::string text; ///< character data directly inside (entities, CDATA decoded)
  std::vector<std::unique_ptr<xml_element>> children;

  /// Value of the unprefixed attribute `name`, nullopt when absent.
  [[nodiscard]] std::optional<std::string_view> attribute(std::string_view name) const;
};

struct xml_result {
  std::unique_ptr<xml_element> root; ///< null on error
  std::string error;                 ///< what was wrong and where (byte offset)
};

/// A small, strict, bounded XML 1.0 reader for the documents devices send
/// (dialog-info PUBLISH bodies): elements, attributes, text, CDATA,
/// comments, processing instructions, the five predefined entities and
/// character references, namespaces (xmlns, xmlns:p). Refused: DOCTYPE
/// (so no entity expansion), unknown entities, undeclared prefixes,
/// mismatched tags, control characters, anything past the limits. Never
/// recurses deeper than `depth_max`; never throws on bad input. Stateless;
/// callable from any thread.
xml_result read_xml(std::string_view doc, const xml_limits& limits = {});

} // namespace ringdown::line
