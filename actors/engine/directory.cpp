#include "actors/engine/directory.hpp"

#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

#include "base/logging.hpp"

namespace ringdown::actors {

struct local_directory::state {
  explicit state(std::size_t max) : actors_max(max) {}
  mutable std::mutex mtx;
  std::unordered_map<actor_key, caf::actor, actor_key_hash> actors;
  std::size_t actors_max;
  bool closed = false;
};

local_directory::local_directory(caf::actor_system& sys, std::size_t actors_max)
    : sys_(sys), state_(std::make_shared<state>(actors_max)) {}

local_directory::~local_directory() {
  shutdown();
}

void local_directory::set_factory(actor_kind kind, actor_factory factory) {
  factories_[static_cast<std::size_t>(kind)] = std::move(factory);
}

caf::actor local_directory::lookup_or_spawn(const actor_key& key) {
  const actor_factory& factory = factories_[static_cast<std::size_t>(key.kind)];
  std::unique_lock lock{state_->mtx};
  if (const auto it = state_->actors.find(key); it != state_->actors.end())
    return it->second;
  if (state_->closed || !factory)
    return {};
  if (state_->actors.size() >= state_->actors_max) {
    log::get("engine")->warn("directory full ({} actors): {} refused", state_->actors_max,
                             key.to_string());
    return {};
  }
  // Spawning under the lock keeps one actor per key; a factory only spawns
  // (it never calls back into the directory), so this cannot deadlock.
  caf::actor a = factory(sys_, key);
  if (!a)
    return {};
  state_->actors.emplace(key, a);
  lock.unlock();
  forget_on_exit(key, a);
  return a;
}

bool local_directory::bind(const actor_key& key, const caf::actor& actor) {
  if (!actor)
    return false;
  {
    const std::lock_guard guard{state_->mtx};
    if (state_->closed)
      return false;
    const auto [it, fresh] = state_->actors.emplace(key, actor);
    if (!fresh)
      return it->second == actor;
  }
  forget_on_exit(key, actor);
  return true;
}

void local_directory::forget(const actor_key& key, const caf::actor_addr& addr) {
  const std::lock_guard guard{state_->mtx};
  const auto it = state_->actors.find(key);
  if (it != state_->actors.end() && it->second.address() == addr)
    state_->actors.erase(it);
}

void local_directory::forget_on_exit(const actor_key& key, const caf::actor& actor) {
  std::weak_ptr<state> weak = state_;
  const caf::actor_addr addr = actor.address();
  actor->attach_functor([weak, key, addr](const caf::error&) {
    if (const auto st = weak.lock()) {
      const std::lock_guard guard{st->mtx};
      const auto it = st->actors.find(key);
      if (it != st->actors.end() && it->second.address() == addr)
        st->actors.erase(it);
    }
  });
}

caf::actor local_directory::find(const actor_key& key) const {
  const std::lock_guard guard{state_->mtx};
  const auto it = state_->actors.find(key);
  return it == state_->actors.end() ? caf::actor{} : it->second;
}

std::vector<std::pair<actor_key, caf::actor>> local_directory::entries() const {
  const std::lock_guard guard{state_->mtx};
  return {state_->actors.begin(), state_->actors.end()};
}

std::size_t local_directory::size() const {
  const std::lock_guard guard{state_->mtx};
  return state_->actors.size();
}

void local_directory::shutdown() {
  std::vector<caf::actor> live;
  {
    const std::lock_guard guard{state_->mtx};
    state_->closed = true;
    live.reserve(state_->actors.size());
    for (auto& [key, a] : state_->actors)
      live.push_back(std::move(a));
    state_->actors.clear();
  }
  for (const caf::actor& a : live)
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
}

} // namespace ringdown::actors
