#include <string_view>

#include <catch2/catch.hpp>

#include "tests/torture/torture_checks.hpp"

// RFC 4475 §3.1.2: the liberal readings the RFC allows for some invalid
// messages. A parser that accepts one of them must produce exactly this
// reading (never a different, wrong one); rejecting with 400 is the other
// permitted outcome, checked by the driver.
namespace ringdown::torture {

using sip::header_id;

// §3.1.2.6: "An element could attempt to infer a terminating quote".
void check_quotbal(const sip::message& m) {
  auto to = m.to();
  REQUIRE(to.has_value());
  CHECK(to->uri.user == "j.user");
  CHECK(to->uri.host == "example.com");
}

// §3.1.2.7: liberal elements "may choose to ignore the brackets".
void check_ltgtruri(const sip::message& m) {
  CHECK(m.method() == sip::method::invite);
  CHECK(m.request_uri().user == "user");
  CHECK(m.request_uri().host == "example.com");
}

// §3.1.2.8: "ignore the embedded LWS": the URI is sip:user@example.com;lr.
void check_lwsruri(const sip::message& m) {
  CHECK(m.method() == sip::method::invite);
  CHECK(m.request_uri().host == "example.com");
  CHECK(m.request_uri().has_lr());
}

// §3.1.2.9: extra SP between start-line elements ignored.
void check_lwsstart(const sip::message& m) {
  CHECK(m.method() == sip::method::invite);
  CHECK(m.request_uri_text() == "sip:user@example.com");
}

// §3.1.2.10: SP after SIP-Version ignored.
void check_trws(const sip::message& m) {
  CHECK(m.method() == sip::method::options);
  CHECK(m.request_uri_text() == "sip:remote-target@example.com");
}

// §3.1.2.11: "ignore the escaped headers"; the URI itself is sip:user@example.com.
void check_escruri(const sip::message& m) {
  CHECK(m.method() == sip::method::invite);
  CHECK(m.request_uri().user == "user");
  CHECK(m.request_uri().host == "example.com");
}

// §3.1.2.12: "could ignore this value altogether"; the Date stays as sent.
void check_baddate(const sip::message& m) {
  CHECK(m.method() == sip::method::invite);
  CHECK(m.header("Date") == "Fri, 01 Jan 2010 16:00:00 EST");
  CHECK(m.body().size() == 150);
}

// §3.1.2.13: "could infer the angle brackets": the Route is a URI header,
// not a Contact parameter.
void check_regbadct(const sip::message& m) {
  auto contacts = m.contacts();
  REQUIRE(contacts.size() == 1);
  CHECK(contacts[0].address.uri.host == "example.com");
  CHECK(contacts[0].address.uri.headers == "Route=%3Csip:sip.example.com%3E");
}

// §3.1.2.14: "may ignore the spaces" inside <>.
void check_badaspec(const sip::message& m) {
  auto to = m.to();
  REQUIRE(to.has_value());
  CHECK(to->display_name == "Watson, Thomas");
  CHECK(to->uri.user == "t.watson");
  CHECK(to->uri.host == "example.org");
}

// §3.1.2.15: "infer the missing quotes" around "Watson, Thomas"; the comma
// must not split the To value into two.
void check_baddn(const sip::message& m) {
  auto to = m.to();
  REQUIRE(to.has_value());
  CHECK(to->uri.user == "t.watson");
  auto from = m.from();
  REQUIRE(from.has_value());
  CHECK(from->uri.user == "a.g.bell");
  CHECK(from->tag() == "43");
}

} // namespace ringdown::torture
