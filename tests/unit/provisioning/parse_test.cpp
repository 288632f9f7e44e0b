#include <string>

#include <catch2/catch.hpp>

#include "config/provisioning.hpp"
#include "tests/unit/config/temp_dir.hpp"

using namespace ringdown::config;

namespace {

constexpr std::string_view example = "config/examples/provisioning.toml";

void require_ok(const provisioning_result& result, std::string_view file) {
  for (const auto& p : result.problems)
    UNSCOPED_INFO(p.to_string(file));
  REQUIRE(result.ok());
}

} // namespace

TEST_CASE("provisioning parse: the example file loads without problems",
          "[provisioning][examples]") {
  const auto result = load_provisioning_file(std::string{example});
  require_ok(result, example);
  const auto& p = result.data;
  CHECK(p.realm == "fx.example.com");
  REQUIRE(p.zones.size() == 2);
  CHECK(p.zones[0].name == "london");
  CHECK(p.zones[1].name == "new-york");
  CHECK(p.resources.size() == 6);
  REQUIRE(p.lines.size() == 2);
  const auto& priv = p.lines[0];
  CHECK(priv.private_line);
  CHECK_FALSE(priv.barge_allowed);
  CHECK(priv.hold == hold_policy::private_);
  const auto& open = p.lines[1];
  CHECK_FALSE(open.private_line);
  CHECK(open.barge_allowed);
  CHECK(open.hold == hold_policy::open);
  REQUIRE(p.trunks.size() == 1);
  CHECK_FALSE(p.trunks[0].prefixes.empty());
  // Every kind but gateway appears, and every line has a holder.
  for (const auto kind :
       {resource_kind::turret, resource_kind::softphone, resource_kind::phone})
    CHECK(std::any_of(p.resources.begin(), p.resources.end(),
                      [&](const resource_def& r) { return r.kind == kind; }));
  for (const auto& l : p.lines)
    CHECK(std::any_of(p.resources.begin(), p.resources.end(), [&](const resource_def& r) {
      return std::find(r.lines.begin(), r.lines.end(), l.uri) != r.lines.end();
    }));
  std::vector<problem> again;
  validate_provisioning(p, again);
  CHECK(again.empty());
}

TEST_CASE("provisioning parse: every key lands in its field", "[provisioning][parse]") {
  const std::string text = R"(realm = "desk.example"
[[zone]]
name = "ldn"
description = "London"
[[zone]]
name = "ny"
[[resource]]
name = "gw-1"
aor = "sips:gw1@[2001:db8::1]:5071"
zone = "ny"
kind = "gateway"
lines = ["sip:l1@Example.com"]
contacts_max = 64
display_name = "Gateway one"
[[line]]
uri = "sip:l1@example.com:5070"
zone = "ldn"
appearances = 32
private = true
barge_allowed = false
hold = "private"
display_name = "L1"
[[trunk]]
name = "t.1"
zone = "ny"
gateway_host = "2001:db8::5"
gateway_port = 5061
transport = "tls"
prefixes = ["+1", "001"]
calls_max = 100000
)";
  // The line is declared with a port, so the resource's reference without
  // it is a different URI.
  auto bad = load_provisioning_text(text);
  REQUIRE(bad.problems.size() == 1);
  CHECK(bad.problems[0].key == "resource[0].lines[0]");

  std::string good = text;
  good.replace(good.find("sip:l1@example.com:5070"), 23, "sip:l1@example.com");
  const auto result = load_provisioning_text(good, "good.toml");
  require_ok(result, "good.toml");
  provisioning want;
  want.realm = "desk.example";
  want.zones = {{"ldn", "London"}, {"ny", ""}};
  want.resources = {{"gw-1",
                     "sips:gw1@[2001:db8::1]:5071",
                     "ny",
                     resource_kind::gateway,
                     "",
                     {"sip:l1@Example.com"},
                     64,
                     "Gateway one",
                     "",
                     {},
                     0}};
  want.lines = {
      {"sip:l1@example.com", "ldn", 32, true, false, hold_policy::private_, "L1"}};
  want.trunks = {
      {"t.1", "ny", "2001:db8::5", 5061, trunk_transport::tls, {"+1", "001"}, 100'000}};
  CHECK(result.data == want);
}

TEST_CASE("provisioning parse: call diversion keys", "[provisioning][parse]") {
  const auto result = load_provisioning_text(R"([[zone]]
name = "ldn"
[[zone]]
name = "ny"
[[resource]]
name = "bob"
aor = "sip:bob@ex.com"
zone = "ldn"
password = "b"
divert_to = "sip:carol@ex.com"
divert_on = ["busy", "no_answer", "unavailable"]
divert_after_s = 15
[[resource]]
name = "carol"
aor = "sip:carol@ex.com"
zone = "ny"
password = "c"
)",
                                             "divert.toml");
  require_ok(result, "divert.toml");
  REQUIRE(result.data.resources.size() == 2);
  CHECK(result.data.resources[0].divert_to == "sip:carol@ex.com");
  CHECK(result.data.resources[0].divert_on ==
        std::vector<std::string>{"busy", "no_answer", "unavailable"});
  CHECK(result.data.resources[0].divert_after_s == 15);
  CHECK(result.data.resources[1].divert_to.empty());
  CHECK(result.data.resources[1].divert_on.empty());
}

TEST_CASE("provisioning parse: omitted keys take their defaults", "[provisioning][parse]") {
  const auto result = load_provisioning_text(R"([[zone]]
name = "z"
[[resource]]
name = "a"
aor = "sip:a@h"
zone = "z"
password = "pw"
[[line]]
uri = "sip:l@h"
zone = "z"
private = true
[[line]]
uri = "sip:m@h"
zone = "z"
[[trunk]]
name = "t"
zone = "z"
gateway_host = "10.0.0.1"
prefixes = ["9"]
)");
  require_ok(result, "<text>");
  const auto& p = result.data;
  CHECK(p.realm == "ringdown");
  CHECK(p.resources[0].kind == resource_kind::phone);
  CHECK(p.resources[0].contacts_max == 8);
  CHECK(p.resources[0].lines.empty());
  CHECK(p.lines[0].appearances == 2);
  CHECK_FALSE(p.lines[0].barge_allowed); // private: no barge unless said (then refused)
  CHECK(p.lines[0].hold == hold_policy::open);
  CHECK(p.lines[1].barge_allowed);
  CHECK(p.trunks[0].gateway_port == 5060);
  CHECK(p.trunks[0].transport == trunk_transport::udp);
  CHECK(p.trunks[0].calls_max == 30);
}

TEST_CASE("provisioning parse: an empty file is an empty provisioning",
          "[provisioning][parse]") {
  const auto result = load_provisioning_text("# nothing yet\n");
  REQUIRE(result.ok());
  CHECK(result.data == provisioning{});
  CHECK(load_provisioning_text("zone = []\nresource = []\n").ok());
}

TEST_CASE("provisioning parse: unreadable files are one problem", "[provisioning][parse]") {
  const test::temp_dir dir;
  auto result = load_provisioning_file((dir.path() / "absent.toml").string());
  REQUIRE(result.problems.size() == 1);
  CHECK_THAT(result.problems[0].what, Catch::Contains("cannot read"));
  result = load_provisioning_file(dir.path().string());
  REQUIRE(result.problems.size() == 1);
  CHECK_THAT(result.problems[0].what, Catch::Contains("not a regular file"));
  const auto big =
      dir.write("big.toml", std::string(provisioning_limits::file_bytes_max + 1, '#'));
  result = load_provisioning_file(big);
  REQUIRE(result.problems.size() == 1);
  CHECK_THAT(result.problems[0].what, Catch::Contains("larger than"));
  const auto good = dir.write("good.toml", "[[zone]]\nname = \"z\"\n");
  result = load_provisioning_file(good);
  REQUIRE(result.ok());
  CHECK(result.data.zones.size() == 1);
}
