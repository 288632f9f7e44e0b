#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "config/provisioning.hpp"

using namespace ringdown::config;

TEST_CASE("provisioning uri: the comparison key", "[provisioning][uri]") {
  struct row {
    std::string_view in;
    std::optional<std::string> key;
  };
  const std::vector<row> rows = {
      {"sip:alice@fx.example.com", "sip:alice@fx.example.com"},
      {"sip:alice@FX.Example.COM", "sip:alice@fx.example.com"},
      {"SIP:alice@fx.example.com", "sip:alice@fx.example.com"},
      {"sip:Alice@fx.example.com", "sip:Alice@fx.example.com"},
      {"sips:alice@fx.example.com", "sips:alice@fx.example.com"},
      {"sip:alice@fx.example.com;transport=tcp", "sip:alice@fx.example.com"},
      {"sip:alice@fx.example.com:5060;user=phone?subject=x",
       "sip:alice@fx.example.com:5060"},
      {"sip:alice@[2001:DB8::1]:5070", "sip:alice@[2001:db8::1]:5070"},
      {"sip:alice@10.0.0.1", "sip:alice@10.0.0.1"},
      {"sip:fx.example.com", std::nullopt},
      {"tel:+442071234567", std::nullopt},
      {"sip:@host", std::nullopt},
      {"sip:alice@", std::nullopt},
      {"alice", std::nullopt},
      {"sip:alice@[::1", std::nullopt},
  };
  for (const auto& r : rows) {
    INFO(r.in);
    CHECK(canonical_uri(r.in) == r.key);
  }
}

TEST_CASE("provisioning uri: the strict shape of provisioned URIs", "[provisioning][uri]") {
  for (const auto* good :
       {"sip:alice@fx.example.com", "sips:a.b-c_d@h", "sip:a@10.0.0.1:5060", "sip:a@[::1]",
        "sip:a@[2001:db8::1]:65535", "sip:%41lice@h", "sip:+442071234567@gw.example.com"}) {
    INFO(good);
    CHECK(check_provisioned_uri(good).empty());
  }
  for (const auto* bad : {"", "sip:", "sip:a@", "sip:a@h:", "sip:a@h:65536", "sip:a@h;lr",
                          "sip:a@h?x=1", "<sip:a@h>", "sip:a@[::1", "sip:a@[10.0.0.1]",
                          "sip:a@::1", "sip:a@h..com", "sip:a@-h.com", "sip:a@999.1.1.1",
                          "sip:a b@h", "sip:a%zz@h", "sip:a@b@h", "SIP:a@h"}) {
    INFO(bad);
    CHECK_THAT(check_provisioned_uri(bad), Catch::Contains("is not sip:user@host[:port]"));
  }
}

TEST_CASE("provisioning uri: IP literals", "[provisioning][uri]") {
  CHECK(is_ip_literal("192.0.2.1"));
  CHECK(is_ip_literal("::1"));
  CHECK(is_ip_literal("2001:db8::5"));
  CHECK_FALSE(is_ip_literal("[::1]"));
  CHECK_FALSE(is_ip_literal("gw.example.com"));
  CHECK_FALSE(is_ip_literal("256.0.0.1"));
  CHECK_FALSE(is_ip_literal(""));
}

TEST_CASE("provisioning validate: data built in code is checked like a file",
          "[provisioning][validate]") {
  provisioning p;
  p.zones = {{"z", ""}};
  p.lines = {{"sip:l@h", "z", 2, true, true, hold_policy::open, ""}};
  p.resources = {{"a",
                  "sip:a@h",
                  "z",
                  static_cast<resource_kind>(9),
                  "pw",
                  {"sip:l@H"},
                  8,
                  "",
                  "",
                  {},
                  0}};
  p.trunks = {{"t", "z", "10.0.0.1", 0, trunk_transport::udp, {"1"}, 30}};
  std::vector<problem> problems;
  validate_provisioning(p, problems);
  std::vector<std::string> keys;
  for (const auto& pr : problems) {
    keys.push_back(pr.key);
    CHECK(pr.line == 0);
  }
  std::sort(keys.begin(), keys.end());
  CHECK(keys == std::vector<std::string>{"line[0].barge_allowed", "resource[0].kind",
                                         "trunk[0].gateway_port"});
}

TEST_CASE("provisioning enums: names round-trip", "[provisioning][enums]") {
  for (const auto k : {resource_kind::turret, resource_kind::phone,
                       resource_kind::softphone, resource_kind::gateway}) {
    resource_kind back{};
    REQUIRE(parse_resource_kind(to_string(k), back));
    CHECK(back == k);
  }
  hold_policy hold{};
  CHECK(parse_hold_policy("private", hold));
  CHECK(hold == hold_policy::private_);
  trunk_transport transport{};
  CHECK(parse_trunk_transport("tls", transport));
  CHECK(transport == trunk_transport::tls);
  CHECK_FALSE(parse_trunk_transport("TLS", transport));
  CHECK(to_string(static_cast<resource_kind>(7)) == "?");
}
