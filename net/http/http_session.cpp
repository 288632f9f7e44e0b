#include "net/http/http_session.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "base/host_port.hpp"

namespace ringdown::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

/// After a response that closes the connection, unread request bytes are
/// read and dropped (at most this many, for at most linger_ms) so that the
/// close does not reset the connection before the client reads the answer.
constexpr std::size_t linger_bytes_max = 256 * 1024;
constexpr std::chrono::milliseconds linger_ms{1000};

const std::string server_name = std::string{"ringdown/"} + RINGDOWN_VERSION;

/// One HTTP/1.1 connection: read a request (limits from server_options),
/// route it, write the answer, again while keep-alive holds.
class http_session final : public connection,
                           public std::enable_shared_from_this<http_session> {
public:
  http_session(tcp::socket socket, std::shared_ptr<server_state> state)
      : stream_(std::move(socket)), state_(std::move(state)), id_(state_->next_id++) {
    boost::system::error_code ec;
    const auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec)
      append_host_port(peer_, ep.address().to_string(), ep.port());
  }

  ~http_session() override { state_->open.erase(id_); }

  void start() {
    state_->open.emplace(id_, weak_from_this());
    read();
  }

  void close() override {
    closed_ = true;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

private:
  void read() {
    const auto& opts = state_->options;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(opts.header_max_bytes));
    parser_->body_limit(opts.body_max_bytes);
    stream_.expires_after(std::chrono::milliseconds{opts.idle_timeout_ms});
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        self->on_read(ec);
                      });
  }

  void on_read(beast::error_code ec) {
    if (closed_)
      return;
    if (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
        ec == asio::error::connection_reset) {
      close();
    } else if (ec == beast::error::timeout) {
      state_->probe.timed_out();
      state_->log->debug("{}: idle timeout, closing", peer_);
      close();
    } else if (ec == bhttp::error::body_limit) {
      reply(error_response(413, "request body over " +
                                    std::to_string(state_->options.body_max_bytes) +
                                    " bytes"),
            {}, false);
    } else if (ec == bhttp::error::header_limit) {
      reply(error_response(431, "request header over " +
                                    std::to_string(state_->options.header_max_bytes) +
                                    " bytes"),
            {}, false);
    } else if (ec.category() ==
               bhttp::make_error_code(bhttp::error::end_of_stream).category()) {
      reply(error_response(400, "malformed HTTP request: " + ec.message()), {}, false);
    } else if (ec) {
      state_->log->debug("{}: read failed: {}", peer_, ec.message());
      close();
    } else {
      serve();
    }
  }

  void serve() {
    auto& msg = parser_->get();
    request req;
    const auto verb = msg.method_string();
    req.verb = method_from_string(std::string_view{verb.data(), verb.size()});
    const std::string_view target{msg.target().data(), msg.target().size()};
    const auto question = target.find('?');
    req.path = std::string{target.substr(0, question)};
    if (question != std::string_view::npos)
      req.query = std::string{target.substr(question + 1)};
    req.body = std::move(msg.body());
    req.peer = peer_;
    std::string allow;
    auto res = state_->routes.dispatch(req, allow);
    state_->log->debug("{} {} {} -> {}", peer_, to_string(req.verb), req.path, res.status);
    reply(std::move(res), std::move(allow), msg.keep_alive());
  }

  void reply(response res, std::string allow, bool keep_alive) {
    if (state_->stopped)
      keep_alive = false;
    state_->probe.answered(res.status);
    if (res.status >= 500)
      state_->log->warn("{}: answered {}: {}", peer_, res.status, res.body);
    res_ = {};
    res_.version(11);
    res_.result(static_cast<unsigned>(res.status));
    res_.set(bhttp::field::server, server_name);
    res_.set(bhttp::field::content_type, res.content_type);
    if (!allow.empty())
      res_.set(bhttp::field::allow, allow);
    res_.body() = std::move(res.body);
    res_.keep_alive(keep_alive);
    res_.prepare_payload();
    stream_.expires_after(std::chrono::milliseconds{state_->options.idle_timeout_ms});
    bhttp::async_write(
        stream_, res_,
        [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
          self->on_write(ec, keep_alive);
        });
  }

  void on_write(beast::error_code ec, bool keep_alive) {
    if (closed_)
      return;
    if (ec) {
      close();
    } else if (keep_alive) {
      read();
    } else {
      linger();
    }
  }

  /// Half-closes, then drops what the client still sends until it closes.
  void linger() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(linger_ms);
    drain();
  }

  void drain() {
    buffer_.clear();
    stream_.async_read_some(
        buffer_.prepare(16 * 1024),
        [self = shared_from_this()](beast::error_code ec, std::size_t n) {
          self->drained_bytes_ += n;
          if (ec || self->closed_ || self->drained_bytes_ > linger_bytes_max)
            self->close();
          else
            self->drain();
        });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> res_;
  std::shared_ptr<server_state> state_;
  std::uint64_t id_;
  std::string peer_;
  std::size_t drained_bytes_ = 0;
  bool closed_ = false;
};

} // namespace

void start_session(tcp::socket socket, std::shared_ptr<server_state> state) {
  std::make_shared<http_session>(std::move(socket), std::move(state))->start();
}

} // namespace ringdown::http
