#include "actors/engine/cluster_directory.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <tuple>
#include <unordered_map>
#include <utility>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/openssl/publish.hpp>
#include <caf/openssl/remote_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "actors/engine/protocol.hpp"
#include "base/host_port.hpp"
#include "base/logging.hpp"
#include "cluster/placement.hpp"

namespace ringdown::actors {

namespace {

using spawn_atom = caf::atom_constant<caf::atom("rdspawn")>;

spdlog::logger& logger() {
  static const auto lg = log::get("cluster.directory");
  return *lg;
}

/// Kinds placed by hashing over their zone's nodes (the others are born
/// where their call is). Bridges are placed when zone_of names a zone for
/// them (a conference room's registry), else born locally (a room's part).
bool placed_by_hash(actor_kind k) noexcept {
  return k == actor_kind::line || k == actor_kind::zone || k == actor_kind::registrar ||
         k == actor_kind::bridge;
}

} // namespace

struct cluster_directory::state {
  state(caf::actor_system& s, local_directory& l, cluster_directory_settings cfg)
      : sys(s), local(l), settings(std::move(cfg)) {}

  caf::actor_system& sys;
  local_directory& local;
  const cluster_directory_settings settings;
  cluster_directory_counters counters;
  caf::actor manager;
  std::atomic<bool> down{false}; ///< stepped down: owns nothing

  mutable std::mutex mtx;
  /// The view, shared read-only with every lookup; guarded by mtx (a
  /// lookup copies the pointer, not the members).
  std::shared_ptr<const std::vector<cluster::member>> view;
  /// Remote actors by key; guarded by mtx. Dropped on a view change.
  std::unordered_map<actor_key, caf::actor, actor_key_hash> remote;
  /// Node managers by member id (with the address they were reached at).
  std::map<std::string, std::pair<std::string, caf::actor>> managers;

  /// The view, loaded on first use.
  std::shared_ptr<const std::vector<cluster::member>> current_view() {
    const std::lock_guard guard{mtx};
    if (!view)
      view = std::make_shared<const std::vector<cluster::member>>(
          settings.members ? settings.members() : std::vector<cluster::member>{});
    return view;
  }

  std::optional<cluster::member> owner_of(const actor_key& key) {
    if (!placed_by_hash(key.kind) || !settings.zone_of)
      return std::nullopt;
    const auto zone = settings.zone_of(key);
    if (!zone)
      return std::nullopt;
    return place(key.to_string(), *zone);
  }

  /// The live member of `zone` that `text` hashes to; nullopt for us.
  std::optional<cluster::member> place(std::string_view text, const std::string& zone) {
    const auto members = current_view();
    const cluster::member* owner = cluster::owner_in_zone(
        text, zone, *members, down.load() ? std::string_view{settings.self_id} : "");
    if (owner == nullptr || owner->id == settings.self_id)
      return std::nullopt;
    return *owner;
  }

  /// The node manager of `m`, connected on first use (blocking).
  caf::actor manager_of(const cluster::member& m) {
    {
      const std::lock_guard guard{mtx};
      const auto it = managers.find(m.id);
      if (it != managers.end() && it->second.first == m.addresses.cluster &&
          it->second.second)
        return it->second.second;
    }
    std::string host;
    std::uint16_t port = 0;
    if (!split_host_port(m.addresses.cluster, host, port)) {
      logger().warn("member {}: cluster address '{}' unusable", m.id, m.addresses.cluster);
      return {};
    }
    auto connected = settings.tls ? caf::openssl::remote_actor<caf::actor>(sys, host, port)
                                  : sys.middleman().remote_actor(host, port);
    if (!connected) {
      logger().warn("member {}: no node manager at {}: {}", m.id, m.addresses.cluster,
                    sys.render(connected.error()));
      return {};
    }
    const std::lock_guard guard{mtx};
    managers[m.id] = {m.addresses.cluster, *connected};
    return *connected;
  }

  void forget_manager(const std::string& id) {
    const std::lock_guard guard{mtx};
    managers.erase(id);
  }

  /// Asks `owner`'s node manager for `key`; follows one "ask X instead".
  caf::actor ask(const actor_key& key, cluster::member owner) {
    for (int hop = 0; hop < 2; ++hop) {
      const caf::actor mgr = manager_of(owner);
      if (!mgr) {
        counters.failures.fetch_add(1, std::memory_order_relaxed);
        return {};
      }
      caf::actor found;
      std::string other;
      std::string other_address;
      bool answered = false;
      {
        caf::scoped_actor self{sys};
        self->request(mgr, settings.timeout, spawn_atom::value,
                      static_cast<std::uint8_t>(key.kind), key.name)
            .receive(
                [&](caf::actor& a, std::string& owner_id, std::string& address) {
                  found = std::move(a);
                  other = std::move(owner_id);
                  other_address = std::move(address);
                  answered = true;
                },
                [&](caf::error& err) {
                  logger().warn("{}: node {} did not answer: {}", key.to_string(), owner.id,
                                sys.render(err));
                });
      }
      if (!answered) {
        forget_manager(owner.id); // reconnect next time
        counters.failures.fetch_add(1, std::memory_order_relaxed);
        return {};
      }
      if (found)
        return found;
      // The asked node sees another owner: views differ for a moment.
      counters.rerouted.fetch_add(1, std::memory_order_relaxed);
      logger().info("{}: node {} says node {} owns it", key.to_string(), owner.id, other);
      // Followed even when our view does not know that node yet.
      if (other.empty() || other_address.empty() || other == settings.self_id ||
          other == owner.id)
        break;
      owner.id = other;
      owner.addresses.cluster = other_address;
    }
    counters.failures.fetch_add(1, std::memory_order_relaxed);
    return {};
  }

  /// What the node manager answers a lookup from another node: our actor
  /// for `key`, or the owner our view gives.
  std::tuple<caf::actor, std::string, std::string> serve(const actor_key& key) {
    counters.spawns_served.fetch_add(1, std::memory_order_relaxed);
    if (const auto owner = owner_of(key))
      return {caf::actor{}, owner->id, owner->addresses.cluster};
    return {local.lookup_or_spawn(key), settings.self_id, std::string{}};
  }
};

void configure_cluster_tls(caf::actor_system_config& cfg, const std::string& certificate,
                           const std::string& private_key, const std::string& ca_file) {
  cfg.load<caf::openssl::manager>();
  cfg.openssl_certificate = certificate;
  cfg.openssl_key = private_key;
  cfg.openssl_cafile = ca_file;
}

namespace {

/// The node manager: answers other nodes' lookups (spawn_atom) with our
/// actor for the key or the owner our view names. Its state is borrowed
/// through a weak pointer: once the directory is gone it answers nothing.
/// (Spawned with an argument: CAF 0.17's spawn of a function without one
/// binds a reference to a null tuple, which UBSan reports.)
caf::behavior node_manager(caf::event_based_actor*,
                           const std::weak_ptr<cluster_directory::state>& weak) {
  return {
      [weak](spawn_atom, std::uint8_t kind,
             const std::string& name) -> std::tuple<caf::actor, std::string, std::string> {
        const auto st = weak.lock();
        if (!st || kind >= actor_kind_count)
          return {caf::actor{}, std::string{}, std::string{}};
        return st->serve(actor_key{static_cast<actor_kind>(kind), name});
      },
  };
}

} // namespace

cluster_directory::cluster_directory(caf::actor_system& sys, local_directory& local,
                                     cluster_directory_settings settings)
    : st_(std::make_shared<state>(sys, local, std::move(settings))) {
  st_->manager = sys.spawn(node_manager, std::weak_ptr<state>{st_});
}

cluster_directory::~cluster_directory() {
  shutdown();
}

void cluster_directory::shutdown() {
  if (st_->manager)
    caf::anon_send_exit(st_->manager, caf::exit_reason::user_shutdown);
  const std::lock_guard guard{st_->mtx};
  st_->remote.clear();
  st_->managers.clear();
}

caf::actor cluster_directory::lookup_or_spawn(const actor_key& key) {
  const auto owner = st_->owner_of(key);
  if (!owner) {
    st_->counters.local.fetch_add(1, std::memory_order_relaxed);
    return st_->local.lookup_or_spawn(key);
  }
  {
    const std::lock_guard guard{st_->mtx};
    if (const auto it = st_->remote.find(key); it != st_->remote.end()) {
      st_->counters.cache_hits.fetch_add(1, std::memory_order_relaxed);
      return it->second;
    }
  }
  caf::actor found = st_->ask(key, *owner);
  if (!found)
    return {};
  st_->counters.remote.fetch_add(1, std::memory_order_relaxed);
  {
    const std::lock_guard guard{st_->mtx};
    st_->remote.emplace(key, found);
  }
  // Forgotten when it ends (its proxy learns it from the owner's node).
  std::weak_ptr<state> weak = st_;
  const caf::actor_addr addr = found.address();
  found->attach_functor([weak, key, addr](const caf::error&) {
    if (const auto st = weak.lock()) {
      const std::lock_guard guard{st->mtx};
      const auto it = st->remote.find(key);
      if (it != st->remote.end() && it->second.address() == addr)
        st->remote.erase(it);
    }
  });
  return found;
}

caf::actor cluster_directory::find(const actor_key& key) const {
  if (auto a = st_->local.find(key))
    return a;
  const std::lock_guard guard{st_->mtx};
  const auto it = st_->remote.find(key);
  return it == st_->remote.end() ? caf::actor{} : it->second;
}

bool cluster_directory::bind(const actor_key& key, const caf::actor& actor) {
  return st_->local.bind(key, actor);
}

std::size_t cluster_directory::size() const {
  return st_->local.size();
}

void cluster_directory::forget(const actor_key& key, const caf::actor_addr& addr) {
  st_->local.forget(key, addr);
}

std::optional<cluster::member> cluster_directory::owner_of(const actor_key& key) const {
  return st_->owner_of(key);
}

std::optional<cluster::member>
cluster_directory::place_in_zone(std::string_view key, const std::string& zone) const {
  return st_->place(key, zone);
}

caf::actor cluster_directory::manager() const {
  return st_->manager;
}

bool cluster_directory::publish(const std::string& host, std::uint16_t port,
                                std::string& error) {
  auto bound = st_->settings.tls
                   ? caf::openssl::publish(st_->manager, port, host.c_str(), true)
                   : st_->sys.middleman().publish(st_->manager, port, host.c_str(), true);
  if (!bound) {
    error = "cannot publish the node manager on " + host + ":" + std::to_string(port) +
            " (TCP): " + st_->sys.render(bound.error());
    return false;
  }
  logger().info("node manager published on {}:{} ({})", host, *bound,
                st_->settings.tls ? "TCP, mutual TLS" : "TCP");
  return true;
}

void cluster_directory::view_changed() {
  st_->counters.view_changes.fetch_add(1, std::memory_order_relaxed);
  {
    const std::lock_guard guard{st_->mtx};
    st_->view = std::make_shared<const std::vector<cluster::member>>(
        st_->settings.members ? st_->settings.members() : std::vector<cluster::member>{});
    st_->remote.clear();
    // Managers of members no longer live are dropped (a node that comes
    // back is reconnected on its next use).
    for (auto it = st_->managers.begin(); it != st_->managers.end();) {
      bool live = false;
      for (const auto& m : *st_->view)
        if (m.id == it->first && cluster::is_live(m.state) &&
            m.addresses.cluster == it->second.first)
          live = true;
      it = live ? std::next(it) : st_->managers.erase(it);
    }
  }
  for (const auto& [key, actor] : st_->local.entries()) {
    if (!placed_by_hash(key.kind))
      continue;
    if (const auto owner = st_->owner_of(key)) {
      st_->counters.handovers.fetch_add(1, std::memory_order_relaxed);
      logger().info("{} now belongs to node {}: handing over", key.to_string(), owner->id);
      caf::anon_send(actor, key_moved{owner->id});
    }
  }
}

void cluster_directory::step_down() {
  st_->down.store(true);
  logger().info("stepping down: this node owns no key from now on");
  view_changed();
}

bool cluster_directory::stepped_down() const noexcept {
  return st_->down.load();
}

std::vector<std::pair<std::string, std::uint64_t>> cluster_directory::owned_keys() const {
  std::array<std::uint64_t, actor_kind_count> counts{};
  for (const auto& [key, actor] : st_->local.entries())
    ++counts[static_cast<std::size_t>(key.kind)];
  std::vector<std::pair<std::string, std::uint64_t>> out;
  for (std::size_t k = 0; k < actor_kind_count; ++k)
    out.emplace_back(std::string{to_string(static_cast<actor_kind>(k))}, counts[k]);
  return out;
}

std::size_t cluster_directory::live_actors(actor_kind kind) const {
  std::vector<caf::actor_addr> seen;
  for (const auto& [key, actor] : st_->local.entries())
    if (key.kind == kind)
      seen.push_back(actor.address());
  std::sort(seen.begin(), seen.end());
  return static_cast<std::size_t>(std::unique(seen.begin(), seen.end()) - seen.begin());
}

const cluster_directory_counters& cluster_directory::counters() const noexcept {
  return st_->counters;
}

} // namespace ringdown::actors
