#include <string>

#include <catch2/catch.hpp>

#include "net/http/cluster_routes.hpp"

using namespace ringdown::http;

namespace {

node_status sample() {
  node_status s;
  s.self = "node-1";
  s.draining = true;
  s.live_calls = 12;
  s.members.push_back({"node-1", "london", "alive", 3, "127.0.0.11:5060", "127.0.0.11:7946",
                       "127.0.0.11:8080", "127.0.0.11"});
  s.members.push_back({"node-\"2\"", "new york", "suspect", 18446744073709551615ull,
                       "127.0.0.12:5060", "127.0.0.12:7946", "", ""});
  s.owned_keys = {{"line", 3}, {"dialog", 0}};
  return s;
}

} // namespace

TEST_CASE("cluster status JSON has the agreed shape", "[http][cluster]") {
  node_status s;
  s.self = "node-1";
  s.members.push_back({"node-1", "z", "alive", 1, "a:1", "b:2", "c:3", "d"});
  s.owned_keys = {{"line", 3}};
  CHECK(to_json(s) == R"({"node":"node-1","draining":false,"live_calls":0,"members":)"
                      R"([{"id":"node-1","zone":"z","state":"alive","incarnation":1,)"
                      R"("sip":"a:1","cluster":"b:2","admin":"c:3","media":"d"}],)"
                      R"("owned_keys":{"line":3}})");
}

TEST_CASE("cluster status JSON reads back what it wrote", "[http][cluster]") {
  const auto s = sample();
  std::string error;
  const auto back = node_status_from_json(to_json(s), error);
  REQUIRE(back);
  CHECK(back->self == s.self);
  CHECK(back->draining == s.draining);
  CHECK(back->live_calls == s.live_calls);
  REQUIRE(back->members.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& a = back->members[i];
    const auto& b = s.members[i];
    CHECK(a.id == b.id);
    CHECK(a.zone == b.zone);
    CHECK(a.state == b.state);
    CHECK(a.incarnation == b.incarnation);
    CHECK(a.sip == b.sip);
    CHECK(a.cluster == b.cluster);
    CHECK(a.admin == b.admin);
    CHECK(a.media == b.media);
  }
  CHECK(back->owned_keys == s.owned_keys);
}

TEST_CASE("cluster status JSON refuses other documents", "[http][cluster]") {
  std::string error;
  CHECK_FALSE(node_status_from_json("not json", error));
  CHECK_FALSE(node_status_from_json(R"({"error":"no such resource"})", error));
  CHECK(error.find("not a cluster status") != std::string::npos);
  CHECK_FALSE(node_status_from_json(R"({"node":"n","members":{}})", error));
}
