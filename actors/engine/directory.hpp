#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include <caf/fwd.hpp>

#include "actors/engine/actor_key.hpp"

namespace ringdown::actors {

/// Turns an actor key into a live actor: the location transparency of
/// ARCHITECTURE.md §2. A caller asks for `line/sip:desk-1@floor` and gets a
/// handle; where the actor runs is the directory's business. On one node
/// this is `local_directory`; the cluster makes it cluster-wide (placement
/// by rendezvous hashing, spawn on the owner).
///
/// Thread-safe: actors on any scheduler thread and the SIP I/O thread call
/// it concurrently.
class directory {
public:
  virtual ~directory() = default;
  /// The actor for `key`, spawned on first use by its kind's factory. An
  /// invalid handle when the kind has no factory, the directory holds
  /// `actors_max` actors already, or it is shut down (the caller answers
  /// 503).
  [[nodiscard]] virtual caf::actor lookup_or_spawn(const actor_key& key) = 0;
  /// The live actor for `key`, or an invalid handle; never spawns.
  [[nodiscard]] virtual caf::actor find(const actor_key& key) const = 0;
  /// Binds one more key to a live actor (a B2BUA call answers to the
  /// Call-ID of each of its legs). False when the key is taken by another
  /// actor or the directory is shut down. The binding goes with the actor.
  virtual bool bind(const actor_key& key, const caf::actor& actor) = 0;
  /// Keys known to this directory (bindings included).
  [[nodiscard]] virtual std::size_t size() const = 0;
  /// Forgets `key` if it still names the actor at `addr` (an actor that
  /// handed its key over and only forwards now): the next lookup spawns
  /// anew.
  virtual void forget(const actor_key& key, const caf::actor_addr& addr) = 0;
};

/// Spawns the actor for a key (the key is its identity for life).
using actor_factory = std::function<caf::actor(caf::actor_system&, const actor_key&)>;

/// The directory of one node: a map from key to handle. An actor that
/// terminates (its call ended, its line went idle and quit) is forgotten
/// at once, so the next request for its key spawns a fresh one.
class local_directory final : public directory {
public:
  local_directory(caf::actor_system& sys, std::size_t actors_max);
  ~local_directory() override;
  local_directory(const local_directory&) = delete;
  local_directory& operator=(const local_directory&) = delete;

  /// Registers the factory of one kind; before the first lookup.
  void set_factory(actor_kind kind, actor_factory factory);

  [[nodiscard]] caf::actor lookup_or_spawn(const actor_key& key) override;
  [[nodiscard]] caf::actor find(const actor_key& key) const override;
  bool bind(const actor_key& key, const caf::actor& actor) override;
  [[nodiscard]] std::size_t size() const override;
  void forget(const actor_key& key, const caf::actor_addr& addr) override;

  /// The live keys and their actors (bindings included): a copy.
  [[nodiscard]] std::vector<std::pair<actor_key, caf::actor>> entries() const;

  /// Sends every live actor an exit (reason: user_shutdown), forgets them
  /// and refuses further spawns. Idempotent.
  void shutdown();

private:
  struct state;
  void forget_on_exit(const actor_key& key, const caf::actor& actor);
  caf::actor_system& sys_;
  std::shared_ptr<state> state_; ///< shared with the actors' exit hooks
  std::array<actor_factory, actor_kind_count> factories_;
};

} // namespace ringdown::actors
