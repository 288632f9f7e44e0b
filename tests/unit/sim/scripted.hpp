#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/world.hpp"

// A scripted process for the simulator's own tests: a node sends `count`
// numbered packets to `target`, one every `gap`, from its start on, and
// every node records what it receives and when it wakes.

namespace ringdown::sim::scripted {

using namespace std::chrono_literals;

struct plan {
  std::string target;
  int count = 0;
  duration gap = 1ms;
};

struct arrival {
  std::string node, from, payload;
  duration at; ///< since the start of the run
};

/// Shared by every scripted process of one world (and the test).
struct journal {
  time_point origin{};
  std::vector<arrival> arrivals;
  std::vector<std::string> wakes;
  std::map<std::string, int> starts, stops;

  [[nodiscard]] std::vector<std::string> payloads_at(const std::string& node) const {
    std::vector<std::string> out;
    for (const auto& a : arrivals)
      if (a.node == node)
        out.push_back(a.payload);
    return out;
  }
};

class sender final : public process {
public:
  sender(std::shared_ptr<journal> j, node_info info, plan p)
      : journal_{std::move(j)}, info_{std::move(info)}, plan_{std::move(p)} {}

  void start(context& ctx) override {
    ++journal_->starts[info_.name];
    if (plan_.count > 0)
      ctx.wake_at(ctx.now());
  }
  void receive(context& ctx, std::string_view from,
               std::span<const std::uint8_t> bytes) override {
    journal_->arrivals.push_back(
        arrival{info_.name, std::string{from},
                std::string{reinterpret_cast<const char*>(bytes.data()), bytes.size()},
                ctx.now() - journal_->origin});
  }
  void wakeup(context& ctx) override {
    journal_->wakes.push_back(info_.name);
    const std::string text = std::to_string(sent_++);
    ctx.send(plan_.target,
             std::span{reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
    if (sent_ < plan_.count)
      ctx.wake_at(ctx.now() + plan_.gap);
  }
  void stop() override { ++journal_->stops[info_.name]; }

private:
  std::shared_ptr<journal> journal_;
  node_info info_;
  plan plan_;
  int sent_ = 0;
};

/// A factory of senders following `plans` (by node name; others only receive).
inline process_factory factory(std::shared_ptr<journal> j,
                               std::map<std::string, plan> plans) {
  return [j, plans](const node_info& info) -> std::unique_ptr<process> {
    const auto it = plans.find(info.name);
    return std::make_unique<sender>(j, info, it == plans.end() ? plan{} : it->second);
  };
}

} // namespace ringdown::sim::scripted
