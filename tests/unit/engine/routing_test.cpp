// Where each incoming request goes: route_request on parsed messages.
#include <string>

#include <catch2/catch.hpp>

#include "actors/engine/request_router.hpp"
#include "net/sip/parser.hpp"

using namespace ringdown;
using actors::actor_kind;

namespace {

sip::message request(std::string_view method, std::string_view ruri, std::string_view to,
                     std::string_view call_id = "c1@host") {
  std::string text;
  text.append(method).append(" ").append(ruri).append(" SIP/2.0\r\n");
  text += "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n";
  text += "Max-Forwards: 70\r\n";
  text += "From: <sip:alice@floor.example>;tag=a1\r\n";
  text.append("To: ").append(to).append("\r\n");
  text.append("Call-ID: ").append(call_id).append("\r\n");
  text.append("CSeq: 1 ").append(method).append("\r\n");
  text += "Content-Length: 0\r\n\r\n";
  sip::message m;
  const auto r = sip::parser{sip::limits{}}.parse(text, m);
  REQUIRE(r.error == sip::parse_error::none);
  return m;
}

actors::routing_context context() {
  actors::routing_context ctx;
  ctx.zone = "london";
  ctx.zone_of_aor = [](const sip::uri& aor) -> std::optional<std::string> {
    if (aor.user == "trader-ny")
      return "new-york";
    if (aor.user == "trader-ldn")
      return "london";
    return std::nullopt;
  };
  ctx.line_of = [](const sip::uri& uri) -> std::optional<std::string> {
    if (uri.user == "fx-desk")
      return "sip:fx-desk@floor.example";
    return std::nullopt;
  };
  return ctx;
}

} // namespace

TEST_CASE("REGISTER goes to the registrar of the resource's zone", "[engine][routing]") {
  const auto ctx = context();
  const auto ny = actors::route_request(
      request("REGISTER", "sip:floor.example", "<sip:trader-ny@floor.example>"), ctx);
  REQUIRE(ny.key);
  CHECK(ny.key->kind == actor_kind::registrar);
  CHECK(ny.key->name == "new-york");
  CHECK(ny.spawn);
  const auto unknown = actors::route_request(
      request("REGISTER", "sip:floor.example", "<sip:nobody@floor.example>"), ctx);
  REQUIRE(unknown.key);
  CHECK(unknown.key->name == "london");
}

TEST_CASE("SUBSCRIBE and PUBLISH for a line go to the line", "[engine][routing]") {
  const auto ctx = context();
  for (std::string_view method : {"SUBSCRIBE", "PUBLISH"}) {
    INFO(method);
    const auto r = actors::route_request(
        request(method, "sip:fx-desk@floor.example", "<sip:fx-desk@floor.example>"), ctx);
    REQUIRE(r.key);
    CHECK(r.key->kind == actor_kind::line);
    CHECK(r.key->name == "sip:fx-desk@floor.example");
    CHECK(r.spawn);
  }
  const auto other = actors::route_request(
      request("SUBSCRIBE", "sip:bob@floor.example", "<sip:bob@floor.example>"), ctx);
  CHECK_FALSE(other.key);
}

TEST_CASE("only an initial INVITE may spawn a dialog", "[engine][routing]") {
  const auto ctx = context();
  const auto initial = actors::route_request(
      request("INVITE", "sip:bob@floor.example", "<sip:bob@floor.example>", "x@y"), ctx);
  REQUIRE(initial.key);
  CHECK(initial.key->kind == actor_kind::dialog);
  CHECK(initial.key->name == "x@y");
  CHECK(initial.spawn);
  const auto reinvite = actors::route_request(
      request("INVITE", "sip:bob@floor.example", "<sip:bob@floor.example>;tag=b1", "x@y"),
      ctx);
  REQUIRE(reinvite.key);
  CHECK_FALSE(reinvite.spawn);
  for (std::string_view method : {"ACK", "CANCEL", "BYE", "UPDATE", "INFO", "REFER"}) {
    INFO(method);
    const auto r = actors::route_request(
        request(method, "sip:bob@floor.example", "<sip:bob@floor.example>", "x@y"), ctx);
    REQUIRE(r.key);
    CHECK(r.key->kind == actor_kind::dialog);
    CHECK_FALSE(r.spawn);
  }
}

TEST_CASE("OPTIONS and MESSAGE out of dialog stay with the responder",
          "[engine][routing]") {
  const auto ctx = context();
  CHECK_FALSE(actors::route_request(
                  request("OPTIONS", "sip:floor.example", "<sip:floor.example>"), ctx)
                  .key);
  CHECK_FALSE(
      actors::route_request(
          request("MESSAGE", "sip:bob@floor.example", "<sip:bob@floor.example>"), ctx)
          .key);
  const auto in_dialog = actors::route_request(
      request("OPTIONS", "sip:bob@floor.example", "<sip:bob@floor.example>;tag=t", "z@y"),
      ctx);
  REQUIRE(in_dialog.key);
  CHECK(in_dialog.key->name == "z@y");
  CHECK_FALSE(in_dialog.spawn);
}
