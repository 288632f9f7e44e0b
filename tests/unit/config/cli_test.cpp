#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "config/cli.hpp"
#include "tests/unit/config/temp_dir.hpp"

using namespace ringdown::config;

namespace {

using action = cli_result::action;
using proto = listen_address::protocol;

cli_result run(std::vector<std::string> args) {
  args.insert(args.begin(), "ringdownd");
  std::vector<const char*> argv;
  argv.reserve(args.size());
  for (const auto& a : args)
    argv.push_back(a.c_str());
  return parse_command_line(static_cast<int>(argv.size()), argv.data());
}

constexpr std::string_view good_toml = "[node]\nid = \"n2\"\nzone = \"z1\"\n"
                                       "[sip]\nlisten = [\"udp:127.0.0.1:5070\"]\n"
                                       "[log]\nlevel = \"warn\"\n";
constexpr std::string_view bad_toml = "[node]\nid = \"n2\"\n"
                                      "[sip.timers]\nt1_ms = 0\n"
                                      "[log]\nlevel = \"loud\"\n";

} // namespace

TEST_CASE("config cli: no arguments runs with the defaults", "[config][cli]") {
  const auto r = run({});
  CHECK(r.what == action::run);
  CHECK(r.exit_code == 0);
  CHECK(r.problems.empty());
  CHECK(r.config.node_id == defaults().node_id);
  CHECK(r.config.sip_listen == defaults().sip_listen);
}

TEST_CASE("config cli: --config loads the file and overrides apply after it",
          "[config][cli]") {
  const test::temp_dir dir;
  const auto file = dir.write("ringdownd.toml", good_toml);
  auto r = run({"--config", file});
  REQUIRE(r.what == action::run);
  CHECK(r.exit_code == 0);
  CHECK(r.config.node_id == "n2");
  CHECK(r.config.log_level == "warn");
  CHECK(r.config.sip_listen ==
        std::vector<listen_address>{{proto::udp, "127.0.0.1", 5070}});

  r = run({"--config", file, "--sip-listen", "tcp:127.0.0.1:6000",
           "--sip-listen=udp:[::1]:6001", "--data-dir", "/srv/rd", "--log-level", "debug",
           "--node-id", "n9", "--zone", "z9"});
  REQUIRE(r.what == action::run);
  CHECK(r.config.sip_listen == std::vector<listen_address>{{proto::tcp, "127.0.0.1", 6000},
                                                           {proto::udp, "::1", 6001}});
  CHECK(r.config.data_dir == "/srv/rd");
  CHECK(r.config.log_level == "debug");
  CHECK(r.config.node_id == "n9");
  CHECK(r.config.zone == "z9");
}

TEST_CASE("config cli: a bad --config file is exit 1 with every problem", "[config][cli]") {
  const test::temp_dir dir;
  const auto file = dir.write("bad.toml", bad_toml);
  const auto r = run({"--config", file});
  CHECK(r.what == action::error);
  CHECK(r.exit_code == 1);
  CHECK(r.problems.size() == 2);
  CHECK_THAT(r.output, Catch::Contains(file + ":4: sip.timers.t1_ms: 0 is out of range"));
  CHECK_THAT(r.output,
             Catch::Contains(file + ":6: log.level: \"loud\" is not a log level"));
  CHECK(r.config.node_id == defaults().node_id);
  const auto missing = run({"--config", (dir.path() / "none.toml").string()});
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.output, Catch::Contains("none.toml: cannot read"));
}

TEST_CASE("config cli: --check-config prints ok or every problem", "[config][cli]") {
  const test::temp_dir dir;
  const auto good = dir.write("good.toml", good_toml);
  const auto bad = dir.write("bad.toml", bad_toml);
  auto r = run({"--check-config", good});
  CHECK(r.what == action::check_config);
  CHECK(r.exit_code == 0);
  CHECK(r.output == good + ": ok\n");
  r = run({"--check-config", bad});
  CHECK(r.what == action::check_config);
  CHECK(r.exit_code == 1);
  CHECK(r.problems.size() == 2);
  CHECK_THAT(r.output, Catch::Contains(bad + ":4: sip.timers.t1_ms"));
  CHECK_THAT(r.output, Catch::Contains(bad + ":6: log.level"));
  // Overrides are checked with the file.
  r = run({"--check-config", good, "--sip-listen", "tls:127.0.0.1:5061"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.output, Catch::Contains("command line: sip.tls.certificate: is required"));
}

TEST_CASE("config cli: overrides are validated like the file", "[config][cli]") {
  struct row {
    std::vector<std::string> args;
    std::string output; ///< a part of it
  };
  const std::vector<row> rows = {
      {{"--sip-listen", "udp:localhost:5060"},
       "command line: --sip-listen: \"udp:localhost"},
      {{"--sip-listen", "udp:127.0.0.1:5060", "--sip-listen", "udp:127.0.0.1:5060"},
       "sip.listen[1]: udp:127.0.0.1:5060 duplicates sip.listen[0]"},
      {{"--log-level", "loud"}, "command line: --log-level: \"loud\" is not a log level"},
      {{"--node-id", "a b"}, "command line: --node-id: \"a b\" is not a name"},
      {{"--zone", ""}, "command line: --zone: must not be empty"},
      {{"--data-dir", ""}, "command line: --data-dir: must not be empty"},
  };
  for (const auto& r : rows) {
    INFO(r.args.front());
    const auto result = run(r.args);
    CHECK(result.what == action::error);
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.output, Catch::Contains(r.output));
  }
}

TEST_CASE("config cli: --version and --help", "[config][cli]") {
  auto r = run({"--version"});
  CHECK(r.what == action::version);
  CHECK(r.exit_code == 0);
  CHECK(r.output == std::string{"ringdownd "} + RINGDOWN_VERSION + "\n");
  r = run({"--help"});
  CHECK(r.what == action::help);
  CHECK(r.exit_code == 0);
  for (const auto* opt :
       {"--config", "--check-config", "--sip-listen", "--data-dir", "--log-level",
        "--node-id", "--zone", "--provisioning", "--check-provisioning", "--version"})
    CHECK_THAT(r.output, Catch::Contains(opt));
}

TEST_CASE("config cli: bad usage is exit 2 with a message", "[config][cli]") {
  const std::vector<std::vector<std::string>> rows = {
      {"--bogus"},
      {"stray"},
      {"--config"},
      {"--config", "a.toml", "--check-config", "b.toml"},
      {"--sip-listen", "udp:127.0.0.1:5060", "udp:127.0.0.1:5062"},
      {"--log-level", "info", "--log-level", "warn"},
      {"--check-provisioning", "p.toml", "--config", "a.toml"},
      {"--check-provisioning", "p.toml", "--provisioning", "q.toml"},
  };
  for (const auto& args : rows) {
    INFO(args.front());
    const auto r = run(args);
    CHECK(r.what == action::error);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.output, Catch::StartsWith("ringdownd: "));
  }
}

namespace {

constexpr std::string_view good_provisioning = "[[zone]]\nname = \"z1\"\n"
                                               "[[line]]\nuri = \"sip:desk@ex.com\"\n"
                                               "zone = \"z1\"\n";
constexpr std::string_view bad_provisioning = "[[zone]]\nname = \"z1\"\n"
                                              "[[line]]\nuri = \"sip:desk@ex.com\"\n"
                                              "zone = \"z2\"\nappearances = 0\n";

} // namespace

TEST_CASE("config cli: --check-provisioning prints ok or file:line: key: what",
          "[config][cli][provisioning]") {
  const test::temp_dir dir;
  const auto good = dir.write("good.toml", good_provisioning);
  const auto bad = dir.write("bad.toml", bad_provisioning);
  auto r = run({"--check-provisioning", good});
  CHECK(r.what == action::check_provisioning);
  CHECK(r.exit_code == 0);
  CHECK(r.output == good + ": ok (1 zones, 0 resources, 1 lines, 0 trunks)\n");
  r = run({"--check-provisioning", bad});
  CHECK(r.what == action::check_provisioning);
  CHECK(r.exit_code == 1);
  CHECK(r.problems.size() == 2);
  CHECK(r.output == bad + ":5: line[0].zone: \"z2\" is not a zone declared in [[zone]]\n" +
                        bad + ":6: line[0].appearances: 0 is out of range (1..32)\n");
  r = run({"--check-provisioning", (dir.path() / "none.toml").string()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.output, Catch::Contains("none.toml: cannot read"));
}

TEST_CASE("config cli: the provisioning file is loaded with the configuration",
          "[config][cli][provisioning]") {
  const test::temp_dir dir;
  dir.write("prov/good.toml", good_provisioning);
  dir.write("prov/bad.toml", bad_provisioning);
  // provisioning.file is relative to the configuration file's directory.
  const auto cfg =
      dir.write("ringdownd.toml", "[provisioning]\nfile = \"prov/good.toml\"\n");
  auto r = run({"--config", cfg});
  REQUIRE(r.what == action::run);
  CHECK(r.config.provisioning_file == (dir.path() / "prov/good.toml").string());
  REQUIRE(r.provisioning);
  CHECK(r.provisioning->zones.size() == 1);
  CHECK_FALSE(run({}).provisioning); // no file: serve what the store holds

  // --provisioning overrides the key, as given (relative to the working directory).
  const auto bad = (dir.path() / "prov/bad.toml").string();
  r = run({"--config", cfg, "--provisioning", bad});
  CHECK(r.what == action::error);
  CHECK(r.exit_code == 1);
  CHECK_FALSE(r.provisioning);
  CHECK_THAT(r.output, Catch::Contains(bad + ":6: line[0].appearances: 0 is out of range"));

  r = run({"--check-config", cfg});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("good.toml: ok (1 zones"));
  r = run({"--check-config", cfg, "--provisioning", bad});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.output, Catch::Contains(bad + ":5: line[0].zone"));
}
