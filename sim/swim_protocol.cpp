#include "sim/swim_protocol.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "base/assert.hpp"
#include "sim/stm_process.hpp"
#include "sim/world.hpp"

// The SWIM process and the protocol: see swim_checks.cpp for the checks,
// swim_settings.cpp for [swim].

namespace ringdown::sim {

namespace {

cluster::member member_of(const node_info& info) {
  cluster::member m;
  m.id = info.name;
  m.zone = info.zone;
  m.addresses.cluster = info.address;
  m.incarnation = info.incarnation;
  return m;
}

} // namespace

void swim_journal::attach(const world& w) {
  world_ = &w;
  declarations_.clear();
  total_ = 0;
}

void swim_journal::failed(std::string_view observer, std::string_view target,
                          time_point at) {
  ++total_;
  if (declarations_.size() >= declarations_max)
    return;
  swim_declaration d{at, std::string{observer}, std::string{target}, false, {}};
  if (world_ != nullptr)
    if (const auto n = world_->find_node(target))
      if (const swim_process* p = running_swim(*world_, *n)) {
        d.target_running = true;
        d.target_since = p->joined_at();
      }
  declarations_.push_back(std::move(d));
}

swim_process::swim_process(const node_info& info, const swim_settings& settings,
                           std::vector<std::string> seeds, duration join_after,
                           std::shared_ptr<swim_journal> journal)
    : rng_{info.seed}, stm_{member_of(info), settings.config, settings.cluster_key, rng_},
      seeds_{std::move(seeds)}, journal_{std::move(journal)}, name_{info.name},
      join_after_{info.incarnation == 0 ? join_after : duration{0}} {
  std::erase(seeds_, info.address);
}

void swim_process::start(context& ctx) {
  if (join_after_ <= duration{0})
    return join(ctx);
  join_at_ = ctx.now() + join_after_;
  ctx.wake_at(*join_at_);
}

void swim_process::join(context& ctx) {
  join_at_.reset();
  joined_at_ = ctx.now();
  ctx.trace("swim join via {} seed(s)", seeds_.size());
  out_ = cluster::swim_output{};
  stm_.join(seeds_, ctx.now(), out_);
  apply(ctx);
}

void swim_process::receive(context& ctx, std::string_view from,
                           std::span<const std::uint8_t> bytes) {
  if (!joined_at_ || left_)
    return; // membership not started: the datagram finds no listener
  out_ = cluster::swim_output{};
  stm_.receive(from, bytes, ctx.now(), out_);
  apply(ctx);
}

void swim_process::wakeup(context& ctx) {
  if (left_)
    return;
  if (!joined_at_) {
    if (join_at_ && ctx.now() >= *join_at_)
      join(ctx);
    return;
  }
  out_ = cluster::swim_output{};
  stm_.tick(ctx.now(), out_);
  apply(ctx);
}

void swim_process::leave(context& ctx) {
  if (!joined_at_ || left_)
    return;
  out_ = cluster::swim_output{};
  stm_.leave(ctx.now(), out_);
  apply(ctx);
  left_ = true;
}

void swim_process::apply(context& ctx) {
  for (const auto& e : out_.events) {
    ctx.trace("swim {} {}", cluster::to_string(e.what), e.member_id);
    if (e.what == cluster::swim_event::failed && journal_)
      journal_->failed(name_, e.member_id, ctx.now());
  }
  apply_output(ctx, out_);
}

const swim_process* running_swim(const world& w, node_id n) {
  if (!w.alive(n))
    return nullptr;
  const auto* p = dynamic_cast<const swim_process*>(w.get(n));
  return p != nullptr && p->running() ? p : nullptr;
}

protocol swim_protocol(const scenario& s, const swim_settings& settings,
                       std::shared_ptr<swim_journal> journal) {
  if (!journal)
    journal = std::make_shared<swim_journal>();
  std::map<std::string, std::string, std::less<>> address_of;
  for (const auto& n : s.nodes)
    address_of[n.name] = n.address;
  struct late {
    duration at;
    std::vector<std::string> seeds;
  };
  std::map<std::string, late, std::less<>> lates;
  for (const auto& j : settings.late_joins) {
    late l{j.at, {}};
    for (const auto& name : j.seeds) {
      const auto it = address_of.find(name);
      RINGDOWN_ASSERT(it != address_of.end(), "[[swim.join]] names an unknown node");
      l.seeds.push_back(it->second);
    }
    lates[j.node] = std::move(l);
  }
  auto factory = [settings, lates,
                  journal](const node_info& info) -> std::unique_ptr<process> {
    std::vector<std::string> seeds = info.seeds;
    duration after{0};
    if (const auto it = lates.find(info.name); it != lates.end()) {
      after = it->second.at;
      if (!it->second.seeds.empty())
        seeds = it->second.seeds;
    }
    return std::make_unique<swim_process>(info, settings, std::move(seeds), after, journal);
  };
  return protocol{std::move(factory),
                  [journal](world& w) { register_swim_checks(w, journal); }};
}

} // namespace ringdown::sim
