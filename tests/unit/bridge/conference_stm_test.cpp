// conference_stm: the seats and links of a conference part as bridge legs.
#include <catch2/catch.hpp>

#include "actors/bridge/conference_stm.hpp"

using ringdown::bridge::conference_stm;

TEST_CASE("conference seats are legs from 1, freed seats taken again",
          "[bridge][conference]") {
  conference_stm c;
  CHECK(c.empty());
  CHECK(c.seat("a") == 1u);
  CHECK(c.seat("b") == 2u);
  CHECK(c.seat("c") == 3u);
  CHECK(c.seated() == 3);
  CHECK(c.seated_at(2) == "b");
  CHECK(c.seated_at(0).empty());
  CHECK(c.seated_at(9).empty());
  CHECK(c.leave("b"));
  CHECK_FALSE(c.leave("b"));
  CHECK_FALSE(c.leave(""));
  CHECK(c.seated_at(2).empty());
  CHECK(c.seat("d") == 2u); // the free seat first
  CHECK(c.seated() == 3);
  for (const char* id : {"a", "c", "d"})
    CHECK(c.leave(id));
  CHECK(c.empty());
}

TEST_CASE("conference seats run out at seats_max", "[bridge][conference]") {
  conference_stm c;
  for (std::uint32_t i = 1; i <= conference_stm::seats_max; ++i)
    REQUIRE(c.seat("call-" + std::to_string(i)) == i);
  CHECK_FALSE(c.seat("one-more").has_value());
  CHECK(c.leave("call-7"));
  CHECK(c.seat("one-more") == 7u);
}

TEST_CASE("conference links keep their legs: the part ends with nobody and no link",
          "[bridge][conference]") {
  conference_stm c;
  const auto ny = c.link("new-york/node-2");
  CHECK(ny == conference_stm::first_link);
  // A former home keeps its links and reaches the other home by its own
  // leg: no link and no seat shares it.
  CHECK(ny != conference_stm::uplink);
  CHECK(conference_stm::uplink > conference_stm::seats_max);
  CHECK(c.seated_at(conference_stm::uplink).empty());
  CHECK(c.link("tokyo/node-3") == conference_stm::first_link + 1);
  CHECK(c.link("new-york/node-2") == ny); // linked again: the same leg
  CHECK(c.linked() == 2);
  CHECK_FALSE(c.empty());
  CHECK(c.unlink("new-york/node-2") == ny);
  CHECK_FALSE(c.unlink("new-york/node-2").has_value());
  CHECK(c.link("tokyo/node-3") == conference_stm::first_link + 1); // kept its leg
  CHECK(c.seated_at(ny).empty());                                  // a link is no seat
  CHECK(c.unlink("tokyo/node-3").has_value());
  CHECK(c.empty());
}
