// SIP, SIPS and tel URIs: parsing (RFC 3261 §19.1, §25.1; RFC 3966) and
// comparison (RFC 3261 §19.1.4 examples, RFC 3966 §4).
#include <catch2/catch.hpp>

#include "net/sip/uri.hpp"

namespace sip = ringdown::sip;

namespace {
sip::uri parse(std::string_view text) {
  auto u = sip::uri::parse(text);
  INFO(text);
  REQUIRE(u.has_value());
  return *u;
}
} // namespace

TEST_CASE("uri parses every component", "[sip][uri]") {
  constexpr std::string_view text =
      "sips:alice:secret@atlanta.example.com:5061;transport=tcp;lr;maddr=x?subject=hi&a=b";
  const sip::uri u = parse(text);
  CHECK(u.scheme == sip::uri::scheme_t::sips);
  CHECK(u.user == "alice");
  CHECK(u.password == "secret");
  CHECK(u.host == "atlanta.example.com");
  CHECK(u.port == 5061);
  CHECK(u.has_port());
  CHECK(u.transport() == "tcp");
  CHECK(u.has_lr());
  CHECK(u.params.value("maddr") == "x");
  CHECK(u.headers == "subject=hi&a=b");
  CHECK(u.text == text);

  const sip::uri v6 = parse("sip:[2001:db8::10]:5070");
  CHECK(v6.host == "[2001:db8::10]");
  CHECK(v6.is_ipv6());
  CHECK(v6.port == 5070);
  CHECK(parse("SIP:host").host == "host");
  CHECK(parse("sip:%61lice@host").user == "%61lice"); // escapes kept as written
  CHECK(parse("sip:user;par=u%40example.net@example.com").user ==
        "user;par=u%40example.net");
  CHECK(parse("sip:192.0.2.1").host == "192.0.2.1");
  CHECK(parse("sip:[::ffff:192.0.2.1]").is_ipv6());
}

TEST_CASE("tel uri keeps the number and its parameters", "[sip][uri]") {
  const sip::uri t = parse("tel:+1-201-555-0123;ext=22");
  CHECK(t.scheme == sip::uri::scheme_t::tel);
  CHECK(t.user == "+1-201-555-0123");
  CHECK(t.params.value("ext") == "22");
  const sip::uri local = parse("tel:7042;phone-context=example.com");
  CHECK(local.params.value("phone-context") == "example.com");
}

TEST_CASE("uri refuses malformed text", "[sip][uri]") {
  for (std::string_view bad :
       {"", "sip:", "http://example.com", "sip:user@", "sip:@host", "sip:host:99999",
        "sip:host:x", "sip:[2001:db8::1", "sip:ho st", "sip:host;a b", "sip:us%4@host",
        "sip:host?", "sip:<host>", "sip:[1:2:3:4:5:6:7:8:9]", "sip:a@b@c", "tel:"}) {
    INFO(bad);
    CHECK_FALSE(sip::uri::parse(bad).has_value());
  }
  CHECK(sip::uri::is_absolute_uri("soap.beep://192.0.2.103:3002"));
  CHECK_FALSE(sip::uri::is_absolute_uri("<sip:a@b>"));
}

TEST_CASE("RFC 3261 19.1.4 equivalent URIs compare equal", "[sip][uri]") {
  const std::pair<std::string_view, std::string_view> pairs[] = {
      {"sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"},
      {"sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"},
      {"sip:carol@chicago.com", "sip:carol@chicago.com;security=on"},
      {"sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on"},
      {"sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
       "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"},
      {"sip:alice@atlanta.com?subject=project%20x&priority=urgent",
       "sip:alice@atlanta.com?priority=urgent&subject=project%20x"},
  };
  for (const auto& [a, b] : pairs) {
    INFO(a << " vs " << b);
    CHECK(sip::equivalent(parse(a), parse(b)));
    CHECK(sip::equivalent(parse(b), parse(a)));
  }
}

TEST_CASE("RFC 3261 19.1.4 non-equivalent URIs compare different", "[sip][uri]") {
  const std::pair<std::string_view, std::string_view> pairs[] = {
      {"SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"},
      {"sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"},
      {"sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"},
      {"sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"},
      {"sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"},
      {"sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"},
      {"sip:carol@chicago.com;security=on", "sip:carol@chicago.com;security=off"},
      {"sip:alice@atlanta.com", "sips:alice@atlanta.com"},
      {"sip:alice:a@atlanta.com", "sip:alice:b@atlanta.com"},
      {"sip:alice@atlanta.com;maddr=1.2.3.4", "sip:alice@atlanta.com"},
      {"sip:alice@atlanta.com;user=phone", "sip:alice@atlanta.com"},
      {"sip:alice@atlanta.com;lr", "sip:alice@atlanta.com;lr=1"},
  };
  for (const auto& [a, b] : pairs) {
    INFO(a << " vs " << b);
    CHECK_FALSE(sip::equivalent(parse(a), parse(b)));
    CHECK_FALSE(sip::equivalent(parse(b), parse(a)));
  }
}

TEST_CASE("escapes compare unescaped once not recursively", "[sip][uri]") {
  CHECK(sip::equivalent(parse("sip:cal%6Cer@host;%6C%72;n%61me=v%61lue%25%34%31"),
                        parse("sip:caller@host;name=value%2541")));
  CHECK_FALSE(sip::equivalent(parse("sip:caller@host;name=value%2541"),
                              parse("sip:caller@host;name=valueA")));
  CHECK_FALSE(sip::equivalent(parse("sip:%00@host"), parse("sip:%00%00@host")));
}

TEST_CASE("a repeated URI parameter counts by its first value", "[sip][uri]") {
  const auto u = parse("sip:a@host;x=1;x=2");
  CHECK(sip::equivalent(u, u));
  CHECK(sip::equivalent(u, parse("sip:a@host;x=1")));
  CHECK_FALSE(sip::equivalent(u, parse("sip:a@host;x=2")));
  const auto t = parse("tel:7042;phone-context=a.com;phone-context=b.com");
  CHECK(sip::equivalent(t, t));
}

TEST_CASE("tel URIs compare without visual separators", "[sip][uri]") {
  CHECK(sip::equivalent(parse("tel:+1-201-555-0123"), parse("tel:+1.201.555.0123")));
  CHECK(sip::equivalent(parse("tel:7042;phone-context=EXAMPLE.com"),
                        parse("tel:7042;phone-context=example.com")));
  CHECK_FALSE(sip::equivalent(parse("tel:+12015550123"), parse("tel:+12015550124")));
  CHECK_FALSE(sip::equivalent(parse("tel:7042;phone-context=a.com"), parse("tel:7042")));
  CHECK_FALSE(sip::equivalent(parse("tel:+12015550123"), parse("sip:+12015550123@h")));
}
