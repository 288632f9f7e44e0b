#include <array>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include "base/logging.hpp"
#include "net/transport/transport.hpp"

namespace ringdown::transport {

namespace {

namespace asio = boost::asio;
using asio::ip::udp;

/// RFC 3261 §18 over UDP: one socket, one datagram = one message.
class udp_transport final : public transport {
public:
  udp_transport(const transport_context& ctx, udp::socket socket)
      : ctx_(ctx), socket_(std::move(socket)), alive_(std::make_shared<bool>(true)) {
    const auto ep = socket_.local_endpoint();
    local_.proto = protocol::udp;
    local_.host = ep.address().to_string();
    local_.port = ep.port();
    receive();
  }
  ~udp_transport() override {
    *alive_ = false;
    close();
  }

  [[nodiscard]] protocol proto() const noexcept override { return protocol::udp; }
  [[nodiscard]] config::listen_address local() const override { return local_; }
  [[nodiscard]] std::size_t connections() const noexcept override { return 0; }
  [[nodiscard]] bool has_connection(std::uint64_t) const noexcept override { return false; }

  bool send(const peer& to, std::string bytes, std::uint64_t* used) override {
    if (used)
      *used = 0;
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(strip_brackets(to.host), ec);
    if (ec || !socket_.is_open()) {
      // No DNS here yet: a Via with a host name cannot be answered.
      log_->debug("udp: cannot send to {}: not an IP address", to.to_string());
      ++ctx_.probe.dropped;
      return false;
    }
    auto buffer = std::make_shared<std::string>(std::move(bytes));
    ctx_.probe.count_out(protocol::udp);
    socket_.async_send_to(asio::buffer(*buffer), udp::endpoint{address, to.port},
                          [buffer, probe = &ctx_.probe, alive = alive_](
                              const boost::system::error_code& err, std::size_t) {
                            if (err && *alive)
                              ++probe->send_failures;
                          });
    return true;
  }

  void close() override {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

private:
  void receive() {
    socket_.async_receive_from(
        asio::buffer(buffer_), sender_,
        [this, alive = alive_](const boost::system::error_code& ec, std::size_t n) {
          if (!*alive || ec == asio::error::operation_aborted || !socket_.is_open())
            return;
          if (!ec) {
            ctx_.probe.count_in(protocol::udp);
            peer from;
            from.proto = protocol::udp;
            from.host = sender_.address().to_string();
            from.port = sender_.port();
            ctx_.on_receive(from, std::string_view{buffer_.data(), n});
          }
          if (socket_.is_open())
            receive();
        });
  }

  transport_context ctx_;
  udp::socket socket_;
  std::shared_ptr<bool> alive_;
  config::listen_address local_;
  udp::endpoint sender_;
  std::array<char, 65'536> buffer_{};
  std::shared_ptr<spdlog::logger> log_ = log::get("sip.transport");
};

} // namespace

std::unique_ptr<transport> make_udp_transport(const transport_context& ctx,
                                              const config::listen_address& where,
                                              std::string& error) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(where.host, ec);
  if (ec) {
    error = "cannot listen on " + where.to_string() + ": not an IP address";
    return nullptr;
  }
  udp::socket socket{ctx.io};
  const udp::endpoint endpoint{address, where.port};
  socket.open(endpoint.protocol(), ec);
  if (!ec) {
    // Bursts (a trading floor's open, a failover) must not overflow the
    // kernel's default ~200 KiB buffers while the I/O thread is busy. The
    // kernel caps the value at net.core.rmem_max / wmem_max; a refusal is
    // not fatal.
    const auto bytes = static_cast<int>(ctx.cfg.transport.udp_buffer_bytes);
    boost::system::error_code ignored;
    socket.set_option(asio::socket_base::receive_buffer_size{bytes}, ignored);
    socket.set_option(asio::socket_base::send_buffer_size{bytes}, ignored);
    socket.bind(endpoint, ec);
  }
  if (ec) {
    error = "cannot listen on " + where.to_string() + ": " + ec.message();
    return nullptr;
  }
  return std::make_unique<udp_transport>(ctx, std::move(socket));
}

} // namespace ringdown::transport
