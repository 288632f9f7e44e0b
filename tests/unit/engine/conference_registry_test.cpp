// A conference room's registry on CAF's deterministic scheduler: the first
// part to ask is the room's home; when the registry's key moves to another
// node, the home goes with it, so the room stays one room.
#define CAF_SUITE engine_conference_registry

#include <string>

#include <caf/test/dsl.hpp>

#include "actors/bridge/conference_registry.hpp"
#include "actors/engine/directory.hpp"
#include "actors/engine/protocol.hpp"

using namespace ringdown::actors;

namespace {

struct part_stub_state {
  std::string rehomed_to; ///< the home a conference_rehome named
};

/// A conference part as the registry sees it: an actor to name as home,
/// which tells (get_atom) the home it was told to link to, if any. (It
/// takes an argument: CAF 0.17 spawns a function of no arguments through a
/// null pointer, which UBSan reports.)
caf::behavior part_stub(caf::stateful_actor<part_stub_state>* self, std::string) {
  return {
      [self](const conference_rehome& r) { self->state.rehomed_to = r.part; },
      [self](caf::get_atom) { return self->state.rehomed_to; },
  };
}

struct fixture : test_coordinator_fixture<> {
  fixture() : dir(sys, 16) {
    dir.set_factory(actor_kind::bridge, [this](caf::actor_system& s, const actor_key& k) {
      ++spawned;
      return spawn_conference_registry(s, k, dir);
    });
  }

  /// Asks `registry` for the home, offering `part`/`actor`.
  conference_home_is ask(const caf::actor& registry, std::string part, caf::actor actor) {
    self->send(registry, conference_home{std::move(part), std::move(actor)});
    sched.run();
    conference_home_is got;
    self->receive([&](const conference_home_is& h) { got = h; });
    return got;
  }

  /// The home `part` was told to link to ("" for none).
  std::string rehomed_to(const caf::actor& part) {
    self->send(part, caf::get_atom::value);
    sched.run();
    std::string got = "?";
    self->receive([&](const std::string& s) { got = s; });
    return got;
  }

  local_directory dir;
  int spawned = 0;
  const actor_key key{actor_kind::bridge, "conference:huddle"};
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(conference_registry_tests, fixture)

CAF_TEST(the first part to ask is the home of the room) {
  const auto registry = dir.lookup_or_spawn(key);
  const auto london = sys.spawn(part_stub, "london");
  const auto new_york = sys.spawn(part_stub, "new_york");
  auto h = ask(registry, "london/node-1", london);
  CAF_CHECK(h.home == london);
  h = ask(registry, "new-york/node-2", new_york);
  CAF_CHECK(h.home == london);
  CAF_CHECK_EQUAL(h.part, "london/node-1");
}

CAF_TEST(a registry whose key moves hands the home to the new owner) {
  const auto old_registry = dir.lookup_or_spawn(key);
  const auto london = sys.spawn(part_stub, "london");
  const auto new_york = sys.spawn(part_stub, "new_york");
  CAF_REQUIRE(ask(old_registry, "london/node-1", london).home == london);
  // The key now belongs to another node: here, a lookup no longer finds the
  // old registry (the cluster directory routes it to the new owner).
  dir.forget(key, old_registry.address());
  caf::anon_send(old_registry, key_moved{"node-2"});
  sched.run();
  const auto new_registry = dir.find(key);
  CAF_REQUIRE(new_registry);
  CAF_CHECK(new_registry != old_registry);
  CAF_CHECK_EQUAL(spawned, 2);
  // A part that starts now asks the new registry and joins the same home.
  auto h = ask(new_registry, "new-york/node-2", new_york);
  CAF_CHECK(h.home == london);
  CAF_CHECK_EQUAL(h.part, "london/node-1");
  // One that still asks the old registry is answered by the new one.
  h = ask(old_registry, "paris/node-3", new_york);
  CAF_CHECK(h.home == london);
}

CAF_TEST(a room started twice while its registry moved becomes one) {
  const auto old_registry = dir.lookup_or_spawn(key);
  const auto london = sys.spawn(part_stub, "london");
  const auto new_york = sys.spawn(part_stub, "new_york");
  const auto paris = sys.spawn(part_stub, "paris");
  CAF_REQUIRE(ask(old_registry, "london/node-1", london).home == london);
  // The key moved to node-2, and a part there asked its registry before the
  // old one handed over: node-2 already has a home for the room.
  dir.forget(key, old_registry.address());
  const auto new_registry = dir.lookup_or_spawn(key);
  CAF_REQUIRE(new_registry != old_registry);
  CAF_REQUIRE(ask(new_registry, "new-york/node-2", new_york).home == new_york);
  caf::anon_send(old_registry, key_moved{"node-2"});
  sched.run();
  // The old home is told to link to the new one; the new one is told
  // nothing, and every part asking now gets the new home.
  CAF_CHECK_EQUAL(rehomed_to(london), "new-york/node-2");
  CAF_CHECK_EQUAL(rehomed_to(new_york), "");
  CAF_CHECK(ask(old_registry, "paris/node-3", paris).home == new_york);
  CAF_CHECK(ask(new_registry, "paris/node-3", paris).home == new_york);
  CAF_CHECK_EQUAL(spawned, 2);
}

CAF_TEST(a registry with no home yet just forwards to the new owner) {
  const auto old_registry = dir.lookup_or_spawn(key);
  dir.forget(key, old_registry.address());
  caf::anon_send(old_registry, key_moved{"node-2"});
  sched.run();
  const auto new_york = sys.spawn(part_stub, "new_york");
  const auto h = ask(old_registry, "new-york/node-2", new_york);
  CAF_CHECK(h.home == new_york); // the new owner's registry started the room
  CAF_CHECK_EQUAL(spawned, 2);
}

CAF_TEST_FIXTURE_SCOPE_END()
