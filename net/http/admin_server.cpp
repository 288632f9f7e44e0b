#include "net/http/admin_server.hpp"

#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "base/host_port.hpp"
#include "base/json.hpp"
#include "base/logging.hpp"
#include "net/http/http_session.hpp"

namespace ringdown::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

/// Accepts connections while the server runs; over connections_max, an
/// accepted socket is closed at once.
class admin_server::listener : public std::enable_shared_from_this<listener> {
public:
  listener(asio::io_context& io, std::shared_ptr<server_state> state)
      : acceptor_(io), state_(std::move(state)) {}

  bool open(const tcp::endpoint& local, std::string& error) {
    boost::system::error_code ec;
    acceptor_.open(local.protocol(), ec);
    if (!ec)
      acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec)
      acceptor_.bind(local, ec);
    if (!ec)
      acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      error = "admin.listen " + state_->options.listen + ": " + ec.message();
      return false;
    }
    port_ = acceptor_.local_endpoint(ec).port();
    return true;
  }

  void accept() {
    acceptor_.async_accept(
        [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
          self->on_accept(ec, std::move(socket));
        });
  }

  void close() {
    boost::system::error_code ec;
    acceptor_.close(ec);
  }

  [[nodiscard]] std::uint16_t port() const { return port_; }

private:
  void on_accept(boost::system::error_code ec, tcp::socket socket) {
    auto& st = *state_;
    if (st.stopped || ec == asio::error::operation_aborted)
      return;
    if (ec) {
      st.log->warn("accept failed: {}", ec.message());
    } else if (st.open.size() >= st.options.connections_max) {
      st.probe.refused();
      st.log->warn("connection refused: {} open (connections_max)", st.open.size());
      socket.close(ec);
    } else {
      st.probe.accepted();
      start_session(std::move(socket), state_);
    }
    accept();
  }

  tcp::acceptor acceptor_;
  std::shared_ptr<server_state> state_;
  std::uint16_t port_ = 0;
};

admin_server::admin_server(asio::io_context& io, server_options options)
    : io_(io), state_(std::make_shared<server_state>()) {
  state_->options = std::move(options);
  state_->log = log::get("http");
  state_->routes.add(method::get, "/v1/health", [](const request&) {
    json_writer w;
    w.begin_object().key("status").value_string("ok").end_object();
    return response{200, w.str()};
  });
}

admin_server::~admin_server() {
  stop();
}

void admin_server::route(method m, std::string_view pattern, handler h) {
  state_->routes.add(m, pattern, std::move(h));
}

bool admin_server::start(std::string& error) {
  std::string host;
  std::uint16_t port = 0;
  const auto& listen = state_->options.listen;
  // Port 0 (ephemeral) is allowed here, not by split_host_port.
  const bool ephemeral = listen.ends_with(":0");
  if (!split_host_port(ephemeral ? listen.substr(0, listen.size() - 1) + "1" : listen, host,
                       port)) {
    error = "admin.listen '" + listen + "' is not an IP host:port";
    return false;
  }
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) {
    error = "admin.listen '" + listen + "': " + ec.message();
    return false;
  }
  auto l = std::make_shared<listener>(io_, state_);
  if (!l->open({address, ephemeral ? std::uint16_t{0} : port}, error))
    return false;
  listener_ = std::move(l);
  state_->stopped = false;
  listener_->accept();
  std::string bound;
  append_host_port(bound, host, listener_->port());
  state_->log->info("admin HTTP listening on {}", bound);
  return true;
}

void admin_server::stop() {
  state_->stopped = true;
  if (listener_) {
    listener_->close();
    listener_.reset();
  }
  // close() may erase from `open` (a session that ends at once): copy first.
  auto open = state_->open;
  for (auto& [id, weak] : open)
    if (auto c = weak.lock())
      c->close();
}

std::uint16_t admin_server::port() const {
  return listener_ ? listener_->port() : 0;
}

std::size_t admin_server::connections() const {
  return state_->open.size();
}

http_counters admin_server::counters() const {
  return state_->probe.snapshot();
}

} // namespace ringdown::http
