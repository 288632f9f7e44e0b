#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "config/loader.hpp"

using namespace ringdown::config;

namespace {

/// A file with exactly one problem, and what the problem must say.
struct bad_file {
  std::string_view name;
  std::string toml;
  std::string_view key;
  std::uint32_t line;
  std::string_view what; ///< a part of the text
};

void check_single(const bad_file& row) {
  INFO(row.name);
  const auto result = load_text(row.toml, "bad.toml");
  for (const auto& p : result.problems)
    UNSCOPED_INFO(p.to_string("bad.toml"));
  REQUIRE(result.problems.size() == 1);
  const auto& p = result.problems.front();
  CHECK(p.key == row.key);
  CHECK(p.line == row.line);
  CHECK_THAT(p.what, Catch::Contains(std::string{row.what}));
  CHECK_FALSE(result.ok());
}

/// `n` distinct seeds, comma-separated.
std::string many_seeds(int n) {
  std::string out;
  for (int i = 0; i < n; ++i)
    out += (i == 0 ? "" : ",") + std::string{"127.0.0.1:"} + std::to_string(7000 + i);
  return out;
}

} // namespace

TEST_CASE("config problems: an unknown key at every level names key and line",
          "[config][problems]") {
  const std::vector<bad_file> rows = {
      {"top", "# c\nnodes_max = 3\n", "nodes_max", 2, "unknown key"},
      {"top table", "[node]\nid = \"a\"\n[nodez]\nid = \"b\"\n", "nodez", 3,
       "unknown table (did you mean node?)"},
      {"node", "[node]\nidd = \"x\"\n", "node.idd", 2,
       "unknown key (did you mean node.id?)"},
      {"sip", "[sip]\n\nlistens = []\n", "sip.listens", 3, "did you mean sip.listen?"},
      {"sip.timers", "[sip.timers]\nt1_ms = 400\nt3_ms = 1\n", "sip.timers.t3_ms", 3,
       "unknown key"},
      {"sip.timerz", "[sip.timerz]\nt1_ms = 1\n", "sip.timerz", 1,
       "did you mean sip.timers?"},
      {"sip.tls", "[sip.tls]\ncert = \"a\"\n", "sip.tls.cert", 2, "unknown key"},
      {"limits", "[limits]\nbody_bytes_max = 1\n", "limits.body_bytes_max", 2,
       "unknown key"},
      {"transport", "[transport]\nconnection_max = 9\n", "transport.connection_max", 2,
       "did you mean transport.connections_max?"},
      {"cluster", "[cluster]\nmembers = []\n", "cluster.members", 2, "unknown key"},
      {"admin", "[admin]\nlisten = \"127.0.0.1:8081\"\ntoken = \"x\"\n", "admin.token", 3,
       "unknown key"},
      {"log", "[log]\nlevle = \"info\"\n", "log.levle", 2, "did you mean log.level?"},
      {"dotted", "sip.timers.t5_ms = 1\n", "sip.timers.t5_ms", 1, "unknown key"},
      {"quoted dots", "\"node.id\" = \"n1\"\n", "node.id", 1, "unknown key"},
      {"quoted table", "[\"sip.timers\"]\nt1_ms = 100\n", "sip.timers", 1, "unknown table"},
      {"inline", "sip = { listen = [\"udp:127.0.0.1:5060\"], port = 1 }\n", "sip.port", 1,
       "unknown key"},
  };
  for (const auto& row : rows)
    check_single(row);
}

TEST_CASE("config problems: a wrong type names key and line", "[config][problems]") {
  const std::vector<bad_file> rows = {
      {"int as string", "[sip.timers]\nt1_ms = \"500\"\n", "sip.timers.t1_ms", 2,
       "expected an integer, got a string"},
      {"int as float", "[limits]\n\nvia_max = 1.5\n", "limits.via_max", 3,
       "expected an integer, got a floating-point number"},
      {"string as int", "[node]\nid = 5\n", "node.id", 2,
       "expected a string, got an integer"},
      {"string as bool", "[log]\nlevel = true\n", "log.level", 2, "got a boolean"},
      {"string as date", "[log]\nfile = 2024-01-01\n", "log.file", 2, "got a date"},
      {"list as string", "[sip]\nlisten = \"udp:127.0.0.1:5060\"\n", "sip.listen", 2,
       "expected an array of strings, got a string"},
      {"list item as int", "[sip]\nlisten = [\n  \"udp:127.0.0.1:5060\",\n  5060,\n]\n",
       "sip.listen[1]", 4, "expected a string, got an integer"},
      {"table as value", "sip = 5\n", "sip", 1, "expected a table, got an integer"},
      {"table as array", "[[node]]\nid = \"a\"\n", "node", 1,
       "expected a table, got an array"},
  };
  for (const auto& row : rows)
    check_single(row);
}

TEST_CASE("config problems: an out-of-range value names key line and range",
          "[config][problems]") {
  const std::vector<bad_file> rows = {
      {"t1 zero", "[sip.timers]\nt1_ms = 0\n", "sip.timers.t1_ms", 2,
       "0 is out of range (1..10000)"},
      {"t1 high", "[sip.timers]\nt1_ms = 10001\n", "sip.timers.t1_ms", 2, "(1..10000)"},
      {"t1 negative", "[sip.timers]\nt1_ms = -5\n", "sip.timers.t1_ms", 2,
       "-5 is out of range"},
      {"t2 high", "[sip.timers]\nt2_ms = 60001\n", "sip.timers.t2_ms", 2, "(1..60000)"},
      {"t4 huge", "[sip.timers]\nt4_ms = 9223372036854775807\n", "sip.timers.t4_ms", 2,
       "9223372036854775807 is out of range"},
      {"transactions", "[sip]\ntransactions_max = 0\n", "sip.transactions_max", 2,
       "(1..1000000)"},
      {"message low", "[limits]\nmessage_bytes_max = 1023\n", "limits.message_bytes_max", 2,
       "1023 is out of range (1024..1048576)"},
      {"message high", "[limits]\nmessage_bytes_max = 1048577\n",
       "limits.message_bytes_max", 2, "(1024..1048576)"},
      {"headers", "[limits]\nheaders_max = 7\n", "limits.headers_max", 2, "(8..1024)"},
      {"line", "[limits]\nline_bytes_max = 255\n", "limits.line_bytes_max", 2,
       "(256..65536)"},
      {"via", "[limits]\nvia_max = 0\n", "limits.via_max", 2, "(1..256)"},
      {"connections", "[transport]\nconnections_max = 0\n", "transport.connections_max", 2,
       "(1..100000)"},
      {"idle", "[transport]\nconnection_idle_s = 86401\n", "transport.connection_idle_s", 2,
       "(1..86400)"},
      {"handshake", "[transport]\ntls_handshake_timeout_ms = 99\n",
       "transport.tls_handshake_timeout_ms", 2, "(100..60000)"},
      {"empty id", "[node]\nid = \"\"\n", "node.id", 2, "must not be empty"},
      {"bad id", "[node]\nid = \"node 1\"\n", "node.id", 2, "is not a name"},
      {"long zone", "[node]\nzone = \"" + std::string(65, 'z') + "\"\n", "node.zone", 2,
       "65 bytes, allowed 1..64"},
      {"data dir", "[node]\ndata_dir = \"a\\u0001b\"\n", "node.data_dir", 2,
       "control character"},
      {"log level", "[log]\nlevel = \"verbose\"\n", "log.level", 2, "is not a log level"},
      {"digest", "[registrar]\ndigest_algorithms = \"MD5,SHA-1\"\n",
       "registrar.digest_algorithms", 2, "\"SHA-1\" is not a digest algorithm"},
      {"cluster host", "[cluster]\nlisten = \"localhost:7946\"\n", "cluster.listen", 2,
       "is not host:port"},
      {"admin port", "[admin]\nlisten = \"127.0.0.1:0\"\n", "admin.listen", 2,
       "is not host:port"},
      {"seed host",
       "[cluster]\nkey = \"" + std::string(32, 'a') +
           "\"\nseeds = \"127.0.0.1:7946, seed.example:7946\"\n",
       "cluster.seeds", 3, "\"seed.example:7946\" is not host:port"},
      {"too many seeds", "[cluster]\nseeds = \"" + many_seeds(17) + "\"\n", "cluster.seeds",
       2, "17 seeds, allowed at most 16"},
      {"key not hex", "[cluster]\nkey = \"" + std::string(32, 'g') + "\"\n", "cluster.key",
       2, "is not hex"},
      {"key odd", "[cluster]\nkey = \"" + std::string(33, 'a') + "\"\n", "cluster.key", 2,
       "is not hex"},
      {"key short", "[cluster]\nkey = \"00112233445566778899aabbccddee\"\n", "cluster.key",
       2, "15 bytes, at least 16"},
      {"key long", "[cluster]\nkey = \"" + std::string(130, 'a') + "\"\n", "cluster.key", 2,
       "130 bytes, allowed 0..128"},
      {"probe interval", "[cluster]\nprobe_interval_ms = 9\n", "cluster.probe_interval_ms",
       2, "(10..60000)"},
      {"probe timeout", "[cluster]\nprobe_timeout_ms = 4\n", "cluster.probe_timeout_ms", 2,
       "(5..60000)"},
      {"suspicion min", "[cluster]\nsuspicion_min_mult = 101\n",
       "cluster.suspicion_min_mult", 2, "(0..100)"},
      {"suspicion max", "[cluster]\nsuspicion_max_mult = 1001\n",
       "cluster.suspicion_max_mult", 2, "(1..1000)"},
      {"listen proto", "[sip]\nlisten = [\"sctp:127.0.0.1:5060\"]\n", "sip.listen[0]", 2,
       "is not proto:host:port"},
      {"listen port",
       "[sip]\nlisten = [\"udp:127.0.0.1:5060\",\n \"udp:127.0.0.1:65536\"]\n",
       "sip.listen[1]", 3, "is not proto:host:port"},
      {"listen empty", "[sip]\nlisten = []\n", "sip.listen", 2,
       "0 listeners, allowed 1..32"},
  };
  for (const auto& row : rows)
    check_single(row);
}

TEST_CASE("config problems: a bad tone names media.tones.<name> and the problem",
          "[config][problems][tones]") {
  std::string many = "[media.tones]\n";
  for (int i = 0; i < 33; ++i)
    many += "t" + std::to_string(i) + " = \"425/100\"\n";
  const std::string long_name(33, 'a');
  const std::string long_key = "media.tones." + long_name; // outlives the rows' views
  const std::vector<bad_file> rows = {
      {"no duration", "[media.tones]\nbusy = \"425/500, 425/\"\n", "media.tones.busy", 2,
       "element 2 '425/': no duration"},
      {"frequency", "[media.tones]\n\nringback = \"4000/100\"\n", "media.tones.ringback", 3,
       "element 1 '4000/100': frequency 4000 Hz is above 3400"},
      {"level", "[media.tones]\nbusy = \"425@3/500,0/500\"\n", "media.tones.busy", 2,
       "level 3 dBm0 is out of range (-60..0)"},
      {"empty", "[media.tones]\ndial = \"\"\n", "media.tones.dial", 2, "no elements"},
      {"garbage", "[media.tones]\ndial = \"loud\"\n", "media.tones.dial", 2,
       "element 1 'loud': no duration"},
      {"zero ms", "[media.tones]\ndial = \"425/0\"\n", "media.tones.dial", 2,
       "duration 0 ms is out of range (1..60000)"},
      {"inline", "[media]\ntones = { busy = \"425/abc\" }\n", "media.tones.busy", 2,
       "'abc' is not a duration in ms"},
      {"upper-case name", "[media.tones]\nBusy = \"425/500\"\n", "media.tones.Busy", 2,
       "\"Busy\" is not a tone name"},
      {"long name", "[media.tones]\n" + long_name + " = \"425/500\"\n", long_key, 2,
       "is not a tone name"},
      {"long text", "[media.tones]\nbusy = \"" + std::string(1025, '4') + "\"\n",
       "media.tones.busy", 2, "1025 bytes, allowed at most 1024"},
      {"not a string", "[media.tones]\nbusy = 425\n", "media.tones.busy", 2,
       "expected a string, got an integer"},
      {"not a table", "[media]\ntones = \"425/100\"\n", "media.tones", 2,
       "expected a table of tones, got a string"},
      {"too many", many, "media.tones", 1, "33 tones, allowed at most 32"},
  };
  for (const auto& row : rows)
    check_single(row);
}

TEST_CASE("config problems: validate checks the parsed tones",
          "[config][problems][tones]") {
  auto cfg = defaults();
  cfg.media.tones.push_back({"busy", {{4000, 0, -13, 100, 0}}, true});
  cfg.media.tones.push_back({"Bad", {{425, 0, -13, 100, 0}}, true});
  std::vector<problem> problems;
  validate(cfg, problems);
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].key == "media.tones.busy");
  CHECK_THAT(problems[0].what, Catch::Contains("is not playable"));
  CHECK(problems[1].key == "media.tones");
  CHECK_THAT(problems[1].what, Catch::Contains("\"Bad\" is not a tone name"));
  cfg.media.tones.resize(1);
  cfg.media.tones[0].cadence[0].freq1_hz = 425;
  problems.clear();
  validate(cfg, problems);
  CHECK(problems.empty());
}

TEST_CASE("config problems: a syntax error names its line", "[config][problems]") {
  const std::vector<bad_file> rows = {
      {"open header", "[node]\nid = \"a\"\n[sip\n", "", 3, "syntax error"},
      {"no value", "[node]\nid = \"a\"\nzone =\n", "", 3, "syntax error"},
      {"duplicate key", "[node]\nid = \"a\"\n\nid = \"b\"\n", "", 4, "syntax error"},
      {"unterminated", "[log]\nlevel = \"info\nfile = \"\"\n", "", 2, "syntax error"},
  };
  for (const auto& row : rows)
    check_single(row);
  const auto result = load_text("[node]\nid = \"a\"\n[sip\n", "ringdownd.toml");
  REQUIRE(result.problems.size() == 1);
  CHECK_THAT(result.problems[0].to_string("ringdownd.toml"),
             Catch::StartsWith("ringdownd.toml:3: syntax error"));
}

TEST_CASE("config problems: the message reads file line key what", "[config][problems]") {
  const auto text = "[node]\nid = \"n\"\n\n[sip.timers]\nt1_ms = 0\n";
  const auto result = load_text(text, "ringdownd.toml");
  REQUIRE(result.problems.size() == 1);
  CHECK(result.problems[0].to_string("ringdownd.toml") ==
        "ringdownd.toml:5: sip.timers.t1_ms: 0 is out of range (1..10000)");
  CHECK(problem{"", 0, "cannot read"}.to_string("x.toml") == "x.toml: cannot read");
  CHECK(problem{"--zone", 0, "bad"}.to_string("command line") ==
        "command line: --zone: bad");
}

TEST_CASE("config problems: every problem is reported at once in line order",
          "[config][problems]") {
  const auto text = "[node]\n"                            // 1
                    "id = \"\"\n"                         // 2
                    "colour = \"red\"\n"                  // 3
                    "[sip]\n"                             // 4
                    "listen = [\"tls:127.0.0.1:5061\"]\n" // 5
                    "[sip.timers]\n"                      // 6
                    "t1_ms = \"fast\"\n"                  // 7
                    "t2_ms = 0\n"                         // 8
                    "[limits]\n"                          // 9
                    "message_bytes_max = 2048\n"          // 10
                    "via_max = 0\n"                       // 11
                    "[log]\n"                             // 12
                    "level = \"loud\"\n";                 // 13
  const auto result = load_text(text, "many.toml");
  std::vector<std::pair<std::string, std::uint32_t>> got;
  for (const auto& p : result.problems)
    got.emplace_back(p.key, p.line);
  const std::vector<std::pair<std::string, std::uint32_t>> want = {
      {"node.id", 2},
      {"node.colour", 3},
      {"sip.tls.certificate", 4},
      {"sip.tls.private_key", 4},
      {"sip.timers.t1_ms", 7},
      {"sip.timers.t2_ms", 8},
      {"limits.via_max", 11},
      {"log.level", 13}};
  CHECK(got == want);
  // Nothing partial: the good values in the file are not applied.
  CHECK(result.config.limits.message_bytes_max == defaults().limits.message_bytes_max);
}

TEST_CASE("config problems: the list of problems is bounded", "[config][problems]") {
  std::string text;
  for (int i = 0; i < 150; ++i)
    text += "unknown_" + std::to_string(i) + " = 1\n";
  const auto result = load_text(text);
  REQUIRE(result.problems.size() == 101);
  CHECK(result.problems.back().what == "50 more problems not shown");
  CHECK(result.problems.front().line == 1);
}
