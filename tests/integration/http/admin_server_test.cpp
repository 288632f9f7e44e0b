#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/integration/http/http_fixture.hpp"

using namespace ringdown::http;
using namespace ringdown::http::test;

namespace {

void sample_routes(admin_server& s) {
  s.route(method::get, "/v1/items/{id}", [](const request& q) {
    return response{200, "{\"id\":\"" + std::string{q.param("id")} + "\"}"};
  });
  s.route(method::post, "/v1/echo", [](const request& q) {
    return response{200, "{\"bytes\":" + std::to_string(q.body.size()) + "}"};
  });
  s.route(method::get, "/v1/boom",
          [](const request&) -> response { throw std::runtime_error{"boom"}; });
}

std::string get(std::string_view path, bool close = false) {
  std::string r = "GET ";
  r += path;
  r += " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (close)
    r += "Connection: close\r\n";
  return r + "\r\n";
}

std::string post(std::string_view path, std::size_t body_bytes) {
  return "POST " + std::string{path} +
         " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + std::to_string(body_bytes) +
         "\r\n\r\n" + std::string(body_bytes, 'x');
}

} // namespace

TEST_CASE("admin server answers its routes with JSON", "[http][server]") {
  server_fixture srv{{}, sample_routes};
  REQUIRE(srv.started());
  REQUIRE(srv.port() != 0);
  client c{srv.port()};
  REQUIRE(c.connected());

  REQUIRE(c.send(get("/v1/health")));
  auto r = c.read_reply();
  CHECK(r.status == 200);
  CHECK(r.body == R"({"status":"ok"})");
  CHECK(r.header("Content-Type") == "application/json");

  REQUIRE(c.send(get("/v1/items/node-2?verbose=1")));
  r = c.read_reply();
  CHECK(r.status == 200);
  CHECK(r.body == R"({"id":"node-2"})");

  REQUIRE(c.send(post("/v1/echo", 1000)));
  r = c.read_reply();
  CHECK(r.status == 200);
  CHECK(r.body == R"({"bytes":1000})");
  // Three requests, one connection: keep-alive.
  CHECK(srv.counters().connections_accepted == 1);
  CHECK(srv.counters().responses_2xx == 3);
}

TEST_CASE("admin server keeps a connection for pipelined requests", "[http][server]") {
  server_fixture srv{{}, sample_routes};
  client c{srv.port()};
  REQUIRE(c.send(get("/v1/items/a") + get("/v1/items/b", true)));
  CHECK(c.read_reply().body == R"({"id":"a"})");
  const auto last = c.read_reply();
  CHECK(last.body == R"({"id":"b"})");
  CHECK(last.header("Connection") == "close");
  CHECK(c.closed_by_server());
}

TEST_CASE("admin server errors are JSON: 404, 405, 500", "[http][server]") {
  server_fixture srv{{}, sample_routes};
  client c{srv.port()};
  REQUIRE(c.send(get("/v1/nothing")));
  auto r = c.read_reply();
  CHECK(r.status == 404);
  CHECK(r.body == R"({"error":"no such resource: /v1/nothing"})");
  CHECK(r.header("Content-Type") == "application/json");

  REQUIRE(c.send(post("/v1/health", 0)));
  r = c.read_reply();
  CHECK(r.status == 405);
  CHECK(r.header("Allow") == "GET");
  CHECK(r.body.starts_with(R"({"error":)"));

  REQUIRE(c.send(get("/v1/boom")));
  r = c.read_reply();
  CHECK(r.status == 500);
  CHECK(r.body == R"({"error":"internal error"})");
  // None of these closes the connection.
  REQUIRE(c.send(get("/v1/health")));
  CHECK(c.read_reply().status == 200);
  const auto n = srv.counters();
  CHECK(n.not_found == 1);
  CHECK(n.method_not_allowed == 1);
  CHECK(n.responses_5xx == 1);
  CHECK(n.responses_4xx == 2);
}

TEST_CASE("admin server answers 400 to garbage and closes", "[http][server]") {
  server_fixture srv{{}, sample_routes};
  for (const char* garbage :
       {"HELLO THERE\r\n\r\n", "GET / HTTP/1.1\r\nNo colon here\r\n\r\n",
        "GET /v1/health HTTP/1.1\r\nContent-Length: x\r\n\r\n"}) {
    INFO(garbage);
    client c{srv.port()};
    REQUIRE(c.send(garbage));
    const auto r = c.read_reply();
    CHECK(r.status == 400);
    CHECK(r.body.starts_with(R"({"error":"malformed HTTP request)"));
    CHECK(c.closed_by_server());
  }
  CHECK(srv.counters().bad_requests == 3);
}

TEST_CASE("admin server refuses a body over the limit with 413", "[http][server]") {
  server_options opts;
  opts.body_max_bytes = 1024;
  server_fixture srv{opts, sample_routes};
  {
    client c{srv.port()};
    REQUIRE(c.send(post("/v1/echo", 1024)));
    CHECK(c.read_reply().status == 200);
  }
  client c{srv.port()};
  REQUIRE(c.send(post("/v1/echo", 70'000)));
  const auto r = c.read_reply();
  CHECK(r.status == 413);
  CHECK(r.body.starts_with(R"({"error":"request body over 1024 bytes)"));
  CHECK(c.closed_by_server());
  CHECK(srv.counters().too_large == 1);
}

TEST_CASE("admin server refuses a header over the limit with 431", "[http][server]") {
  server_fixture srv{{}, sample_routes};
  client c{srv.port()};
  REQUIRE(
      c.send("GET /v1/health HTTP/1.1\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n"));
  const auto r = c.read_reply();
  CHECK(r.status == 431);
  CHECK(r.body.starts_with(R"({"error":)"));
  CHECK(c.closed_by_server());
}

TEST_CASE("admin server closes an idle connection", "[http][server]") {
  server_options opts;
  opts.idle_timeout_ms = 200;
  server_fixture srv{opts, sample_routes};
  client c{srv.port()};
  REQUIRE(c.send(get("/v1/health")));
  CHECK(c.read_reply().status == 200);
  CHECK(c.closed_by_server()); // within the client's 5 s receive timeout
  // The stream closes the socket before the read handler counts it.
  CHECK(eventually([&] { return srv.counters().timeouts == 1; }));
}

TEST_CASE("admin server closes connections over connections_max", "[http][server]") {
  server_options opts;
  opts.connections_max = 2;
  server_fixture srv{opts, sample_routes};
  std::vector<std::unique_ptr<client>> held;
  for (int i = 0; i < 2; ++i) {
    held.push_back(std::make_unique<client>(srv.port()));
    REQUIRE(held.back()->send(get("/v1/health")));
    REQUIRE(held.back()->read_reply().status == 200);
  }
  {
    client extra{srv.port()};
    REQUIRE(extra.connected()); // the kernel accepts; the server closes it
    CHECK(extra.closed_by_server());
    CHECK(srv.counters().connections_refused == 1);
  }
  // Once one of the two leaves, a new connection is served again. The
  // server learns of the close when its read ends: retry a bounded number
  // of times.
  held.front()->close();
  bool served = false;
  for (int attempt = 0; attempt < 50 && !served; ++attempt) {
    client again{srv.port()};
    served = again.send(get("/v1/health")) && again.read_reply().status == 200;
  }
  CHECK(served);
  CHECK(srv.counters().connections_accepted >= 3);
}

TEST_CASE("admin server refuses a listen address that is not host:port", "[http][server]") {
  boost::asio::io_context io;
  server_options opts;
  opts.listen = "localhost:8080";
  admin_server s{io, opts};
  std::string error;
  CHECK_FALSE(s.start(error));
  CHECK(error.find("localhost:8080") != std::string::npos);
  CHECK(s.port() == 0);
}
