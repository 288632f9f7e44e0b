#include <chrono>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "actors/line/line_stm.hpp"
#include "actors/line/publish_request.hpp"
#include "base/clock.hpp"
#include "net/sip/builder.hpp"

using namespace ringdown;
using namespace ringdown::line;
using namespace std::chrono_literals;
using st = appearance_state;

namespace {

config::line_def make_def() {
  config::line_def d;
  d.uri = "sip:desk2@ringdown.test";
  d.zone = "ldn";
  d.appearances = 2;
  return d;
}

const std::vector<std::string> holders{"alice", "bob"};

published_dialog_info trying(std::string id, std::optional<std::uint32_t> appearance,
                             dialog_state s = dialog_state::trying) {
  published_dialog_info info;
  info.entity = "sip:desk2@ringdown.test";
  published_dialog d;
  d.id = std::move(id);
  d.state = s;
  d.appearance = appearance;
  info.dialogs.push_back(d);
  return info;
}

template <class T>
const T* find_fx(const outcome& o) {
  for (const effect& e : o.fx)
    if (const T* t = std::get_if<T>(&e))
      return t;
  return nullptr;
}

} // namespace

TEST_CASE("PUBLISH trying seizes the appearance", "[line][publish]") {
  manual_clock clk;
  line_stm m(make_def(), holders);
  const outcome o = m.published(trying("d1", 2), "alice", 3600, clk.now());
  REQUIRE(o.ok());
  CHECK(o.appearance == 2);
  CHECK_FALSE(o.etag.empty());
  CHECK(m.appearance(2).state == st::busy);
  CHECK(m.appearance(2).seized_only);
  CHECK(m.appearance(2).owner == "alice");
  const arm_timer* t = find_fx<arm_timer>(o);
  REQUIRE(t != nullptr);
  CHECK(t->appearance == 2);
  CHECK(t->deadline == clk.now() + std::chrono::seconds(line_stm::seize_max_s));
  REQUIRE(find_fx<line_changed>(o) != nullptr);
}

TEST_CASE("PUBLISH for an appearance in use is refused and changes nothing",
          "[line][publish][race]") {
  manual_clock clk;
  line_stm m(make_def(), holders);
  REQUIRE(m.published(trying("d1", 1), "alice", 30, clk.now()).ok());
  const auto before = m.snapshot();
  const outcome o = m.published(trying("d9", 1), "bob", 30, clk.now());
  CHECK(o.status == 400);
  CHECK(o.fx.empty());
  CHECK(m.snapshot().version == before.version);
  CHECK(m.appearance(1).owner == "alice");
  CHECK(m.published(trying("d9", 3), "bob", 30, clk.now()).status == 400);
  CHECK(m.published(trying("d9", 2), "mallory", 30, clk.now()).status == 403);
}

TEST_CASE("PUBLISH without appearance takes the lowest idle one", "[line][publish]") {
  manual_clock clk;
  line_stm m(make_def(), holders);
  REQUIRE(m.offered({"c1", "sip:x@y.test", "", "", ""}, {}).ok());
  const outcome o = m.published(trying("d1", std::nullopt), "bob", 30, clk.now());
  REQUIRE(o.ok());
  CHECK(o.appearance == 2);
  CHECK(m.published(trying("d2", std::nullopt), "alice", 30, clk.now()).status == 400);
}

TEST_CASE("originated call binds the seized appearance", "[line][publish]") {
  manual_clock clk;
  line_stm m(make_def(), holders);
  REQUIRE(m.published(trying("d1", 2), "alice", 30, clk.now()).ok());
  const outcome o = m.originated({"out1", "sip:+1555@trunk.test", "", "", ""}, "alice");
  REQUIRE(o.ok());
  CHECK(o.appearance == 2);
  const cancel_timer* c = find_fx<cancel_timer>(o);
  REQUIRE(c != nullptr);
  CHECK(c->appearance == 2);
  CHECK(m.appearance(2).state == st::busy);
  CHECK_FALSE(m.appearance(2).seized_only);
  CHECK(m.appearance(2).call.call_id == "out1");
  // The old seize timer firing later changes nothing.
  clk.advance(31s);
  CHECK(m.on_timer(2, clk.now()).fx.empty());
  CHECK(m.appearance(2).state == st::busy);
  // Without a seize the first idle appearance is used.
  CHECK(m.originated({"out2", "sip:+1556@trunk.test", "", "", ""}, "bob").appearance == 1);
  CHECK(m.originated({"out3", "sip:+1557@trunk.test", "", "", ""}, "bob").status == 486);
}

TEST_CASE("seize expires by timer", "[line][publish]") {
  manual_clock clk;
  line_stm m(make_def(), holders);
  REQUIRE(m.published(trying("d1", 1), "alice", 20, clk.now()).ok());
  clk.advance(10s);
  CHECK(m.on_timer(1, clk.now()).fx.empty()); // early: ignored
  CHECK(m.appearance(1).state == st::busy);
  clk.advance(10s);
  const outcome o = m.on_timer(1, clk.now());
  REQUIRE(find_fx<line_changed>(o) != nullptr);
  CHECK(find_fx<line_changed>(o)->ended.size() == 1);
  CHECK(m.appearance(1).state == st::idle);
}

TEST_CASE("PUBLISH terminated or Expires 0 releases the seize", "[line][publish]") {
  manual_clock clk;
  line_stm m(make_def(), holders);
  REQUIRE(m.published(trying("d1", 1), "alice", 20, clk.now()).ok());
  // bob cannot release alice's seize
  CHECK(m.published(trying("d1", 1, dialog_state::terminated), "bob", 20, clk.now())
            .fx.empty());
  CHECK(m.appearance(1).state == st::busy);
  const outcome o =
      m.published(trying("d1", 1, dialog_state::terminated), "alice", 20, clk.now());
  REQUIRE(o.ok());
  CHECK(find_fx<cancel_timer>(o) != nullptr);
  CHECK(m.appearance(1).state == st::idle);
  REQUIRE(m.published(trying("d2", 2), "bob", 20, clk.now()).ok());
  REQUIRE(m.published({}, "bob", 0, clk.now()).ok());
  CHECK(m.appearance(2).state == st::idle);
}

TEST_CASE("PUBLISH of other states is accepted and changes nothing", "[line][publish]") {
  manual_clock clk;
  line_stm m(make_def(), holders);
  const auto v = m.snapshot().version;
  const outcome o =
      m.published(trying("d1", 1, dialog_state::confirmed), "alice", 60, clk.now());
  CHECK(o.ok());
  CHECK(o.fx.empty());
  CHECK(m.snapshot().version == v);
}

TEST_CASE("PUBLISH refresh of an own seize keeps it", "[line][publish]") {
  manual_clock clk;
  line_stm m(make_def(), holders);
  REQUIRE(m.published(trying("d1", 1), "alice", 20, clk.now()).ok());
  const auto v = m.snapshot().version;
  clk.advance(15s);
  const outcome o = m.published(trying("d1", 1), "alice", 20, clk.now());
  REQUIRE(o.ok());
  CHECK(m.snapshot().version == v);
  REQUIRE(find_fx<arm_timer>(o) != nullptr);
  CHECK(find_fx<arm_timer>(o)->deadline == clk.now() + 20s);
  clk.advance(6s); // past the first deadline, before the new one
  CHECK(m.on_timer(1, clk.now()).fx.empty());
  CHECK(m.appearance(1).state == st::busy);
}

namespace {

sip::message publish(std::string_view event, std::string_view ctype, std::string_view body,
                     std::string_view expires = "60", std::string_view if_match = "") {
  sip::message_builder b("PUBLISH", "sip:desk2@ringdown.test");
  b.header("Via", "SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-p1");
  b.header("Max-Forwards", "70");
  b.header("From", "<sip:alice@ringdown.test>;tag=a1");
  b.header("To", "<sip:desk2@ringdown.test>");
  b.header("Call-ID", "pub-1@127.0.0.1");
  b.header("CSeq", "1 PUBLISH");
  if (!event.empty())
    b.header("Event", event);
  if (!expires.empty())
    b.header("Expires", expires);
  if (!if_match.empty())
    b.header("SIP-If-Match", if_match);
  if (!body.empty())
    b.body(ctype, body);
  return b.build();
}

const std::string seize_body =
    "<?xml version=\"1.0\"?><dialog-info xmlns=\"urn:ietf:params:xml:ns:dialog-info\" "
    "xmlns:sa=\"urn:ietf:params:xml:ns:sa-dialog-info\" version=\"0\" state=\"partial\" "
    "entity=\"sip:desk2@ringdown.test\"><dialog id=\"s1\"><sa:appearance>2</sa:appearance>"
    "<state>trying</state></dialog></dialog-info>";

} // namespace

TEST_CASE("PUBLISH request seizes through the line and gets an ETag", "[line][publish]") {
  manual_clock clk;
  line_stm m(make_def(), holders);
  const sip::message p =
      publish("dialog;shared", "application/dialog-info+xml", seize_body);
  const publish_request req = read_publish(p);
  REQUIRE(req.status == 200);
  CHECK(req.expires_s == 60);
  REQUIRE(req.info.dialogs.size() == 1);
  const outcome o = m.published(req.info, "alice", req.expires_s, clk.now());
  REQUIRE(o.ok());
  CHECK(m.appearance(2).seized_only);
  const sip::message r = publish_response(p, req, o);
  CHECK(r.status_code() == 200);
  CHECK(r.header("SIP-ETag") == o.etag);
  CHECK(r.header("Expires") == "60");
  // A refresh without a body re-arms the seize timer.
  clk.advance(30s);
  const publish_request ref = read_publish(publish("dialog", "", "", "40", o.etag));
  REQUIRE(ref.status == 200);
  CHECK(ref.refresh);
  const outcome o2 = m.published(ref.info, "alice", ref.expires_s, clk.now());
  REQUIRE(find_fx<arm_timer>(o2) != nullptr);
  CHECK(find_fx<arm_timer>(o2)->deadline == clk.now() + 40s);
  // The second device loses the race for the same appearance.
  const outcome lost = m.published(req.info, "bob", 60, clk.now());
  CHECK(lost.status == 400);
  CHECK(publish_response(p, req, lost).status_code() == 400);
}

TEST_CASE("PUBLISH requests refused before the line sees them", "[line][publish]") {
  const auto ct = "application/dialog-info+xml";
  const publish_request bad_event = read_publish(publish("presence", ct, seize_body));
  CHECK(bad_event.status == 489);
  CHECK(publish_response(publish("presence", ct, seize_body), bad_event, outcome{})
            .header("Allow-Events") == "dialog");
  CHECK(read_publish(publish("dialog", "application/pidf+xml", seize_body)).status == 415);
  CHECK(read_publish(publish("dialog", "", "")).status == 400);
  CHECK(read_publish(publish("dialog", ct, "<dialog-info>")).status == 400);
  CHECK(read_publish(publish("dialog", ct, seize_body, "7200")).expires_s == 3600);
  publish_limits strict;
  strict.expires_min_s = 30;
  const publish_request brief =
      read_publish(publish("dialog", ct, seize_body, "5"), strict);
  CHECK(brief.status == 423);
  CHECK(publish_response(publish("dialog", ct, seize_body, "5"), brief, outcome{})
            .header("Min-Expires") == "30");
  strict.body_bytes_max = 64;
  CHECK(read_publish(publish("dialog", ct, seize_body), strict).status == 413);
}

TEST_CASE("a line restored from its snapshot carries on", "[line][failover]") {
  manual_clock clk;
  line_stm a(make_def(), holders);
  REQUIRE(a.offered({"c1", "sip:x@far.test", "", "", ""}, {}).ok());
  REQUIRE(a.answered("c1", "bob").ok());
  REQUIRE(a.held("c1", "bob", true).ok());
  REQUIRE(a.published(trying("d1", 2), "alice", 30, clk.now()).ok());
  const line_snapshot saved = a.snapshot();

  line_stm b(make_def(), holders);
  effects fx;
  REQUIRE(b.restore(saved, clk.now(), fx));
  CHECK(b.snapshot().appearances == saved.appearances);
  CHECK(b.snapshot().version == saved.version);
  REQUIRE(fx.size() == 1);
  CHECK(std::get<arm_timer>(fx[0]).appearance == 2);
  CHECK(b.retrieved("c1", "alice").status == 403); // still private
  REQUIRE(b.retrieved("c1", "bob").ok());
  REQUIRE(b.ended("c1").ok());
  CHECK(b.offered({"c2", "sip:y@far.test", "", "", ""}, {}).ok());
  CHECK(b.appearance(1).dialog_seq > saved.appearances[1].dialog_seq);

  config::line_def other = make_def();
  other.appearances = 3;
  line_stm c(other, holders);
  effects none;
  CHECK_FALSE(c.restore(saved, clk.now(), none));
}
