#include "config/cli.hpp"

#include <CLI/CLI.hpp>

#include "config/schema.hpp"

namespace ringdown::config {

namespace {

/// The values of the overriding options, as typed.
struct overrides {
  std::vector<std::string> sip_listen;
  std::string data_dir;
  std::string log_level;
  std::string node_id;
  std::string zone;
  std::string provisioning;
};

/// Checks `value` like the file key `path` would be and applies it; a
/// problem names the option.
void override_string(const CLI::Option* opt, std::string_view path,
                     const std::string& value, node_config& cfg,
                     std::vector<problem>& problems) {
  if (opt->count() == 0)
    return;
  const auto* spec = find_key(path);
  if (auto what = check_string(*spec, value); !what.empty())
    problems.push_back(problem{opt->get_name(), 0, std::move(what)});
  else
    spec->set_str(cfg, value);
}

void override_listen(const CLI::Option* opt, const std::vector<std::string>& values,
                     node_config& cfg, std::vector<problem>& problems) {
  if (opt->count() == 0)
    return;
  std::vector<listen_address> list;
  bool good = true;
  for (const auto& value : values) {
    listen_address parsed;
    if (auto what = check_listen_item(value); !what.empty()) {
      problems.push_back(problem{opt->get_name(), 0, std::move(what)});
      good = false;
    } else if (listen_address::parse(value, parsed)) {
      list.push_back(std::move(parsed));
    }
  }
  if (good)
    cfg.sip_listen = std::move(list);
}

/// The problems as lines, `source` naming where each run of them comes from.
struct problem_source {
  std::string_view name;
  std::size_t count;
};

std::string describe(const std::vector<problem>& problems,
                     std::initializer_list<problem_source> sources) {
  std::string out;
  std::size_t i = 0;
  for (const auto& source : sources)
    for (std::size_t n = 0; n < source.count && i < problems.size(); ++n, ++i)
      out += problems[i].to_string(source.name) + '\n';
  return out;
}

std::string summary(const provisioning& p) {
  return std::to_string(p.zones.size()) + " zones, " + std::to_string(p.resources.size()) +
         " resources, " + std::to_string(p.lines.size()) + " lines, " +
         std::to_string(p.trunks.size()) + " trunks";
}

/// `ringdownd --check-provisioning FILE`.
cli_result check_provisioning(const std::string& file) {
  cli_result result;
  result.what = cli_result::action::check_provisioning;
  auto loaded = load_provisioning_file(file);
  result.problems = std::move(loaded.problems);
  result.exit_code = result.problems.empty() ? 0 : 1;
  result.output = result.problems.empty()
                      ? file + ": ok (" + summary(loaded.data) + ")\n"
                      : describe(result.problems, {{file, result.problems.size()}});
  return result;
}

} // namespace

cli_result parse_command_line(int argc, const char* const* argv) {
  cli_result result;
  CLI::App app{"Ringdown: a clustered SIP call engine.", "ringdownd"};
  app.footer("Exit status: 0 ok, 1 bad configuration, 2 bad usage.");
  std::string config_file;
  std::string check_file;
  overrides over;
  bool version = false;
  auto* config_opt =
      app.add_option("--config", config_file, "TOML configuration file")->type_name("FILE");
  auto* check_opt =
      app.add_option("--check-config", check_file,
                     "Validate FILE (with any overrides), print every problem, "
                     "exit 0 when ok and 1 otherwise")
          ->type_name("FILE")
          ->excludes(config_opt);
  auto* listen_opt = app.add_option("--sip-listen", over.sip_listen,
                                    "SIP listener PROTO:HOST:PORT, PROTO udp, tcp or tls; "
                                    "repeatable; replaces the file's sip.listen")
                         ->type_name("ADDR")
                         ->allow_extra_args(false);
  auto* data_opt =
      app.add_option("--data-dir", over.data_dir, "Data directory (node.data_dir)")
          ->type_name("DIR");
  auto* level_opt = app.add_option("--log-level", over.log_level,
                                   "trace, debug, info, warn, error, critical or off")
                        ->type_name("LEVEL");
  auto* id_opt =
      app.add_option("--node-id", over.node_id, "Node id (node.id)")->type_name("ID");
  auto* zone_opt = app.add_option("--zone", over.zone, "Availability zone (node.zone)")
                       ->type_name("NAME");
  auto* prov_opt =
      app.add_option("--provisioning", over.provisioning,
                     "Provisioning file to load at start-up (provisioning.file)")
          ->type_name("FILE");
  std::string check_prov_file;
  auto* check_prov_opt =
      app.add_option("--check-provisioning", check_prov_file,
                     "Validate the provisioning FILE alone, print every problem as "
                     "file:line: key: what, exit 0 when ok and 1 otherwise")
          ->type_name("FILE")
          ->excludes(config_opt)
          ->excludes(check_opt)
          ->excludes(prov_opt);
  app.add_flag("--version", version, "Print the version and exit");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    result.what = cli_result::action::help;
    result.output = app.help();
    return result;
  } catch (const CLI::ParseError& e) {
    result.what = cli_result::action::error;
    result.output =
        "ringdownd: " + std::string{e.what()} + "\nRun with --help for usage.\n";
    result.exit_code = 2;
    return result;
  }
  if (version) {
    result.what = cli_result::action::version;
    result.output = "ringdownd " RINGDOWN_VERSION "\n";
    return result;
  }
  if (check_prov_opt->count() != 0)
    return check_provisioning(check_prov_file);

  const bool checking = check_opt->count() != 0;
  const std::string& file = checking ? check_file : config_file;
  node_config cfg = defaults();
  if (!file.empty()) {
    auto loaded = load_file(file);
    cfg = std::move(loaded.config);
    result.problems = std::move(loaded.problems);
  }
  const std::size_t from_file = result.problems.size();
  std::vector<problem> more;
  override_listen(listen_opt, over.sip_listen, cfg, more);
  override_string(data_opt, "node.data_dir", over.data_dir, cfg, more);
  override_string(level_opt, "log.level", over.log_level, cfg, more);
  override_string(id_opt, "node.id", over.node_id, cfg, more);
  override_string(zone_opt, "node.zone", over.zone, cfg, more);
  override_string(prov_opt, "provisioning.file", over.provisioning, cfg, more);
  if (result.problems.empty() && more.empty())
    validate(cfg, more); // cross-field checks of the file and overrides together
  const std::size_t from_command_line = more.size();
  result.problems.insert(result.problems.end(), more.begin(), more.end());
  std::optional<provisioning> provisioned;
  std::size_t from_provisioning = 0;
  if (!cfg.provisioning_file.empty()) {
    auto loaded = load_provisioning_file(cfg.provisioning_file);
    from_provisioning = loaded.problems.size();
    result.problems.insert(result.problems.end(), loaded.problems.begin(),
                           loaded.problems.end());
    provisioned = std::move(loaded.data);
  }

  const bool ok = result.problems.empty();
  result.what = checking ? cli_result::action::check_config
                         : (ok ? cli_result::action::run : cli_result::action::error);
  result.exit_code = ok ? 0 : 1;
  if (ok) {
    if (checking)
      result.output =
          file + ": ok\n" +
          (provisioned ? cfg.provisioning_file + ": ok (" + summary(*provisioned) + ")\n"
                       : std::string{});
    result.config = std::move(cfg);
    result.provisioning = std::move(provisioned);
  } else {
    result.output = describe(result.problems, {{file, from_file},
                                               {"command line", from_command_line},
                                               {cfg.provisioning_file, from_provisioning}});
    result.config = defaults();
  }
  return result;
}

} // namespace ringdown::config
