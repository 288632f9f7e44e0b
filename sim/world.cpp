#include "sim/world.hpp"

#include <fmt/format.h>

#include "base/assert.hpp"
#include "sim/virtual_time.hpp"
#include "sim/world_node.hpp"

namespace ringdown::sim {

world::world(std::uint64_t seed, process_factory factory, world_limits limits)
    : seed_{seed}, rng_{seed}, start_{clock_.now()}, limits_{limits},
      factory_{std::move(factory)}, network_{rng_}, queue_{limits.queue_events_max},
      packets_{limits.packets_in_flight_max}, trace_{limits.trace_lines_max} {
  RINGDOWN_ASSERT(factory_ != nullptr, "a world needs a process factory");
}

world::~world() = default;

node_id world::add_node(node_spec spec) {
  RINGDOWN_ASSERT(!find_node(spec.name) && !find_node(spec.address),
                  "simulated node names and addresses must be unique");
  const node_id id = network_.add_node(spec.address, spec.zone);
  auto n = std::make_unique<node>(*this, id);
  n->info.name = std::move(spec.name);
  n->info.address = std::move(spec.address);
  n->info.zone = std::move(spec.zone);
  nodes_.push_back(std::move(n));
  return id;
}

std::optional<node_id> world::find_node(std::string_view name_or_address) const {
  for (node_id i = 0; i < nodes_.size(); ++i)
    if (nodes_[i]->info.name == name_or_address ||
        nodes_[i]->info.address == name_or_address)
      return i;
  return std::nullopt;
}

world::node& world::at(node_id n) {
  RINGDOWN_ASSERT(n < nodes_.size(), "unknown simulated node");
  return *nodes_[n];
}

const world::node& world::at(node_id n) const {
  RINGDOWN_ASSERT(n < nodes_.size(), "unknown simulated node");
  return *nodes_[n];
}

const node_info& world::info(node_id n) const {
  return at(n).info;
}
bool world::alive(node_id n) const {
  return at(n).proc != nullptr;
}
process* world::get(node_id n) {
  return at(n).proc.get();
}
const process* world::get(node_id n) const {
  return at(n).proc.get();
}

void world::start_all() {
  for (node_id i = 0; i < nodes_.size(); ++i)
    if (!nodes_[i]->started)
      start(i);
}

void world::start(node_id n) {
  node& nd = at(n);
  RINGDOWN_ASSERT(nd.proc == nullptr, "starting a node that is alive");
  if (nd.started)
    ++nd.info.incarnation;
  nd.started = true;
  nd.info.seeds = seeds_;
  nd.info.seed = rng_();
  trace(nd.info.name, "start", fmt::format("incarnation={}", nd.info.incarnation));
  nd.proc = factory_(nd.info);
  RINGDOWN_ASSERT(nd.proc != nullptr, "the process factory returned nothing");
  nd.proc->start(nd.ctx);
}

void world::kill(node_id n) {
  node& nd = at(n);
  if (nd.proc == nullptr)
    return;
  trace(nd.info.name, "kill", "");
  nd.proc->stop();
  nd.proc.reset();
  ++nd.wake_generation; // drops the pending wake-up
  nd.wake_pending.reset();
}

void world::leave(node_id n) {
  node& nd = at(n);
  if (nd.proc == nullptr)
    return;
  trace(nd.info.name, "leave", "");
  nd.proc->leave(nd.ctx);
  kill(n);
}

void world::restart(node_id n) {
  kill(n);
  start(n);
}

void world::unclog_all() {
  network_.unclog_all();
  queue_.push(now(), release_event{});
}

void world::schedule_fault(time_point at, std::string what,
                           std::function<void(world&)> action) {
  faults_.push_back(fault_entry{std::move(what), std::move(action)});
  queue_.push(at, fault_event{static_cast<std::uint32_t>(faults_.size() - 1)});
}

void world::add_check(std::string name, check_fn fn) {
  check_fns_[std::move(name)] = std::move(fn);
}

bool world::has_check(std::string_view name) const {
  return check_fns_.find(name) != check_fns_.end();
}

void world::add_invariant(std::string name, check_fn fn) {
  invariants_.push_back(invariant{std::move(name), std::move(fn)});
}

void world::schedule_check(time_point at, std::string name, param_map params,
                           duration within, duration every, bool always) {
  RINGDOWN_ASSERT(every.count() > 0, "a check's retry interval must be positive");
  checks_.push_back(
      check_entry{std::move(name), std::move(params), at + within, every, always});
  queue_.push(at, check_event{static_cast<std::uint32_t>(checks_.size() - 1)});
}

void world::trace(std::string_view who, std::string_view kind, std::string_view text) {
  line_.clear();
  fmt::format_to(std::back_inserter(line_), "{:>12} {:<8} {}",
                 format_virtual_time(elapsed()), who, kind);
  if (!text.empty())
    fmt::format_to(std::back_inserter(line_), "{:<{}} {}", "",
                   7 - std::min<std::size_t>(kind.size(), 7), text);
  trace_.append(line_);
}

void world::fail(std::string check, std::string message) {
  trace("-", "FAILED", fmt::format("{}: {}", check, message));
  failures_.push_back(check_failure{std::move(check), std::move(message), elapsed()});
}

bool world::step() {
  if (queue_.empty())
    return false;
  const event e = queue_.pop();
  clock_.set(e.at);
  ++events_;
  std::visit([this](const auto& body) { on(body); }, e.body);
  static const param_map no_params;
  for (auto& inv : invariants_) {
    if (inv.failed)
      continue;
    if (auto r = inv.fn(*this, no_params); !r.ok) {
      inv.failed = true;
      fail(inv.name, std::move(r.message));
    }
  }
  if (events_ == limits_.run_events_max)
    fail("event_limit", fmt::format("{} events run; a protocol runs away", events_));
  return true;
}

void world::run_until(time_point end) {
  const auto stopped = [this] {
    return (stop_on_failure_ && !failures_.empty()) || events_ >= limits_.run_events_max;
  };
  while (!queue_.empty() && queue_.top().at <= end && !stopped())
    step();
  if (!stopped() && now() < end)
    clock_.set(end);
}

} // namespace ringdown::sim
