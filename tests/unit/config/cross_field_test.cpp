#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "config/loader.hpp"
#include "tests/unit/config/temp_dir.hpp"

using namespace ringdown::config;

namespace {

/// A file whose values are each fine but do not fit together.
struct bad_combination {
  std::string_view name;
  std::string_view toml;
  std::string_view key;
  std::uint32_t line;
  std::string_view what;
};

} // namespace

TEST_CASE("config cross-field: each problem names key and line", "[config][cross]") {
  const test::temp_dir dir;
  dir.write("tls/good.crt", test::fake_pem);
  dir.write("tls/good.key", test::fake_pem);
  dir.write("tls/plain.txt", "not a certificate\n");
  const std::vector<bad_combination> rows = {
      {"t2 below t1", "[sip.timers]\nt1_ms = 2000\nt2_ms = 1000\n", "sip.timers.t2_ms", 3,
       "1000 is less than sip.timers.t1_ms (2000)"},
      {"odd first media port", "[media]\naddress = \"127.0.0.1\"\nport_first = 20001\n",
       "media.port_first", 3, "20001 is odd; RTP takes even ports"},
      {"media range without a pair", "[media]\nport_first = 30000\nport_last = 30000\n",
       "media.port_last", 3,
       "30000 leaves no RTP/RTCP pair after media.port_first (30000)"},
      {"duplicate listener",
       "[sip]\nlisten = [\n \"udp:127.0.0.1:5060\",\n \"udp:127.0.0.1:5060\",\n]\n",
       "sip.listen[1]", 4, "duplicates sip.listen[0] (udp:127.0.0.1:5060)"},
      {"tcp and tls share a port",
       "[sip]\nlisten = [\"tcp:127.0.0.1:5060\", \"tls:127.0.0.1:5060\"]\n"
       "[sip.tls]\ncertificate = \"tls/good.crt\"\nprivate_key = \"tls/good.key\"\n",
       "sip.listen[1]", 2, "would bind the same TCP port"},
      {"wildcard overlaps",
       "[sip]\nlisten = [\"udp:0.0.0.0:5060\",\n \"udp:127.0.0.1:5060\"]\n",
       "sip.listen[1]", 3, "would bind the same UDP port"},
      {"tls without certificate",
       "[sip]\nlisten = [\"tls:127.0.0.1:5061\"]\n[sip.tls]\nprivate_key = "
       "\"tls/good.key\"\n",
       "sip.tls.certificate", 3, "is required by the tls listener sip.listen[0]"},
      {"tls without key",
       "[sip]\nlisten = [\"tls:127.0.0.1:5061\"]\n\n[sip.tls]\ncertificate = "
       "\"tls/good.crt\"\n",
       "sip.tls.private_key", 4, "is required by the tls listener"},
      {"missing certificate file", "[sip.tls]\n\ncertificate = \"tls/none.crt\"\n",
       "sip.tls.certificate", 3, "cannot read"},
      {"certificate is a directory", "[sip.tls]\ncertificate = \"tls\"\n",
       "sip.tls.certificate", 2, "is not a regular file"},
      {"key is not PEM", "[sip.tls]\nprivate_key = \"tls/plain.txt\"\n",
       "sip.tls.private_key", 2, "is not a PEM file"},
      {"admin on cluster",
       "[cluster]\nlisten = \"127.0.0.1:7000\"\n[admin]\nlisten = "
       "\"127.0.0.1:7000\"\n",
       "admin.listen", 4, "collides with cluster.listen"},
      {"cluster on sip", "[cluster]\nlisten = \"127.0.0.1:5060\"\n", "cluster.listen", 2,
       "collides with sip.listen[0] (udp:127.0.0.1:5060)"},
      {"seeds without a key", "[cluster]\nseeds = \"127.0.0.11:7946\"\n", "cluster.key", 1,
       "is required when cluster.seeds is set"},
      {"probe timeout not below interval",
       "[cluster]\nprobe_interval_ms = 100\nprobe_timeout_ms = 100\n",
       "cluster.probe_timeout_ms", 3,
       "100 is not less than cluster.probe_interval_ms (100)"},
      {"suspicion max below min",
       "[cluster]\nsuspicion_min_mult = 8\n\nsuspicion_max_mult = 6\n",
       "cluster.suspicion_max_mult", 4, "6 is less than cluster.suspicion_min_mult (8)"},
      {"cluster tls without its CA file",
       "[cluster.tls]\ncertificate = \"tls/good.crt\"\nprivate_key = \"tls/good.key\"\n",
       "cluster.tls.ca_file", 1, "is required: cluster.tls needs a certificate"},
      {"cluster tls key is not PEM",
       "[cluster.tls]\ncertificate = \"tls/good.crt\"\nprivate_key = \"tls/plain.txt\"\n"
       "ca_file = \"tls/good.crt\"\n",
       "cluster.tls.private_key", 3, "is not a PEM file"},
      {"admin on sip tcp", "[admin]\nlisten = \"0.0.0.0:5060\"\n", "admin.listen", 2,
       "collides with sip.listen[1] (tcp:127.0.0.1:5060)"},
  };
  for (const auto& row : rows) {
    INFO(row.name);
    const auto file = dir.write("ringdownd.toml", row.toml);
    const auto result = load_file(file);
    for (const auto& p : result.problems)
      UNSCOPED_INFO(p.to_string(file));
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].key == row.key);
    CHECK(result.problems[0].line == row.line);
    CHECK_THAT(result.problems[0].what, Catch::Contains(std::string{row.what}));
  }
}

TEST_CASE("config cross-field: a good TLS node loads with resolved paths",
          "[config][cross]") {
  const test::temp_dir dir;
  dir.write("tls/node.crt", test::fake_pem);
  dir.write("tls/node.key", test::fake_pem);
  const auto file = dir.write(
      "etc/../ringdownd.toml",
      "[sip]\nlisten = [\"udp:127.0.0.1:5060\", \"tcp:127.0.0.1:5060\", "
      "\"tls:[::1]:5061\"]\n"
      "[sip.tls]\ncertificate = \"tls/node.crt\"\nprivate_key = \"" +
          (dir.path() / "tls/node.key").string() + "\"\n[node]\ndata_dir = \"data\"\n");
  const auto result = load_file(file);
  for (const auto& p : result.problems)
    UNSCOPED_INFO(p.to_string(file));
  REQUIRE(result.ok());
  CHECK(result.config.tls_certificate == (dir.path() / "tls/node.crt").string());
  CHECK(result.config.tls_private_key == (dir.path() / "tls/node.key").string());
  CHECK(result.config.data_dir == (dir.path() / "data").string());
  CHECK(result.config.sip_listen.size() == 3);
}

TEST_CASE("config cross-field: a rejected value adds no second problem",
          "[config][cross]") {
  // t1 is rejected, so t2 = 100 is not compared with the default t1 of 500.
  const auto result = load_text("[sip.timers]\nt1_ms = 0\nt2_ms = 100\n");
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].key == "sip.timers.t1_ms");
}

TEST_CASE("config cross-field: validate checks a config built in code", "[config][cross]") {
  auto cfg = defaults();
  cfg.timers.t1_ms = 0;
  cfg.limits.via_max = 100'000;
  cfg.sip_listen.push_back({listen_address::protocol::tls, "127.0.0.1", 5061});
  cfg.sip_listen.push_back({listen_address::protocol::udp, "not-an-ip", 5062});
  std::vector<problem> problems;
  validate(cfg, problems);
  std::vector<std::string> keys;
  for (const auto& p : problems) {
    keys.push_back(p.key);
    CHECK(p.line == 0);
  }
  CHECK(keys == std::vector<std::string>{"sip.listen[3]", "sip.timers.t1_ms",
                                         "limits.via_max", "sip.tls.certificate",
                                         "sip.tls.private_key"});
}

TEST_CASE("config cross-field: load_file reports an unreadable or oversized file",
          "[config][files]") {
  const test::temp_dir dir;
  const auto missing = load_file((dir.path() / "none.toml").string());
  REQUIRE(missing.problems.size() == 1);
  CHECK_THAT(missing.problems[0].what, Catch::StartsWith("cannot read"));
  const auto folder = load_file(dir.path().string());
  REQUIRE(folder.problems.size() == 1);
  CHECK_THAT(folder.problems[0].what, Catch::Contains("not a regular file"));
  const auto big =
      dir.write("big.toml", "# " + std::string(std::size_t{1024} * 1024, 'x') + "\n");
  const auto large = load_file(big);
  REQUIRE(large.problems.size() == 1);
  CHECK_THAT(large.problems[0].what, Catch::Contains("larger than"));
}
