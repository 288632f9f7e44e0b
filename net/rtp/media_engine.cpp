#include "net/rtp/media_engine.hpp"

#include <future>
#include <latch>
#include <mutex>
#include <thread>
#include <unordered_map>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include "base/logging.hpp"
#include "base/random.hpp"
#include "net/rtp/media_bridge.hpp"

namespace ringdown::rtp {

namespace {

spdlog::logger& log() {
  static const auto lg = log::get("media");
  return *lg;
}

/// How many busy ports (taken by another program) one add_leg skips.
constexpr int bind_attempts_max = 8;
/// How long move_leg waits for the leg's bridge: far beyond the
/// microseconds it takes, only a stuck media thread reaches it.
constexpr std::chrono::milliseconds move_wait{1000};

} // namespace

class media_engine::impl {
public:
  impl(media_engine_config cfg, const clock& clk)
      : cfg_(std::move(cfg)), clock_(clk), work_(asio::make_work_guard(io_)),
        ssrc_(rng::from_entropy()) {}

  std::optional<std::string> start() {
    if (auto error = port_pool::validate(cfg_.port_first, cfg_.port_last))
      return "media: ports " + std::to_string(cfg_.port_first) + "-" +
             std::to_string(cfg_.port_last) + ": " + *error;
    ports_.emplace(cfg_.port_first, cfg_.port_last);
    boost::system::error_code ec;
    address_ = asio::ip::make_address(cfg_.address, ec);
    if (ec)
      return "media: address '" + cfg_.address + "' is not an IP address";
    const unsigned n = std::max(1U, cfg_.threads);
    for (unsigned i = 0; i < n; ++i)
      threads_.emplace_back([this] { io_.run(); });
    log().info("media: {} thread(s), RTP ports {}-{} on {}", n, cfg_.port_first,
               cfg_.port_last, cfg_.address);
    return std::nullopt;
  }

  void stop() {
    if (threads_.empty())
      return;
    std::vector<std::shared_ptr<media_bridge>> all;
    {
      std::lock_guard lock(mutex_);
      for (auto& [id, b] : bridges_)
        all.push_back(b);
      bridges_.clear();
    }
    std::latch closed(static_cast<std::ptrdiff_t>(all.size()));
    for (auto& b : all)
      asio::post(b->strand(), [b, &closed] {
        (void)b->close();
        closed.count_down();
      });
    closed.wait();
    work_.reset();
    io_.stop();
    for (auto& t : threads_)
      t.join();
    threads_.clear();
  }

  std::optional<bridge_id> create_bridge(event_sink sink,
                                         std::optional<tone_spec> music = std::nullopt) {
    std::lock_guard lock(mutex_);
    if (bridges_.size() >= cfg_.bridges_max)
      return std::nullopt;
    const bridge_id id = ++last_id_;
    bridges_.emplace(id, std::make_shared<media_bridge>(io_, id, cfg_, clock_, counters_,
                                                        std::move(sink), std::move(music)));
    counters_.bridges.fetch_add(1, std::memory_order_relaxed);
    return id;
  }

  bool move_leg(bridge_id from, leg_index leg, bridge_id to, leg_index as) {
    auto src = find(from);
    auto dst = find(to);
    if (!src || !dst || (from == to && leg == as))
      return false;
    auto done = std::make_shared<std::promise<bool>>();
    auto moved = done->get_future();
    asio::post(src->strand(), [src, dst, leg, as, done] {
      auto l = src->detach_leg(leg, as);
      const bool found = l != nullptr;
      // Posted before the caller learns of the move: whatever the caller
      // then tells `to` runs after the leg arrived (a strand runs what was
      // posted in the order it was posted).
      if (found)
        asio::post(dst->strand(),
                   [dst, l = std::move(l)]() mutable { dst->add_leg(std::move(l)); });
      done->set_value(found);
    });
    if (moved.wait_for(move_wait) != std::future_status::ready) {
      log().warn("media: bridge {} did not answer a move of leg {} within {} ms; the leg "
                 "moves later",
                 from, leg, move_wait.count());
      return true;
    }
    const bool ok = moved.get();
    if (ok)
      counters_.legs_moved.fetch_add(1, std::memory_order_relaxed);
    return ok;
  }

  std::optional<hold_place> music_on_hold() {
    std::lock_guard lock(moh_mutex_);
    if (!moh_bridge_ || !find(*moh_bridge_)) {
      moh_bridge_ = create_bridge(
          [](const media_event& e) {
            log().debug("media: music on hold leg {}: event {}", e.leg,
                        static_cast<int>(e.what));
          },
          cfg_.tones.get("moh"));
      if (!moh_bridge_)
        return std::nullopt;
      log().info("media: music-on-hold bridge {}", *moh_bridge_);
    }
    return hold_place{*moh_bridge_, ++moh_last_leg_};
  }

  void destroy_bridge(bridge_id id) {
    std::shared_ptr<media_bridge> b;
    {
      std::lock_guard lock(mutex_);
      const auto it = bridges_.find(id);
      if (it == bridges_.end())
        return;
      b = std::move(it->second);
      bridges_.erase(it);
    }
    counters_.bridges.fetch_sub(1, std::memory_order_relaxed);
    asio::post(b->strand(), [b] { (void)b->close(); });
  }

  std::vector<std::pair<leg_index, leg_quality>>
  end_bridge(bridge_id id, std::chrono::milliseconds wait) {
    std::shared_ptr<media_bridge> b;
    {
      std::lock_guard lock(mutex_);
      const auto it = bridges_.find(id);
      if (it == bridges_.end())
        return {};
      b = std::move(it->second);
      bridges_.erase(it);
    }
    counters_.bridges.fetch_sub(1, std::memory_order_relaxed);
    auto done =
        std::make_shared<std::promise<std::vector<std::pair<leg_index, leg_quality>>>>();
    auto figures = done->get_future();
    asio::post(b->strand(), [b, done] { done->set_value(b->close()); });
    if (figures.wait_for(wait) != std::future_status::ready)
      return {};
    return figures.get();
  }

  std::shared_ptr<media_bridge> find(bridge_id id) {
    std::lock_guard lock(mutex_);
    const auto it = bridges_.find(id);
    return it == bridges_.end() ? nullptr : it->second;
  }

  std::optional<std::uint16_t> add_leg(bridge_id id, leg_index idx) {
    auto b = find(id);
    if (!b || !ports_)
      return std::nullopt;
    for (int attempt = 0; attempt < bind_attempts_max; ++attempt) {
      auto lease = ports_->lease();
      if (!lease) {
        counters_.ports_exhausted.fetch_add(1, std::memory_order_relaxed);
        log().warn("media: no RTP port left in {}-{}", cfg_.port_first, cfg_.port_last);
        return std::nullopt;
      }
      const std::uint16_t port = lease->rtp_port();
      udp::socket rtp(io_);
      udp::socket rtcp(io_);
      if (!bind(rtp, port) || !bind(rtcp, static_cast<std::uint16_t>(port + 1))) {
        lease->quarantine();
        continue;
      }
      std::uint32_t ssrc;
      {
        std::lock_guard lock(mutex_);
        ssrc = static_cast<std::uint32_t>(ssrc_());
      }
      jitter_config jb;
      jb.min_delay_ms = cfg_.jitter_min_ms;
      jb.max_delay_ms = cfg_.jitter_max_ms;
      auto leg = std::make_shared<media_leg>(io_, idx, std::move(*lease), std::move(rtp),
                                             std::move(rtcp), jb, ssrc);
      asio::post(b->strand(),
                 [b, leg = std::move(leg)]() mutable { b->add_leg(std::move(leg)); });
      return port;
    }
    log().warn("media: {} ports in a row were taken by other programs", bind_attempts_max);
    return std::nullopt;
  }

  template <class F>
  void on_bridge(bridge_id id, F&& f) {
    if (auto b = find(id))
      asio::post(b->strand(), [b, f = std::forward<F>(f)]() mutable { f(*b); });
  }

  [[nodiscard]] const media_counters& counters() const noexcept { return counters_; }
  [[nodiscard]] const media_engine_config& config() const noexcept { return cfg_; }
  [[nodiscard]] std::size_t ports_available() const {
    return ports_ ? ports_->available() : 0;
  }

private:
  bool bind(udp::socket& s, std::uint16_t port) {
    boost::system::error_code ec;
    s.open(address_.is_v4() ? udp::v4() : udp::v6(), ec);
    if (!ec)
      s.bind(udp::endpoint{address_, port}, ec);
    if (!ec)
      s.non_blocking(true, ec);
    if (ec) {
      log().debug("media: port {} not usable: {}", port, ec.message());
      boost::system::error_code ignored;
      s.close(ignored);
      return false;
    }
    return true;
  }

  media_engine_config cfg_;
  const clock& clock_;
  std::optional<port_pool> ports_; ///< from start(), once the range is known good
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  asio::ip::address address_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::unordered_map<bridge_id, std::shared_ptr<media_bridge>> bridges_;
  bridge_id last_id_ = 0;
  std::mutex moh_mutex_; ///< one music-on-hold bridge, however many callers
  std::optional<bridge_id> moh_bridge_;
  leg_index moh_last_leg_ = 0;
  rng ssrc_;
  media_counters counters_;
};

media_engine::media_engine(media_engine_config cfg, const clock& clk)
    : impl_(std::make_unique<impl>(std::move(cfg), clk)) {}
media_engine::~media_engine() {
  impl_->stop();
}

std::optional<std::string> media_engine::start() {
  return impl_->start();
}
void media_engine::stop() {
  impl_->stop();
}
std::optional<bridge_id> media_engine::create_bridge(event_sink sink) {
  return impl_->create_bridge(std::move(sink));
}
void media_engine::destroy_bridge(bridge_id b) {
  impl_->destroy_bridge(b);
}
std::vector<std::pair<leg_index, leg_quality>>
media_engine::end_bridge(bridge_id b, std::chrono::milliseconds wait) {
  return impl_->end_bridge(b, wait);
}
std::optional<bridge_id> media_engine::create_music_bridge(event_sink sink,
                                                           tone_spec music) {
  return impl_->create_bridge(std::move(sink), std::move(music));
}
bool media_engine::move_leg(bridge_id from, leg_index leg, bridge_id to, leg_index as) {
  return impl_->move_leg(from, leg, to, as);
}
std::optional<media_engine::hold_place> media_engine::music_on_hold() {
  return impl_->music_on_hold();
}
std::optional<std::uint16_t> media_engine::add_leg(bridge_id b, leg_index leg) {
  return impl_->add_leg(b, leg);
}
void media_engine::configure_leg(bridge_id b, leg_index leg, leg_spec spec) {
  impl_->on_bridge(b, [leg, spec = std::move(spec)](media_bridge& m) mutable {
    m.configure_leg(leg, std::move(spec));
  });
}
void media_engine::remove_leg(bridge_id b, leg_index leg) {
  impl_->on_bridge(b, [leg](media_bridge& m) { m.remove_leg(leg); });
}
void media_engine::play_tone(bridge_id b, leg_index leg, tone_spec tone) {
  impl_->on_bridge(b, [leg, tone = std::move(tone)](media_bridge& m) mutable {
    m.play_tone(leg, std::move(tone));
  });
}
void media_engine::stop_tone(bridge_id b, leg_index leg) {
  impl_->on_bridge(b, [leg](media_bridge& m) { m.stop_tone(leg); });
}
void media_engine::collect_digits(bridge_id b, leg_index leg, digit_collection how) {
  impl_->on_bridge(b, [leg, how](media_bridge& m) { m.collect_digits(leg, how); });
}
void media_engine::dialled_digit(bridge_id b, leg_index leg, char digit) {
  impl_->on_bridge(b, [leg, digit](media_bridge& m) { m.dialled_digit(leg, digit); });
}
void media_engine::send_digit(bridge_id b, leg_index leg, char digit,
                              std::uint32_t duration_ms) {
  impl_->on_bridge(b, [leg, digit, duration_ms](media_bridge& m) {
    m.send_digit(leg, digit, duration_ms);
  });
}
const media_counters& media_engine::counters() const noexcept {
  return impl_->counters();
}
const media_engine_config& media_engine::config() const noexcept {
  return impl_->config();
}
std::size_t media_engine::ports_available() const {
  return impl_->ports_available();
}

} // namespace ringdown::rtp
