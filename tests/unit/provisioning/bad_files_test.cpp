#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "config/provisioning.hpp"

using namespace ringdown::config;

namespace {

/// A file with exactly one problem: where it is and what it must say.
struct bad_file {
  std::string_view name;
  std::string toml;
  std::string_view key;
  std::string_view at;   ///< the problem's line is the first line holding this text
  std::string_view what; ///< a part of the message
};

/// One zone and one line that the cases may refer to (lines 1-5).
const std::string base = "[[zone]]\nname = \"ldn\"\n"
                         "[[line]]\nuri = \"sip:l1@ex.com\"\nzone = \"ldn\"\n";

/// A good resource `name` with `more` keys at the end.
std::string resource(std::string_view name, std::string_view more = {}) {
  return "[[resource]]\nname = \"" + std::string{name} +
         "\"\naor = \"sip:" + std::string{name} +
         "@ex.com\"\nzone = \"ldn\"\npassword = \"pw\"\n" + std::string{more};
}

/// A good line `user` with `more` keys at the end.
std::string line(std::string_view user, std::string_view more = {}) {
  return "[[line]]\nuri = \"sip:" + std::string{user} + "@ex.com\"\nzone = \"ldn\"\n" +
         std::string{more};
}

/// A good trunk `name` with `more` keys at the end.
std::string trunk(std::string_view name, std::string_view more = {},
                  std::string_view prefixes = "[\"+44\"]") {
  return "[[trunk]]\nname = \"" + std::string{name} +
         "\"\nzone = \"ldn\"\ngateway_host = \"192.0.2.1\"\nprefixes = " +
         std::string{prefixes} + "\n" + std::string{more};
}

std::uint32_t line_of(const std::string& text, std::string_view marker) {
  const auto at = text.find(marker);
  REQUIRE(at != std::string::npos);
  return static_cast<std::uint32_t>(std::count(text.begin(), text.begin() + at, '\n') + 1);
}

void check_single(const bad_file& row) {
  INFO(row.name);
  INFO(row.toml);
  const auto result = load_provisioning_text(row.toml, "bad.toml");
  for (const auto& p : result.problems)
    UNSCOPED_INFO(p.to_string("bad.toml"));
  REQUIRE(result.problems.size() == 1);
  const auto& p = result.problems.front();
  CHECK(p.key == row.key);
  CHECK(p.line == line_of(row.toml, row.at));
  CHECK_THAT(p.what, Catch::Contains(std::string{row.what}));
  CHECK_FALSE(result.ok());
  CHECK(result.data == provisioning{}); // nothing partial
}

std::string zones(int count) {
  std::string out;
  for (int i = 0; i < count; ++i)
    out += "[[zone]]\nname = \"z" + std::to_string(i) + "\"\n";
  return out;
}

} // namespace

TEST_CASE("provisioning bad files: structure and types", "[provisioning][problems]") {
  const std::vector<bad_file> rows = {
      {"syntax", base + "[[resource]]\nname = \n", "", "name = \n", "syntax error"},
      {"unknown top key", "zones = 1\n" + base, "zones", "zones", "unknown key"},
      {"unknown record key", base + resource("a", "extension = 7\n"),
       "resource[0].extension", "extension", "unknown key (resource keys: name, aor, zone"},
      {"realm after a table", base + "realm = \"r\"\n", "line[0].realm", "realm",
       "top-level keys go before the first [[table]]"},
      {"nested table", base + resource("a") + "[resource.sip]\nx = 1\n", "resource[0].sip",
       "[resource.sip]", "unknown table"},
      {"top array as string", "trunk = \"t1\"\n" + base, "trunk", "trunk",
       "expected an array of tables ([[trunk]]), got a string"},
      {"top array as table", base + "[resource]\nname = \"a\"\n", "resource", "[resource]",
       "got a table"},
      {"string as integer",
       base + "[[resource]]\nname = 7\naor = \"sip:a@ex.com\"\n"
              "zone = \"ldn\"\npassword = \"p\"\n",
       "resource[0].name", "name = 7", "expected a string, got an integer"},
      {"integer as string", base + line("l2", "appearances = \"2\"\n"),
       "line[1].appearances", "appearances", "expected an integer, got a string"},
      {"integer as float", base + trunk("t1", "calls_max = 2.5\n"), "trunk[0].calls_max",
       "calls_max", "got a floating-point number"},
      {"boolean as string", base + line("l2", "private = \"yes\"\n"), "line[1].private",
       "private", "expected a boolean"},
      {"list as string", base + resource("a", "lines = \"sip:l1@ex.com\"\n"),
       "resource[0].lines", "lines", "expected an array of strings"},
      {"list item as integer", base + resource("a", "lines = [\"sip:l1@ex.com\",\n 2]\n"),
       "resource[0].lines[1]", " 2]", "expected a string, got an integer"},
      {"realm as integer", "realm = 7\n" + base, "realm", "realm", "expected a string"},
      {"unknown kind", base + resource("a", "kind = \"desk\"\n"), "resource[0].kind",
       "kind", "\"desk\" is not one of turret, phone, softphone, gateway"},
      {"unknown hold", base + line("l2", "hold = \"closed\"\n"), "line[1].hold", "hold",
       "is not one of open, private"},
      {"unknown transport", base + trunk("t1", "transport = \"sctp\"\n"),
       "trunk[0].transport", "transport", "is not one of udp, tcp, tls"},
      {"missing aor",
       base + "[[resource]] # r0\nname = \"a\"\nzone = \"ldn\"\npassword = \"p\"\n",
       "resource[0].aor", "[[resource]] # r0", "missing required key"},
      {"missing line zone", base + "[[line]] # l2\nuri = \"sip:l2@ex.com\"\n",
       "line[1].zone", "[[line]] # l2", "missing required key"},
      {"missing prefixes",
       base + "[[trunk]]\nname = \"t\"\nzone = \"ldn\"\n"
              "gateway_host = \"192.0.2.1\"\n",
       "trunk[0].prefixes", "[[trunk]]", "missing required key"},
      {"missing password",
       base + "[[resource]]\nname = \"a\"\naor = \"sip:a@ex.com\"\n"
              "zone = \"ldn\"\nkind = \"turret\"\n",
       "resource[0].password", "[[resource]]", "missing required key"},
  };
  for (const auto& row : rows)
    check_single(row);
}

TEST_CASE("provisioning bad files: ranges and value shapes", "[provisioning][problems]") {
  const std::vector<bad_file> rows = {
      {"zero appearances", base + line("l2", "appearances = 0\n"), "line[1].appearances",
       "appearances", "0 is out of range (1..32)"},
      {"too many appearances", base + line("l2", "appearances = 33\n"),
       "line[1].appearances", "appearances", "33 is out of range (1..32)"},
      {"contacts_max", base + resource("a", "contacts_max = 65\n"),
       "resource[0].contacts_max", "contacts_max", "65 is out of range (1..64)"},
      {"calls_max", base + trunk("t1", "calls_max = 0\n"), "trunk[0].calls_max",
       "calls_max", "0 is out of range (1..100000)"},
      {"gateway_port", base + trunk("t1", "gateway_port = 65536\n"),
       "trunk[0].gateway_port", "gateway_port", "65536 is out of range (1..65535)"},
      {"huge integer", base + line("l2", "appearances = 9223372036854775807\n"),
       "line[1].appearances", "appearances", "is out of range (1..32)"},
      {"empty name",
       base + "[[resource]]\nname = \"\"\naor = \"sip:a@ex.com\"\n"
              "zone = \"ldn\"\npassword = \"p\"\n",
       "resource[0].name", "name = \"\"", "must not be empty"},
      {"bad resource name",
       base + "[[resource]]\nname = \"a b\"\naor = \"sip:a@ex.com\"\n"
              "zone = \"ldn\"\npassword = \"p\"\n",
       "resource[0].name", "a b", "is not a name"},
      {"bad zone name", base + "[[zone]]\nname = \"New York\"\n", "zone[1].name",
       "New York", "is not a zone name"},
      {"long display name",
       base + line("l2", "display_name = \"" + std::string(257, 'x') + "\"\n"),
       "line[1].display_name", "display_name", "has 257 bytes, allowed 0..256"},
      {"control character", base + resource("a", "display_name = \"a\\tb\"\n"),
       "resource[0].display_name", "display_name", "has a control character"},
      {"bad realm", "realm = \"a\\\"b\"\n" + base, "realm", "realm", "is not a realm"},
      {"aor scheme",
       base + "[[resource]]\nname = \"a\"\naor = \"tel:+4420\"\nzone = \"ldn\"\n"
              "password = \"p\"\n",
       "resource[0].aor", "aor", "scheme must be sip: or sips:"},
      {"aor no user",
       base + "[[resource]]\nname = \"a\"\naor = \"sip:ex.com\"\n"
              "zone = \"ldn\"\npassword = \"p\"\n",
       "resource[0].aor", "aor", "no user part"},
      {"aor parameters",
       base + "[[resource]]\nname = \"a\"\naor = \"sip:a@ex.com;x=1\"\n"
              "zone = \"ldn\"\npassword = \"p\"\n",
       "resource[0].aor", "aor", "no parameters or headers"},
      {"aor user",
       base + "[[resource]]\nname = \"a\"\naor = \"sip:a%4@ex.com\"\n"
              "zone = \"ldn\"\npassword = \"p\"\n",
       "resource[0].aor", "aor", "user must be"},
      {"aor port",
       base + "[[resource]]\nname = \"a\"\naor = \"sip:a@ex.com:0\"\n"
              "zone = \"ldn\"\npassword = \"p\"\n",
       "resource[0].aor", "aor", "port must be 1..65535"},
      {"line host", base + "[[line]]\nuri = \"sip:l2@-ex-.com\"\nzone = \"ldn\"\n",
       "line[1].uri", "-ex-", "host must be a DNS name"},
      {"line ipv6 without brackets",
       base + "[[line]]\nuri = \"sip:l2@::1\"\nzone = \"ldn\"\n", "line[1].uri", "l2@::1",
       "host must be a DNS name or an IP literal"},
      {"line list item uri", base + resource("a", "lines = [\"l1@ex.com\"]\n"),
       "resource[0].lines[0]", "lines", "scheme must be sip: or sips:"},
      {"gateway host name",
       base + "[[trunk]]\nname = \"t\"\nzone = \"ldn\"\n"
              "gateway_host = \"gw.ex.com\"\nprefixes = [\"1\"]\n",
       "trunk[0].gateway_host", "gateway_host", "is not an IP literal"},
      {"gateway host brackets",
       base + "[[trunk]]\nname = \"t\"\nzone = \"ldn\"\n"
              "gateway_host = \"[::1]\"\nprefixes = [\"1\"]\n",
       "trunk[0].gateway_host", "gateway_host", "is not an IP literal"},
      {"divert condition",
       base + resource("b") +
           resource("a", "divert_to = \"sip:b@ex.com\"\ndivert_on = [\"sometimes\"]\n"),
       "resource[1].divert_on[0]", "divert_on",
       "\"sometimes\" is not a diversion condition"},
      {"divert_after_s too long",
       base + resource("b") +
           resource("a", "divert_to = \"sip:b@ex.com\"\ndivert_on = [\"no_answer\"]\n"
                         "divert_after_s = 601\n"),
       "resource[1].divert_after_s", "divert_after_s", "601 is out of range (0..600)"},
      {"prefix letters", base + trunk("t1", "", "[\"+44\", \"12a\"]"),
       "trunk[0].prefixes[1]", "prefixes", "\"12a\" is not a number prefix"},
      {"prefix plus only", base + trunk("t1", "", "[\"+\"]"), "trunk[0].prefixes[0]",
       "prefixes", "is not a number prefix"},
      {"prefix too long", base + trunk("t1", "", "[\"" + std::string(33, '1') + "\"]"),
       "trunk[0].prefixes[0]", "prefixes", "is not a number prefix"},
      {"no prefixes", base + trunk("t1", "", "[]"), "trunk[0].prefixes", "prefixes",
       "0 items, allowed 1..1024"},
      {"too many zones", zones(65), "zone", "[[zone]]", "65 entries, allowed at most 64"},
  };
  for (const auto& row : rows)
    check_single(row);
}

TEST_CASE("provisioning bad files: duplicates and references", "[provisioning][problems]") {
  const std::vector<bad_file> rows = {
      {"duplicate zone", base + "[[zone]]\nname = \"ldn\" # 2\n", "zone[1].name",
       "\"ldn\" # 2", "duplicate zone name \"ldn\" (first at zone[0].name)"},
      {"duplicate resource name",
       base + resource("a") +
           "[[resource]]\nname = \"a\" # 2\naor = \"sip:b@ex.com\"\n"
           "zone = \"ldn\"\npassword = \"p\"\n",
       "resource[1].name", "\"a\" # 2", "duplicate resource name \"a\""},
      {"duplicate aor by host case",
       base + resource("a") +
           "[[resource]]\nname = \"b\"\naor = \"sip:a@EX.com\"\n"
           "zone = \"ldn\"\npassword = \"p\"\n",
       "resource[1].aor", "EX.com",
       "duplicate AOR \"sip:a@EX.com\" (first at resource[0].aor)"},
      {"duplicate line uri", base + "[[line]]\nuri = \"sip:l1@Ex.Com\"\nzone = \"ldn\"\n",
       "line[1].uri", "Ex.Com", "duplicate line URI"},
      {"duplicate trunk",
       base + trunk("t1") +
           "[[trunk]]\nname = \"t1\" # 2\nzone = \"ldn\"\n"
           "gateway_host = \"::1\"\nprefixes = [\"1\"]\n",
       "trunk[1].name", "\"t1\" # 2", "duplicate trunk name"},
      {"duplicate prefix", base + trunk("t1", "", "[\"+44\", \"+1\", \"+44\"]"),
       "trunk[0].prefixes[2]", "prefixes", "\"+44\" is listed twice"},
      {"line held twice",
       base + resource("a", "lines = [\"sip:l1@ex.com\", \"sip:l1@ex.com\"]\n"),
       "resource[0].lines[1]", "lines", "is listed twice"},
      {"resource zone",
       base + "[[resource]]\nname = \"a\"\naor = \"sip:a@ex.com\"\n"
              "zone = \"nyc\"\npassword = \"p\"\n",
       "resource[0].zone", "nyc", "\"nyc\" is not a zone declared in [[zone]]"},
      {"line zone", base + "[[line]]\nuri = \"sip:l2@ex.com\"\nzone = \"nyc\"\n",
       "line[1].zone", "nyc", "is not a zone"},
      {"trunk zone",
       base + "[[trunk]]\nname = \"t\"\nzone = \"nyc\"\n"
              "gateway_host = \"192.0.2.1\"\nprefixes = [\"1\"]\n",
       "trunk[0].zone", "nyc", "is not a zone"},
      {"unknown line",
       base + resource("a", "lines = [\"sip:l1@ex.com\", \"sip:l9@ex.com\"]\n"),
       "resource[0].lines[1]", "lines",
       "\"sip:l9@ex.com\" is not a line declared in [[line]]"},
      {"divert to an unknown resource",
       base + resource("a", "divert_to = \"sip:zz@ex.com\"\ndivert_on = [\"busy\"]\n"),
       "resource[0].divert_to", "divert_to",
       "\"sip:zz@ex.com\" is not the aor of a [[resource]]"},
      {"divert to itself",
       base + resource("a", "divert_to = \"sip:a@EX.com\"\ndivert_on = [\"busy\"]\n"),
       "resource[0].divert_to", "divert_to", "diverts the resource to itself"},
      {"divert_on without divert_to", base + resource("a", "divert_on = [\"busy\"]\n"),
       "resource[0].divert_to", "[[resource]]", "divert_to and divert_on go together"},
      {"divert_after_s without no_answer",
       base + resource("b") +
           resource("a", "divert_to = \"sip:b@ex.com\"\ndivert_on = [\"busy\"]\n"
                         "divert_after_s = 10\n"),
       "resource[1].divert_after_s", "divert_after_s", "only with \"no_answer\""},
      {"always with another condition",
       base + resource("b") +
           resource("a", "divert_to = \"sip:b@ex.com\"\n"
                         "divert_on = [\"always\", \"busy\"]\n"),
       "resource[1].divert_on", "divert_on", "\"always\" goes alone"},
      {"private line with barge",
       base + line("l2", "private = true\nbarge_allowed = true\n"), "line[1].barge_allowed",
       "barge_allowed", "must be false on a private line"},
  };
  for (const auto& row : rows)
    check_single(row);
}

TEST_CASE("provisioning bad files: every problem is collected in line order",
          "[provisioning][problems]") {
  const std::string text = base +
                           resource("a", "kind = \"desk\"\nlines = [\"sip:l9@ex.com\"]\n") +
                           line("l2", "appearances = 0\n") +
                           "[[trunk]]\nname = \"t\"\nzone = \"nyc\"\n"
                           "gateway_host = \"gw\"\nprefixes = [\"x\"]\n";
  const auto result = load_provisioning_text(text, "many.toml");
  std::vector<std::string> keys;
  for (const auto& p : result.problems)
    keys.push_back(p.key);
  CHECK(keys == std::vector<std::string>{"resource[0].kind", "resource[0].lines[0]",
                                         "line[1].appearances", "trunk[0].zone",
                                         "trunk[0].gateway_host", "trunk[0].prefixes[0]"});
  for (std::size_t i = 1; i < result.problems.size(); ++i)
    CHECK(result.problems[i - 1].line <= result.problems[i].line);
  CHECK(result.data == provisioning{});
  REQUIRE_FALSE(result.problems.empty());
  CHECK(result.problems[0].to_string("many.toml") ==
        "many.toml:" + std::to_string(line_of(text, "kind")) +
            ": resource[0].kind: \"desk\" is not one of turret, phone, softphone, gateway");
}
