#include <chrono>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "actors/line/dialog_info_parser.hpp"
#include "actors/line/line_stm.hpp"
#include "actors/line/subscription_stm.hpp"
#include "base/random.hpp"
#include "net/sip/builder.hpp"

using namespace ringdown;
using namespace ringdown::line;
using namespace std::chrono_literals;

namespace {

struct fixture {
  manual_clock clk;
  rng gen{42};
  id_generator ids{gen, "ringdown.test"};
  line_stm line{make_def(), {"alice", "bob"}};
  subscription_stm sub{make_cfg(), ids};

  static config::line_def make_def() {
    config::line_def d;
    d.uri = "sip:desk1@ringdown.test";
    d.zone = "ldn";
    d.appearances = 2;
    return d;
  }
  static subscription_config make_cfg() {
    subscription_config c;
    c.line_uri = "sip:desk1@ringdown.test";
    c.local.contact_uri = "sip:desk1@127.0.0.1:5060";
    return c;
  }
};

struct sub_opts {
  std::string event = "dialog;shared";
  std::string accept = "application/dialog-info+xml";
  std::string expires = "600";
  std::string to_tag;
  int cseq = 1;
};

sip::message subscribe(const sub_opts& o) {
  sip::message_builder b("SUBSCRIBE", "sip:desk1@ringdown.test");
  b.header("Via", "SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-s" + std::to_string(o.cseq));
  b.header("Max-Forwards", "70");
  b.header("From", "<sip:alice@ringdown.test>;tag=al1");
  b.header("To",
           "<sip:desk1@ringdown.test>" + (o.to_tag.empty() ? "" : ";tag=" + o.to_tag));
  b.header("Call-ID", "sub-1@127.0.0.1");
  b.header("CSeq", std::to_string(o.cseq) + " SUBSCRIBE");
  b.header("Contact", "<sip:alice@127.0.0.1:5070>");
  if (!o.event.empty())
    b.header("Event", o.event);
  if (!o.accept.empty())
    b.header("Accept", o.accept);
  if (!o.expires.empty())
    b.header("Expires", o.expires);
  return b.build();
}

template <class T>
std::vector<const T*> all(const sub::effects& fx) {
  std::vector<const T*> out;
  for (const sub::effect& e : fx)
    if (const T* t = std::get_if<T>(&e))
      out.push_back(t);
  return out;
}

template <class T>
const T& one(const sub::effects& fx) {
  const auto v = all<T>(fx);
  REQUIRE(v.size() == 1);
  return *v.front();
}

std::uint64_t version_of(const sip::message& notify) {
  const auto r = parse_dialog_info(notify.body());
  REQUIRE(r.info);
  return r.info->version;
}

} // namespace

TEST_CASE("subscription lifecycle on a manual clock", "[line][subscription]") {
  fixture f;
  const auto t0 = f.clk.now();
  auto fx = f.sub.on_subscribe(subscribe({}), f.line.snapshot(), t0);
  const sip::message& ok = one<sub::respond>(fx).msg;
  CHECK(ok.status_code() == 200);
  CHECK(ok.header("Expires") == "600");
  REQUIRE(ok.to());
  const std::string our_tag(ok.to()->tag());
  CHECK_FALSE(our_tag.empty());
  CHECK(one<sub::arm_timer>(fx).deadline == t0 + 600s);
  const sub::send_notify& n0 = one<sub::send_notify>(fx);
  CHECK(n0.destination == "sip:alice@127.0.0.1:5070");
  CHECK(n0.msg.method() == sip::method::notify);
  CHECK(n0.msg.request_uri_text() == "sip:alice@127.0.0.1:5070");
  CHECK(n0.msg.header("Event") == "dialog;shared");
  CHECK(n0.msg.header("Subscription-State") == "active;expires=600");
  CHECK(n0.msg.header("Content-Type") == "application/dialog-info+xml");
  CHECK(n0.msg.from()->tag() == our_tag);
  CHECK(n0.msg.to()->tag() == "al1");
  const std::uint32_t cseq0 = n0.msg.cseq()->number;
  CHECK(version_of(n0.msg) == 0);
  CHECK(f.sub.current() == subscription_stm::state::active);

  // A line change 100 s later: version and CSeq go up, expires goes down.
  f.clk.advance(100s);
  const outcome o = f.line.offered({"c1", "sip:x@far.test", "", "", ""}, {});
  fx = f.sub.on_line_changed(std::get<line_changed>(o.fx.back()), f.clk.now());
  const sub::send_notify& n1 = one<sub::send_notify>(fx);
  CHECK(n1.msg.cseq()->number == cseq0 + 1);
  CHECK(version_of(n1.msg) == 1);
  CHECK(n1.msg.header("Subscription-State") == "active;expires=500");
  CHECK(n1.msg.body().find("<state>early</state>") != std::string_view::npos);

  // Refresh in the dialog with a longer interval.
  sub_opts refresh;
  refresh.to_tag = our_tag;
  refresh.cseq = 2;
  refresh.expires = "900";
  fx = f.sub.on_subscribe(subscribe(refresh), f.line.snapshot(), f.clk.now());
  CHECK(one<sub::respond>(fx).msg.status_code() == 200);
  CHECK(one<sub::respond>(fx).msg.header("Expires") == "900");
  const auto deadline = f.clk.now() + 900s;
  CHECK(one<sub::arm_timer>(fx).deadline == deadline);
  const sub::send_notify& n2 = one<sub::send_notify>(fx);
  CHECK(n2.msg.cseq()->number == cseq0 + 2);
  CHECK(version_of(n2.msg) == 2);

  // The first deadline passes: stale, nothing happens.
  f.clk.set(t0 + 600s);
  CHECK(f.sub.on_timer(f.clk.now()).empty());
  CHECK(f.sub.current() == subscription_stm::state::active);

  // The real deadline: final NOTIFY terminated;reason=timeout.
  f.clk.set(deadline);
  fx = f.sub.on_timer(f.clk.now());
  const sub::send_notify& last = one<sub::send_notify>(fx);
  CHECK(last.msg.header("Subscription-State") == "terminated;reason=timeout");
  CHECK(last.msg.cseq()->number == cseq0 + 3);
  CHECK(all<sub::ended>(fx).size() == 1);
  CHECK(f.sub.current() == subscription_stm::state::terminated);
  const outcome o2 = f.line.ended("c1");
  CHECK(f.sub.on_line_changed(std::get<line_changed>(o2.fx.back()), f.clk.now()).empty());
}

TEST_CASE("SUBSCRIBE with a wrong Event gets 489", "[line][subscription]") {
  fixture f;
  sub_opts o;
  o.event = "presence";
  const auto fx = f.sub.on_subscribe(subscribe(o), f.line.snapshot(), f.clk.now());
  REQUIRE(fx.size() == 1);
  const sip::message& r = one<sub::respond>(fx).msg;
  CHECK(r.status_code() == 489);
  CHECK(r.header("Allow-Events") == "dialog");
  CHECK(f.sub.current() == subscription_stm::state::init);
  o.event.clear();
  CHECK(one<sub::respond>(f.sub.on_subscribe(subscribe(o), f.line.snapshot(), f.clk.now()))
            .msg.status_code() == 489);
}

TEST_CASE("SUBSCRIBE without dialog-info in Accept gets 406", "[line][subscription]") {
  fixture f;
  sub_opts o;
  o.accept = "application/pidf+xml, text/plain";
  const auto fx = f.sub.on_subscribe(subscribe(o), f.line.snapshot(), f.clk.now());
  REQUIRE(fx.size() == 1);
  CHECK(one<sub::respond>(fx).msg.status_code() == 406);
  o.accept = "application/pidf+xml, application/dialog-info+xml";
  CHECK(one<sub::respond>(f.sub.on_subscribe(subscribe(o), f.line.snapshot(), f.clk.now()))
            .msg.status_code() == 200);
}

TEST_CASE("SUBSCRIBE without Accept or Expires uses the defaults", "[line][subscription]") {
  fixture f;
  sub_opts o;
  o.accept.clear();
  o.expires.clear();
  o.event = "dialog";
  const auto fx = f.sub.on_subscribe(subscribe(o), f.line.snapshot(), f.clk.now());
  CHECK(one<sub::respond>(fx).msg.header("Expires") == "3600");
  CHECK(one<sub::send_notify>(fx).msg.header("Event") == "dialog");
}

TEST_CASE("SUBSCRIBE too brief gets 423 and too long is clamped", "[line][subscription]") {
  fixture f;
  sub_opts o;
  o.expires = "10";
  auto fx = f.sub.on_subscribe(subscribe(o), f.line.snapshot(), f.clk.now());
  REQUIRE(fx.size() == 1);
  CHECK(one<sub::respond>(fx).msg.status_code() == 423);
  CHECK(one<sub::respond>(fx).msg.header("Min-Expires") == "60");
  o.expires = "100000";
  fx = f.sub.on_subscribe(subscribe(o), f.line.snapshot(), f.clk.now());
  CHECK(one<sub::respond>(fx).msg.header("Expires") == "7200");
  CHECK(one<sub::send_notify>(fx).msg.header("Subscription-State") ==
        "active;expires=7200");
}

TEST_CASE("SUBSCRIBE with Expires 0 ends with a final NOTIFY", "[line][subscription]") {
  fixture f;
  auto fx = f.sub.on_subscribe(subscribe({}), f.line.snapshot(), f.clk.now());
  const std::string tag(one<sub::respond>(fx).msg.to()->tag());
  sub_opts o;
  o.expires = "0";
  o.to_tag = tag;
  o.cseq = 2;
  fx = f.sub.on_subscribe(subscribe(o), f.line.snapshot(), f.clk.now());
  CHECK(one<sub::respond>(fx).msg.status_code() == 200);
  CHECK(one<sub::respond>(fx).msg.header("Expires") == "0");
  CHECK(all<sub::cancel_timer>(fx).size() == 1);
  CHECK(one<sub::send_notify>(fx).msg.header("Subscription-State") ==
        "terminated;reason=timeout");
  CHECK(all<sub::ended>(fx).size() == 1);
  CHECK(f.sub.current() == subscription_stm::state::terminated);
}

TEST_CASE("refresh from another dialog or out of order is refused",
          "[line][subscription]") {
  fixture f;
  auto fx = f.sub.on_subscribe(subscribe({}), f.line.snapshot(), f.clk.now());
  const std::string tag(one<sub::respond>(fx).msg.to()->tag());
  sub_opts wrong;
  wrong.to_tag = "not-ours";
  wrong.cseq = 2;
  CHECK(one<sub::respond>(
            f.sub.on_subscribe(subscribe(wrong), f.line.snapshot(), f.clk.now()))
            .msg.status_code() == 481);
  sub_opts stale;
  stale.to_tag = tag;
  stale.cseq = 1;
  CHECK(one<sub::respond>(
            f.sub.on_subscribe(subscribe(stale), f.line.snapshot(), f.clk.now()))
            .msg.status_code() == 500);
  // An initial SUBSCRIBE that already carries a To-tag is not ours.
  fixture g;
  CHECK(one<sub::respond>(
            g.sub.on_subscribe(subscribe(wrong), g.line.snapshot(), g.clk.now()))
            .msg.status_code() == 481);
}

TEST_CASE("NOTIFY answered 481 ends the subscription", "[line][subscription]") {
  fixture f;
  (void)f.sub.on_subscribe(subscribe({}), f.line.snapshot(), f.clk.now());
  CHECK(f.sub.on_notify_response(200, f.clk.now()).empty());
  const auto fx = f.sub.on_notify_response(481, f.clk.now());
  CHECK(all<sub::ended>(fx).size() == 1);
  CHECK(all<sub::cancel_timer>(fx).size() == 1);
  CHECK(f.sub.current() == subscription_stm::state::terminated);
  CHECK(f.sub.on_timer(f.clk.now() + 3600s).empty());
}
