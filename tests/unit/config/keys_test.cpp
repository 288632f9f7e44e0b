#include <functional>
#include <set>
#include <string>

#include <catch2/catch.hpp>
#include <toml++/toml.h>

#include "config/loader.hpp"
#include "config/schema.hpp"
#include "tests/unit/config/temp_dir.hpp"

using namespace ringdown::config;

namespace {

using proto = listen_address::protocol;

/// One key set to a good non-default value and how it shows in the config.
struct good_key {
  std::string_view path;
  std::string_view toml;
  std::function<bool(const node_config&)> applied;
};

const std::vector<good_key>& good_keys() {
  static const std::vector<good_key> rows = {
      {"node.id", "[node]\nid = \"trader-7.ldn\"",
       [](auto& c) { return c.node_id == "trader-7.ldn"; }},
      {"node.zone", "[node]\nzone = \"ldn-b\"", [](auto& c) { return c.zone == "ldn-b"; }},
      {"node.data_dir", "[node]\ndata_dir = \"/var/lib/ringdown\"",
       [](auto& c) { return c.data_dir == "/var/lib/ringdown"; }},
      {"sip.listen", "[sip]\nlisten = [\"udp:[::1]:5070\", \"tcp:10.0.0.1:5080\"]",
       [](auto& c) {
         return c.sip_listen == std::vector<listen_address>{{proto::udp, "::1", 5070},
                                                            {proto::tcp, "10.0.0.1", 5080}};
       }},
      {"sip.transactions_max", "[sip]\ntransactions_max = 1000000",
       [](auto& c) { return c.transactions_max == 1'000'000; }},
      {"sip.timers.t1_ms", "[sip.timers]\nt1_ms = 1",
       [](auto& c) { return c.timers.t1_ms == 1; }},
      {"sip.timers.t2_ms", "[sip.timers]\nt2_ms = 60000",
       [](auto& c) { return c.timers.t2_ms == 60'000; }},
      {"sip.timers.t4_ms", "[sip.timers]\nt4_ms = 2500",
       [](auto& c) { return c.timers.t4_ms == 2500; }},
      {"sip.tls.certificate", "[sip.tls]\ncertificate = \"tls/node.crt\"",
       [](auto& c) { return c.tls_certificate.ends_with("/tls/node.crt"); }},
      {"sip.tls.private_key", "[sip.tls]\nprivate_key = \"tls/node.key\"",
       [](auto& c) { return c.tls_private_key.ends_with("/tls/node.key"); }},
      // cluster.tls takes its three files together.
      {"cluster.tls.certificate",
       "[cluster.tls]\ncertificate = \"tls/node.crt\"\nprivate_key = "
       "\"tls/node.key\"\nca_file = \"tls/node.crt\"",
       [](auto& c) { return c.cluster.tls_certificate.ends_with("/tls/node.crt"); }},
      {"cluster.tls.private_key",
       "[cluster.tls]\ncertificate = \"tls/node.crt\"\nprivate_key = "
       "\"tls/node.key\"\nca_file = \"tls/node.crt\"",
       [](auto& c) { return c.cluster.tls_private_key.ends_with("/tls/node.key"); }},
      {"cluster.tls.ca_file",
       "[cluster.tls]\ncertificate = \"tls/node.crt\"\nprivate_key = "
       "\"tls/node.key\"\nca_file = \"tls/node.crt\"",
       [](auto& c) { return c.cluster.tls_ca_file.ends_with("/tls/node.crt"); }},
      {"limits.message_bytes_max", "[limits]\nmessage_bytes_max = 1048576",
       [](auto& c) { return c.limits.message_bytes_max == 1'048'576; }},
      {"limits.headers_max", "[limits]\nheaders_max = 8",
       [](auto& c) { return c.limits.headers_max == 8; }},
      {"limits.line_bytes_max", "[limits]\nline_bytes_max = 256",
       [](auto& c) { return c.limits.line_bytes_max == 256; }},
      {"limits.via_max", "[limits]\nvia_max = 256",
       [](auto& c) { return c.limits.via_max == 256; }},
      {"transport.connections_max", "[transport]\nconnections_max = 100000",
       [](auto& c) { return c.transport.connections_max == 100'000; }},
      {"transport.connection_idle_s", "[transport]\nconnection_idle_s = 1",
       [](auto& c) { return c.transport.connection_idle_s == 1; }},
      {"transport.tls_handshake_timeout_ms", "[transport]\ntls_handshake_timeout_ms = 100",
       [](auto& c) { return c.transport.tls_handshake_timeout_ms == 100; }},
      {"transport.udp_buffer_bytes", "[transport]\nudp_buffer_bytes = 65536",
       [](auto& c) { return c.transport.udp_buffer_bytes == 65'536; }},
      {"cluster.listen", "[cluster]\nlisten = \"[::1]:7000\"",
       [](auto& c) { return c.cluster_listen == "[::1]:7000"; }},
      {"cluster.seeds",
       "[cluster]\nseeds = \"127.0.0.11:7946, [::1]:7000\"\nkey = "
       "\"00112233445566778899aabbccddeeff\"",
       [](auto& c) {
         return split_seeds(c.cluster.seeds) ==
                std::vector<std::string>{"127.0.0.11:7946", "[::1]:7000"};
       }},
      {"cluster.key", "[cluster]\nkey = \"00112233445566778899AABBCCDDEEFF\"",
       [](auto& c) {
         std::vector<std::uint8_t> bytes;
         return decode_hex_key(c.cluster.key, bytes) && bytes.size() == 16 &&
                bytes[15] == 0xff;
       }},
      {"cluster.probe_interval_ms",
       "[cluster]\nprobe_interval_ms = 100\nprobe_timeout_ms = 50",
       [](auto& c) { return c.cluster.probe_interval_ms == 100; }},
      {"cluster.probe_timeout_ms", "[cluster]\nprobe_timeout_ms = 200",
       [](auto& c) { return c.cluster.probe_timeout_ms == 200; }},
      {"cluster.suspicion_min_mult", "[cluster]\nsuspicion_min_mult = 2",
       [](auto& c) { return c.cluster.suspicion_min_mult == 2; }},
      {"cluster.suspicion_max_mult", "[cluster]\nsuspicion_max_mult = 12",
       [](auto& c) { return c.cluster.suspicion_max_mult == 12; }},
      {"admin.listen", "[admin]\nlisten = \"127.0.0.2:9090\"",
       [](auto& c) { return c.admin_listen == "127.0.0.2:9090"; }},
      {"log.level", "[log]\nlevel = \"debug\"",
       [](auto& c) { return c.log_level == "debug"; }},
      {"log.file", "[log]\nfile = \"/tmp/ringdownd.log\"",
       [](auto& c) { return c.log_file == "/tmp/ringdownd.log"; }},
      {"provisioning.file", "[provisioning]\nfile = \"prov/floor.toml\"",
       [](auto& c) { return c.provisioning_file.ends_with("/prov/floor.toml"); }},
      {"registrar.digest_algorithms", "[registrar]\ndigest_algorithms = \"MD5\"",
       [](auto& c) { return c.registrar.digest_algorithms == "MD5"; }},
      {"registrar.min_expires_s", "[registrar]\nmin_expires_s = 30",
       [](auto& c) { return c.registrar.min_expires_s == 30; }},
      {"registrar.max_expires_s", "[registrar]\nmax_expires_s = 600",
       [](auto& c) { return c.registrar.max_expires_s == 600; }},
      {"registrar.default_expires_s", "[registrar]\ndefault_expires_s = 300",
       [](auto& c) { return c.registrar.default_expires_s == 300; }},
      {"media.address", "[media]\naddress = \"127.0.0.1\"",
       [](auto& c) { return c.media.address == "127.0.0.1"; }},
      {"media.port_first", "[media]\nport_first = 10000",
       [](auto& c) { return c.media.port_first == 10000; }},
      {"media.port_last", "[media]\nport_last = 39999",
       [](auto& c) { return c.media.port_last == 39999; }},
      {"media.threads", "[media]\nthreads = 2",
       [](auto& c) { return c.media.threads == 2; }},
      {"media.timeout_s", "[media]\ntimeout_s = 60",
       [](auto& c) { return c.media.timeout_s == 60; }},
      {"media.srtp_offer", "[media]\nsrtp_offer = \"never\"",
       [](auto& c) { return c.media.srtp_offer == "never"; }},
      {"media.digits_max", "[media]\ndigits_max = 12",
       [](auto& c) { return c.media.digits_max == 12; }},
      {"media.inter_digit_ms", "[media]\ninter_digit_ms = 1500",
       [](auto& c) { return c.media.inter_digit_ms == 1500; }},
      {"media.first_digit_ms", "[media]\nfirst_digit_ms = 9000",
       [](auto& c) { return c.media.first_digit_ms == 9000; }},
      {"media.failure_tone_s", "[media]\nfailure_tone_s = 5",
       [](auto& c) { return c.media.failure_tone_s == 5; }},
      {"media.conference_prefix", "[media]\nconference_prefix = \"room-\"",
       [](auto& c) { return c.media.conference_prefix == "room-"; }},
      {"media.tones",
       "[media.tones]\nringback = \"440+480/2000,0/4000\"\nhowler = "
       "\"!1400+2060@-10/100, 0/100\"",
       [](auto& c) {
         using ringdown::rtp::tone_spec;
         return c.media.tones ==
                std::vector<tone_spec>{
                    tone_spec{"howler", {{1400, 2060, -10, 100, 100}}, false},
                    tone_spec{"ringback", {{440, 480, -13, 2000, 4000}}, true}};
       }},
  };
  return rows;
}

} // namespace

TEST_CASE("config keys: every key is accepted with a good value", "[config][keys]") {
  const test::temp_dir dir;
  dir.write("tls/node.crt", test::fake_pem);
  dir.write("tls/node.key", test::fake_pem);
  for (const auto& row : good_keys()) {
    INFO(row.path);
    const auto file = dir.write("ringdownd.toml", row.toml);
    const auto result = load_file(file);
    for (const auto& p : result.problems)
      UNSCOPED_INFO(p.to_string(file));
    REQUIRE(result.ok());
    CHECK(row.applied(result.config));
    CHECK_FALSE(row.applied(defaults())); // the value is not the default
  }
}

TEST_CASE("config keys: the good-value table covers the whole schema", "[config][keys]") {
  std::set<std::string_view> covered;
  for (const auto& row : good_keys())
    covered.insert(row.path);
  for (const auto& spec : schema()) {
    INFO(spec.path);
    CHECK(covered.contains(spec.path));
  }
  CHECK(covered.size() == schema().size());
}

TEST_CASE("config keys: defaults are the embedded single node", "[config][defaults]") {
  const auto cfg = defaults();
  CHECK(cfg.node_id == "node-1");
  CHECK(cfg.zone == "default");
  CHECK(cfg.data_dir == "./ringdown-data");
  CHECK(cfg.sip_listen == std::vector<listen_address>{{proto::udp, "127.0.0.1", 5060},
                                                      {proto::tcp, "127.0.0.1", 5060}});
  CHECK(cfg.tls_certificate.empty());
  CHECK(cfg.log_level == "info");
  std::vector<problem> problems;
  validate(cfg, problems);
  CHECK(problems.empty());
  CHECK(load_text("").ok());
  CHECK(load_text("").config.sip_listen == cfg.sip_listen);
}

TEST_CASE("config keys: the sample file documents every key with its default",
          "[config][examples]") {
  const std::string sample = "config/examples/ringdownd.toml";
  const auto result = load_file(sample);
  for (const auto& p : result.problems)
    UNSCOPED_INFO(p.to_string(sample));
  REQUIRE(result.ok());
  const auto doc = toml::parse_file(sample);
  const auto def = defaults();
  for (const auto& spec : schema()) {
    INFO(spec.path);
    REQUIRE(doc.at_path(spec.path).node() != nullptr);
    if (spec.type == key_spec::kind::integer)
      CHECK(spec.get_int(result.config) == spec.get_int(def));
    else if (spec.type == key_spec::kind::string && !spec.is_path)
      CHECK(spec.get_str(result.config) == spec.get_str(def));
  }
  CHECK(result.config.sip_listen == def.sip_listen);
  // Relative paths are resolved against the file's directory.
  CHECK(result.config.data_dir == "config/examples/ringdown-data");
}
