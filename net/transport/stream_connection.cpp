#include "net/transport/stream_connection.hpp"

#include <boost/asio/write.hpp>

#include "base/logging.hpp"

namespace ringdown::transport {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;

namespace {
std::shared_ptr<spdlog::logger>& logger() {
  static auto lg = log::get("sip.transport");
  return lg;
}
} // namespace

stream_connection::stream_connection(connection_owner& owner,
                                     std::shared_ptr<bool> owner_alive,
                                     const transport_context& ctx, peer remote,
                                     tcp::socket socket, ssl::context* tls)
    : owner_(owner), owner_alive_(std::move(owner_alive)), ctx_(ctx),
      remote_(std::move(remote)), socket_(ctx.io), handshake_timer_(ctx.io),
      framer_(ctx.cfg.limits), last_active_(ctx.clk.now()) {
  if (tls)
    tls_ = std::make_unique<tls_stream>(std::move(socket), *tls);
  else
    socket_ = std::move(socket);
}

void stream_connection::start_server() {
  if (tls_)
    handshake(ssl::stream_base::server);
  else
    established();
}

void stream_connection::start_client(const tcp::endpoint& to) {
  lowest().async_connect(to, [self =
                                  shared_from_this()](const boost::system::error_code& ec) {
    if (self->closed_)
      return;
    if (ec) {
      logger()->info("connect to {} failed: {}", self->remote_.to_string(), ec.message());
      ++self->ctx_.probe.send_failures;
      self->close();
      return;
    }
    if (self->tls_)
      self->handshake(ssl::stream_base::client);
    else
      self->established();
  });
}

void stream_connection::handshake(ssl::stream_base::handshake_type type) {
  handshake_timer_.expires_after(
      std::chrono::milliseconds{ctx_.cfg.transport.tls_handshake_timeout_ms});
  handshake_timer_.async_wait(
      [self = shared_from_this()](const boost::system::error_code& ec) {
        if (ec || self->closed_ || self->open_)
          return;
        logger()->info("TLS handshake with {} timed out", self->remote_.to_string());
        ++self->ctx_.probe.tls_handshake_failures;
        self->close();
      });
  tls_->async_handshake(type,
                        [self = shared_from_this()](const boost::system::error_code& ec) {
                          if (self->closed_)
                            return;
                          self->handshake_timer_.cancel();
                          if (ec) {
                            logger()->info("TLS handshake with {} failed: {}",
                                           self->remote_.to_string(), ec.message());
                            ++self->ctx_.probe.tls_handshake_failures;
                            self->close();
                            return;
                          }
                          self->established();
                        });
}

void stream_connection::established() {
  open_ = true;
  established_ = true;
  touch();
  read();
  if (!queue_.empty())
    write_next();
}

void stream_connection::read() {
  with_stream([this](auto& stream) {
    stream.async_read_some(
        asio::buffer(read_buffer_),
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
          self->on_read(ec, n);
        });
  });
}

void stream_connection::on_read(const boost::system::error_code& ec, std::size_t n) {
  if (closed_)
    return;
  if (ec) {
    close();
    return;
  }
  touch();
  framer_.feed(std::string_view{read_buffer_.data(), n});
  for (;;) {
    const auto item = framer_.next();
    if (item.what == sip::stream_framer::kind::need_more)
      break;
    if (item.what == sip::stream_framer::kind::ping) {
      ++ctx_.probe.keepalive_pings;
      write("\r\n");
    } else if (item.what == sip::stream_framer::kind::error) {
      logger()->info("{}: unframeable stream, closing", remote_.to_string());
      ++ctx_.probe.dropped;
      close();
      return;
    } else if (*owner_alive_) {
      owner_.on_message(*this, item.bytes);
    }
    if (closed_)
      return;
  }
  read();
}

void stream_connection::write(std::string bytes) {
  if (closed_)
    return;
  if (queued_bytes_ + bytes.size() > write_queue_bytes_max) {
    logger()->warn("{}: write queue over {} bytes, closing", remote_.to_string(),
                   write_queue_bytes_max);
    ++ctx_.probe.send_failures;
    close();
    return;
  }
  queued_bytes_ += bytes.size();
  queue_.push_back(std::move(bytes));
  if (open_ && !writing_)
    write_next();
}

void stream_connection::write_next() {
  writing_ = true;
  with_stream([this](auto& stream) {
    asio::async_write(
        stream, asio::buffer(queue_.front()),
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
          self->writing_ = false;
          if (self->closed_)
            return;
          if (ec) {
            ++self->ctx_.probe.send_failures;
            self->close();
            return;
          }
          self->queued_bytes_ -= self->queue_.front().size();
          self->queue_.pop_front();
          self->touch();
          if (!self->queue_.empty())
            self->write_next();
        });
  });
}

void stream_connection::close() {
  if (closed_)
    return;
  closed_ = true;
  open_ = false;
  handshake_timer_.cancel();
  boost::system::error_code ignored;
  lowest().shutdown(tcp::socket::shutdown_both, ignored);
  lowest().close(ignored);
  // queue_ is kept: an aborted write may still refer to its front; it goes
  // with the connection once the last handler has run.
  if (*owner_alive_)
    owner_.on_closed(*this);
}

} // namespace ringdown::transport
