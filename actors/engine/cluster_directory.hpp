#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <caf/fwd.hpp>

#include "actors/engine/directory.hpp"
#include "cluster/member.hpp"

namespace ringdown::actors {

/// Counters of the cluster directory; readable from any thread.
struct cluster_directory_counters {
  std::atomic<std::uint64_t> local{0};         ///< lookups this node owns
  std::atomic<std::uint64_t> remote{0};        ///< lookups answered by another node
  std::atomic<std::uint64_t> cache_hits{0};    ///< remote handles reused
  std::atomic<std::uint64_t> rerouted{0};      ///< asked node named another owner
  std::atomic<std::uint64_t> failures{0};      ///< no answer, no connection
  std::atomic<std::uint64_t> handovers{0};     ///< local actors told their key moved
  std::atomic<std::uint64_t> spawns_served{0}; ///< lookups other nodes asked of us
  std::atomic<std::uint64_t> view_changes{0};
};

/// What the cluster directory needs of the node.
struct cluster_directory_settings {
  std::string self_id;
  std::string self_zone;
  /// Node managers are published and reached over mutual TLS
  /// (caf-openssl); the actor system must have been configured with
  /// configure_cluster_tls().
  bool tls = false;
  /// How long a lookup waits for another node's answer (connect included).
  std::chrono::milliseconds timeout{1000};
  /// The current members (a snapshot; self included). Any thread.
  std::function<std::vector<cluster::member>()> members;
  /// The zone whose nodes own `key` (a line's zone, a registrar's or a
  /// zone actor's name), or nullopt for a key born where it is used
  /// (dialogs, bridges). Any thread; must not block for long.
  std::function<std::optional<std::string>(const actor_key& key)> zone_of;
};

/// Loads CAF's OpenSSL module into `cfg` with this node's certificate,
/// private key and the CA file that signs every node's certificate: node
/// managers then talk mutual TLS only (a peer without a certificate of
/// that CA is refused). Call before the actor system is built.
void configure_cluster_tls(caf::actor_system_config& cfg, const std::string& certificate,
                           const std::string& private_key, const std::string& ca_file);

/// The cluster-wide directory (ARCHITECTURE.md §2, §4): a key is placed by
/// rendezvous hashing over the live members of its zone; the owner spawns
/// its actor on first use; a key owned elsewhere is asked of the owner's
/// node manager (one actor per node, published through the CAF middleman
/// on the node's cluster address, TCP) which answers with the actor's
/// handle, or with the owner it sees when its view differs (the lookup
/// then follows that answer once: re-routed, not lost). Remote handles
/// are cached until the view changes or the actor ends.
///
/// A key whose zone has no live member, or any key while this node is not
/// in its own view (membership off, drained), is served here. Dialogs and
/// bridges are always local: they are born where their call entered.
///
/// When the view changes, local actors of keys now owned elsewhere get a
/// `key_moved` message (protocol.hpp) with the new owner: an idle one hands
/// its state over, forwards late messages for a while and quits; a busy
/// one stays until its calls end.
///
/// Thread-safe. A remote lookup blocks the caller for at most
/// `settings.timeout` (one round trip, ~0.2 ms on a LAN).
class cluster_directory final : public directory {
public:
  cluster_directory(caf::actor_system& sys, local_directory& local,
                    cluster_directory_settings settings);
  ~cluster_directory() override;
  cluster_directory(const cluster_directory&) = delete;
  cluster_directory& operator=(const cluster_directory&) = delete;

  [[nodiscard]] caf::actor lookup_or_spawn(const actor_key& key) override;
  [[nodiscard]] caf::actor find(const actor_key& key) const override;
  bool bind(const actor_key& key, const caf::actor& actor) override;
  [[nodiscard]] std::size_t size() const override;
  void forget(const actor_key& key, const caf::actor_addr& addr) override;

  /// The member that owns `key` in the current view, or nullopt when this
  /// node serves it (see the class comment).
  [[nodiscard]] std::optional<cluster::member> owner_of(const actor_key& key) const;

  /// The member of `zone` that `key` (any text, e.g. a Call-ID) hashes
  /// to among the zone's live members, or nullopt when that is this node
  /// or the zone has no live member: the interzone proxy's choice for a
  /// request to a resource of another zone.
  [[nodiscard]] std::optional<cluster::member> place_in_zone(std::string_view key,
                                                             const std::string& zone) const;

  /// The node manager to publish; spawned by the constructor.
  [[nodiscard]] caf::actor manager() const;
  /// Publishes the node manager on `host:port` (TCP). False with `error`.
  bool publish(const std::string& host, std::uint16_t port, std::string& error);

  /// The view changed (a member joined, failed, left): drops cached
  /// handles and tells local actors whose key moved. Any thread.
  void view_changed();
  /// This node leaves (drain): from now on it owns nothing; its actors
  /// are told where their keys went.
  void step_down();
  [[nodiscard]] bool stepped_down() const noexcept;

  /// Ends the node manager (before the actor system awaits its actors).
  void shutdown();

  /// Live local actors of each kind (for the admin plane).
  [[nodiscard]] std::vector<std::pair<std::string, std::uint64_t>> owned_keys() const;
  /// Live local actors of `kind`, each counted once (a call answers to
  /// the Call-IDs of all its legs): the node's calls for `dialog`.
  [[nodiscard]] std::size_t live_actors(actor_kind kind) const;

  [[nodiscard]] const cluster_directory_counters& counters() const noexcept;

  struct state; ///< shared with the node manager

private:
  std::shared_ptr<state> st_;
};

} // namespace ringdown::actors
