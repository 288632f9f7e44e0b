#pragma once

#include <memory>

#include <boost/asio/ip/tcp.hpp>

#include "net/http/server_state.hpp"

// Private to net/http: the one entry point into http_session.cpp, the only
// file that includes Boost.Beast on the server side.

namespace ringdown::http {

/// Serves the HTTP/1.1 connection on `socket` (already accepted and counted
/// under the limit) until the peer closes, a limit or timeout ends it, or
/// the server stops. Registers itself in state->open.
void start_session(boost::asio::ip::tcp::socket socket,
                   std::shared_ptr<server_state> state);

} // namespace ringdown::http
