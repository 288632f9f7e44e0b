// Conference parts on CAF's deterministic scheduler, with a real media
// engine: a room started twice while its registry moved between nodes (a
// part at the new owner asked there before the old registry handed over)
// is linked into one room, its former home becoming a part of the other.
// The media engine binds 127.0.0.1:42100-42199.
#define CAF_SUITE engine_conference_merge

#include <algorithm>
#include <optional>
#include <string>

#include <caf/test/dsl.hpp>

#include "actors/bridge/conference_registry.hpp"
#include "actors/bridge/conference_roster.hpp"
#include "actors/engine/directory.hpp"
#include "actors/engine/engine_services.hpp"
#include "actors/engine/protocol.hpp"
#include "base/clock.hpp"
#include "config/config.hpp"
#include "net/rtp/media_engine.hpp"

using namespace ringdown;
using namespace ringdown::actors;
using bridge::conference_roster;

namespace {

rtp::media_engine_config media_config() {
  rtp::media_engine_config cfg;
  cfg.port_first = 42100;
  cfg.port_last = 42199;
  return cfg;
}

/// One node's view: its id and zone, its roster, its services (the
/// directory and the media engine are shared: one process plays both).
struct node {
  node(std::string id, std::string zone, directory& dir, rtp::media_engine& media,
       const ringdown::clock& clk) {
    cfg.node_id = std::move(id);
    cfg.zone = std::move(zone);
    services.dir = &dir;
    services.media = &media;
    services.conferences = &roster;
    services.node = &cfg;
    services.clk = &clk;
  }
  config::node_config cfg;
  conference_roster roster;
  engine_services services;
};

struct fixture : test_coordinator_fixture<> {
  fixture()
      : dir(sys, 16), media(media_config(), clk),
        london("node-1", "london", dir, media, clk),
        new_york("node-2", "new-york", dir, media, clk) {
    started = !media.start().has_value();
    dir.set_factory(actor_kind::bridge, [this](caf::actor_system& s, const actor_key& k) {
      return spawn_conference(s, k, london.services);
    });
  }
  ~fixture() { media.stop(); }

  caf::actor part(node& n) {
    const actor_key key{actor_kind::bridge, "conference:huddle@" + n.cfg.zone};
    auto p = spawn_conference(sys, key, n.services);
    sched.run(); // it asks the room's registry for the home
    return p;
  }

  int seat(const caf::actor& part, std::string call_id) {
    self->send(part, conference_join{std::move(call_id), "sip:trader@floor.test"});
    sched.run();
    int status = 0;
    self->receive([&](const conference_seat& s) { status = s.status; });
    return status;
  }

  static std::optional<conference_roster::part_view> view(const node& n) {
    auto parts = n.roster.room("huddle");
    if (parts.size() != 1)
      return std::nullopt;
    return parts.front();
  }

  real_clock clk;
  local_directory dir;
  rtp::media_engine media;
  node london;
  node new_york;
  bool started = false;
  const actor_key registry_key{actor_kind::bridge, "conference:huddle"};
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(conference_merge_tests, fixture)

CAF_TEST(a room started twice while its registry moved is linked into one) {
  CAF_REQUIRE(started);
  const auto old_registry = dir.lookup_or_spawn(registry_key);
  const auto london_part = part(london);
  CAF_REQUIRE_EQUAL(seat(london_part, "call-a"), 200);
  CAF_REQUIRE(view(london) && view(london)->home);

  // The registry's key moves to node-2, and a part there starts the room
  // before the old registry hands over: two homes.
  dir.forget(registry_key, old_registry.address());
  const auto new_york_part = part(new_york);
  CAF_REQUIRE_EQUAL(seat(new_york_part, "call-b"), 200);
  CAF_REQUIRE(view(new_york) && view(new_york)->home);
  CAF_REQUIRE(view(new_york)->links.empty());

  caf::anon_send(old_registry, key_moved{"node-2"});
  sched.run();
  // London is a part of New York's room now, its party still seated, and
  // New York has London's bridge as a link.
  CAF_REQUIRE(view(london));
  CAF_CHECK(!view(london)->home);
  CAF_CHECK_EQUAL(view(london)->parties.size(), 1u);
  CAF_REQUIRE(view(new_york));
  CAF_CHECK(view(new_york)->home);
  CAF_CHECK(view(new_york)->links == std::vector<std::string>{"london/node-1"});
  // A part that starts now joins the same home (and links to it).
  node paris("node-3", "paris", dir, media, clk);
  const auto paris_part = part(paris);
  CAF_CHECK_EQUAL(seat(paris_part, "call-c"), 200);
  CAF_CHECK(!view(paris)->home);
  const auto links = view(new_york)->links;
  CAF_CHECK(std::find(links.begin(), links.end(), "paris/node-3") != links.end());
  self->send(paris_part, conference_leave{"call-c"});
  sched.run();

  // London's last party leaves: its part ends and unlinks from New York.
  self->send(london_part, conference_leave{"call-a"});
  sched.run();
  CAF_CHECK(!view(london));
  CAF_REQUIRE(view(new_york));
  CAF_CHECK(view(new_york)->links.empty());
  CAF_CHECK_EQUAL(view(new_york)->parties.size(), 1u);
  self->send(new_york_part, conference_leave{"call-b"});
  sched.run();
  CAF_CHECK(!view(new_york));
}

CAF_TEST_FIXTURE_SCOPE_END()
