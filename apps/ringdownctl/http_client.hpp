#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace ringdown::ctl {

/// A response as the admin CLI sees it.
struct http_reply {
  int status = 0;
  std::string body;
};

/// Reply bodies larger than this are refused.
constexpr std::size_t reply_body_max_bytes = 1024 * 1024;

/// One HTTP/1.1 request to the admin server at `address` (IP host:port),
/// Connection: close, the whole exchange bounded by `timeout`. False with a
/// one-line reason in `error` when the node cannot be reached or does not
/// answer HTTP in time; an HTTP error status is a reply, not a failure.
/// Blocking; runs an io_context of its own on the calling thread.
bool http_call(std::string_view address, std::string_view verb, std::string_view target,
               std::chrono::milliseconds timeout, http_reply& out, std::string& error);

} // namespace ringdown::ctl
