#include <stdexcept>
#include <string>

#include <catch2/catch.hpp>

#include "net/http/router.hpp"

using namespace ringdown::http;

namespace {

request make(method m, std::string path) {
  request r;
  r.verb = m;
  r.path = std::move(path);
  return r;
}

router sample() {
  router r;
  r.add(method::get, "/v1/items", [](const request&) { return response{200, "[]"}; });
  r.add(method::post, "/v1/items", [](const request& q) { return response{201, q.body}; });
  r.add(method::get, "/v1/items/{id}", [](const request& q) {
    return response{200, std::string{q.param("id")}};
  });
  r.add(method::delete_, "/v1/items/{id}/tags/{tag}", [](const request& q) {
    return response{204, std::string{q.param("id")} + "," + std::string{q.param("tag")}};
  });
  r.add(method::get, "/v1/boom",
        [](const request&) -> response { throw std::runtime_error{"boom"}; });
  r.add(method::get, "/v1/odd", [](const request&) { return response{1000, "{}"}; });
  return r;
}

} // namespace

TEST_CASE("split_path drops the outer slashes only", "[http][router]") {
  CHECK(split_path("/").empty());
  CHECK(split_path("/a/b/") == std::vector<std::string_view>{"a", "b"});
  CHECK(split_path("/a//b") == std::vector<std::string_view>{"a", "", "b"});
}

TEST_CASE("router dispatches by method and pattern", "[http][router]") {
  const auto r = sample();
  std::string allow;
  struct row {
    method verb;
    const char* path;
    int status;
    const char* body;
  };
  for (const auto& [verb, path, status, body] : {
           row{method::get, "/v1/items", 200, "[]"},
           row{method::get, "/v1/items/", 200, "[]"},
           row{method::get, "/v1/items/node-7", 200, "node-7"},
           row{method::delete_, "/v1/items/a/tags/b", 204, "a,b"},
       }) {
    INFO(path);
    auto req = make(verb, path);
    const auto res = r.dispatch(req, allow);
    CHECK(res.status == status);
    CHECK(res.body == body);
    CHECK(allow.empty());
  }
}

TEST_CASE("router answers 404, 405 with Allow, and 500", "[http][router]") {
  const auto r = sample();
  std::string allow;
  auto missing = make(method::get, "/v1/nothing");
  auto res = r.dispatch(missing, allow);
  CHECK(res.status == 404);
  CHECK(res.body == R"({"error":"no such resource: /v1/nothing"})");
  CHECK(allow.empty());

  auto empty_param = make(method::get, "/v1/items//");
  CHECK(r.dispatch(empty_param, allow).status == 404);

  auto wrong = make(method::put, "/v1/items");
  res = r.dispatch(wrong, allow);
  CHECK(res.status == 405);
  CHECK(allow == "GET, POST");
  CHECK(res.body.starts_with(R"({"error":"method PUT not allowed)"));

  auto other = make(method::other, "/v1/items/x");
  CHECK(r.dispatch(other, allow).status == 405);
  CHECK(allow == "GET");

  auto boom = make(method::get, "/v1/boom");
  res = r.dispatch(boom, allow);
  CHECK(res.status == 500);
  CHECK(res.body == R"({"error":"internal error"})");

  auto odd = make(method::get, "/v1/odd");
  res = r.dispatch(odd, allow);
  CHECK(res.status == 500);
  CHECK(res.body == R"({"error":"internal error: a handler answered status 1000"})");
}

TEST_CASE("method names round-trip", "[http][router]") {
  for (auto m : {method::get, method::head, method::post, method::put, method::patch,
                 method::delete_, method::options})
    CHECK(method_from_string(to_string(m)) == m);
  CHECK(method_from_string("BREW") == method::other);
  CHECK(method_from_string("get") == method::other);
}
