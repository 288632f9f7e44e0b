#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <utility>

#include "sim/process.hpp"

namespace ringdown::sim {

/// Carries out a pure machine's output through `ctx`: every element of
/// `out.sends` ({to_address, bytes}) is sent, and `out.next_wakeup`, when
/// set, re-arms the process's wake-up (when empty the pending one stays:
/// a spurious tick is harmless to a machine that checks its deadlines).
template <class Out>
void apply_output(context& ctx, const Out& out) {
  for (const auto& s : out.sends)
    ctx.send(s.to_address, std::span<const std::uint8_t>{s.bytes.data(), s.bytes.size()});
  if (out.next_wakeup)
    ctx.wake_at(*out.next_wakeup);
}

/// A process running a pure per-node machine `Stm` whose entry points take
/// the time and fill an `Out`:
///   join(seeds, now, out)           on start, with the seed addresses
///   receive(from_address, bytes, now, out)
///   tick(now, out)                  on the wake-up
///   leave(now, out)                 on a `leave` fault
/// `Out` has `sends` and `next_wakeup` (see apply_output) and is cleared
/// by assigning `Out{}` before each call. The machine is made from the
/// node's info by `make` (its seed, address, zone). Owned by the world;
/// the simulator's thread.
template <class Stm, class Out>
class stm_process final : public process {
public:
  explicit stm_process(std::unique_ptr<Stm> stm) : stm_{std::move(stm)} {}

  void start(context& ctx) override {
    out_ = Out{};
    stm_->join(ctx.self().seeds, ctx.now(), out_);
    apply_output(ctx, out_);
  }
  void receive(context& ctx, std::string_view from,
               std::span<const std::uint8_t> bytes) override {
    out_ = Out{};
    stm_->receive(from, bytes, ctx.now(), out_);
    apply_output(ctx, out_);
  }
  void wakeup(context& ctx) override {
    out_ = Out{};
    stm_->tick(ctx.now(), out_);
    apply_output(ctx, out_);
  }
  void leave(context& ctx) override {
    out_ = Out{};
    stm_->leave(ctx.now(), out_);
    apply_output(ctx, out_);
  }

  /// The machine, for checks (`dynamic_cast<const stm_process*>(w.get(n))`).
  [[nodiscard]] const Stm& machine() const noexcept { return *stm_; }

private:
  std::unique_ptr<Stm> stm_;
  Out out_;
};

/// A factory of stm_process for the world: `make(node_info)` returns the
/// node's machine as a std::unique_ptr<Stm>.
template <class Stm, class Out, class Make>
process_factory stm_factory(Make make) {
  return [make = std::move(make)](const node_info& info) -> std::unique_ptr<process> {
    return std::make_unique<stm_process<Stm, Out>>(make(info));
  };
}

} // namespace ringdown::sim
