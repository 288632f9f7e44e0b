#include <string>

#include <catch2/catch.hpp>

#include "base/json_reader.hpp"
#include "net/http/cluster_routes.hpp"
#include "tests/integration/http/http_fixture.hpp"

using namespace ringdown::http;
using namespace ringdown::http::test;

TEST_CASE("cluster routes serve the status and the drain", "[http][cluster]") {
  bool draining = false;
  server_fixture srv{{}, [&](admin_server& s) {
                       register_cluster_routes(
                           s,
                           [&] {
                             node_status st;
                             st.self = "node-1";
                             st.draining = draining;
                             st.members.push_back({"node-1", "london", "alive", 4,
                                                   "127.0.0.1:5060", "127.0.0.1:7946",
                                                   "127.0.0.1:8080", ""});
                             st.owned_keys = {{"line", 3}};
                             return st;
                           },
                           [&] {
                             if (draining)
                               return drain_answer{409, "node-1 is already draining"};
                             draining = true;
                             return drain_answer{202, "node-1 draining"};
                           });
                     }};
  client c{srv.port()};
  REQUIRE(c.send("GET /v1/cluster/status HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto r = c.read_reply();
  REQUIRE(r.status == 200);
  std::string error;
  auto st = node_status_from_json(r.body, error);
  REQUIRE(st);
  CHECK(st->self == "node-1");
  CHECK_FALSE(st->draining);
  REQUIRE(st->members.size() == 1);
  CHECK(st->members[0].incarnation == 4);

  const std::string drain =
      "POST /v1/node/drain HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
  REQUIRE(c.send(drain));
  r = c.read_reply();
  CHECK(r.status == 202);
  CHECK(r.body == R"({"message":"node-1 draining"})");
  REQUIRE(c.send(drain));
  r = c.read_reply();
  CHECK(r.status == 409);
  CHECK(r.body == R"({"error":"node-1 is already draining"})");

  REQUIRE(c.send("GET /v1/cluster/status HTTP/1.1\r\nHost: x\r\n\r\n"));
  st = node_status_from_json(c.read_reply().body, error);
  REQUIRE(st);
  CHECK(st->draining);

  REQUIRE(c.send("GET /v1/node/drain HTTP/1.1\r\nHost: x\r\n\r\n"));
  r = c.read_reply();
  CHECK(r.status == 405);
  CHECK(r.header("Allow") == "POST");
}
