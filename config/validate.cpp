#include "config/validate.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <netinet/in.h>
#include <system_error>

#include "config/schema.hpp"

namespace ringdown::config {

namespace {

constexpr std::size_t pem_bytes_max = std::size_t{1024} * 1024;

/// An address in a form that can be compared: family, 16 bytes, port.
struct endpoint {
  int family = AF_INET;
  std::array<unsigned char, 16> bytes{};
  std::uint16_t port = 0;
  bool stream = false; ///< tcp or tls (one TCP socket), else udp
};

endpoint to_endpoint(const listen_address& addr) {
  endpoint out;
  out.family = addr.host.find(':') != std::string::npos ? AF_INET6 : AF_INET;
  // A malformed host leaves zero bytes; check_listen_item reports it.
  (void)inet_pton(out.family, addr.host.c_str(), out.bytes.data());
  out.port = addr.port;
  out.stream = addr.proto != listen_address::protocol::udp;
  return out;
}

bool is_wildcard(const endpoint& e) {
  return std::all_of(e.bytes.begin(), e.bytes.end(),
                     [](unsigned char b) { return b == 0; });
}

/// True when binding both would collide: same port and family, and the
/// same address or one of them the wildcard address.
bool overlaps(const endpoint& a, const endpoint& b) {
  return a.port == b.port && a.family == b.family &&
         (a.bytes == b.bytes || is_wildcard(a) || is_wildcard(b));
}

class checker {
public:
  checker(const node_config& cfg, const key_set& rejected, std::vector<problem>& problems)
      : cfg_{cfg}, rejected_{rejected}, problems_{problems} {}

  [[nodiscard]] bool ok(std::string_view key) const { return !rejected_.contains(key); }
  void add(std::string key, std::string what) {
    problems_.push_back(problem{std::move(key), 0, std::move(what)});
  }

  void each_key() {
    for (const auto& spec : schema()) {
      std::string what;
      if (spec.type == key_spec::kind::integer)
        what = check_integer(spec, spec.get_int(cfg_));
      else if (spec.type == key_spec::kind::string)
        what = check_string(spec, spec.get_str(cfg_));
      else if (spec.type == key_spec::kind::listen_list)
        listeners(spec);
      else if (ok(spec.path))
        check_tones(cfg_.media.tones, [this](std::string key, std::string text) {
          add(std::move(key), std::move(text));
        });
      if (!what.empty())
        add(std::string{spec.path}, std::move(what));
    }
  }

  void listeners(const key_spec& spec) {
    const auto& list = cfg_.sip_listen;
    const auto count = static_cast<std::int64_t>(list.size());
    if (count < spec.min || count > spec.max)
      add("sip.listen", std::to_string(count) + " listeners, allowed " +
                            std::to_string(spec.min) + ".." + std::to_string(spec.max));
    for (std::size_t j = 0; j < list.size(); ++j) {
      const auto key = "sip.listen[" + std::to_string(j) + "]";
      if (auto what = check_listen_item(list[j].to_string()); !what.empty()) {
        add(key, std::move(what));
        continue;
      }
      for (std::size_t i = 0; i < j; ++i) {
        const auto where =
            "sip.listen[" + std::to_string(i) + "] (" + list[i].to_string() + ")";
        if (list[i] == list[j]) {
          add(key, list[j].to_string() + " duplicates " + where);
          break;
        }
        const auto a = to_endpoint(list[i]);
        const auto b = to_endpoint(list[j]);
        if (a.stream == b.stream && overlaps(a, b)) {
          add(key, list[j].to_string() + " and " + where + " would bind the same " +
                       (a.stream ? "TCP" : "UDP") + " port");
          break;
        }
      }
    }
  }

  void tls() {
    const auto& list = cfg_.sip_listen;
    const auto tls_at = std::find_if(list.begin(), list.end(), [](const listen_address& a) {
      return a.proto == listen_address::protocol::tls;
    });
    const bool needed = tls_at != list.end() && ok("sip.listen");
    const auto need = [&](std::string_view key, const std::string& value) {
      if (!ok(key))
        return;
      if (value.empty() && needed)
        add(std::string{key}, "is required by the tls listener sip.listen[" +
                                  std::to_string(tls_at - list.begin()) + "] (" +
                                  tls_at->to_string() + ")");
      else if (!value.empty())
        if (auto what = check_pem_file(value); !what.empty())
          add(std::string{key}, std::move(what));
    };
    need("sip.tls.certificate", cfg_.tls_certificate);
    need("sip.tls.private_key", cfg_.tls_private_key);
  }

  /// cluster.tls: all three files or none, each a readable PEM file.
  void cluster_tls() {
    const auto& c = cfg_.cluster;
    const std::array<std::pair<std::string_view, const std::string*>, 3> keys = {
        {{"cluster.tls.certificate", &c.tls_certificate},
         {"cluster.tls.private_key", &c.tls_private_key},
         {"cluster.tls.ca_file", &c.tls_ca_file}}};
    const bool any = std::any_of(keys.begin(), keys.end(),
                                 [](const auto& k) { return !k.second->empty(); });
    for (const auto& [key, value] : keys) {
      if (!ok(key))
        continue;
      if (value->empty() && any)
        add(std::string{key}, "is required: cluster.tls needs a certificate, its private "
                              "key and a CA file");
      else if (!value->empty())
        if (auto what = check_pem_file(*value); !what.empty())
          add(std::string{key}, std::move(what));
    }
  }

  void cross_fields() {
    const auto& t = cfg_.timers;
    if (ok("sip.timers.t1_ms") && ok("sip.timers.t2_ms") && t.t2_ms < t.t1_ms)
      add("sip.timers.t2_ms", std::to_string(t.t2_ms) + " is less than sip.timers.t1_ms (" +
                                  std::to_string(t.t1_ms) + "); RFC 3261 needs T2 >= T1");
    const auto& m = cfg_.media;
    if (ok("media.port_first") && m.port_first % 2 != 0)
      add("media.port_first",
          std::to_string(m.port_first) + " is odd; RTP takes even ports (RFC 3550 §11)");
    if (ok("media.port_first") && ok("media.port_last") && m.port_last < m.port_first + 1)
      add("media.port_last", std::to_string(m.port_last) +
                                 " leaves no RTP/RTCP pair after " + "media.port_first (" +
                                 std::to_string(m.port_first) + ")");
    planes();
    cluster();
  }

  void cluster() {
    const auto& c = cfg_.cluster;
    if (ok("cluster.seeds") && ok("cluster.key") && c.key.empty() &&
        !split_seeds(c.seeds).empty())
      add("cluster.key", "is required when cluster.seeds is set (every packet is "
                         "authenticated with it)");
    if (ok("cluster.probe_interval_ms") && ok("cluster.probe_timeout_ms") &&
        c.probe_timeout_ms >= c.probe_interval_ms)
      add("cluster.probe_timeout_ms", std::to_string(c.probe_timeout_ms) +
                                          " is not less than cluster.probe_interval_ms (" +
                                          std::to_string(c.probe_interval_ms) + ")");
    if (ok("cluster.suspicion_min_mult") && ok("cluster.suspicion_max_mult") &&
        c.suspicion_max_mult < c.suspicion_min_mult)
      add("cluster.suspicion_max_mult", std::to_string(c.suspicion_max_mult) +
                                            " is less than cluster.suspicion_min_mult (" +
                                            std::to_string(c.suspicion_min_mult) + ")");
  }

  /// The cluster and admin listeners must not collide with each other or
  /// with a SIP listener (cluster uses UDP and TCP, admin TCP).
  void planes() {
    listen_address cluster;
    listen_address admin;
    const bool cluster_ok = ok("cluster.listen") &&
                            listen_address::parse("tcp:" + cfg_.cluster_listen, cluster);
    const bool admin_ok =
        ok("admin.listen") && listen_address::parse("tcp:" + cfg_.admin_listen, admin);
    const bool sip_ok = ok("sip.listen");
    // One problem per plane: the first SIP listener it collides with.
    bool cluster_told = false;
    bool admin_told = false;
    for (std::size_t i = 0; sip_ok && i < cfg_.sip_listen.size(); ++i) {
      const auto sip = to_endpoint(cfg_.sip_listen[i]);
      const auto where =
          "sip.listen[" + std::to_string(i) + "] (" + cfg_.sip_listen[i].to_string() + ")";
      if (cluster_ok && !cluster_told && overlaps(to_endpoint(cluster), sip)) {
        add("cluster.listen", cfg_.cluster_listen + " collides with " + where);
        cluster_told = true;
      }
      if (admin_ok && !admin_told && sip.stream && overlaps(to_endpoint(admin), sip)) {
        add("admin.listen", cfg_.admin_listen + " collides with " + where);
        admin_told = true;
      }
    }
    if (cluster_ok && admin_ok && overlaps(to_endpoint(cluster), to_endpoint(admin)))
      add("admin.listen", cfg_.admin_listen + " collides with cluster.listen (" +
                              cfg_.cluster_listen + ")");
  }

private:
  const node_config& cfg_;
  const key_set& rejected_;
  std::vector<problem>& problems_;
};

} // namespace

std::string check_pem_file(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec)
    return "cannot read \"" + path + "\": " + ec.message();
  if (!std::filesystem::is_regular_file(status))
    return "\"" + path + "\" is not a regular file";
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr)
    return "cannot read \"" + path + "\": " + std::generic_category().message(errno);
  std::string text(pem_bytes_max, '\0');
  text.resize(std::fread(text.data(), 1, text.size(), file));
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed)
    return "cannot read \"" + path + "\"";
  if (text.find("-----BEGIN ") == std::string::npos)
    return "\"" + path + "\" is not a PEM file (no -----BEGIN line)";
  return {};
}

void validate_except(const node_config& cfg, const key_set& rejected,
                     std::vector<problem>& problems) {
  checker check{cfg, rejected, problems};
  check.each_key();
  check.tls();
  check.cluster_tls();
  check.cross_fields();
}

void validate(const node_config& cfg, std::vector<problem>& problems) {
  validate_except(cfg, key_set{}, problems);
}

} // namespace ringdown::config
