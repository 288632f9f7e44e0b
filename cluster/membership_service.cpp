#include "cluster/membership_service.hpp"

#include <algorithm>
#include <array>
#include <mutex>
#include <optional>
#include <span>
#include <unordered_map>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "base/host_port.hpp"
#include "base/logging.hpp"
#include "base/random.hpp"
#include "cluster/swim_stm.hpp"

namespace ringdown::cluster {

namespace {

namespace asio = boost::asio;
using udp = asio::ip::udp;

/// Datagrams are read into this many bytes: one more than the largest
/// accepted, so that a longer one (truncated by the kernel) is still seen
/// as too big by the state machine.
constexpr std::size_t receive_bytes = 1501;
/// Resolved send addresses kept at most (members, seeds, strangers).
constexpr std::size_t endpoints_max = 4096;

std::string endpoint_text(const udp::endpoint& ep) {
  const auto addr = ep.address();
  std::string host = addr.to_string();
  if (addr.is_v6())
    host = "[" + host + "]";
  return host + ":" + std::to_string(ep.port());
}

/// The event as the log says it: a refuted suspicion reads "alive again".
std::string_view verb(swim_event::kind k) {
  return k == swim_event::refuted ? "alive again" : to_string(k);
}

bool power_of_two(std::uint64_t n) {
  return n != 0 && (n & (n - 1)) == 0;
}

} // namespace

std::string describe_event(const swim_event& e, const member* m) {
  std::string out = "member " + e.member_id + " (zone ";
  out += m != nullptr ? m->zone : std::string{"?"};
  out += ", ";
  out += m != nullptr ? m->addresses.cluster : std::string{"?"};
  out += ") ";
  out += verb(e.what);
  return out;
}

class membership_service::impl {
public:
  impl(asio::io_context& io, const clock& clk, membership_settings s, std::uint64_t seed)
      : clk_(clk), socket_(io), timer_(io), gen_(seed),
        stm_(s.self, s.swim, std::move(s.key), gen_), self_(std::move(s.self)),
        log_(log::get("cluster")) {
    snapshot();
  }

  void on_change(std::function<void(const std::vector<swim_event>&)> f) {
    on_change_ = std::move(f);
  }

  bool start(const std::vector<std::string>& seeds, std::string& error) {
    std::string host;
    std::uint16_t port = 0;
    if (!split_host_port(self_.addresses.cluster, host, port)) {
      error = "cluster.listen '" + self_.addresses.cluster + "' is not an IP host:port";
      return false;
    }
    const udp::endpoint local{asio::ip::make_address(host), port};
    boost::system::error_code ec;
    socket_.open(local.protocol(), ec);
    if (!ec)
      socket_.non_blocking(true, ec);
    if (!ec)
      socket_.bind(local, ec);
    if (ec) {
      error = "cannot bind the cluster socket on " + self_.addresses.cluster + ": " +
              ec.message();
      boost::system::error_code ignored;
      socket_.close(ignored);
      return false;
    }
    std::vector<std::string> targets;
    for (const auto& s : seeds)
      if (s != self_.addresses.cluster &&
          std::find(targets.begin(), targets.end(), s) == targets.end())
        targets.push_back(s);
    running_ = true;
    log_->info("membership of {} (zone {}) on {}: {} seed(s), probe interval {} ms",
               self_.id, self_.zone, self_.addresses.cluster, targets.size(),
               stm_.config().probe_interval_ms);
    receive();
    out_.sends.clear();
    out_.events.clear();
    stm_.join(std::move(targets), clk_.now(), out_);
    flush();
    return true;
  }

  void leave() {
    if (!running_)
      return;
    out_.sends.clear();
    out_.events.clear();
    stm_.leave(clk_.now(), out_);
    flush();
    log_->info("left the cluster: told {} member(s)", out_.sends.size());
    stop();
  }

  void stop() {
    running_ = false;
    boost::system::error_code ignored;
    timer_.cancel();
    socket_.close(ignored);
  }

  std::vector<member> members() const {
    const std::lock_guard lock{mutex_};
    return members_copy_;
  }
  swim_counters counters() const {
    const std::lock_guard lock{mutex_};
    return counters_copy_;
  }
  membership_io_counters io_counters() const {
    const std::lock_guard lock{mutex_};
    return io_copy_;
  }

private:
  void receive() {
    socket_.async_receive_from(
        asio::buffer(rx_), from_,
        [this](const boost::system::error_code& ec, std::size_t n) {
          if (ec == asio::error::operation_aborted || !running_)
            return;
          if (ec) {
            ++io_.receive_errors;
          } else {
            const auto before = stm_.counters();
            out_.sends.clear();
            out_.events.clear();
            from_text_ = endpoint_text(from_);
            stm_.receive(from_text_, std::span<const std::uint8_t>{rx_.data(), n},
                         clk_.now(), out_);
            report_drops(before, stm_.counters());
            flush();
          }
          if (running_)
            receive();
        });
  }

  void report_drops(const swim_counters& before, const swim_counters& after) {
    const auto told = [&](std::uint64_t was, std::uint64_t is, std::string_view what) {
      if (is != was && power_of_two(is))
        log_->warn("dropped a packet {} from {} ({} so far)", what, from_text_, is);
    };
    told(before.dropped_bad_mac, after.dropped_bad_mac, "with a bad MAC");
    told(before.dropped_malformed, after.dropped_malformed, "that is malformed");
    told(before.dropped_too_big, after.dropped_too_big, "that is too big");
  }

  void on_timer() {
    if (!running_)
      return;
    out_.sends.clear();
    out_.events.clear();
    stm_.tick(clk_.now(), out_);
    flush();
  }

  /// Sends, logs events, re-arms the timer, refreshes the snapshot.
  void flush() {
    for (const auto& s : out_.sends)
      send(s);
    for (const auto& e : out_.events)
      log_->info("{}", describe_event(e, stm_.members().find(e.member_id)));
    if (running_ && out_.next_wakeup && out_.next_wakeup != armed_at_) {
      armed_at_ = out_.next_wakeup;
      const auto delay = std::max(duration::zero(), *out_.next_wakeup - clk_.now());
      timer_.expires_after(std::chrono::duration_cast<asio::steady_timer::duration>(delay));
      timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec == asio::error::operation_aborted)
          return;
        armed_at_.reset();
        on_timer();
      });
    }
    snapshot(!out_.events.empty());
    if (!out_.events.empty() && on_change_)
      on_change_(out_.events);
  }

  void send(const swim_send& s) {
    auto it = endpoints_.find(s.to_address);
    if (it == endpoints_.end()) {
      std::string host;
      std::uint16_t port = 0;
      if (!split_host_port(s.to_address, host, port)) {
        ++io_.bad_addresses;
        return;
      }
      if (endpoints_.size() >= endpoints_max)
        endpoints_.clear();
      it = endpoints_
               .emplace(s.to_address, udp::endpoint{asio::ip::make_address(host), port})
               .first;
    }
    boost::system::error_code ec;
    socket_.send_to(asio::buffer(s.bytes), it->second, 0, ec);
    if (ec)
      ++io_.send_errors;
  }

  void snapshot(bool members_changed = true) {
    const std::lock_guard lock{mutex_};
    counters_copy_ = stm_.counters();
    io_copy_ = io_;
    if (members_changed) {
      members_copy_.clear();
      for (const auto& [id, m] : stm_.members())
        members_copy_.push_back(m);
    }
  }

  const clock& clk_;
  udp::socket socket_;
  asio::steady_timer timer_;
  rng gen_;
  swim_stm stm_;
  member self_;
  std::shared_ptr<spdlog::logger> log_;
  bool running_ = false;
  std::optional<time_point> armed_at_;
  swim_output out_;
  std::array<std::uint8_t, receive_bytes> rx_{};
  udp::endpoint from_;
  std::string from_text_;
  std::unordered_map<std::string, udp::endpoint> endpoints_;
  membership_io_counters io_;

  std::function<void(const std::vector<swim_event>&)> on_change_;
  mutable std::mutex mutex_;
  std::vector<member> members_copy_;
  swim_counters counters_copy_;
  membership_io_counters io_copy_;
};

membership_service::membership_service(boost::asio::io_context& io, const clock& clk,
                                       membership_settings settings, std::uint64_t seed)
    : impl_(std::make_unique<impl>(io, clk, std::move(settings), seed)) {}

membership_service::~membership_service() = default;

bool membership_service::start(const std::vector<std::string>& seeds, std::string& error) {
  return impl_->start(seeds, error);
}
void membership_service::leave() {
  impl_->leave();
}
void membership_service::stop() {
  impl_->stop();
}
std::vector<member> membership_service::members() const {
  return impl_->members();
}
swim_counters membership_service::counters() const {
  return impl_->counters();
}
membership_io_counters membership_service::io_counters() const {
  return impl_->io_counters();
}

void membership_service::on_change(
    std::function<void(const std::vector<swim_event>&)> handler) {
  impl_->on_change(std::move(handler));
}

std::string membership_service::summary() const {
  const auto c = counters();
  const auto io = io_counters();
  std::string out;
  const auto field = [&out](std::string_view name, std::uint64_t v) {
    if (!out.empty())
      out += ' ';
    out += name;
    out += '=';
    out += std::to_string(v);
  };
  field("packets_in", c.packets_in);
  field("packets_out", c.packets_out);
  field("bytes_in", c.bytes_in);
  field("bytes_out", c.bytes_out);
  field("dropped_bad_mac", c.dropped_bad_mac);
  field("dropped_malformed", c.dropped_malformed);
  field("dropped_too_big", c.dropped_too_big);
  field("probes", c.probes);
  field("ping_reqs", c.ping_reqs);
  field("nacks", c.nacks);
  field("suspicions", c.suspicions);
  field("deaths", c.deaths);
  field("refutations", c.refutations);
  field("send_errors", io.send_errors);
  field("receive_errors", io.receive_errors);
  field("bad_addresses", io.bad_addresses);
  return out;
}

} // namespace ringdown::cluster
