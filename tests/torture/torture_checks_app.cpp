#include <optional>
#include <string_view>

#include <catch2/catch.hpp>

#include "net/sip/uri.hpp"
#include "tests/torture/torture_checks.hpp"

// RFC 4475 §3.2 - §3.4: messages the parser must not fail on; the response
// the RFC names (416, 420, 415, 483, ...) is decided above the parser, so
// each check asserts that the message exposes what that decision needs.
namespace ringdown::torture {

using sip::header_id;

// §3.2.1: "z9hG4bK" with no identifier; a liberal element falls back to
// RFC 2543 matching, so the branch must read back as exactly the cookie.
void check_badbranch(const sip::message& m) {
  auto vias = all_vias(m);
  REQUIRE(vias.size() == 1);
  CHECK(vias[0].branch() == "z9hG4bK");
}

// §3.3.2: the application answers 416 Unsupported URI Scheme.
void check_unkscm(const sip::message& m) {
  CHECK(m.method() == sip::method::options);
  CHECK(m.request_uri_text() == "nobodyKnowsThisScheme:totallyopaquecontent");
  CHECK_FALSE(sip::uri::parse(m.request_uri_text()).has_value());
}

// §3.3.3: soap.beep is registered but not supported here: 416.
void check_novelsc(const sip::message& m) {
  CHECK(m.method() == sip::method::options);
  CHECK(m.request_uri_text() == "soap.beep://192.0.2.103:3002");
  CHECK_FALSE(sip::uri::parse(m.request_uri_text()).has_value());
}

// §3.3.4: isbn:, http:, name: URIs in To, From, Contact; parsers must not
// fail; a registrar refuses the registration (non-SIP AOR).
void check_unksm2(const sip::message& m) {
  CHECK(m.method() == sip::method::register_);
  CHECK(m.header(header_id::to) == "isbn:2983792873");
  CHECK(m.header(header_id::from) == "<http://www.example.com>;tag=3234233");
  CHECK(m.header(header_id::contact) == "<name:John_Smith>");
  CHECK(m.call_id() == "unksm2.daksdj@hyphenated-host.example.com");
}

// §3.3.5: answered 420 Bad Extension listing the Require / Proxy-Require tags.
void check_bext01(const sip::message& m) {
  CHECK(m.lists_token(header_id::require, "nothingSupportsThis"));
  CHECK(m.lists_token(header_id::require, "nothingSupportsThisEither"));
  CHECK(m.lists_token(header_id::proxy_require, "noProxiesSupportThis"));
  CHECK(m.lists_token(header_id::proxy_require, "norDoAnyProxiesSupportThis"));
  CHECK(m.values(header_id::proxy_require).size() == 2);
}

// §3.3.6: a UAS answers 415 Unsupported Media Type.
void check_invut(const sip::message& m) {
  auto ctype = m.content_type();
  REQUIRE(ctype.has_value());
  CHECK(ctype->value == "application/unknownformat");
  CHECK(m.body().size() == 40);
}

// §3.3.7: an Authorization scheme nobody knows; the registrar challenges.
void check_regaut01(const sip::message& m) {
  auto auth = sip::auth_header::parse(m.header(header_id::authorization));
  REQUIRE(auth.has_value());
  CHECK(auth->scheme == "NoOneKnowsThisScheme");
  CHECK(auth->param("opaque-data") == std::optional<std::string_view>{"here"});
  CHECK(m.content_length() == std::optional<std::uint32_t>{0}); // "Content-Length:0"
}

// §3.3.8: repeated To, From, Call-ID, CSeq, Max-Forwards: answered 400.
void check_multi01(const sip::message& m) {
  CHECK(m.count(header_id::call_id) == 2);
  CHECK(m.count(header_id::to) == 2);
  CHECK(m.count(header_id::from) == 2);
  CHECK(m.count(header_id::cseq) == 2);
  CHECK(m.count(header_id::max_forwards) == 2);
}

// §3.3.10: a response whose second Via is a broadcast address; processed
// normally (it is the first Via that is removed).
void check_bcast(const sip::message& m) {
  REQUIRE(m.is_response());
  CHECK(m.status_code() == 200);
  auto vias = all_vias(m);
  REQUIRE(vias.size() == 2);
  CHECK(vias[1].host == "255.255.255.255");
  CHECK(m.body().size() == 154);
}

// §3.3.11: legal; a proxy answers 483, an endpoint processes it.
void check_zeromf(const sip::message& m) {
  CHECK(m.max_forwards() == std::optional<std::uint32_t>{0});
}

// §3.3.12: bare addr-spec Contact: "unknownparam" is a contact-param.
void check_cparam01(const sip::message& m) {
  auto contacts = m.contacts();
  REQUIRE(contacts.size() == 1);
  CHECK(contacts[0].address.uri.user == "+19725552222");
  CHECK(contacts[0].address.params.contains("unknownparam"));
  CHECK_FALSE(contacts[0].address.uri.params.contains("unknownparam"));
}

// §3.3.13: inside <>: "unknownparam" is a url-parameter.
void check_cparam02(const sip::message& m) {
  auto contacts = m.contacts();
  REQUIRE(contacts.size() == 1);
  CHECK(contacts[0].address.uri.params.contains("unknownparam"));
  CHECK_FALSE(contacts[0].address.params.contains("unknownparam"));
}

// §3.3.14: the escaped Route header stays part of the Contact URI.
void check_regescrt(const sip::message& m) {
  auto contacts = m.contacts(); // compact "M:"
  REQUIRE(contacts.size() == 1);
  CHECK(contacts[0].address.uri.headers == "Route=%3Csip:sip.example.com%3E");
  CHECK(m.content_length() == std::optional<std::uint32_t>{0}); // "L:0"
}

// §3.3.15: Accept without application/sdp: answered 406 (or 400).
void check_sdp01(const sip::message& m) {
  CHECK(m.header(header_id::accept) == "text/nobodyKnowsThis");
  auto ctype = m.content_type();
  REQUIRE(ctype.has_value());
  CHECK(ctype->value == "application/sdp");
}

// §3.4.1: RFC 2543 syntax: no branch, no From tag, no Content-Length (the
// body is the rest of the datagram), no Max-Forwards.
void check_inv2543(const sip::message& m) {
  CHECK(m.method() == sip::method::invite);
  auto vias = all_vias(m);
  REQUIRE(vias.size() == 1);
  CHECK(vias[0].branch().empty());
  CHECK(vias[0].host == "iftgw.example.com");
  auto from = m.from();
  REQUIRE(from.has_value());
  CHECK(from->tag().empty());
  CHECK(from->uri.user == "+13035551111");
  CHECK_FALSE(m.max_forwards().has_value());
  CHECK_FALSE(m.content_length().has_value());
  CHECK(m.body().size() == 105);
  CHECK(m.body().starts_with("v=0\r\n"));
}

} // namespace ringdown::torture
