// The zone registrar actor on CAF's deterministic scheduler: REGISTER is
// challenged, then stored (synced) before the 200 leaves; the calls'
// contact lookups see the binding; a restarted registrar restores it.
#define CAF_SUITE engine_registrar_actor

#include <memory>
#include <string>

#include <caf/test/dsl.hpp>

#include "actors/engine/directory.hpp"
#include "actors/engine/engine_services.hpp"
#include "actors/engine/protocol.hpp"
#include "storage/binding_store.hpp"
#include "storage/memory_kv.hpp"
#include "storage/provisioning_store.hpp"
#include "tests/unit/engine/recording_port.hpp"
#include "tests/unit/registrar/registrar_fixture.hpp"

using namespace ringdown;
using namespace ringdown::actors;
namespace reg = ringdown::registrar;

namespace {

config::provisioning floor_plan() {
  config::provisioning p;
  p.realm = std::string{reg::test::realm};
  p.zones = {{"london", ""}, {"new-york", ""}};
  config::resource_def alice;
  alice.name = "alice";
  alice.aor = "sip:alice@ringdown.test";
  alice.zone = "london";
  alice.password = "alice-secret";
  p.resources.push_back(alice);
  return p;
}

struct fixture : test_coordinator_fixture<> {
  fixture() : prov(db), bindings(db) {
    CAF_REQUIRE(!prov.apply(floor_plan()));
    node.zone = "london";
    node.registrar.digest_algorithms = "MD5";
    services.port = &port;
    services.provisioning = &prov;
    services.bindings = &bindings;
    services.clk = &clk;
    services.node = &node;
    services.seed = 7;
  }

  // The registrar's expiry timer re-arms itself from the manual clock,
  // which CAF's test clock does not advance: stop the actors before the
  // base fixture's final run() would trigger that timer forever.
  ~fixture() override {
    for (const auto& a : spawned)
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    sched.run();
  }

  caf::actor registrar() {
    spawned.push_back(spawn_registrar(sys, {actor_kind::registrar, "london"}, services));
    return spawned.back();
  }

  /// Asks `r` for the contacts of `aor` and returns its reply.
  contacts_reply query(const caf::actor& r, std::string aor) {
    self->send(r, contacts_query{std::move(aor)});
    sched.run();
    contacts_reply got;
    self->receive([&](const contacts_reply& reply) { got = reply; });
    return got;
  }

  void deliver(const caf::actor& to, const sip::message& m, std::uint64_t tx) {
    transport::peer from{transport::protocol::udp, "127.0.0.1", 5062, 0};
    self->send(to, sip_request_event{std::make_shared<const sip::message>(m), tx, 0, from});
    sched.run();
  }

  storage::memory_kv db;
  storage::provisioning_store prov;
  storage::binding_store bindings;
  manual_clock clk;
  config::node_config node;
  test::recording_port port;
  engine_services services;
  std::vector<caf::actor> spawned;
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(registrar_actor_tests, fixture)

CAF_TEST(a REGISTER is challenged then stored before the 200) {
  auto r = registrar();
  sched.run();
  reg::test::register_spec s;
  deliver(r, reg::test::make_register(s), 11);
  CAF_REQUIRE_EQUAL(port.responses.size(), 1u);
  CAF_CHECK_EQUAL(port.responses[0].first, 11u);
  const auto& challenge = port.responses[0].second;
  CAF_CHECK_EQUAL(challenge.status_code(), 401);
  const auto ch = reg::test::challenges(challenge);
  CAF_REQUIRE_EQUAL(ch.size(), 1u);
  CAF_CHECK_EQUAL(reg::test::challenge_param(ch[0], "algorithm"), "MD5");

  s.cseq = 2;
  s.authorization = reg::test::authorization("alice", "alice-secret",
                                             reg::test::challenge_param(ch[0], "nonce"), 1,
                                             reg::digest_algorithm::md5);
  deliver(r, reg::test::make_register(s), 12);
  CAF_REQUIRE_EQUAL(port.responses.size(), 2u);
  CAF_CHECK_EQUAL(port.responses[1].second.status_code(), 200);
  std::error_code ec;
  std::size_t corrupt = 0;
  const auto stored = bindings.load_all(ec, corrupt);
  CAF_REQUIRE_EQUAL(stored.size(), 1u);
  CAF_CHECK_EQUAL(stored[0].aor, "sip:alice@ringdown.test");
  CAF_REQUIRE_EQUAL(stored[0].bindings.size(), 1u);
  CAF_CHECK_EQUAL(stored[0].bindings[0].source, "udp:127.0.0.1:5062");

  // A call asks for the contacts.
  const auto reply = query(r, "sip:alice@RINGDOWN.test");
  CAF_CHECK(reply.known);
  CAF_CHECK_EQUAL(reply.resource, "alice");
  CAF_REQUIRE_EQUAL(reply.bindings.size(), 1u);
  CAF_CHECK_EQUAL(reply.bindings[0].contact, "sip:alice@127.0.0.1:5062");
  // An unknown AOR is not known.
  const auto unknown = query(r, "sip:mallory@ringdown.test");
  CAF_CHECK(!unknown.known);
  CAF_CHECK(unknown.bindings.empty());
}

CAF_TEST(a new registrar restores the zone bindings from the store) {
  storage::binding b;
  b.contact = "sip:alice@127.0.0.1:5070";
  b.expires_at_ms = clk.wall_ms() + 600'000;
  b.call_id = "earlier@t";
  b.cseq = 3;
  b.source = "udp:127.0.0.1:5070";
  CAF_REQUIRE(!bindings.put("sip:alice@ringdown.test", {b}));
  // A binding of an unprovisioned AOR is not this zone's: ignored.
  CAF_REQUIRE(!bindings.put("sip:ghost@ringdown.test", {b}));
  auto r = registrar();
  sched.run();
  const auto reply = query(r, "sip:alice@ringdown.test");
  CAF_REQUIRE_EQUAL(reply.bindings.size(), 1u);
  CAF_CHECK_EQUAL(reply.bindings[0].contact, "sip:alice@127.0.0.1:5070");
}

CAF_TEST(a method other than REGISTER gets 405 with Allow) {
  auto r = registrar();
  sched.run();
  sip::message_builder b{"SUBSCRIBE", "sip:alice@ringdown.test"};
  b.header("Via", "SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-s1")
      .header("From", "<sip:bob@ringdown.test>;tag=1")
      .header("To", "<sip:alice@ringdown.test>")
      .header("Call-ID", "s1@t")
      .header("CSeq", "1 SUBSCRIBE");
  deliver(r, b.build(), 21);
  CAF_REQUIRE_EQUAL(port.responses.size(), 1u);
  CAF_CHECK_EQUAL(port.responses[0].second.status_code(), 405);
  CAF_CHECK_EQUAL(port.responses[0].second.header("Allow"), "REGISTER");
}

CAF_TEST_FIXTURE_SCOPE_END()
