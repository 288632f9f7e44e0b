#include <string>

#include <catch2/catch.hpp>

#include "cluster/members_table.hpp"

using namespace ringdown::cluster;

namespace {
member make(std::string id, std::string zone, member_state s) {
  return member{std::move(id),
                std::move(zone),
                {"10.0.0.1:5060", "10.0.0.1:7946", "10.0.0.1:8080", "10.0.0.1:20000"},
                s,
                0};
}
} // namespace

TEST_CASE("members_table stores records by id", "[cluster][members_table]") {
  members_table t;
  CHECK(t.upsert(make("b", "london", member_state::alive)));
  CHECK(t.upsert(make("a", "london", member_state::alive)));
  CHECK(t.size() == 2);
  REQUIRE(t.find("a") != nullptr);
  CHECK(t.find("a")->zone == "london");
  CHECK(t.find("zz") == nullptr);
  CHECK(t.begin()->first == "a"); // sorted
  auto changed = make("a", "paris", member_state::suspect);
  changed.incarnation = 4;
  CHECK(t.upsert(changed));
  CHECK(t.size() == 2);
  CHECK(*t.find("a") == changed);
  CHECK(t.erase("a"));
  CHECK_FALSE(t.erase("a"));
  CHECK(t.size() == 1);
}

TEST_CASE("alive_in_zone keeps alive and suspect members of the zone",
          "[cluster][members_table]") {
  members_table t;
  t.upsert(make("n4", "london", member_state::alive));
  t.upsert(make("n1", "london", member_state::suspect));
  t.upsert(make("n2", "london", member_state::dead));
  t.upsert(make("n3", "london", member_state::left));
  t.upsert(make("n5", "newyork", member_state::alive));
  const auto v = t.alive_in_zone("london");
  REQUIRE(v.size() == 2);
  CHECK(v[0]->id == "n1");
  CHECK(v[1]->id == "n4");
  CHECK(t.alive_in_zone("newyork").size() == 1);
  CHECK(t.alive_in_zone("tokyo").empty());
  CHECK(t.live_count() == 3);
  CHECK(t.count(member_state::dead) == 1);
  CHECK(t.count(member_state::left) == 1);
}

TEST_CASE("members_table holds at most members_max records", "[cluster][members_table]") {
  members_table t;
  for (std::size_t i = 0; i < members_table::members_max; ++i)
    REQUIRE(t.upsert(make("n" + std::to_string(i), "z", member_state::alive)));
  CHECK_FALSE(t.upsert(make("extra", "z", member_state::alive)));
  CHECK(t.upsert(make("n0", "z", member_state::dead))); // replacing is fine
  CHECK(t.size() == members_table::members_max);
}

TEST_CASE("well_formed checks the record's limits", "[cluster][member]") {
  auto m = make("n1", "london", member_state::alive);
  CHECK(well_formed(m));
  m.id.clear();
  CHECK_FALSE(well_formed(m));
  m.id = std::string(member_id_bytes_max + 1, 'x');
  CHECK_FALSE(well_formed(m));
  m.id = "n1";
  m.addresses.media = std::string(address_bytes_max + 1, 'x');
  CHECK_FALSE(well_formed(m));
}
