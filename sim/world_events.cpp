#include <algorithm>

#include <fmt/format.h>

#include "sim/trace_log.hpp"
#include "sim/virtual_time.hpp"
#include "sim/world.hpp"
#include "sim/world_node.hpp"

// The world's event handlers and its processes' actions (send, wake-up).

namespace ringdown::sim {

namespace {

/// A short fingerprint of a payload for the trace, so two runs whose
/// packets differ in content do not share a hash.
std::uint32_t fingerprint(std::span<const std::uint8_t> bytes) {
  const std::string_view view{reinterpret_cast<const char*>(bytes.data()), bytes.size()};
  const std::uint64_t h = fnv1a(view);
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

} // namespace

void world::send(node_id from, std::string_view to, std::span<const std::uint8_t> bytes) {
  const auto& name = info(from).name;
  const auto dest = network_.find(to);
  if (!dest) {
    network_.count_sent();
    network_.count_dropped(drop_reason::unknown_address);
    trace(name, "drop", fmt::format("to {} {}B: unknown_address", to, bytes.size()));
    return;
  }
  if (bytes.size() > limits_.packet_bytes_max) {
    network_.count_sent();
    network_.count_dropped(drop_reason::overflow);
    trace(name, "drop", fmt::format("to {} {}B: too large", to, bytes.size()));
    return;
  }
  const route_plan plan = network_.route(from, *dest);
  if (plan.dropped) {
    trace(name, "drop",
          fmt::format("to {} {}B: {}", to, bytes.size(), to_string(*plan.dropped)));
    return;
  }
  const auto slot = packets_.put(bytes, plan.copies);
  if (!slot) {
    network_.count_dropped(drop_reason::overflow);
    trace(name, "drop", fmt::format("to {} {}B: overflow", to, bytes.size()));
    return;
  }
  for (std::uint8_t c = 0; c < plan.copies; ++c)
    queue_.push(now() + plan.delays[c], deliver_event{from, *dest, *slot});
  trace(name, "send",
        fmt::format("to {} {}B #{:08x} +{}{}", to, bytes.size(), fingerprint(bytes),
                    format_virtual_time(plan.delays[0]),
                    plan.copies > 1
                        ? fmt::format(" dup +{}", format_virtual_time(plan.delays[1]))
                        : std::string{}));
}

void world::wake_at(node_id n, std::optional<time_point> at_time) {
  node& nd = at(n);
  const auto when = at_time ? std::optional{std::max(*at_time, now())} : std::nullopt;
  if (when == nd.wake_pending)
    return; // already armed for that time: no stale event to queue
  ++nd.wake_generation;
  nd.wake_pending = when;
  if (when)
    queue_.push(*when, wakeup_event{n, nd.wake_generation});
}

void world::on(const deliver_event& e) {
  node& to = at(e.to);
  const auto drop = [&](drop_reason r) {
    network_.count_dropped(r);
    trace(to.info.name, "lost",
          fmt::format("from {}: {}", info(e.from).address, to_string(r)));
    packets_.release(e.slot);
  };
  if (to.proc == nullptr)
    return drop(drop_reason::dead_node);
  if (network_.blocked(e.from, e.to))
    return drop(drop_reason::partition);
  if (const auto until = network_.clogged_until(e.from, e.to, now())) {
    if (held_.size() >= limits_.packets_held_max)
      return drop(drop_reason::overflow);
    network_.count_held();
    held_.push_back(e);
    if (releases_.insert(*until).second)
      queue_.push(*until, release_event{});
    trace(to.info.name, "held",
          fmt::format("from {} until {}", info(e.from).address,
                      format_virtual_time(*until - start_)));
    return;
  }
  const auto bytes = packets_.bytes(e.slot);
  scratch_.assign(bytes.begin(), bytes.end());
  packets_.release(e.slot);
  network_.count_delivered();
  const std::string& from = info(e.from).address;
  trace(to.info.name, "recv",
        fmt::format("from {} {}B #{:08x}", from, scratch_.size(), fingerprint(scratch_)));
  to.proc->receive(to.ctx, from, scratch_);
}

void world::on(const wakeup_event& e) {
  node& nd = at(e.node);
  if (nd.proc == nullptr || e.generation != nd.wake_generation)
    return; // replaced or killed: not part of the run
  ++nd.wake_generation;
  nd.wake_pending.reset();
  trace(nd.info.name, "wake", "");
  nd.proc->wakeup(nd.ctx);
}

void world::on(const fault_event& e) {
  fault_entry& f = faults_[e.index];
  trace("-", "fault", f.what);
  f.action(*this);
}

void world::on(const check_event& e) {
  const check_entry& c = checks_[e.index];
  const auto fn = check_fns_.find(c.name);
  if (fn == check_fns_.end())
    return fail(c.name, "no check of that name is registered");
  const check_result r = fn->second(*this, c.params);
  const bool again = now() + c.every <= c.deadline;
  if (r.ok) {
    trace("-", "check", fmt::format("{} passed", c.name));
    if (c.always && again)
      queue_.push(now() + c.every, e);
    return;
  }
  if (!c.always && again) {
    trace("-", "check", fmt::format("{} not yet: {}", c.name, r.message));
    queue_.push(now() + c.every, e);
    return;
  }
  fail(c.name, r.message);
}

void world::on(const release_event&) {
  // Held packets whose clog ended are delivered now, in the order held.
  releases_.erase(now());
  std::size_t kept = 0;
  for (const deliver_event& d : held_) {
    if (network_.clogged_until(d.from, d.to, now()))
      held_[kept++] = d;
    else
      queue_.push(now(), d);
  }
  held_.resize(kept);
}

} // namespace ringdown::sim
