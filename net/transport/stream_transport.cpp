#include <unordered_map>
#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <openssl/ssl.h>

#include "base/assert.hpp"
#include "base/logging.hpp"
#include "net/transport/stream_connection.hpp"
#include "net/transport/transport.hpp"

namespace ringdown::transport {

namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;

std::string key_of(std::string_view host, std::uint16_t port) {
  std::string key{strip_brackets(host)};
  key += '|';
  key += std::to_string(port);
  return key;
}

/// RFC 3261 §18 over TCP or TLS: an acceptor, the connection table (by id
/// and by remote address for reuse), the idle sweep and connections_max.
class stream_transport final : public transport, public connection_owner {
public:
  stream_transport(const transport_context& ctx, protocol p, tcp::acceptor acceptor,
                   std::unique_ptr<ssl::context> server_tls,
                   std::unique_ptr<ssl::context> client_tls)
      : ctx_(ctx), proto_(p), acceptor_(std::move(acceptor)),
        server_tls_(std::move(server_tls)), client_tls_(std::move(client_tls)),
        sweep_(ctx.io), alive_(std::make_shared<bool>(true)) {
    const auto ep = acceptor_.local_endpoint();
    local_.proto = p;
    local_.host = ep.address().to_string();
    local_.port = ep.port();
    accept();
    schedule_sweep();
  }
  ~stream_transport() override {
    close();
    *alive_ = false;
  }

  [[nodiscard]] protocol proto() const noexcept override { return proto_; }
  [[nodiscard]] config::listen_address local() const override { return local_; }
  [[nodiscard]] std::size_t connections() const noexcept override { return by_id_.size(); }
  [[nodiscard]] bool has_connection(std::uint64_t id) const noexcept override {
    return by_id_.contains(id);
  }

  bool send(const peer& to, std::string bytes, std::uint64_t* used) override {
    if (closed_) {
      ++ctx_.probe.dropped;
      return false;
    }
    std::shared_ptr<stream_connection> conn;
    if (to.connection_id != 0) {
      if (auto it = by_id_.find(to.connection_id); it != by_id_.end())
        conn = it->second;
    }
    if (!conn) {
      if (auto it = by_key_.find(key_of(to.host, to.port)); it != by_key_.end())
        conn = by_id_.at(it->second);
    }
    if (!conn)
      conn = connect(to);
    if (!conn)
      return false;
    if (used)
      *used = conn->id();
    ctx_.probe.count_out(proto_);
    conn->write(std::move(bytes));
    return true;
  }

  void close() override {
    if (closed_)
      return;
    closed_ = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    sweep_.cancel();
    auto conns = by_id_;
    for (auto& [id, conn] : conns)
      conn->close();
    by_id_.clear();
    by_key_.clear();
  }

  // connection_owner
  void on_message(const stream_connection& c, std::string_view bytes) override {
    ctx_.probe.count_in(proto_);
    ctx_.on_receive(c.remote(), bytes);
  }
  void on_closed(const stream_connection& c) override {
    const auto id = c.id();
    if (by_id_.erase(id) == 0)
      return;
    --ctx_.probe.connections_open;
    log_->debug("{} connection {} closed", to_string(proto_), c.remote().to_string());
    if (auto it = by_key_.find(key_of(c.remote().host, c.remote().port));
        it != by_key_.end() && it->second == id)
      by_key_.erase(it);
    if (!c.was_established() && !closed_ && ctx_.on_connect_failed)
      ctx_.on_connect_failed(id);
  }

private:
  void accept() {
    acceptor_.async_accept(
        [this, alive = alive_](const boost::system::error_code& ec, tcp::socket socket) {
          if (!*alive || closed_)
            return;
          if (!ec)
            on_accept(std::move(socket));
          else
            log_->warn("{} accept failed: {}", to_string(proto_), ec.message());
          accept();
        });
  }

  bool at_limit() {
    if (ctx_.probe.connections_open < ctx_.cfg.transport.connections_max)
      return false;
    ++ctx_.probe.connections_refused;
    return true;
  }

  void on_accept(tcp::socket socket) {
    boost::system::error_code ec;
    const auto remote = socket.remote_endpoint(ec);
    if (ec)
      return;
    if (at_limit()) {
      log_->warn("{} connection from {} refused: connections_max {} reached",
                 to_string(proto_), remote.address().to_string(),
                 ctx_.cfg.transport.connections_max);
      socket.close(ec);
      return;
    }
    peer from{proto_, remote.address().to_string(), remote.port(),
              ctx_.next_connection_id++};
    auto conn = std::make_shared<stream_connection>(*this, alive_, ctx_, from,
                                                    std::move(socket), server_tls_.get());
    add(conn);
    log_->debug("{} connection {} accepted ({} open)", to_string(proto_), from.to_string(),
                ctx_.probe.connections_open.load());
    conn->start_server();
  }

  std::shared_ptr<stream_connection> connect(const peer& to) {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(strip_brackets(to.host), ec);
    if (ec) {
      log_->debug("{}: cannot connect to {}: not an IP address", to_string(proto_),
                  to.to_string());
      ++ctx_.probe.dropped;
      return nullptr;
    }
    if (at_limit()) {
      ++ctx_.probe.dropped;
      return nullptr;
    }
    peer dest{proto_, address.to_string(), to.port, ctx_.next_connection_id++};
    auto conn = std::make_shared<stream_connection>(
        *this, alive_, ctx_, dest, tcp::socket{ctx_.io}, client_tls_.get());
    add(conn);
    conn->start_client(tcp::endpoint{address, to.port});
    return conn;
  }

  void add(const std::shared_ptr<stream_connection>& conn) {
    ++ctx_.probe.connections_opened;
    ++ctx_.probe.connections_open;
    by_id_.emplace(conn->id(), conn);
    by_key_[key_of(conn->remote().host, conn->remote().port)] = conn->id();
  }

  void schedule_sweep() {
    sweep_.expires_after(std::chrono::milliseconds{250});
    sweep_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
      if (ec || !*alive || closed_)
        return;
      const auto idle = std::chrono::seconds{ctx_.cfg.transport.connection_idle_s};
      const auto now = ctx_.clk.now();
      std::vector<std::shared_ptr<stream_connection>> victims;
      for (auto& [id, conn] : by_id_)
        if (now - conn->last_active() >= idle)
          victims.push_back(conn);
      for (auto& conn : victims) {
        log_->info("{} connection {} idle for {} s: closed", to_string(proto_),
                   conn->remote().to_string(), ctx_.cfg.transport.connection_idle_s);
        ++ctx_.probe.connections_idle_closed;
        conn->close();
      }
      schedule_sweep();
    });
  }

  transport_context ctx_;
  protocol proto_;
  tcp::acceptor acceptor_;
  std::unique_ptr<ssl::context> server_tls_;
  std::unique_ptr<ssl::context> client_tls_;
  asio::steady_timer sweep_;
  std::shared_ptr<bool> alive_;
  config::listen_address local_;
  bool closed_ = false;
  std::unordered_map<std::uint64_t, std::shared_ptr<stream_connection>> by_id_;
  std::unordered_map<std::string, std::uint64_t> by_key_;
  std::shared_ptr<spdlog::logger> log_ = log::get("sip.transport");
};

std::unique_ptr<ssl::context> make_tls_context(ssl::context::method method) {
  auto ctx = std::make_unique<ssl::context>(method);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                   ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
  return ctx;
}

} // namespace

std::unique_ptr<transport> make_stream_transport(const transport_context& ctx,
                                                 const config::listen_address& where,
                                                 std::string& error) {
  RINGDOWN_ASSERT(where.proto != protocol::udp, "stream transport for UDP");
  std::unique_ptr<ssl::context> server_tls;
  std::unique_ptr<ssl::context> client_tls;
  boost::system::error_code ec;
  if (where.proto == protocol::tls) {
    server_tls = make_tls_context(ssl::context::tls_server);
    server_tls->use_certificate_chain_file(ctx.cfg.tls_certificate, ec);
    if (ec) {
      error = "cannot listen on " + where.to_string() + ": TLS certificate '" +
              ctx.cfg.tls_certificate + "': " + ec.message();
      return nullptr;
    }
    server_tls->use_private_key_file(ctx.cfg.tls_private_key, ssl::context::pem, ec);
    if (ec) {
      error = "cannot listen on " + where.to_string() + ": TLS private key '" +
              ctx.cfg.tls_private_key + "': " + ec.message();
      return nullptr;
    }
    // Client side (connection reuse towards peers without an open
    // connection): no peer verification yet, see the transport README.
    client_tls = make_tls_context(ssl::context::tls_client);
    client_tls->set_verify_mode(ssl::verify_none);
  }
  const auto address = asio::ip::make_address(where.host, ec);
  if (ec) {
    error = "cannot listen on " + where.to_string() + ": not an IP address";
    return nullptr;
  }
  const tcp::endpoint endpoint{address, where.port};
  tcp::acceptor acceptor{ctx.io};
  acceptor.open(endpoint.protocol(), ec);
  if (!ec)
    acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec)
    acceptor.bind(endpoint, ec);
  if (!ec)
    acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error = "cannot listen on " + where.to_string() + ": " + ec.message();
    return nullptr;
  }
  return std::make_unique<stream_transport>(ctx, where.proto, std::move(acceptor),
                                            std::move(server_tls), std::move(client_tls));
}

} // namespace ringdown::transport
