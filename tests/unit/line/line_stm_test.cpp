#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "actors/line/join_header.hpp"
#include "actors/line/line_stm.hpp"

using namespace ringdown;
using namespace ringdown::line;
using st = appearance_state;

namespace {

config::line_def make_def(std::uint32_t appearances = 2, bool private_line = false,
                          bool barge = true,
                          config::hold_policy hold = config::hold_policy::open) {
  config::line_def d;
  d.uri = "sip:desk1@ringdown.test";
  d.zone = "ldn";
  d.appearances = appearances;
  d.private_line = private_line;
  d.barge_allowed = barge;
  d.hold = hold;
  d.display_name = "Desk 1";
  return d;
}

const std::vector<std::string> holders{"alice", "bob", "carol"};

line_call call(std::string id) {
  return {std::move(id), "sip:+441234@trunk.test", "Broker", "lt1", "rt1"};
}

template <class T>
std::size_t count_fx(const outcome& o) {
  std::size_t n = 0;
  for (const effect& e : o.fx)
    n += std::holds_alternative<T>(e) ? 1 : 0;
  return n;
}

template <class T>
const T& get_fx(const outcome& o) {
  for (const effect& e : o.fx)
    if (const T* t = std::get_if<T>(&e))
      return *t;
  FAIL("effect missing");
  throw std::logic_error("unreachable");
}

/// Brings appearance 1 holding call "c1" to `s` (owner alice when seized).
void bring_to(line_stm& m, st s) {
  if (s == st::idle)
    return;
  REQUIRE(m.offered(call("c1"), {}).ok());
  if (s == st::ringing)
    return;
  REQUIRE(m.answered("c1", "alice").ok());
  if (s == st::busy)
    return;
  REQUIRE(m.held("c1", "alice", s == st::private_held).ok());
}

enum class ev { answer, hold, retrieve, barge, end };

struct row {
  st from;
  ev event;
  const char* by;
  int status;
  st to;
  const char* owner; ///< expected owner after, "" = don't care
};

} // namespace

TEST_CASE("line transitions from every state", "[line][table]") {
  const std::vector<row> table{
      {st::idle, ev::answer, "alice", 481, st::idle, ""},
      {st::idle, ev::hold, "alice", 481, st::idle, ""},
      {st::idle, ev::retrieve, "alice", 481, st::idle, ""},
      {st::idle, ev::barge, "bob", 481, st::idle, ""},
      {st::idle, ev::end, "", 481, st::idle, ""},
      {st::ringing, ev::answer, "alice", 200, st::busy, "alice"},
      {st::ringing, ev::answer, "dave", 403, st::ringing, ""},
      {st::ringing, ev::hold, "alice", 403, st::ringing, ""},
      {st::ringing, ev::retrieve, "alice", 403, st::ringing, ""},
      {st::ringing, ev::barge, "bob", 403, st::ringing, ""},
      {st::ringing, ev::end, "", 200, st::idle, ""},
      {st::busy, ev::answer, "bob", 486, st::busy, "alice"},
      {st::busy, ev::hold, "alice", 200, st::held, "alice"},
      {st::busy, ev::hold, "bob", 403, st::busy, "alice"},
      {st::busy, ev::retrieve, "alice", 403, st::busy, "alice"},
      {st::busy, ev::barge, "bob", 200, st::busy, "alice"},
      {st::busy, ev::barge, "alice", 403, st::busy, "alice"},
      {st::busy, ev::barge, "dave", 403, st::busy, "alice"},
      {st::busy, ev::end, "", 200, st::idle, ""},
      {st::held, ev::answer, "bob", 486, st::held, "alice"},
      {st::held, ev::hold, "alice", 403, st::held, "alice"},
      {st::held, ev::retrieve, "bob", 200, st::busy, "bob"},
      {st::held, ev::retrieve, "alice", 200, st::busy, "alice"},
      {st::held, ev::retrieve, "dave", 403, st::held, "alice"},
      {st::held, ev::barge, "bob", 403, st::held, "alice"},
      {st::held, ev::end, "", 200, st::idle, ""},
      {st::private_held, ev::answer, "bob", 486, st::private_held, "alice"},
      {st::private_held, ev::hold, "alice", 403, st::private_held, "alice"},
      {st::private_held, ev::retrieve, "bob", 403, st::private_held, "alice"},
      {st::private_held, ev::retrieve, "carol", 403, st::private_held, "alice"},
      {st::private_held, ev::retrieve, "alice", 200, st::busy, "alice"},
      {st::private_held, ev::barge, "bob", 403, st::private_held, "alice"},
      {st::private_held, ev::end, "", 200, st::idle, ""},
  };
  for (const row& r : table) {
    CAPTURE(to_string(r.from), static_cast<int>(r.event), r.by);
    line_stm m(make_def(), holders);
    bring_to(m, r.from);
    const line_snapshot before = m.snapshot();
    outcome o;
    switch (r.event) {
    case ev::answer:
      o = m.answered("c1", r.by);
      break;
    case ev::hold:
      o = m.held("c1", r.by);
      break;
    case ev::retrieve:
      o = m.retrieved("c1", r.by);
      break;
    case ev::barge:
      o = m.barge("c1", r.by, "barger-1");
      break;
    case ev::end:
      o = m.ended("c1");
      break;
    }
    CHECK(o.status == r.status);
    CHECK(m.appearance(1).state == r.to);
    if (*r.owner != '\0')
      CHECK(m.appearance(1).owner == r.owner);
    if (o.ok()) {
      REQUIRE(count_fx<line_changed>(o) == 1);
      const line_changed& c = get_fx<line_changed>(o);
      CHECK(c.snapshot.version == before.version + 1);
      CHECK(c.snapshot.appearances[0].state == r.to);
    } else {
      CHECK(o.fx.empty()); // a refusal changes nothing
      CHECK(m.snapshot().version == before.version);
      CHECK(m.snapshot().appearances == before.appearances);
    }
  }
}

TEST_CASE("offered call rings a free appearance and every holder", "[line]") {
  line_stm m(make_def(), holders);
  const outcome o = m.offered(call("c1"), {});
  REQUIRE(o.ok());
  CHECK(o.appearance == 1);
  CHECK(m.appearance(1).state == st::ringing);
  CHECK(m.appearance(1).alerted == holders);
  CHECK(m.aggregate() == st::ringing);
  CHECK(get_fx<line_changed>(o).snapshot.aggregate == st::ringing);
  const outcome o2 = m.offered(call("c2"), {"bob"});
  REQUIRE(o2.ok());
  CHECK(o2.appearance == 2);
  CHECK(m.appearance(2).alerted == std::vector<std::string>{"bob"});
}

TEST_CASE("offer refused 486 when every appearance is in use", "[line]") {
  line_stm m(make_def(2), holders);
  REQUIRE(m.offered(call("c1"), {}).ok());
  REQUIRE(m.offered(call("c2"), {}).ok());
  const auto before = m.snapshot();
  const outcome o = m.offered(call("c3"), {});
  CHECK(o.status == 486);
  CHECK(o.fx.empty());
  CHECK(m.snapshot().version == before.version);
  CHECK(m.offered(call("c1"), {}).status == 482); // same call twice
}

TEST_CASE("seize race first answer wins and the others are cancelled", "[line][race]") {
  line_stm m(make_def(3), holders);
  REQUIRE(m.offered(call("c1"), {}).ok());
  const outcome win = m.answered("c1", "bob");
  REQUIRE(win.ok());
  REQUIRE(count_fx<cancel_alerts>(win) == 1);
  const cancel_alerts& c = get_fx<cancel_alerts>(win);
  CHECK(c.call_id == "c1");
  CHECK(c.resources == std::vector<std::string>{"alice", "carol"});
  const line_snapshot& seen = get_fx<line_changed>(win).snapshot;
  CHECK(seen.appearances[0].state == st::busy);
  CHECK(seen.appearances[0].owner == "bob");
  CHECK(seen.aggregate == st::busy);
  // The late answers lose: nothing changes, the engine BYEs them.
  const auto v = m.snapshot().version;
  CHECK(m.answered("c1", "alice").status == 486);
  CHECK(m.answered("c1", "carol").status == 486);
  CHECK(m.snapshot().version == v);
  CHECK(m.appearance(1).owner == "bob");
}

TEST_CASE("three appearances each seized by a different device", "[line][race]") {
  line_stm m(make_def(3), holders);
  const char* ids[] = {"c1", "c2", "c3"};
  const char* who[] = {"carol", "alice", "bob"};
  for (const char* id : ids)
    REQUIRE(m.offered(call(id), {}).ok());
  CHECK(m.offered(call("c4"), {}).status == 486);
  for (int i = 0; i < 3; ++i) {
    const outcome o = m.answered(ids[i], who[i]);
    REQUIRE(o.ok());
    CHECK(get_fx<cancel_alerts>(o).resources.size() == 2);
  }
  for (std::uint32_t n = 1; n <= 3; ++n) {
    CHECK(m.appearance(n).state == st::busy);
    CHECK(m.appearance(n).owner == who[n - 1]);
  }
  CHECK(m.aggregate() == st::busy);
  REQUIRE(m.ended("c2").ok());
  CHECK(m.appearance(2).state == st::idle);
  CHECK(m.offered(call("c5"), {}).appearance == 2);
}

TEST_CASE("private hold retrieval refused to anyone but the holder", "[line][hold]") {
  line_stm m(make_def(2, false, true, config::hold_policy::private_), holders);
  bring_to(m, st::busy);
  REQUIRE(m.held("c1", "alice").ok());
  CHECK(m.appearance(1).state == st::private_held);
  const auto v = m.snapshot().version;
  const outcome o = m.retrieved("c1", "bob");
  CHECK(o.status == 403);
  CHECK(o.fx.empty());
  CHECK(m.snapshot().version == v);
  CHECK(m.appearance(1).state == st::private_held);
  REQUIRE(m.retrieved("c1", "alice").ok());
  CHECK(m.appearance(1).state == st::busy);
}

TEST_CASE("open hold retrieved by another appearance holder", "[line][hold]") {
  line_stm m(make_def(), holders);
  bring_to(m, st::held);
  CHECK(m.aggregate() == st::held);
  const outcome o = m.retrieved("c1", "carol");
  REQUIRE(o.ok());
  CHECK(m.appearance(1).state == st::busy);
  CHECK(m.appearance(1).owner == "carol");
  CHECK(get_fx<line_changed>(o).snapshot.appearances[0].owner == "carol");
}

TEST_CASE("private line holds privately and refuses barge", "[line][barge]") {
  line_stm m(make_def(2, true, false), holders);
  bring_to(m, st::busy);
  const auto before = m.snapshot();
  const outcome b = m.barge("c1", "bob", "barger-1");
  CHECK(b.status == 403);
  CHECK(b.fx.empty());
  CHECK(m.snapshot().appearances == before.appearances);
  CHECK(m.snapshot().version == before.version);
  REQUIRE(m.held("c1", "alice").ok());
  CHECK(m.appearance(1).state == st::private_held);
}

TEST_CASE("barge refused where barge is not allowed", "[line][barge]") {
  line_stm m(make_def(2, false, false), holders);
  bring_to(m, st::busy);
  CHECK(m.barge("c1", "bob", "barger-1").status == 403);
  CHECK(m.appearance(1).joined.empty());
}

TEST_CASE("barge allowed joins the call and informs the parties", "[line][barge]") {
  line_stm m(make_def(), holders);
  bring_to(m, st::busy);
  const outcome o = m.barge("c1", "bob", "barger-1");
  REQUIRE(o.ok());
  const join_call& j = get_fx<join_call>(o);
  CHECK(j.call_id == "c1");
  CHECK(j.resource == "bob");
  CHECK(j.barger_call_id == "barger-1");
  const inform_parties& info = get_fx<inform_parties>(o);
  CHECK(info.call_id == "c1");
  CHECK(info.content_type == line_stm::barge_content_type);
  CHECK(info.body.find("\"event\":\"barge\"") != std::string::npos);
  CHECK(info.body.find("\"joined_by\":\"bob\"") != std::string::npos);
  CHECK(info.body.find("\"appearance\":1") != std::string::npos);
  REQUIRE(m.appearance(1).joined.size() == 1);
  CHECK(m.barge("c1", "bob", "barger-2").status == 403); // already joined
  // The barger leaves: the call stays up.
  REQUIRE(m.ended("barger-1").ok());
  CHECK(m.appearance(1).joined.empty());
  CHECK(m.appearance(1).state == st::busy);
}

TEST_CASE("a Join or Replaces naming the call with other tags gets 481", "[line][barge]") {
  // call("c1") has local tag lt1 and remote tag rt1 (RFC 3891 §3: Call-ID
  // and both tags name a dialog).
  line_stm m(make_def(), holders);
  bring_to(m, st::busy);
  CHECK(m.barge("c1", "bob", "barger-1", "lt1", "other").status == 481);
  CHECK(m.barge("c1", "bob", "barger-1", "other", "rt1").status == 481);
  CHECK(m.appearance(1).joined.empty());
  CHECK(m.barge("c1", "bob", "barger-1", "rt1", "lt1").ok()); // either order
  CHECK(m.barge("c1", "carol", "barger-2", "lt1", "rt1").ok());

  REQUIRE(m.held("c1", "alice").ok());
  CHECK(m.may_retrieve("c1", "bob", "lt1", "nope").status == 481);
  CHECK(m.may_retrieve("c1", "bob", "lt1", "rt1").ok());
  CHECK(m.may_retrieve("c1", "bob").ok()); // no tags given: Call-ID alone
}

TEST_CASE("a call whose tags the line never learned is named by its Call-ID",
          "[line][barge]") {
  line_stm m(make_def(), holders);
  REQUIRE(m.offered({"c1", "sip:+441234@trunk.test", "Broker", "", ""}, {}).ok());
  REQUIRE(m.answered("c1", "alice").ok());
  CHECK(m.barge("c1", "bob", "barger-1", "any", "tags").ok());
}

TEST_CASE("barge body escapes JSON", "[line][barge]") {
  line_stm m(make_def(), {"a\"b"});
  REQUIRE(m.offered(call("c\\1"), {}).ok());
  appearance_snapshot a = m.appearance(1);
  const std::string body = m.barge_info_body(a, "x\"y\n");
  CHECK(body.find("\"call_id\":\"c\\\\1\"") != std::string::npos);
  CHECK(body.find("\"joined_by\":\"x\\\"y\\u000a\"") != std::string::npos);
}

TEST_CASE("Join header names the call to barge into", "[line][barge]") {
  const auto j = parse_join("c1@host;to-tag=lt;from-tag=rt;early-only");
  REQUIRE(j);
  CHECK(j->call_id == "c1@host");
  CHECK(j->to_tag == "lt");
  CHECK(j->from_tag == "rt");
  CHECK_FALSE(parse_join(""));
  CHECK_FALSE(parse_join("c1@host;to-tag=lt"));
  CHECK_FALSE(parse_join("c1@host;to-tag=;from-tag=rt"));
  CHECK_FALSE(parse_join(";to-tag=lt;from-tag=rt"));
}

TEST_CASE("line may_retrieve answers like retrieved and changes nothing", "[line]") {
  line_stm m{make_def(2, false, true, config::hold_policy::private_), holders};
  REQUIRE(m.offered(call("c1"), {}).ok());
  REQUIRE(m.answered("c1", "alice").ok());
  REQUIRE(m.held("c1", "alice").ok());
  const auto before = m.snapshot();
  REQUIRE(before.appearances[0].state == appearance_state::private_held);
  const auto other = m.may_retrieve("c1", "bob");
  CHECK(other.status == 403);
  CHECK(other.fx.empty());
  CHECK(m.may_retrieve("c1", "alice").ok());
  CHECK(m.may_retrieve("nope", "alice").status == 481);
  // Asking changed nothing.
  CHECK(m.snapshot().version == before.version);
  CHECK(m.snapshot().appearances == before.appearances);
  CHECK(m.retrieved("c1", "bob").status == 403);
  CHECK(m.retrieved("c1", "alice").ok());
  CHECK(m.snapshot().appearances[0].state == appearance_state::busy);
}

TEST_CASE("dialog tags learnt after the offer go into the appearance", "[line]") {
  line_stm m(make_def(), holders);
  REQUIRE(m.offered({"c1", "sip:+441234@trunk.test", "", "", ""}, {}).ok());
  CHECK(m.appearance(1).call.local_tag.empty());
  m.learn_tags({"c1", "", "", "our-tag", "their-tag"});
  CHECK(m.appearance(1).call.local_tag == "our-tag");
  CHECK(m.appearance(1).call.remote_tag == "their-tag");
  CHECK(m.appearance(1).call.remote_uri == "sip:+441234@trunk.test"); // the rest stays
  const outcome o = m.answered("c1", "alice");
  REQUIRE(o.ok());
  CHECK(get_fx<line_changed>(o).snapshot.appearances[0].call.local_tag == "our-tag");
  m.learn_tags({"other", "", "", "x", "y"}); // another call: nothing changes
  CHECK(m.appearance(1).call.local_tag == "our-tag");
}
