#include <string>

#include <catch2/catch.hpp>

#include "actors/bridge/conference_roster.hpp"
#include "base/json_reader.hpp"

using namespace ringdown;
using bridge::conference_roster;

namespace {

conference_roster::part_view part(std::string room, std::string zone, bool home,
                                  std::vector<conference_roster::party> parties) {
  return {room, zone, zone + "/node-1", home, std::move(parties), {}};
}

} // namespace

TEST_CASE("the roster shows each part's latest view, by room then zone", "[bridge][conf]") {
  conference_roster r;
  CHECK(r.put(part("huddle", "new-york", false, {{"c3", "sip:carol@x"}})));
  CHECK(r.put(part("huddle", "london", true, {{"c1", "sip:alice@x"}})));
  CHECK(r.put(part("desk", "london", true, {})));
  auto v = part("huddle", "london", true, {{"c1", "sip:alice@x"}, {"c2", "sip:bob@x"}});
  v.links = {"new-york/node-2"};
  CHECK(r.put(v)); // replaces london's view
  const auto all = r.all();
  REQUIRE(all.size() == 3);
  CHECK(all[0].room == "desk");
  CHECK(all[1] == v);
  CHECK(all[2].zone == "new-york");
  CHECK(r.room("huddle").size() == 2);
  CHECK(r.room("hud").empty()); // a prefix is not the room
  CHECK(r.zone_of("huddle", "c2") == std::optional<std::string>("london"));
  CHECK(r.zone_of("huddle", "c3") == std::optional<std::string>("new-york"));
  CHECK_FALSE(r.zone_of("desk", "c1"));
  r.erase("huddle", "london");
  CHECK(r.room("huddle").size() == 1);
  CHECK_FALSE(r.zone_of("huddle", "c2"));
}

TEST_CASE("the roster holds at most parts_max parts", "[bridge][conf]") {
  conference_roster r;
  for (std::size_t i = 0; i < conference_roster::parts_max; ++i)
    REQUIRE(r.put(part("room" + std::to_string(i), "london", true, {})));
  CHECK_FALSE(r.put(part("one-more", "london", true, {})));
  CHECK(r.put(part("room7", "london", false, {}))); // a known part still updates
  CHECK(r.all().size() == conference_roster::parts_max);
}

TEST_CASE("the roster's JSON is what the admin API answers", "[bridge][conf]") {
  auto v = part("hud\"dle", "london", true, {{"c1", "sip:alice@x"}});
  v.links = {"new-york/node-2"};
  const auto text = conference_roster::to_json("node-1", {v});
  std::string error;
  const auto doc = json_value::parse(text, error);
  REQUIRE(doc);
  CHECK(doc->find("node")->text() == "node-1");
  const auto& confs = doc->find("conferences")->items();
  REQUIRE(confs.size() == 1);
  CHECK(confs[0].find("room")->text() == "hud\"dle");
  CHECK(confs[0].find("home")->as_bool());
  CHECK(confs[0].find("parties")->items()[0].find("from")->text() == "sip:alice@x");
  CHECK(confs[0].find("links")->items()[0].text() == "new-york/node-2");
}
