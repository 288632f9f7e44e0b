#include "apps/ringdownctl/commands.hpp"

#include <algorithm>
#include <array>
#include <ostream>
#include <thread>
#include <vector>

#include "apps/ringdownctl/http_client.hpp"
#include "base/clock.hpp"
#include "base/json_reader.hpp"

namespace ringdown::ctl {

namespace {

constexpr std::string_view status_path = "/v1/cluster/status";

int fail(std::ostream& err, std::string_view message) {
  err << "ringdownctl: " << message << '\n';
  return exit_failed;
}

/// The "error" of a JSON error body, else the body itself (cut short).
std::string error_text(const http_reply& reply) {
  std::string ignored;
  if (const auto doc = json_value::parse(reply.body, ignored))
    if (const auto* e = doc->find("error"); e != nullptr && e->is(json_value::kind::string))
      return e->text();
  constexpr std::size_t shown_max = 200;
  return reply.body.substr(0, shown_max);
}

std::string http_failure(std::string_view address, const http_reply& reply) {
  return std::string{address} + " answered " + std::to_string(reply.status) + ": " +
         error_text(reply);
}

/// GET the status from `address`; false with the reason in `error`.
bool fetch_status(const ctl_options& opts, std::string_view address, http_reply& reply,
                  http::node_status& status, std::string& error) {
  if (!http_call(address, "GET", status_path, opts.timeout, reply, error))
    return false;
  if (reply.status != 200) {
    error = http_failure(address, reply);
    return false;
  }
  std::string why;
  auto parsed = http::node_status_from_json(reply.body, why);
  if (!parsed) {
    error = std::string{address} + " sent an unreadable status: " + why;
    return false;
  }
  status = std::move(*parsed);
  return true;
}

const http::member_status* find_member(const http::node_status& status,
                                       std::string_view id) {
  const auto it = std::find_if(status.members.begin(), status.members.end(),
                               [&](const auto& m) { return m.id == id; });
  return it == status.members.end() ? nullptr : &*it;
}

} // namespace

std::string status_table(const http::node_status& status, std::string_view answered_from) {
  constexpr std::size_t columns = 7;
  using row = std::array<std::string, columns>;
  std::vector<row> rows{{"ID", "ZONE", "STATE", "INCARNATION", "SIP", "CLUSTER", "ADMIN"}};
  for (const auto& m : status.members)
    rows.push_back(
        {m.id, m.zone, m.state, std::to_string(m.incarnation), m.sip, m.cluster, m.admin});
  std::array<std::size_t, columns> width{};
  for (const auto& r : rows)
    for (std::size_t c = 0; c < columns; ++c)
      width[c] = std::max(width[c], r[c].size());
  std::string out = "answered by " + status.self + " (" + std::string{answered_from} +
                    "): draining " + (status.draining ? "yes" : "no") + ", " +
                    std::to_string(status.live_calls) + " live calls\n";
  for (const auto& r : rows) {
    std::string line;
    for (std::size_t c = 0; c < columns; ++c) {
      line += r[c];
      if (c + 1 < columns)
        line += std::string(width[c] - r[c].size() + 2, ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + '\n';
  }
  out += "owned keys on " + status.self + ":";
  if (status.owned_keys.empty())
    out += " none";
  for (std::size_t i = 0; i < status.owned_keys.size(); ++i)
    out += (i == 0 ? " " : ", ") + status.owned_keys[i].first + " " +
           std::to_string(status.owned_keys[i].second);
  return out + '\n';
}

int cluster_status(const ctl_options& opts, bool json, std::ostream& out,
                   std::ostream& err) {
  http_reply reply;
  http::node_status status;
  std::string error;
  if (!fetch_status(opts, opts.node, reply, status, error))
    return fail(err, error);
  if (json)
    out << reply.body << '\n';
  else
    out << status_table(status, opts.node);
  return exit_ok;
}

int node_drain(const ctl_options& opts, std::string_view id,
               std::optional<std::chrono::milliseconds> wait, std::ostream& out,
               std::ostream& err) {
  http_reply reply;
  http::node_status status;
  std::string error;
  if (!fetch_status(opts, opts.node, reply, status, error))
    return fail(err, error);
  const auto* member = find_member(status, id);
  if (member == nullptr)
    return fail(err, "no member " + std::string{id} + " in the cluster status of " +
                         status.self + " (" + opts.node + ")");
  if (member->admin.empty())
    return fail(err, "member " + std::string{id} + " has no admin address");
  const std::string target = member->admin;
  if (!http_call(target, "POST", "/v1/node/drain", opts.timeout, reply, error))
    return fail(err, error);
  if (reply.status < 200 || reply.status >= 300)
    return fail(err, http_failure(target, reply));
  std::string message;
  if (const auto doc = json_value::parse(reply.body, error))
    if (const auto* m = doc->find("message"))
      message = m->text();
  out << id << " (" << target << ") answered " << reply.status << ": "
      << (message.empty() ? reply.body : message) << '\n';
  if (!wait)
    return exit_ok;

  // Polls tolerate failures (the asked node may be the one leaving) until
  // the deadline.
  const real_clock clk;
  const auto deadline = clk.now() + *wait;
  std::string last_state = member->state;
  for (;;) {
    if (fetch_status(opts, opts.node, reply, status, error)) {
      const auto* m = find_member(status, id);
      if (m == nullptr || m->state == "left") {
        out << id << (m == nullptr ? " is gone from " : " has left, says ") << status.self
            << '\n';
        return exit_ok;
      }
      last_state = m->state;
    }
    if (clk.now() >= deadline)
      return fail(err, "timed out waiting for " + std::string{id} + " to leave (state " +
                           last_state + ")");
    std::this_thread::sleep_for(poll_interval);
  }
}

} // namespace ringdown::ctl
