// The call actor with the zone registrar and the zone actor on CAF's
// deterministic scheduler: the call asks the registrar for the callee's
// contacts, forks, relays the answer and ACKs it, relays BYE and writes
// the CDR; a CANCEL cancels the fork; a trunk at its limit answers 503.
#define CAF_SUITE engine_call_actor

#include <memory>
#include <string>

#include <caf/test/dsl.hpp>

#include "actors/engine/directory.hpp"
#include "actors/engine/engine_services.hpp"
#include "actors/engine/protocol.hpp"
#include "net/sip/builder.hpp"
#include "net/sip/parser.hpp"
#include "storage/binding_store.hpp"
#include "storage/cdr_store.hpp"
#include "storage/cdr_writer.hpp"
#include "storage/memory_kv.hpp"
#include "storage/provisioning_store.hpp"
#include "tests/unit/engine/recording_port.hpp"

using namespace ringdown;
using namespace ringdown::actors;

namespace {

config::provisioning floor_plan() {
  config::provisioning p;
  p.realm = "floor.test";
  p.zones = {{"london", ""}, {"new-york", ""}};
  config::resource_def bob;
  bob.name = "bob";
  bob.aor = "sip:bob@floor.test";
  bob.zone = "london";
  bob.password = "bob-pw";
  p.resources.push_back(bob);
  config::resource_def dan = bob; // diverts to carol, in another zone, when busy
  dan.name = "dan";
  dan.aor = "sip:dan@floor.test";
  dan.divert_to = "sip:carol@floor.test";
  dan.divert_on = {"busy"};
  p.resources.push_back(dan);
  config::resource_def carol = bob;
  carol.name = "carol";
  carol.aor = "sip:carol@floor.test";
  carol.zone = "new-york";
  p.resources.push_back(carol);
  config::trunk_def carrier;
  carrier.name = "carrier";
  carrier.zone = "london";
  carrier.gateway_host = "127.0.0.9";
  carrier.gateway_port = 5080;
  carrier.prefixes = {"9"};
  carrier.calls_max = 1;
  p.trunks.push_back(carrier);
  return p;
}

constexpr std::string_view sdp =
    "v=0\r\no=a 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
    "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";

sip::message invite(const std::string& call_id, const std::string& user) {
  sip::message_builder b{"INVITE", "sip:" + user + "@floor.test"};
  b.header("Via", "SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-" + call_id)
      .header("Max-Forwards", "70")
      .header("From", "<sip:alice@floor.test>;tag=a1")
      .header("To", "<sip:" + user + "@floor.test>")
      .header("Call-ID", call_id)
      .header("CSeq", "1 INVITE")
      .header("Contact", "<sip:alice@127.0.0.1:5062>")
      .header("X-Desk", "fx-spot-7")
      .body("application/sdp", sdp);
  return b.build();
}

struct fixture : test_coordinator_fixture<> {
  fixture() : prov(db), bindings(db), cdrs(db), cdr_log(cdrs, 100), dir(sys, 100) {
    CAF_REQUIRE(!prov.apply(floor_plan()));
    storage::binding b;
    b.contact = "sip:bob@127.0.0.1:5070";
    b.expires_at_ms = clk.wall_ms() + 600'000;
    b.call_id = "reg@t";
    b.cseq = 1;
    b.source = "udp:127.0.0.1:5070";
    CAF_REQUIRE(!bindings.put("sip:bob@floor.test", {b}));
    node.zone = "london";
    services.port = &port;
    services.dir = &dir;
    services.provisioning = &prov;
    services.bindings = &bindings;
    services.cdrs = &cdrs;
    services.cdr_log = &cdr_log;
    services.clk = &clk;
    services.node = &node;
    services.local_host = "127.0.0.1";
    services.seed = 11;
    dir.set_factory(actor_kind::registrar,
                    [this](caf::actor_system& s, const actor_key& k) {
                      return spawn_registrar(s, k, services);
                    });
    dir.set_factory(actor_kind::zone, [this](caf::actor_system& s, const actor_key& k) {
      return spawn_zone(s, k, services);
    });
    dir.set_factory(actor_kind::dialog, [this](caf::actor_system& s, const actor_key& k) {
      return spawn_call(s, k, services);
    });
  }

  // Timers re-arm from the manual clock, which CAF's test clock does not
  // advance: stop every actor before the base fixture's final run().
  ~fixture() override {
    dir.shutdown();
    sched.run();
  }

  /// Hands `m` to the actor its key names, as the gateway does.
  void deliver(const sip::message& m, std::uint64_t tx, std::uint64_t cancels = 0) {
    const auto a = dir.lookup_or_spawn({actor_kind::dialog, std::string{m.call_id()}});
    CAF_REQUIRE(a);
    transport::peer from{transport::protocol::udp, "127.0.0.1", 5062, 0};
    self->send(
        a, sip_request_event{std::make_shared<const sip::message>(m), tx, cancels, from});
    sched.run();
  }

  /// Answers the recorded request `i` with `status` (a 2xx carries SDP).
  void answer(std::size_t i, int status) {
    auto& r = port.requests.at(i);
    auto resp = sip::message_builder::response(
        r.msg, status, sip::message_builder::default_reason(status), "b-tag");
    // The transport stamped a Via on the request; the response carries it.
    if (resp.header("Via").empty())
      resp.append_header("Via", "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-fork");
    if (status / 100 == 2) {
      resp.append_header("Contact", "<sip:bob@127.0.0.1:5070>");
      resp.set_body("application/sdp", sdp);
    }
    // Through the wire format, as the stack delivers it.
    auto parsed = std::make_shared<sip::message>();
    CAF_REQUIRE(sip::parser{sip::limits{}}.parse(resp.serialize(), *parsed).ok());
    r.sink(sip_response_event{std::move(parsed), r.id, false});
    sched.run();
  }

  /// `aor` registered from one UDP contact at `port`.
  void registered(const std::string& aor, std::uint16_t udp_port) {
    storage::binding b;
    b.contact = "sip:" + aor.substr(4, aor.find('@') - 4) +
                "@127.0.0.1:" + std::to_string(udp_port);
    b.expires_at_ms = clk.wall_ms() + 600'000;
    b.call_id = "reg-" + aor;
    b.cseq = 1;
    b.source = "udp:127.0.0.1:" + std::to_string(udp_port);
    CAF_REQUIRE(!bindings.put(aor, {b}));
  }

  int last_status_to(std::uint64_t tx) const {
    int status = 0;
    for (const auto& [t, m] : port.responses)
      if (t == tx)
        status = m.status_code();
    return status;
  }

  storage::memory_kv db;
  storage::provisioning_store prov;
  storage::binding_store bindings;
  storage::cdr_store cdrs;
  storage::cdr_writer cdr_log;
  manual_clock clk;
  config::node_config node;
  test::recording_port port;
  local_directory dir;
  engine_services services;
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(call_actor_tests, fixture)

CAF_TEST(a call forks to the registered contact and relays the answer) {
  deliver(invite("c1@t", "bob"), 1);
  CAF_REQUIRE_EQUAL(port.requests.size(), 1u);
  const auto& fork = port.requests[0];
  CAF_CHECK_EQUAL(fork.msg.method(), sip::method::invite);
  CAF_CHECK_EQUAL(fork.msg.request_uri_text(), "sip:bob@127.0.0.1:5070");
  CAF_CHECK_EQUAL(fork.destination.port, 5070);
  CAF_CHECK(fork.msg.call_id() != "c1@t");                 // the B leg is its own dialog
  CAF_CHECK_EQUAL(fork.msg.header("X-Desk"), "fx-spot-7"); // custom headers kept

  answer(0, 180);
  CAF_CHECK_EQUAL(last_status_to(1), 180);
  answer(0, 200);
  CAF_CHECK_EQUAL(last_status_to(1), 200);
  CAF_REQUIRE_EQUAL(port.stateless.size(), 1u); // ACK to B's 2xx
  CAF_CHECK_EQUAL(port.stateless[0].first.method(), sip::method::ack);

  // The B leg's Call-ID is bound to the same actor.
  CAF_CHECK_EQUAL(dir.find({actor_kind::dialog, std::string{fork.msg.call_id()}}),
                  dir.find({actor_kind::dialog, "c1@t"}));
}

CAF_TEST(a user with two contacts is rung on both and the first answer wins) {
  storage::binding second;
  second.contact = "sip:bob@127.0.0.1:5072";
  second.expires_at_ms = clk.wall_ms() + 600'000;
  second.call_id = "reg2@t";
  second.cseq = 1;
  second.source = "udp:127.0.0.1:5072";
  std::error_code ec;
  auto both = bindings.get("sip:bob@floor.test", ec);
  both.push_back(second);
  CAF_REQUIRE(!bindings.put("sip:bob@floor.test", both));
  deliver(invite("f1@t", "bob"), 1);
  CAF_REQUIRE_EQUAL(port.requests.size(), 2u);
  CAF_CHECK_NOT_EQUAL(port.requests[0].destination.port, port.requests[1].destination.port);
  answer(1, 200);
  CAF_CHECK_EQUAL(last_status_to(1), 200);
  CAF_REQUIRE_EQUAL(port.cancels.size(), 1u); // the other fork
  CAF_CHECK_EQUAL(port.cancels[0], port.requests[0].id);
}

CAF_TEST(a CANCEL before the answer cancels the fork and ends the call 487) {
  deliver(invite("c2@t", "bob"), 1);
  CAF_REQUIRE_EQUAL(port.requests.size(), 1u);
  answer(0, 180);
  sip::message_builder c{"CANCEL", "sip:bob@floor.test"};
  c.header("Via", "SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-c2@t")
      .header("Max-Forwards", "70")
      .header("From", "<sip:alice@floor.test>;tag=a1")
      .header("To", "<sip:bob@floor.test>")
      .header("Call-ID", "c2@t")
      .header("CSeq", "1 CANCEL");
  deliver(c.build(), 2, 1);
  CAF_CHECK_EQUAL(last_status_to(2), 200);
  CAF_REQUIRE_EQUAL(port.cancels.size(), 1u);
  CAF_CHECK_EQUAL(port.cancels[0], port.requests[0].id);
  answer(0, 487);
  CAF_CHECK_EQUAL(last_status_to(1), 487);
  cdr_log.flush();
  std::error_code ec;
  const auto record = cdrs.get(1, ec);
  CAF_REQUIRE(record);
  CAF_CHECK_EQUAL(record->call_id, "c2@t");
  CAF_CHECK(record->disposition == storage::cdr_disposition::cancelled);
}

CAF_TEST(a trunk at its limit answers 503 with Retry - After) {
  deliver(invite("t1@t", "9001"), 1);
  CAF_REQUIRE_EQUAL(port.requests.size(), 1u);
  CAF_CHECK_EQUAL(port.requests[0].destination.host, "127.0.0.9");
  CAF_CHECK_EQUAL(port.requests[0].destination.port, 5080);
  deliver(invite("t2@t", "9002"), 2);
  CAF_CHECK_EQUAL(port.requests.size(), 1u); // nothing sent for the second
  CAF_CHECK_EQUAL(last_status_to(2), 503);
  bool retry_after = false;
  for (const auto& [t, m] : port.responses)
    if (t == 2)
      retry_after = !m.header("Retry-After").empty();
  CAF_CHECK(retry_after);
}

CAF_TEST(an unknown user gets 404 and a rejected CDR) {
  deliver(invite("u1@t", "nobody"), 1);
  CAF_CHECK(port.requests.empty());
  CAF_CHECK_EQUAL(last_status_to(1), 404);
  cdr_log.flush();
  std::error_code ec;
  const auto record = cdrs.get(1, ec);
  CAF_REQUIRE(record);
  CAF_CHECK(record->disposition == storage::cdr_disposition::rejected);
  CAF_CHECK_EQUAL(record->final_code, 404);
}

CAF_TEST(a busy callee diverts the call to a resource of another zone) {
  registered("sip:dan@floor.test", 5074);
  registered("sip:carol@floor.test", 5076);
  deliver(invite("d1@t", "dan"), 1);
  CAF_REQUIRE_EQUAL(port.requests.size(), 1u);
  CAF_CHECK_EQUAL(port.requests[0].destination.port, 5074);
  // carol's phones came from the registrar of her own zone.
  CAF_CHECK(dir.find({actor_kind::registrar, "new-york"}));
  answer(0, 486);
  CAF_CHECK_EQUAL(last_status_to(1), 0); // the caller hears nothing of the busy
  CAF_REQUIRE_EQUAL(port.requests.size(), 2u);
  const auto& diverted = port.requests[1];
  CAF_CHECK_EQUAL(diverted.destination.port, 5076);
  CAF_CHECK_EQUAL(diverted.msg.header("Diversion"),
                  "<sip:dan@floor.test>;reason=user-busy;counter=1");
  CAF_CHECK_EQUAL(diverted.msg.header("X-Desk"), "fx-spot-7");
  answer(1, 200);
  CAF_CHECK_EQUAL(last_status_to(1), 200);
}

CAF_TEST(a media timeout from the bridge ends a talking call with that reason) {
  deliver(invite("c9@t", "bob"), 1);
  CAF_REQUIRE_EQUAL(port.requests.size(), 1u);
  answer(0, 200);
  CAF_REQUIRE_EQUAL(last_status_to(1), 200);
  const auto call = dir.find({actor_kind::dialog, "c9@t"});
  CAF_REQUIRE(call);
  // What the call's bridge reports when a party has sent no RTP for
  // media.timeout_s (the media engine's event, handed over as a message).
  rtp::media_event timeout;
  timeout.what = rtp::media_event::kind::media_timeout;
  timeout.leg = 1;
  self->send(call, timeout);
  sched.run();
  std::size_t byes = 0;
  for (const auto& r : port.requests)
    byes += r.msg.method() == sip::method::bye ? 1 : 0;
  CAF_CHECK_EQUAL(byes, 2u); // both parties are released
  cdr_log.flush();
  std::error_code ec;
  const auto record = cdrs.get(1, ec);
  CAF_REQUIRE(record);
  CAF_CHECK_EQUAL(record->call_id, "c9@t");
  CAF_CHECK_EQUAL(record->final_reason, "Media Timeout");
  CAF_CHECK_EQUAL(record->ended_by, "system");
}

CAF_TEST_FIXTURE_SCOPE_END()
