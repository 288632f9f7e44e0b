#include "apps/ringdownctl/http_client.hpp"

#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "base/host_port.hpp"

namespace ringdown::ctl {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

/// The exchange's state; every step runs on the caller's io_context.
struct exchange {
  beast::tcp_stream stream;
  bhttp::request<bhttp::empty_body> req;
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  beast::error_code failure;
  std::string step = "connect to";

  explicit exchange(asio::io_context& io) : stream(io) {
    parser.body_limit(reply_body_max_bytes);
  }
};

} // namespace

bool http_call(std::string_view address, std::string_view verb, std::string_view target,
               std::chrono::milliseconds timeout, http_reply& out, std::string& error) {
  std::string host;
  std::uint16_t port = 0;
  if (!split_host_port(address, host, port)) {
    error = "'" + std::string{address} + "' is not an IP host:port";
    return false;
  }
  boost::system::error_code ec;
  const tcp::endpoint remote{asio::ip::make_address(host, ec), port};
  if (ec) {
    error = "'" + std::string{address} + "': " + ec.message();
    return false;
  }
  asio::io_context io;
  exchange x{io};
  x.req.method_string({verb.data(), verb.size()});
  x.req.target({target.data(), target.size()});
  x.req.version(11);
  x.req.set(bhttp::field::host, std::string{address});
  x.req.set(bhttp::field::user_agent, std::string{"ringdownctl/"} + RINGDOWN_VERSION);
  x.req.set(bhttp::field::accept, "application/json");
  x.req.keep_alive(false);
  x.req.prepare_payload();
  x.stream.expires_after(timeout);
  x.stream.async_connect(remote, [&x](beast::error_code e) {
    if (e) {
      x.failure = e;
      return;
    }
    x.step = "send the request to";
    bhttp::async_write(x.stream, x.req, [&x](beast::error_code we, std::size_t) {
      if (we) {
        x.failure = we;
        return;
      }
      x.step = "read the answer from";
      bhttp::async_read(x.stream, x.buffer, x.parser,
                        [&x](beast::error_code re, std::size_t) { x.failure = re; });
    });
  });
  io.run();
  if (x.failure) {
    error = "cannot " + x.step + " " + std::string{address} + ": " +
            (x.failure == beast::error::timeout ? std::string{"timed out"}
                                                : x.failure.message());
    return false;
  }
  out.status = static_cast<int>(x.parser.get().result_int());
  out.body = std::move(x.parser.get().body());
  beast::error_code ignored;
  x.stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return true;
}

} // namespace ringdown::ctl
