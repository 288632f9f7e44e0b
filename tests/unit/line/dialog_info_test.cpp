#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "actors/line/dialog_info.hpp"
#include "actors/line/dialog_info_parser.hpp"
#include "actors/line/line_stm.hpp"

using namespace ringdown;
using namespace ringdown::line;
using st = appearance_state;

namespace {

config::line_def make_def(bool private_line = false) {
  config::line_def d;
  d.uri = "sip:desk3@ringdown.test";
  d.zone = "ldn";
  d.appearances = 3;
  d.private_line = private_line;
  d.barge_allowed = !private_line;
  d.display_name = "Desk 3";
  return d;
}

bool has(const std::string& doc, std::string_view part) {
  return doc.find(part) != std::string::npos;
}

std::size_t occurrences(const std::string& doc, std::string_view part) {
  std::size_t n = 0;
  for (auto p = doc.find(part); p != std::string::npos; p = doc.find(part, p + 1))
    ++n;
  return n;
}

const std::vector<std::string> holders{"alice", "bob"};

} // namespace

TEST_CASE("dialog-info of an idle line has no dialog", "[line][xml]") {
  line_stm m(make_def(), holders);
  const std::string doc = render_dialog_info(m.snapshot(), 0);
  CHECK(has(doc, "<dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\""));
  CHECK(has(doc, "xmlns:sa=\"urn:ietf:params:xml:ns:sa-dialog-info\""));
  CHECK(has(doc, "version=\"0\" state=\"full\" entity=\"sip:desk3@ringdown.test\""));
  CHECK_FALSE(has(doc, "<dialog "));
  const auto parsed = parse_dialog_info(doc);
  REQUIRE(parsed.info);
  CHECK(parsed.info->dialogs.empty());
}

TEST_CASE("dialog-info for each appearance state", "[line][xml]") {
  line_stm m(make_def(), holders);
  REQUIRE(m.offered({"c1", "sip:bob@far.test", "Bob", "lt", "rt"}, {}).ok());
  std::string doc = render_dialog_info(m.snapshot(), 1);
  CHECK(has(doc, "<state>early</state>"));
  CHECK(has(doc, "direction=\"recipient\""));
  CHECK(has(doc, "call-id=\"c1\" local-tag=\"lt\" remote-tag=\"rt\""));
  CHECK(has(doc, "<sa:appearance>1</sa:appearance>"));
  CHECK(has(doc, "<sa:exclusive>false</sa:exclusive>"));
  CHECK(has(doc, "<remote><identity display=\"Bob\">sip:bob@far.test</identity></remote>"));
  CHECK(has(doc, "<identity display=\"Desk 3\">sip:desk3@ringdown.test</identity>"));

  REQUIRE(m.answered("c1", "alice").ok());
  doc = render_dialog_info(m.snapshot(), 2);
  CHECK(has(doc, "<state>confirmed</state>"));
  CHECK_FALSE(has(doc, "+sip.rendering"));

  REQUIRE(m.held("c1", "alice").ok());
  doc = render_dialog_info(m.snapshot(), 3);
  CHECK(has(doc, "<param pname=\"+sip.rendering\" pvalue=\"no\"/>"));
  CHECK(has(doc, "<sa:exclusive>false</sa:exclusive>"));

  REQUIRE(m.retrieved("c1", "alice").ok());
  REQUIRE(m.held("c1", "alice", true).ok());
  doc = render_dialog_info(m.snapshot(), 4);
  CHECK(has(doc, "+sip.rendering"));
  CHECK(has(doc, "<sa:exclusive>true</sa:exclusive>"));

  const outcome end = m.ended("c1");
  REQUIRE(end.ok());
  const line_changed& ch = std::get<line_changed>(end.fx.back());
  doc = render_dialog_info(ch.snapshot, 5, ch.ended);
  CHECK(has(doc, "<state>terminated</state>"));
  CHECK(occurrences(doc, "<dialog ") == 1);
  const auto parsed = parse_dialog_info(doc);
  REQUIRE(parsed.info);
  REQUIRE(parsed.info->dialogs.size() == 1);
  CHECK(parsed.info->dialogs[0].state == dialog_state::terminated);
  CHECK(parsed.info->dialogs[0].call_id == "c1");
}

TEST_CASE("dialog-info marks seized appearances trying and private lines exclusive",
          "[line][xml]") {
  line_stm m(make_def(true), holders);
  published_dialog_info info;
  info.dialogs.push_back({"d1", "", dialog_state::trying, 2u, std::nullopt});
  REQUIRE(m.published(info, "bob", 30, time_point{}).ok());
  const std::string doc = render_dialog_info(m.snapshot(), 7);
  CHECK(has(doc, "<state>trying</state>"));
  CHECK(has(doc, "direction=\"initiator\""));
  CHECK(has(doc, "<sa:appearance>2</sa:appearance>"));
  CHECK(has(doc, "<sa:exclusive>true</sa:exclusive>"));
}

TEST_CASE("dialog-info shows a barged device with joined-dialog", "[line][xml][barge]") {
  line_stm m(make_def(), holders);
  REQUIRE(m.offered({"c1", "sip:x@far.test", "", "lt", "rt"}, {}).ok());
  REQUIRE(m.answered("c1", "alice").ok());
  REQUIRE(m.barge("c1", "bob", "b-1").ok());
  const std::string doc = render_dialog_info(m.snapshot(), 1);
  CHECK(occurrences(doc, "<dialog ") == 2);
  CHECK(has(doc, "call-id=\"b-1\""));
  CHECK(has(doc, "<sa:joined-dialog call-id=\"c1\" local-tag=\"lt\" remote-tag=\"rt\"/>"));
  const auto parsed = parse_dialog_info(doc);
  REQUIRE(parsed.info);
  REQUIRE(parsed.info->dialogs.size() == 2);
  CHECK(parsed.info->dialogs[1].appearance == 1u);
}

TEST_CASE("dialog-info escapes every value", "[line][xml]") {
  config::line_def d = make_def();
  d.uri = "sip:a&b@x.test";
  d.display_name = "Desk <\"3\">";
  line_stm m(d, holders);
  REQUIRE(m.offered({"c&1<", "sip:o'hara@far.test", "O'Hara & \"Sons\" <Ltd>", "", ""}, {})
              .ok());
  const std::string doc = render_dialog_info(m.snapshot(), 1);
  CHECK(has(doc, "entity=\"sip:a&amp;b@x.test\""));
  CHECK(has(doc, "call-id=\"c&amp;1&lt;\""));
  CHECK(has(doc, "display=\"O&apos;Hara &amp; &quot;Sons&quot; &lt;Ltd&gt;\""));
  CHECK(has(doc, ">sip:o&apos;hara@far.test</identity>"));
  CHECK(has(doc, "display=\"Desk &lt;&quot;3&quot;&gt;\""));
  CHECK_FALSE(has(doc, "c&1"));
  // What we send is what our strict parser reads back.
  const auto parsed = parse_dialog_info(doc);
  REQUIRE(parsed.info);
  CHECK(parsed.info->entity == "sip:a&b@x.test");
  REQUIRE(parsed.info->dialogs.size() == 1);
  CHECK(parsed.info->dialogs[0].call_id == "c&1<");
  CHECK(xml_escape(std::string_view("a\x01z", 3)) == "a\xEF\xBF\xBDz");
}

TEST_CASE("partial dialog-info lists only the named appearances", "[line][xml]") {
  line_stm m(make_def(), holders);
  REQUIRE(m.offered({"c1", "sip:x@far.test", "", "", ""}, {}).ok());
  REQUIRE(m.offered({"c2", "sip:y@far.test", "", "", ""}, {}).ok());
  const std::vector<std::uint32_t> only{2};
  const std::string doc = render_dialog_info(m.snapshot(), 3, {}, false, only);
  CHECK(has(doc, "state=\"partial\""));
  CHECK(occurrences(doc, "<dialog ") == 1);
  CHECK(has(doc, "call-id=\"c2\""));
}
