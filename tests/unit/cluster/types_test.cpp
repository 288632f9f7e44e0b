#include <catch2/catch.hpp>

#include "cluster/types.hpp"

using namespace ringdown::cluster;

TEST_CASE("member states have their SWIM names", "[cluster][types]") {
  CHECK(to_string(member_state::alive) == "alive");
  CHECK(to_string(member_state::suspect) == "suspect");
  CHECK(to_string(member_state::dead) == "dead");
  CHECK(to_string(member_state::left) == "left");
}
