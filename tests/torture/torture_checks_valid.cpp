#include <optional>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "net/sip/uri.hpp"
#include "tests/torture/torture_checks.hpp"

// RFC 4475 §3.1.1: "All elements should treat this as a well-formed
// request" and what each message exercises, asserted field by field.
namespace ringdown::torture {

using sip::header_id;
using namespace std::string_view_literals;

std::vector<sip::via> all_vias(const sip::message& m) {
  std::vector<sip::via> out;
  for (std::string_view value : m.values(header_id::via)) {
    auto v = sip::via::parse(value);
    INFO("Via value: " << value);
    REQUIRE(v.has_value());
    out.push_back(*v);
  }
  return out;
}

namespace {

sip::uri parse_uri(std::string_view text) {
  auto u = sip::uri::parse(text);
  INFO("URI: " << text);
  REQUIRE(u.has_value());
  return *u;
}

} // namespace

// §3.1.1.1: folding, LWS around every separator, compact and long forms,
// leading zeros, unknown headers and parameters.
void check_wsinv(const sip::message& m) {
  REQUIRE(m.is_request());
  CHECK(m.method() == sip::method::invite);
  CHECK(m.request_uri().user == "vivekg");
  CHECK(m.request_uri().host == "chair-dnrc.example.com");
  CHECK(m.request_uri().params.contains("unknownparam"));
  CHECK(m.call_id() == "wsinv.ndaksdj@192.0.2.1");
  auto cseq = m.cseq();
  REQUIRE(cseq.has_value());
  CHECK(cseq->number == 9); // "0009" folded onto the next line
  CHECK(cseq->method == sip::method::invite);
  CHECK(m.max_forwards() == std::optional<std::uint32_t>{68}); // "0068"
  auto to = m.to();
  REQUIRE(to.has_value());
  CHECK(to->uri.user == "vivekg");
  CHECK(to->tag() == "1918181833n"); // ";   tag    = 1918181833n"
  auto from = m.from();
  REQUIRE(from.has_value());
  CHECK(from->display_name == R"(J Rosenberg \\\")"); // quoted-pairs kept as written
  CHECK(from->uri.user == "jdrosen");
  CHECK(from->tag() == "98asjd8"); // tag on a folded continuation line
  auto vias = all_vias(m);         // one Via line plus a folded two-value "v:" line
  REQUIRE(vias.size() == 3);
  CHECK(vias[0].transport == "UDP");
  CHECK(vias[0].host == "192.0.2.2");
  CHECK(vias[0].branch() == "390skdjuw");
  CHECK(vias[1].transport == "TCP");
  CHECK(vias[1].host == "spindle.example.com");
  CHECK(vias[1].branch() == "z9hG4bK9ikj8");
  CHECK(vias[2].transport == "UDP");
  CHECK(vias[2].host == "192.168.255.111");
  CHECK(vias[2].branch() == "z9hG4bK30239"); // value after "=" CRLF SP
  CHECK(m.count(header_id::subject) == 1);   // "s :" with an empty value
  CHECK(m.header(header_id::subject).empty());
  CHECK(m.header("UnknownHeaderWithUnusualValue") == ";;,,;;,;");
  std::string_view fangled = m.header("NewFangledHeader");
  CHECK(fangled.starts_with("newfangled value"));
  CHECK(fangled.ends_with("continued newfangled value"));
  auto routes = m.routes();
  REQUIRE(routes.size() == 1);
  CHECK(routes[0].uri.host == "services.example.com");
  CHECK(routes[0].uri.has_lr());
  CHECK(routes[0].uri.params.value("unknownwith") == "value");
  CHECK(routes[0].uri.params.contains("unknown-no-value"));
  auto contacts = m.contacts();
  REQUIRE(contacts.size() == 1);
  CHECK(contacts[0].address.display_name == R"(Quoted string \"\")");
  CHECK(contacts[0].address.uri.user == "jdrosen");
  CHECK(contacts[0].address.params.value("newparam") == "newvalue");
  CHECK(contacts[0].address.params.contains("secondparam"));
  REQUIRE(contacts[0].q().has_value());
  CHECK(*contacts[0].q() == Approx(0.33));
  CHECK(m.content_length() == std::optional<std::uint32_t>{150});
  CHECK(m.body().size() == 150);
  auto ctype = m.content_type();
  REQUIRE(ctype.has_value());
  CHECK(ctype->value == "application/sdp");
}

// §3.1.1.2: the widest token, word and quoted-string alphabets.
void check_intmeth(const sip::message& m) {
  constexpr std::string_view method = "!interesting-Method0123456789_*+`.%indeed'~";
  REQUIRE(m.is_request());
  CHECK(m.method() == sip::method::unknown);
  CHECK(m.method_text() == method);
  CHECK(m.request_uri().user == "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  CHECK(m.request_uri().password == "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  CHECK(m.request_uri().host == "example.com");
  auto vias = all_vias(m);
  REQUIRE(vias.size() == 1);
  CHECK(vias[0].branch() == "z9hG4bK-.!%66*_+`'~");
  auto to = m.to();
  REQUIRE(to.has_value());
  const std::string to_name = std::string("BEL:\\\x07 NUL:\\") + '\0' + " DEL:\\\x7F";
  CHECK(to->display_name == std::string_view(to_name)); // includes a quoted NUL
  CHECK(to->uri.user == "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  auto from = m.from();
  REQUIRE(from.has_value());
  CHECK(from->display_name == "token1~` token2'+_ token3*%!.-");
  CHECK(from->uri.user == "mundane");
  CHECK(from->tag() == "_token~1'+`*%!-.");
  CHECK(from->params.contains("fromParam''~+*_!.-%"));
  CHECK(m.call_id() == R"(intmeth.word%ZK-!.*_+'@word`~)(><:\/"][?}{)");
  auto cseq = m.cseq();
  REQUIRE(cseq.has_value());
  CHECK(cseq->number == 139122385);
  CHECK(cseq->method == sip::method::unknown);
  CHECK(cseq->method_text == method);
  CHECK(m.max_forwards() == std::optional<std::uint32_t>{255});
  CHECK(m.header("extensionHeader-!.%*+_`'~") ==
        "\xEF\xBB\xBF\xE5\xA4\xA7\xE5\x81\x9C\xE9\x9B\xBB"sv);
  CHECK(m.content_length() == std::optional<std::uint32_t>{0});
}

// §3.1.1.3: % HEX HEX escapes in URIs are kept as written, compared unescaped.
void check_esc01(const sip::message& m) {
  REQUIRE(m.is_request());
  CHECK(m.method() == sip::method::invite);
  CHECK(m.request_uri().user == "sips%3Auser%40example.com");
  CHECK(m.request_uri().host == "example.net");
  auto to = m.to();
  REQUIRE(to.has_value());
  CHECK(to->uri.user == "%75se%72");
  CHECK(sip::equivalent(to->uri, parse_uri("sip:user@example.com")));
  auto from = m.from();
  REQUIRE(from.has_value());
  CHECK(from->uri.user == "I%20have%20spaces");
  CHECK(from->tag() == "938");
  CHECK(m.call_id() == "esc01.239409asdfakjkn23onasd0-3234"); // compact "i:"
  auto ctype = m.content_type();                              // compact "C:"
  REQUIRE(ctype.has_value());
  CHECK(ctype->value == "application/sdp");
  auto contacts = m.contacts();
  REQUIRE(contacts.size() == 1);
  const sip::uri& c = contacts[0].address.uri;
  CHECK(c.user == "cal%6Cer");
  CHECK(sip::equivalent(c, parse_uri("sip:caller@host5.example.net;name=value%2541")));
  // "value%41" is NOT equivalent to "valueA": no recursive unescaping.
  CHECK_FALSE(sip::equivalent(c, parse_uri("sip:caller@host5.example.net;name=valueA")));
  CHECK(m.body().size() == 150);
}

// §3.1.1.4: %00 in user parts; two distinct contacts.
void check_escnull(const sip::message& m) {
  REQUIRE(m.is_request());
  CHECK(m.method() == sip::method::register_);
  auto to = m.to();
  REQUIRE(to.has_value());
  CHECK(to->uri.user == "null-%00-null");
  auto from = m.from();
  REQUIRE(from.has_value());
  CHECK(from->tag() == "839923423");
  auto contacts = m.contacts();
  REQUIRE(contacts.size() == 2);
  CHECK(contacts[0].address.uri.user == "%00");
  CHECK(contacts[1].address.uri.user == "%00%00");
  CHECK_FALSE(sip::equivalent(contacts[0].address.uri, contacts[1].address.uri));
  CHECK(m.content_length() == std::optional<std::uint32_t>{0}); // compact "L:"
}

// §3.1.1.5: % is no escape in methods, display names, header names, branch.
void check_esc02(const sip::message& m) {
  REQUIRE(m.is_request());
  CHECK(m.method() == sip::method::unknown); // NOT equivalent to REGISTER
  CHECK(m.method_text() == "RE%47IST%45R");
  auto cseq = m.cseq();
  REQUIRE(cseq.has_value());
  CHECK(cseq->method == sip::method::unknown);
  CHECK(cseq->method_text == "RE%47IST%45R");
  auto to = m.to();
  REQUIRE(to.has_value());
  CHECK(to->display_name == "%Z%45");
  auto from = m.from();
  REQUIRE(from.has_value());
  CHECK(from->display_name == "%Z%45");
  auto vias = all_vias(m);
  REQUIRE(vias.size() == 1);
  CHECK(vias[0].transport == "TCP");
  CHECK(vias[0].branch() == "z9hG4bK209%fzsnel234");
  CHECK(m.contacts().size() == 2); // "C%6Fntact" is another header
  CHECK(m.header("C%6Fntact") == "<sip:alias2@host2.example.com>");
}

// §3.1.1.6: no LWS between display name token and '<'.
void check_lwsdisp(const sip::message& m) {
  REQUIRE(m.is_request());
  CHECK(m.method() == sip::method::options);
  auto from = m.from();
  REQUIRE(from.has_value());
  CHECK(from->display_name == "caller");
  CHECK(from->uri.user == "caller");
  CHECK(from->tag() == "323");
}

} // namespace ringdown::torture
