#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "net/http/types.hpp"

namespace ringdown::http {

/// The admin plane's route table: (method, path pattern) -> handler, where
/// a pattern is literal segments and `{name}` segments that capture one path
/// segment each ("/v1/nodes/{id}/drain"). Pure: no sockets, no Beast; the
/// server owns one and consults it on its io_context thread.
class router {
public:
  /// Routes at most; adding more is an invariant failure.
  static constexpr std::size_t routes_max = 256;

  /// Adds a route. `pattern` starts with '/'; a (method, pattern) pair
  /// added twice is an invariant failure.
  void add(method m, std::string_view pattern, handler h);

  /// Answers `req` (req.path and req.verb set): the handler's response, or
  /// 404 when no pattern matches the path, or 405 when patterns match it
  /// but none for this method (`allow` then lists those methods, "GET,
  /// POST"), or 500 when the handler throws or answers a status outside
  /// 200..599. Fills req.params.
  response dispatch(request& req, std::string& allow) const;

  [[nodiscard]] std::size_t size() const { return routes_.size(); }

private:
  struct route {
    method verb;
    std::string pattern;
    std::vector<std::string> segments;
    handler run;
  };
  static bool matches(const route& r, const std::vector<std::string_view>& path,
                      request* capture);

  std::vector<route> routes_;
};

/// Splits a path ("/a/b/") into its segments ("a", "b"); an empty segment
/// in the middle ("/a//b") is kept so it never matches a `{param}`.
std::vector<std::string_view> split_path(std::string_view path);

} // namespace ringdown::http
