#include "sim/network.hpp"

#include <algorithm>

#include "base/assert.hpp"

namespace ringdown::sim {

namespace {

/// Grows a row-major n*n matrix to (n+1)*(n+1), keeping every cell.
template <class T>
void grow(std::vector<T>& m, std::size_t n, const T& fill) {
  std::vector<T> out((n + 1) * (n + 1), fill);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      out[i * (n + 1) + j] = std::move(m[i * n + j]);
  m = std::move(out);
}

} // namespace

std::string_view to_string(drop_reason r) noexcept {
  switch (r) {
  case drop_reason::loss:
    return "loss";
  case drop_reason::partition:
    return "partition";
  case drop_reason::dead_node:
    return "dead_node";
  case drop_reason::unknown_address:
    return "unknown_address";
  case drop_reason::overflow:
    return "overflow";
  }
  return "?";
}

std::uint64_t network_counters::dropped_total() const noexcept {
  std::uint64_t sum = 0;
  for (auto d : dropped)
    sum += d;
  return sum;
}

node_id sim_network::add_node(std::string address, std::string zone) {
  RINGDOWN_ASSERT(addresses_.size() < nodes_max, "too many simulated nodes");
  RINGDOWN_ASSERT(!find(address), "two simulated nodes share an address");
  const std::size_t n = addresses_.size();
  grow(links_, n, std::optional<link_model>{});
  grow(blocked_, n, std::uint8_t{0});
  grow(clog_link_, n, time_point::min());
  clog_out_.push_back(time_point::min());
  clog_in_.push_back(time_point::min());
  addresses_.push_back(std::move(address));
  zones_.push_back(std::move(zone));
  return static_cast<node_id>(n);
}

std::optional<node_id> sim_network::find(std::string_view address) const {
  const auto it = std::find(addresses_.begin(), addresses_.end(), address);
  if (it == addresses_.end())
    return std::nullopt;
  return static_cast<node_id>(it - addresses_.begin());
}

const std::string& sim_network::address(node_id n) const {
  RINGDOWN_ASSERT(n < addresses_.size(), "unknown simulated node");
  return addresses_[n];
}

const std::string& sim_network::zone(node_id n) const {
  RINGDOWN_ASSERT(n < zones_.size(), "unknown simulated node");
  return zones_[n];
}

std::size_t sim_network::at(node_id from, node_id to) const {
  RINGDOWN_ASSERT(from < size() && to < size(), "unknown simulated node");
  return std::size_t{from} * size() + to;
}

void sim_network::set_link(node_id from, node_id to, const link_model& m) {
  links_[at(from, to)] = m;
}

const link_model& sim_network::link(node_id from, node_id to) const {
  const auto& own = links_[at(from, to)];
  return own ? *own : default_;
}

void sim_network::block(node_id from, node_id to) {
  blocked_[at(from, to)] = 1;
}

void sim_network::partition(std::span<const node_id> a, std::span<const node_id> b) {
  for (const node_id x : a)
    for (const node_id y : b) {
      block(x, y);
      block(y, x);
    }
}

void sim_network::isolate(node_id n) {
  for (node_id other = 0; other < size(); ++other)
    if (other != n) {
      block(n, other);
      block(other, n);
    }
}

void sim_network::split_zones() {
  for (node_id x = 0; x < size(); ++x)
    for (node_id y = 0; y < size(); ++y)
      if (zones_[x] != zones_[y])
        block(x, y);
}

void sim_network::heal() {
  std::fill(blocked_.begin(), blocked_.end(), std::uint8_t{0});
}

bool sim_network::blocked(node_id from, node_id to) const {
  return blocked_[at(from, to)] != 0;
}

void sim_network::clog_link(node_id from, node_id to, time_point until) {
  auto& end = clog_link_[at(from, to)];
  end = std::max(end, until);
}

void sim_network::clog_node(node_id n, bool out, bool in, time_point until) {
  RINGDOWN_ASSERT(n < size(), "unknown simulated node");
  if (out)
    clog_out_[n] = std::max(clog_out_[n], until);
  if (in)
    clog_in_[n] = std::max(clog_in_[n], until);
}

void sim_network::unclog_all() {
  std::fill(clog_link_.begin(), clog_link_.end(), time_point::min());
  std::fill(clog_out_.begin(), clog_out_.end(), time_point::min());
  std::fill(clog_in_.begin(), clog_in_.end(), time_point::min());
}

std::optional<time_point> sim_network::clogged_until(node_id from, node_id to,
                                                     time_point now) const {
  const time_point end =
      std::max({clog_link_[at(from, to)], clog_out_[from], clog_in_[to]});
  if (end <= now)
    return std::nullopt;
  return end;
}

route_plan sim_network::route(node_id from, node_id to) {
  count_sent();
  route_plan plan;
  if (blocked(from, to)) {
    count_dropped(drop_reason::partition);
    plan.dropped = drop_reason::partition;
    return plan;
  }
  const link_model& m = link(from, to);
  // Always the same number of draws per packet, whatever the outcome, so
  // a change of one probability does not shift every later draw.
  const double loss_draw = rng_.unit();
  const double dup_draw = rng_.unit();
  const double reorder_draw = rng_.unit();
  const duration extra =
      m.reorder_delay_max.count() > 0
          ? duration{static_cast<duration::rep>(
                rng_.below(static_cast<std::uint64_t>(m.reorder_delay_max.count()) + 1))}
          : duration{0};
  plan.delays[0] = m.latency.sample(rng_);
  plan.delays[1] = m.latency.sample(rng_);
  if (loss_draw < m.loss) {
    count_dropped(drop_reason::loss);
    plan.dropped = drop_reason::loss;
    return plan;
  }
  plan.copies = 1;
  if (reorder_draw < m.reorder) {
    plan.delays[0] += extra;
    ++counters_.reordered;
  }
  if (dup_draw < m.duplicate) {
    plan.copies = 2;
    ++counters_.duplicated;
  }
  return plan;
}

void sim_network::count_dropped(drop_reason r) noexcept {
  ++counters_.dropped[static_cast<std::size_t>(r)];
}

} // namespace ringdown::sim
