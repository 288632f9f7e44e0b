#include <string>

#include <catch2/catch.hpp>

#include "actors/line/dialog_info_parser.hpp"
#include "actors/line/xml_reader.hpp"
#include "base/random.hpp"

using namespace ringdown::line;

namespace {

const std::string good =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!-- published by a turret -->\n"
    "<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\"\n"
    "    xmlns:sa=\"urn:ietf:params:xml:ns:sa-dialog-info\"\n"
    "    version=\"7\" state=\"partial\" entity=\"sip:desk1@ringdown.test\">\n"
    "  <dialog id=\"x1\" call-id=\"abc@host\" direction=\"initiator\">\n"
    "    <sa:appearance>2</sa:appearance>\n"
    "    <sa:exclusive>true</sa:exclusive>\n"
    "    <state event=\"seize\">trying</state>\n"
    "    <local><target uri=\"sip:desk1@ringdown.test\"/></local>\n"
    "  </dialog>\n"
    "</dialog-info>\n";

std::string nested(std::size_t depth) {
  std::string s;
  for (std::size_t i = 0; i < depth; ++i)
    s += "<a>";
  for (std::size_t i = 0; i < depth; ++i)
    s += "</a>";
  return s;
}

std::string wrap(std::string_view dialogs) {
  return "<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" "
         "xmlns:sa=\"urn:ietf:params:xml:ns:sa-dialog-info\" version=\"1\" "
         "state=\"full\" entity=\"sip:l@x.test\">" +
         std::string(dialogs) + "</dialog-info>";
}

} // namespace

TEST_CASE("parser reads the published subset", "[line][parser]") {
  const auto r = parse_dialog_info(good);
  REQUIRE(r.info);
  CHECK(r.error.empty());
  CHECK(r.info->entity == "sip:desk1@ringdown.test");
  CHECK(r.info->version == 7);
  CHECK_FALSE(r.info->full);
  REQUIRE(r.info->dialogs.size() == 1);
  const published_dialog& d = r.info->dialogs[0];
  CHECK(d.id == "x1");
  CHECK(d.call_id == "abc@host");
  CHECK(d.state == dialog_state::trying);
  CHECK(d.appearance == 2u);
  CHECK(d.exclusive == true);
}

TEST_CASE("parser resolves namespaces not prefixes", "[line][parser]") {
  // Any prefix bound to the RFC 7463 namespace works; sa: bound elsewhere does not.
  const auto r = parse_dialog_info(wrap(
      "<dialog id=\"1\" xmlns:q=\"urn:ietf:params:xml:ns:sa-dialog-info\">"
      "<q:appearance>3</q:appearance><state>confirmed</state></dialog>"
      "<dialog id=\"2\" xmlns:sa=\"urn:example:other\"><sa:appearance>4</sa:appearance>"
      "<state>early</state></dialog>"));
  REQUIRE(r.info);
  REQUIRE(r.info->dialogs.size() == 2);
  CHECK(r.info->dialogs[0].appearance == 3u);
  CHECK_FALSE(r.info->dialogs[1].appearance.has_value());
  CHECK(r.info->dialogs[1].state == dialog_state::early);
}

TEST_CASE("parser decodes entities CDATA and character references", "[line][parser]") {
  const auto x =
      read_xml("<r a=\"&lt;&#65;&#x42;&amp;&quot;&apos;\">x<![CDATA[<&>]]>&#x20AC;</r>");
  REQUIRE(x.root);
  CHECK(x.root->attribute("a") == std::optional<std::string_view>("<AB&\"'"));
  CHECK(x.root->text == "x<&>\xE2\x82\xAC");
}

TEST_CASE("parser refuses malformed documents", "[line][parser]") {
  const char* bad[] = {
      "",
      "   ",
      "<dialog-info",
      "<r></s>",
      "<r a=\"1\" a=\"2\"/>",
      "<r a=1/>",
      "<r>&bogus;</r>",
      "<r>&#0;</r>",
      "<r>&#xD800;</r>",
      "<r>&#99999999999;</r>",
      "<p:r/>",
      "<r/><r/>",
      "<r>\x01</r>",
      "<r><!-- open</r>",
      "<r><![CDATA[ open</r>",
      "<!DOCTYPE r [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><r>&b;</r>",
      "<r><!ENTITY x \"y\"></r>",
      "<1r/>",
      "<r:/>",
  };
  for (const char* doc : bad) {
    CAPTURE(doc);
    const auto x = read_xml(doc);
    CHECK_FALSE(x.root);
    CHECK_FALSE(x.error.empty());
  }
}

TEST_CASE("parser refuses documents that are not valid dialog-info", "[line][parser]") {
  const std::string bad[] = {
      "<dialog-info version=\"1\" state=\"full\" entity=\"e\"/>", // no namespace
      "<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" state=\"full\" "
      "entity=\"e\"/>", // no version
      "<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" version=\"-1\" "
      "state=\"full\" entity=\"e\"/>",
      "<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" version=\"1\" "
      "state=\"some\" entity=\"e\"/>",
      wrap("<dialog><state>trying</state></dialog>"),           // no id
      wrap("<dialog id=\"1\"></dialog>"),                       // no state
      wrap("<dialog id=\"1\"><state>ringing</state></dialog>"), // bad state
      wrap("<dialog id=\"1\"><state>early</state><state>early</state></dialog>"),
      wrap(
          "<dialog id=\"1\"><state>early</state><sa:appearance>x</sa:appearance></dialog>"),
      wrap("<dialog id=\"1\"><state>early</state><sa:appearance>99999999</sa:appearance>"
           "</dialog>"),
      wrap("<dialog id=\"1\"><state>early</state><sa:exclusive>maybe</sa:exclusive>"
           "</dialog>"),
  };
  for (const std::string& doc : bad) {
    CAPTURE(doc);
    const auto r = parse_dialog_info(doc);
    CHECK_FALSE(r.info);
    CHECK_FALSE(r.error.empty());
  }
}

TEST_CASE("parser survives hostile inputs", "[line][parser][hostile]") {
  SECTION("deep nesting") {
    const auto x = read_xml(nested(100'000), xml_limits{1 << 20, 8, 1 << 20, 16, 1024, 64});
    CHECK_FALSE(x.root);
    CHECK(x.error.find("deep") != std::string::npos);
    CHECK(read_xml(nested(8)).root);
    CHECK_FALSE(read_xml(nested(9)).root);
  }
  SECTION("huge document") {
    const std::string big = wrap(std::string(20'000, ' '));
    const auto r = parse_dialog_info(big);
    CHECK_FALSE(r.info);
    CHECK(r.error.find("too large") != std::string::npos);
  }
  SECTION("too many elements and dialogs") {
    std::string many;
    for (int i = 0; i < 300; ++i)
      many += "<x/>";
    CHECK_FALSE(parse_dialog_info(wrap(many)).info);
    std::string dialogs;
    for (int i = 0; i < 33; ++i)
      dialogs += "<dialog id=\"" + std::to_string(i) + "\"><state>early</state></dialog>";
    const auto r = parse_dialog_info(wrap(dialogs));
    CHECK_FALSE(r.info);
    CHECK(r.error == "too many dialogs");
  }
  SECTION("too many attributes and long text") {
    std::string attrs = "<r";
    for (int i = 0; i < 17; ++i)
      attrs += " a" + std::to_string(i) + "=\"v\"";
    CHECK_FALSE(read_xml(attrs + "/>").root);
    CHECK_FALSE(read_xml("<r>" + std::string(2000, 'x') + "</r>").root);
    CHECK_FALSE(read_xml("<" + std::string(100, 'n') + "/>").root);
  }
  SECTION("every truncation of a good document") {
    REQUIRE(parse_dialog_info(good).info);
    const std::size_t end = good.rfind('>') + 1;
    for (std::size_t n = 0; n < end; ++n) {
      CAPTURE(n);
      const auto r = parse_dialog_info(std::string_view(good).substr(0, n));
      CHECK_FALSE(r.info);
    }
  }
  SECTION("seeded random mutations stay safe") {
    ringdown::rng gen(7);
    std::size_t parsed = 0;
    for (int round = 0; round < 3000; ++round) {
      std::string g = good;
      const int edits = 1 + static_cast<int>(gen.below(4));
      for (int e = 0; e < edits; ++e) {
        const std::size_t at = gen.below(g.size());
        switch (gen.below(3)) {
        case 0:
          g[at] = static_cast<char>(gen() & 0xFF);
          break;
        case 1:
          g.erase(at, 1 + gen.below(8));
          break;
        default:
          g.insert(at, g.substr(gen.below(g.size()), 1 + gen.below(16)));
        }
        if (g.empty())
          g = "<";
      }
      const auto r = parse_dialog_info(g);
      CHECK((r.info.has_value() != !r.error.empty()));
      parsed += r.info ? 1 : 0;
    }
    CHECK(parsed < 3000);
  }
  SECTION("every single-byte corruption stays safe") {
    std::size_t refused = 0;
    for (std::size_t i = 0; i < good.size(); ++i) {
      std::string g = good;
      g[i] = '<';
      const auto r = parse_dialog_info(g);
      refused += r.info ? 0 : 1;
      CHECK((r.info.has_value() || !r.error.empty()));
    }
    CHECK(refused > good.size() / 2);
  }
}
