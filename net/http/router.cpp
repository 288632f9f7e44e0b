#include "net/http/router.hpp"

#include <array>
#include <exception>
#include <utility>

#include "base/assert.hpp"
#include "base/json.hpp"

namespace ringdown::http {

namespace {

constexpr std::array<std::pair<method, std::string_view>, 7> method_names{{
    {method::get, "GET"},
    {method::head, "HEAD"},
    {method::post, "POST"},
    {method::put, "PUT"},
    {method::patch, "PATCH"},
    {method::delete_, "DELETE"},
    {method::options, "OPTIONS"},
}};

bool is_param(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

} // namespace

std::string_view to_string(method m) noexcept {
  for (const auto& [value, name] : method_names)
    if (value == m)
      return name;
  return "OTHER";
}

method method_from_string(std::string_view name) noexcept {
  for (const auto& [value, text] : method_names)
    if (text == name)
      return value;
  return method::other;
}

std::string_view request::param(std::string_view name) const {
  const auto it = params.find(name);
  return it == params.end() ? std::string_view{} : std::string_view{it->second};
}

response error_response(int status, std::string_view text) {
  json_writer w;
  w.begin_object().key("error").value_string(text).end_object();
  return {status, w.str()};
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.starts_with('/'))
    path.remove_prefix(1);
  if (path.ends_with('/'))
    path.remove_suffix(1);
  if (path.empty())
    return out;
  for (;;) {
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos)
      return out;
    path.remove_prefix(slash + 1);
  }
}

void router::add(method m, std::string_view pattern, handler h) {
  RINGDOWN_ASSERT(pattern.starts_with('/'), "router: a pattern starts with '/'");
  RINGDOWN_ASSERT(routes_.size() < routes_max, "router: too many routes");
  RINGDOWN_ASSERT(h != nullptr, "router: a route needs a handler");
  for (const auto& r : routes_)
    RINGDOWN_ASSERT(r.verb != m || r.pattern != pattern, "router: route added twice");
  route r{m, std::string{pattern}, {}, std::move(h)};
  for (auto segment : split_path(pattern))
    r.segments.emplace_back(segment);
  routes_.push_back(std::move(r));
}

bool router::matches(const route& r, const std::vector<std::string_view>& path,
                     request* capture) {
  if (r.segments.size() != path.size())
    return false;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const auto& want = r.segments[i];
    if (is_param(want) ? path[i].empty() : want != path[i])
      return false;
  }
  if (capture != nullptr)
    for (std::size_t i = 0; i < path.size(); ++i)
      if (is_param(r.segments[i]))
        capture->params[r.segments[i].substr(1, r.segments[i].size() - 2)] = path[i];
  return true;
}

response router::dispatch(request& req, std::string& allow) const {
  allow.clear();
  const auto path = split_path(req.path);
  const route* found = nullptr;
  for (const auto& r : routes_) {
    if (!matches(r, path, nullptr))
      continue;
    if (r.verb == req.verb && found == nullptr)
      found = &r;
    const auto name = to_string(r.verb);
    if (allow.find(name) == std::string::npos) {
      if (!allow.empty())
        allow += ", ";
      allow += name;
    }
  }
  if (found == nullptr) {
    if (allow.empty())
      return error_response(404, "no such resource: " + req.path);
    return error_response(405, "method " + std::string{to_string(req.verb)} +
                                   " not allowed on " + req.path);
  }
  allow.clear();
  matches(*found, path, &req);
  try {
    auto res = found->run(req);
    if (res.status < 200 || res.status > 599)
      return error_response(500, "internal error: a handler answered status " +
                                     std::to_string(res.status));
    return res;
  } catch (const std::exception&) {
    return error_response(500, "internal error");
  }
}

} // namespace ringdown::http
