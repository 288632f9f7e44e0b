// Typed header access: Via, From/To, Contact, CSeq, auth, token+params,
// compact forms, folding, several values per line, IPv6, escapes.
#include <catch2/catch.hpp>

#include "net/sip/header_id.hpp"
#include "net/sip/parser.hpp"
#include "tests/unit/sip/sip_samples.hpp"

namespace sip = ringdown::sip;
using sip::header_id;
using namespace ringdown::sip::test;

namespace {
sip::message parse_ok(const std::string& text) {
  sip::message m;
  const auto r = sip::parser{sip::limits{}}.parse(text, m);
  INFO(text);
  INFO("reason " << r.reason);
  REQUIRE(r.ok());
  return m;
}
} // namespace

TEST_CASE("header names are identified in long and compact form any case",
          "[sip][headers]") {
  const std::pair<std::string_view, header_id> cases[] = {
      {"Via", header_id::via},
      {"v", header_id::via},
      {"VIA", header_id::via},
      {"call-id", header_id::call_id},
      {"i", header_id::call_id},
      {"m", header_id::contact},
      {"l", header_id::content_length},
      {"C", header_id::content_type},
      {"e", header_id::content_encoding},
      {"f", header_id::from},
      {"t", header_id::to},
      {"k", header_id::supported},
      {"s", header_id::subject},
      {"o", header_id::event},
      {"r", header_id::refer_to},
      {"b", header_id::referred_by},
      {"x", header_id::session_expires},
      {"u", header_id::allow_events},
      {"WWW-Authenticate", header_id::www_authenticate},
      {"p-asserted-identity", header_id::p_asserted_identity},
      {"Proxy-Authorization", header_id::proxy_authorization},
      {"Subscription-State", header_id::subscription_state},
      {"Min-SE", header_id::min_se},
      {"Max-Forwards", header_id::max_forwards},
      {"X-Via", header_id::other},
      {"Vias", header_id::other},
      {"q", header_id::other},
      {"", header_id::other},
  };
  for (const auto& [name, id] : cases) {
    INFO(name);
    CHECK(sip::header_id_from(name) == id);
  }
  for (int i = 1; i < static_cast<int>(header_id::count_); ++i) {
    const auto id = static_cast<header_id>(i);
    CHECK(sip::header_id_from(sip::canonical_name(id)) == id);
  }
  CHECK(sip::canonical_name(header_id::call_id) == "Call-ID");
  CHECK(sip::is_list_header(header_id::via));
  CHECK_FALSE(sip::is_list_header(header_id::call_id));
}

TEST_CASE("Via values are read with every parameter several per line", "[sip][headers]") {
  const sip::message m = parse_ok(sample_invite());
  auto top = m.top_via();
  REQUIRE(top.has_value());
  CHECK(top->protocol == "SIP/2.0");
  CHECK(top->transport == "UDP");
  CHECK(top->host == "pc33.atlanta.example.com");
  CHECK(top->port == 0);
  CHECK(top->branch() == "z9hG4bK776asdhds");
  CHECK(top->has_rport());
  CHECK_FALSE(top->rport().has_value());
  std::vector<sip::via> all;
  CHECK(m.for_each_via([&all](const sip::via& v) { all.push_back(v); }));
  REQUIRE(all.size() == 3);
  CHECK(all[1].transport == "TCP");
  CHECK(all[1].port == 5061);
  CHECK(all[2].host == "[2001:db8::9]");
  CHECK(all[2].port == 5070);
  CHECK(all[2].received() == "192.0.2.9");
  CHECK(all[2].branch() == "z9hG4bKv6");
  CHECK(m.values(header_id::via).size() == 3);
}

TEST_CASE("Via accepts LWS around separators and compact name", "[sip][headers]") {
  const std::string text = replace(
      sample_response(),
      "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds",
      "v:  SIP / 2.0 / TCP\r\n  host.example.com : 5090 ; branch = z9hG4bKx ; rport=5091 ;"
      "maddr=239.255.255.1 ; received=[2001:db8::1]");
  const sip::message m = parse_ok(text);
  auto v = m.top_via();
  REQUIRE(v.has_value());
  CHECK(v->transport == "TCP");
  CHECK(v->host == "host.example.com");
  CHECK(v->port == 5090);
  CHECK(v->branch() == "z9hG4bKx");
  CHECK(v->rport() == std::optional<std::uint16_t>{5091});
  CHECK(v->maddr() == "239.255.255.1");
  CHECK(v->received() == "[2001:db8::1]");
}

TEST_CASE("Via grammar errors are detected", "[sip][headers]") {
  for (std::string_view bad :
       {"SIP/2.0/UDP", "SIP/2.0 host", "SIP/2.0/UDP host:99999", "SIP/2.0/UDP ho st",
        "SIP/2.0/UDP [::1", "SIP/2.0/UDP host;=x", "SIP/2.0/UDP host;a=\"unterminated",
        "SIP/2.0/UDP host:"}) {
    INFO(bad);
    CHECK_FALSE(sip::via::parse(bad).has_value());
  }
  CHECK(sip::via::parse("SIP/2.0/UDP [::1]:5060;branch=z9hG4bK1").has_value());
}

TEST_CASE("From and To read name-addr and addr-spec forms with tags", "[sip][headers]") {
  const sip::message m = parse_ok(sample_invite());
  auto from = m.from();
  REQUIRE(from.has_value());
  CHECK(from->display_name == "Alice A.");
  CHECK(from->uri_text == "sip:alice@atlanta.example.com");
  CHECK(from->uri.user == "alice");
  CHECK(from->tag() == "1928301774");
  auto to = m.to();
  REQUIRE(to.has_value());
  CHECK(to->display_name == "Bob");
  CHECK(to->tag().empty());

  auto spec = sip::name_addr::parse("sip:carol@chicago.example.com;tag=abc;x");
  REQUIRE(spec.has_value());
  CHECK(spec->display_name.empty());
  CHECK(spec->uri.host == "chicago.example.com");
  CHECK(spec->uri.params.empty()); // params after an addr-spec belong to the header
  CHECK(spec->tag() == "abc");
  CHECK(spec->params.contains("x"));

  auto quoted = sip::name_addr::parse(R"("a \"quoted\" name" <sips:[2001:db8::1]:5061>)");
  REQUIRE(quoted.has_value());
  CHECK(quoted->display_name == R"(a \"quoted\" name)");
  CHECK(quoted->uri.scheme == sip::uri::scheme_t::sips);
  CHECK(quoted->uri.host == "[2001:db8::1]");
  CHECK(quoted->uri.is_ipv6());
  CHECK(quoted->uri.port == 5061);

  auto other = sip::name_addr::parse("<http://www.example.com>;tag=1");
  REQUIRE(other.has_value());
  CHECK(other->uri.scheme == sip::uri::scheme_t::other);
  CHECK(other->uri.text == "http://www.example.com");

  CHECK_FALSE(sip::name_addr::parse("\"unterminated <sip:a@b>").has_value());
  CHECK_FALSE(sip::name_addr::parse("<sip:a@b").has_value());
  CHECK_FALSE(sip::name_addr::parse("").has_value());
  CHECK_FALSE(sip::name_addr::parse("<sip:a@b> garbage").has_value());
}

TEST_CASE("Contact reads star q expires and parameters", "[sip][headers]") {
  const sip::message m = parse_ok(sample_invite());
  auto contacts = m.contacts();
  REQUIRE(contacts.size() == 1);
  CHECK_FALSE(contacts[0].star);
  CHECK(contacts[0].address.uri.transport() == "tcp");
  REQUIRE(contacts[0].q().has_value());
  CHECK(*contacts[0].q() == Approx(0.7));
  CHECK(contacts[0].expires() == std::optional<std::uint32_t>{60});

  auto star = sip::contact::parse(" * ");
  REQUIRE(star.has_value());
  CHECK(star->star);
  auto badq = sip::contact::parse("<sip:a@b>;q=1.5");
  REQUIRE(badq.has_value());
  CHECK_FALSE(badq->q().has_value());

  const std::string two = replace(sample_invite(), "Contact: <sip:alice@pc33",
                                  "m: \"A, B\" <sip:x@y>;q=1, <sip:alice@pc33");
  const sip::message m2 = parse_ok(two);
  auto cs = m2.contacts();
  REQUIRE(cs.size() == 2);
  CHECK(cs[0].address.display_name == "A, B");
  CHECK(*cs[0].q() == Approx(1.0));
}

TEST_CASE("Route and Record-Route lists split on commas outside brackets",
          "[sip][headers]") {
  const sip::message m = parse_ok(sample_invite());
  auto rr = m.record_routes();
  REQUIRE(rr.size() == 2);
  CHECK(rr[0].uri.host == "p2.example.com");
  CHECK(rr[0].uri.has_lr());
  CHECK(rr[1].uri.host == "p1.example.com");
  CHECK(m.routes().empty());
  const std::string routed =
      replace(sample_invite(), "Supported:",
              "Route: <sip:a.example.com;lr>\r\nRoute: <sip:b.example.com;lr>,"
              "<sip:c.example.com;lr>\r\nSupported:");
  const sip::message routed_msg = parse_ok(routed); // the views point into it
  auto routes = routed_msg.routes();
  REQUIRE(routes.size() == 3);
  CHECK(routes[2].uri.host == "c.example.com");
}

TEST_CASE("CSeq Call-ID Max-Forwards Expires Content-Length and Content-Type",
          "[sip][headers]") {
  const sip::message m = parse_ok(sample_invite());
  auto cs = m.cseq();
  REQUIRE(cs.has_value());
  CHECK(cs->number == 314159);
  CHECK(cs->method == sip::method::invite);
  CHECK(cs->method_text == "INVITE");
  CHECK(m.call_id() == "a84b4c76e66710@pc33.atlanta.example.com");
  CHECK(m.max_forwards() == std::optional<std::uint32_t>{70});
  CHECK_FALSE(m.expires().has_value());
  CHECK(m.content_length() == std::optional<std::uint32_t>{149});
  auto ct = m.content_type();
  REQUIRE(ct.has_value());
  CHECK(ct->value == "application/sdp");

  CHECK_FALSE(sip::cseq::parse("1").has_value());
  CHECK_FALSE(sip::cseq::parse("x INVITE").has_value());
  CHECK_FALSE(sip::cseq::parse("2147483648 INVITE").has_value()); // < 2**31 (§8.1.1.5)
  CHECK(sip::cseq::parse(" 2147483647   BYE ")->method == sip::method::bye);
}

TEST_CASE("option tags are found in Supported Require Allow", "[sip][headers]") {
  const sip::message m = parse_ok(sample_invite());
  CHECK(m.lists_token(header_id::supported, "replaces"));
  CHECK(m.lists_token(header_id::supported, "timer")); // case-insensitive
  CHECK_FALSE(m.lists_token(header_id::supported, "100rel"));
  CHECK_FALSE(m.lists_token(header_id::require, "replaces"));
  const std::string text = replace(sample_invite(), "Supported: replaces, Timer",
                                   "k: replaces\r\nRequire: 100rel,\r\n timer\r\n"
                                   "Allow: INVITE, ACK ,BYE");
  const sip::message m2 = parse_ok(text);
  CHECK(m2.lists_token(header_id::require, "timer")); // folded list
  CHECK(m2.lists_token(header_id::allow, "ACK"));
  CHECK(m2.values(header_id::allow).size() == 3);
  CHECK(m2.values(header_id::supported).size() == 1);
}

TEST_CASE("authentication headers expose scheme and parameters", "[sip][headers]") {
  auto a = sip::auth_header::parse(
      "Digest username=\"alice\", realm=\"atlanta.example.com\",\r\n nonce=\"84a4cc6f,3\","
      " uri=\"sip:bob@biloxi.example.com\", "
      "response=\"7587245234b3434cc3412213e5f113a5432\","
      " algorithm=MD5, qop=auth, nc=00000001");
  REQUIRE(a.has_value());
  CHECK(a->scheme == "Digest");
  CHECK(a->param("username") == std::optional<std::string_view>{"alice"});
  CHECK(a->param("NONCE") == std::optional<std::string_view>{"84a4cc6f,3"});
  CHECK(a->param("algorithm") == std::optional<std::string_view>{"MD5"});
  CHECK(a->param("nc") == std::optional<std::string_view>{"00000001"});
  CHECK_FALSE(a->param("cnonce").has_value());
  CHECK_FALSE(sip::auth_header::parse("").has_value());
}

TEST_CASE("token with parameters covers Event Subscription-State Replaces Reason",
          "[sip][headers]") {
  const std::string text =
      replace(sample_invite(), "Supported:",
              "o: dialog;id=5\r\nSubscription-State: active ;expires=600\r\n"
              "Replaces: 98732@sip.example.com;from-tag=r33th4x0r;to-tag=ff87ff\r\n"
              "Reason: Q.850 ;cause=16 ;text=\"Terminated\"\r\nSession-Expires: "
              "1800;refresher=uac\r\n"
              "Call-Info: <http://www.example.com/alice/photo.jpg> ;purpose=icon\r\n"
              "Refer-To: <sip:carol@chicago.example.com?Replaces=x%40y>\r\n"
              "Referred-By: <sip:alice@atlanta.example.com>\r\n"
              "P-Asserted-Identity: \"Alice\" <sip:alice@atlanta.example.com>, "
              "<tel:+1-201-555-0123>\r\n"
              "WWW-Authenticate: Digest realm=\"a\", nonce=\"b\"\r\nSupported:");
  const sip::message m = parse_ok(text);
  auto ev = sip::token_params::parse(m.header(header_id::event));
  REQUIRE(ev.has_value());
  CHECK(ev->value == "dialog");
  CHECK(ev->params.value("id") == "5");
  auto ss = sip::token_params::parse(m.header("subscription-state"));
  REQUIRE(ss.has_value());
  CHECK(ss->value == "active");
  CHECK(ss->params.value("expires") == "600");
  auto rep = sip::token_params::parse(m.header(header_id::replaces));
  REQUIRE(rep.has_value());
  CHECK(rep->value == "98732@sip.example.com");
  CHECK(rep->params.value("to-tag") == "ff87ff");
  auto reason = sip::token_params::parse(m.header(header_id::reason));
  REQUIRE(reason.has_value());
  CHECK(reason->params.value("cause") == "16");
  CHECK(reason->params.value("text") == "\"Terminated\"");
  auto se = sip::token_params::parse(m.header(header_id::session_expires));
  CHECK(se->value == "1800");
  CHECK(se->params.value("refresher") == "uac");
  auto ci = sip::token_params::parse(m.header(header_id::call_info));
  CHECK(ci->value == "<http://www.example.com/alice/photo.jpg>");
  CHECK(ci->params.value("purpose") == "icon");
  auto refer = sip::name_addr::parse(m.header(header_id::refer_to));
  REQUIRE(refer.has_value());
  CHECK(refer->uri.headers == "Replaces=x%40y");
  CHECK(sip::name_addr::parse(m.header(header_id::referred_by))->uri.user == "alice");
  auto pai = m.values(header_id::p_asserted_identity);
  REQUIRE(pai.size() == 2);
  CHECK(sip::name_addr::parse(pai[1])->uri.scheme == sip::uri::scheme_t::tel);
  CHECK(sip::auth_header::parse(m.header(header_id::www_authenticate))->param("nonce") ==
        std::optional<std::string_view>{"b"});
}

TEST_CASE("folded header values read as one value", "[sip][headers]") {
  const std::string text =
      replace(sample_invite(), "To: Bob <sip:bob@biloxi.example.com>",
              "TO :\r\n Bob\r\n\t<sip:bob@biloxi.example.com>\r\n ;tag=9");
  const sip::message m = parse_ok(text);
  auto to = m.to();
  REQUIRE(to.has_value());
  CHECK(to->display_name == "Bob");
  CHECK(to->uri.user == "bob");
  CHECK(to->tag() == "9");
  CHECK(m.header("to").starts_with("Bob"));
}

TEST_CASE("param_list iterates finds case-insensitively and tells a= from a",
          "[sip][headers]") {
  const sip::param_list l("a=1; B = two ;;c;d=\"x;y\";e=");
  std::vector<std::string_view> names;
  for (const sip::param& p : l)
    names.push_back(p.name);
  CHECK(names == std::vector<std::string_view>{"a", "B", "c", "d", "e"});
  CHECK(l.value("b") == "two");
  CHECK(l.find("c")->has_value == false);
  CHECK(l.value("d") == "\"x;y\"");
  CHECK(l.find("e")->has_value);
  CHECK(l.find("e")->value.empty());
  CHECK_FALSE(l.contains("f"));
  CHECK(sip::param_list().begin() == sip::param_list().end());
}
