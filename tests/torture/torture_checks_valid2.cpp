#include <optional>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "tests/torture/torture_checks.hpp"

// RFC 4475 §3.1.1.7 - §3.1.1.13 (continued from torture_checks_valid.cpp).
namespace ringdown::torture {

using sip::header_id;

// §3.1.1.7: many values and very long values.
void check_longreq(const sip::message& m) {
  REQUIRE(m.is_request());
  CHECK(m.method() == sip::method::invite);
  auto to = m.to();
  REQUIRE(to.has_value());
  CHECK(to->display_name ==
        "I have a user name of "
        "extremeextremeextremeextremeextremeextremeextremeextremeextreme"
        "extreme proportion");
  CHECK(to->uri.port == 6000);
  CHECK(to->uri.params.value("unknownparam1").size() == 89); // "verylong...value"
  std::string novalue = "verylong";
  for (int i = 0; i < 24; ++i) {
    novalue += "long";
  }
  novalue += "ParameterNameWithNoValue";
  CHECK(to->uri.params.contains(novalue));
  auto from = m.from(); // compact "F:"
  REQUIRE(from.has_value());
  CHECK(from->tag().size() == 155);
  CHECK(from->tag().starts_with("1298298298"));
  CHECK(from->uri.user.size() == 115);
  CHECK(m.call_id().size() == 141);
  CHECK(m.call_id().starts_with("longreq.onereally"));
  CHECK(m.call_id().ends_with("reallylongcallid"));
  auto vias = all_vias(m); // 34 Via values under every spelling of the name
  REQUIRE(vias.size() == 34);
  CHECK(vias[0].host == "sip33.example.com");
  CHECK(vias[32].host == "sip1.example.com");
  CHECK(vias[33].host == "host.example.com");
  CHECK(vias[33].received() == "192.0.2.5");
  CHECK(vias[33].branch().size() == 215);
  CHECK(m.header("Unknown-LongLongLongLongLongLongLongLongLongLongLongLongLongLongLong"
                 "LongLongLongLongLong-Name")
            .starts_with("unknown-longlonglong"));
  auto contacts = m.contacts();
  REQUIRE(contacts.size() == 1);
  CHECK(contacts[0].address.uri.user.size() == 115);
  CHECK(m.content_length() == std::optional<std::uint32_t>{150});
  CHECK(m.body().size() == 150);
}

// §3.1.1.8: octets after Content-Length in a datagram are noise (RFC 3261
// §18.3); a forwarded REGISTER must not carry them.
void check_dblreq(const sip::message& m) {
  REQUIRE(m.is_request());
  CHECK(m.method() == sip::method::register_);
  CHECK(m.call_id() == "dblreq.0ha0isndaksdj99sdfafnl3lk233412"); // compact "I:"
  auto cseq = m.cseq();
  REQUIRE(cseq.has_value());
  CHECK(cseq->method == sip::method::register_);
  CHECK(m.body().empty());
  auto contacts = m.contacts();
  REQUIRE(contacts.size() == 1);
  CHECK(contacts[0].address.uri.host == "host.example.com");
  CHECK(m.serialize().find("INVITE sip:joe@example.com") == std::string::npos);
}

// §3.1.1.9: the user part is "user;par=u%40example.net", no uri-parameters.
void check_semiuri(const sip::message& m) {
  REQUIRE(m.is_request());
  CHECK(m.request_uri().user == "user;par=u%40example.net");
  CHECK(m.request_uri().host == "example.com");
  CHECK(m.request_uri().params.empty());
  auto accept = m.values(header_id::accept); // a folded six-value list
  REQUIRE(accept.size() == 6);
  CHECK(accept[0] == "application/sdp");
  CHECK(accept[5] == "message/sipfrag");
}

// §3.1.1.10: all known transports and an unknown one.
void check_transports(const sip::message& m) {
  REQUIRE(m.is_request());
  CHECK(m.call_id() == "transports.kijh4akdnaqjkwendsasfdj");
  auto vias = all_vias(m);
  REQUIRE(vias.size() == 5);
  CHECK(vias[0].transport == "UDP");
  CHECK(vias[1].transport == "SCTP");
  CHECK(vias[2].transport == "TLS");
  CHECK(vias[3].transport == "UNKNOWN");
  CHECK(vias[4].transport == "TCP");
  CHECK(vias[3].host == "t4.example.com");
  CHECK(vias[3].branch() == "z9hG4bKasd0f3en");
}

// §3.1.1.11: multipart body with a binary part containing NULs.
void check_mpart01(const sip::message& m) {
  REQUIRE(m.is_request());
  CHECK(m.method() == sip::method::message);
  auto ctype = m.content_type();
  REQUIRE(ctype.has_value());
  CHECK(ctype->value == "multipart/mixed");
  CHECK(ctype->params.value("boundary") == "7a9cbec02ceef655");
  CHECK(m.content_length() == std::optional<std::uint32_t>{553});
  REQUIRE(m.body().size() == 553);
  CHECK(m.body().find('\0') != std::string_view::npos);
  CHECK(m.body() == m.raw().substr(m.raw().size() - 553)); // framed exactly
  auto vias = all_vias(m);
  REQUIRE(vias.size() == 1);
  CHECK(vias[0].port == 5070);
  CHECK(vias[0].has_rport());
  CHECK_FALSE(vias[0].rport().has_value());
  auto routes = m.routes();
  REQUIRE(routes.size() == 1);
  CHECK(routes[0].uri.port == 5080);
}

// §3.1.1.12: a reason phrase with UTF-8 and reserved characters.
void check_unreason(const sip::message& m) {
  REQUIRE(m.is_response());
  CHECK(m.status_code() == 200);
  CHECK(m.reason_phrase() == "= 2**3 * 5**2 но сто девяносто девять - простое");
  auto cseq = m.cseq();
  REQUIRE(cseq.has_value());
  CHECK(cseq->number == 35);
  CHECK(cseq->method == sip::method::invite);
  CHECK(m.body().size() == 154);
}

// §3.1.1.13: empty reason phrase after the required SP.
void check_noreason(const sip::message& m) {
  REQUIRE(m.is_response());
  CHECK(m.status_code() == 100);
  CHECK(m.reason_phrase().empty());
  auto to = m.to();
  REQUIRE(to.has_value());
  CHECK(to->tag() == "902jndnke3");
  CHECK(m.call_id() == "noreason.asndj203insdf99223ndf");
}

} // namespace ringdown::torture
