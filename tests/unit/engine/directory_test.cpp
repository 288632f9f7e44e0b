// local_directory on CAF's deterministic scheduler: one actor per key,
// spawned on first use, forgotten when it terminates, bounded.
#define CAF_SUITE engine_directory

#include <string>

#include <caf/test/dsl.hpp>

#include "actors/engine/directory.hpp"

using namespace ringdown::actors;

namespace {

// A minimal keyed actor: answers its own key, quits on request.
caf::behavior keyed(caf::event_based_actor* self, std::string name) {
  return {
      [name](caf::get_atom) { return name; },
      [self](caf::close_atom) { self->quit(); },
  };
}

struct fixture : test_coordinator_fixture<> {
  fixture() : dir(sys, 3) {
    dir.set_factory(actor_kind::line, [this](caf::actor_system& s, const actor_key& k) {
      ++spawned;
      return s.spawn(keyed, k.name);
    });
  }
  local_directory dir;
  int spawned = 0;
};

actor_key line(std::string name) {
  return actor_key{actor_kind::line, std::move(name)};
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(directory_tests, fixture)

CAF_TEST(a key is spawned once and then found) {
  const auto a = dir.lookup_or_spawn(line("sip:desk-1@floor"));
  CAF_REQUIRE(a);
  const auto b = dir.lookup_or_spawn(line("sip:desk-1@floor"));
  CAF_CHECK_EQUAL(a, b);
  CAF_CHECK_EQUAL(spawned, 1);
  CAF_CHECK_EQUAL(dir.find(line("sip:desk-1@floor")), a);
  CAF_CHECK_EQUAL(dir.size(), 1u);
  self->send(a, caf::get_atom::value);
  expect((caf::get_atom), from(self).to(a));
  expect((std::string), from(a).to(self).with("sip:desk-1@floor"));
}

CAF_TEST(a kind without factory and an unknown key give no actor) {
  CAF_CHECK(!dir.lookup_or_spawn(actor_key{actor_kind::dialog, "abc@host"}));
  CAF_CHECK(!dir.find(line("sip:nobody@floor")));
  CAF_CHECK_EQUAL(dir.size(), 0u);
}

CAF_TEST(a terminated actor is forgotten and its key spawns afresh) {
  const auto a = dir.lookup_or_spawn(line("sip:desk-2@floor"));
  CAF_REQUIRE(a);
  self->send(a, caf::close_atom::value);
  run();
  CAF_CHECK(!dir.find(line("sip:desk-2@floor")));
  CAF_CHECK_EQUAL(dir.size(), 0u);
  const auto b = dir.lookup_or_spawn(line("sip:desk-2@floor"));
  CAF_REQUIRE(b);
  CAF_CHECK_NOT_EQUAL(a, b);
  CAF_CHECK_EQUAL(spawned, 2);
}

CAF_TEST(the directory refuses spawns beyond its limit) {
  CAF_CHECK(dir.lookup_or_spawn(line("a")));
  CAF_CHECK(dir.lookup_or_spawn(line("b")));
  CAF_CHECK(dir.lookup_or_spawn(line("c")));
  CAF_CHECK(!dir.lookup_or_spawn(line("d")));
  CAF_CHECK(dir.lookup_or_spawn(line("a"))); // existing keys still resolve
  CAF_CHECK_EQUAL(dir.size(), 3u);
}

CAF_TEST(shutdown stops every actor and refuses new spawns) {
  const auto a = dir.lookup_or_spawn(line("a"));
  CAF_REQUIRE(a);
  dir.shutdown();
  run();
  CAF_CHECK_EQUAL(dir.size(), 0u);
  CAF_CHECK(!dir.lookup_or_spawn(line("b")));
}

CAF_TEST(a bound key reaches the same actor and goes with it) {
  const auto a = dir.lookup_or_spawn(actor_key{actor_kind::line, "call-a@host"});
  CAF_REQUIRE(a);
  CAF_CHECK(dir.bind(line("call-b@host"), a));
  CAF_CHECK(dir.bind(line("call-b@host"), a)); // idempotent
  CAF_CHECK_EQUAL(dir.find(line("call-b@host")), a);
  const auto other = dir.lookup_or_spawn(line("other"));
  CAF_CHECK(!dir.bind(line("call-b@host"), other)); // taken
  self->send(a, caf::close_atom::value);
  run();
  CAF_CHECK(!dir.find(line("call-b@host")));
  CAF_CHECK(!dir.find(line("call-a@host")));
  CAF_CHECK_EQUAL(dir.size(), 1u);
}

CAF_TEST(keys print and parse as kind slash name) {
  const actor_key k{actor_kind::registrar, "london"};
  CAF_CHECK_EQUAL(k.to_string(), "registrar/london");
  const auto p = actor_key::parse("line/sip:desk-1@floor");
  CAF_REQUIRE(p);
  CAF_CHECK(p->kind == actor_kind::line);
  CAF_CHECK_EQUAL(p->name, "sip:desk-1@floor");
  CAF_CHECK(!actor_key::parse("nokind"));
  CAF_CHECK(!actor_key::parse("line/"));
  CAF_CHECK(!actor_key::parse("tree/x"));
}

CAF_TEST_FIXTURE_SCOPE_END()
