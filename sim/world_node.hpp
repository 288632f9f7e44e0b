#pragma once

#include <memory>

#include "sim/process.hpp"
#include "sim/world.hpp"

// Internal to the world's sources (world.cpp, world_events.cpp): a node's
// record and the context its process is given.

namespace ringdown::sim {

/// The world as one node's process sees it (see `context`).
class world::node_context final : public context {
public:
  node_context(world& w, node_id id) : world_{w}, id_{id} {}

  [[nodiscard]] time_point now() const override { return world_.now(); }
  [[nodiscard]] const node_info& self() const override { return world_.info(id_); }
  void send(std::string_view to, std::span<const std::uint8_t> bytes) override {
    world_.send(id_, to, bytes);
  }
  void wake_at(time_point at) override { world_.wake_at(id_, at); }
  void cancel_wakeup() override { world_.wake_at(id_, std::nullopt); }
  ringdown::rng& rng() override { return world_.rng_; }
  void trace_line(std::string_view text) override {
    world_.trace(self().name, "trace", text);
  }

private:
  world& world_;
  node_id id_;
};

struct world::node {
  node(world& w, node_id id) : ctx{w, id} {}

  node_info info;
  std::unique_ptr<process> proc;
  node_context ctx;
  std::uint64_t wake_generation = 0;
  std::optional<time_point> wake_pending; ///< when the live wake-up fires
  bool started = false;
};

} // namespace ringdown::sim
