#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace ringdown::http {

/// The request methods the admin plane routes on; anything else is `other`
/// (it never matches a route, so its path answers 405 or 404).
enum class method { get, head, post, put, patch, delete_, options, other };

std::string_view to_string(method m) noexcept;
/// "GET" -> method::get; an unknown name -> method::other.
method method_from_string(std::string_view name) noexcept;

/// One parsed HTTP request as a handler sees it: the path without its query,
/// the `{param}` values the route pattern captured, and the body (at most
/// server_options::body_max_bytes).
struct request {
  method verb = method::get;
  std::string path;  ///< "/v1/node/drain", percent-encoding left as sent
  std::string query; ///< what followed '?', without it
  std::map<std::string, std::string, std::less<>> params;
  std::string body;
  std::string peer; ///< "host:port" of the client

  /// The value captured for `{name}`, empty when the pattern has none.
  [[nodiscard]] std::string_view param(std::string_view name) const;
};

/// What a handler answers: a status and a body, JSON unless the handler
/// says otherwise. The server adds Content-Type, Content-Length and
/// Connection.
struct response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
};

/// A route's handler. Runs on the server's io_context thread and must not
/// block; an exception it throws becomes 500 {"error":"internal error"}.
using handler = std::function<response(const request&)>;

/// {"error": text} with `status`: the one shape of every error body.
response error_response(int status, std::string_view text);

} // namespace ringdown::http
