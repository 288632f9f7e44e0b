#include "base/ids.hpp"

#include <set>

#include <catch2/catch.hpp>

using namespace ringdown;

TEST_CASE("ids: branches carry the RFC 3261 cookie and are unique", "[base][ids]") {
  rng g{1};
  id_generator ids{g, "node1.example"};
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto b = ids.branch();
    REQUIRE(id_generator::is_rfc3261_branch(b));
    REQUIRE(b.size() > 7 + 16);
    REQUIRE(seen.insert(b).second);
  }
  CHECK_FALSE(id_generator::is_rfc3261_branch("z9hg4bk123"));
}

TEST_CASE("ids: Call-ID and tags are token characters, host appended", "[base][ids]") {
  rng g{2};
  id_generator ids{g, "h.example"};
  const auto cid = ids.call_id();
  CHECK(cid.ends_with("@h.example"));
  CHECK(cid.size() >= 26 + 10);
  const auto tag = ids.tag();
  CHECK(tag.size() >= 12);
  for (char ch : tag)
    CHECK(((ch >= 'a' && ch <= 'z') || (ch >= '2' && ch <= '7')));
}

TEST_CASE("ids: a seed reproduces the identifiers", "[base][ids]") {
  rng g1{99}, g2{99};
  id_generator a{g1, ""}, b{g2, ""};
  CHECK(a.call_id() == b.call_id());
  CHECK(a.tag() == b.tag());
  CHECK(a.branch() == b.branch());
}
