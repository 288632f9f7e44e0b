#include "apps/ringdownd/request_responder.hpp"

#include "net/sip/builder.hpp"

#ifndef RINGDOWN_VERSION
#define RINGDOWN_VERSION "0.0.0"
#endif

namespace ringdown::ringdownd {

std::string request_responder::product() {
  return std::string{"Ringdown/"} + RINGDOWN_VERSION;
}

sip::message request_responder::reply(const sip::message& request, int status) {
  auto response = sip::message_builder::response(
      request, status, sip::message_builder::default_reason(status), ids_.tag());
  response.append_header("Server", server_);
  return response;
}

std::optional<sip::message> request_responder::respond(const sip::message& request,
                                                       bool cancel_matches) {
  const auto m = request.method();
  if (m == sip::method::ack)
    return std::nullopt;
  if (m == sip::method::cancel)
    return reply(request, cancel_matches ? 200 : 481);
  if (const auto required = request.values(sip::header_id::require); !required.empty()) {
    std::string unsupported;
    for (const auto tag : required) {
      if (!unsupported.empty())
        unsupported += ", ";
      unsupported += tag;
    }
    auto response = reply(request, 420);
    response.append_header("Unsupported", unsupported);
    return response;
  }
  const auto max_forwards = request.max_forwards();
  if (m != sip::method::options && max_forwards && *max_forwards == 0)
    return reply(request, 483);
  if (m == sip::method::options) {
    auto response = reply(request, 200);
    response.append_header("Allow", allow);
    response.append_header("Accept", accept);
    response.append_header("Supported", "");
    return response;
  }
  auto response = reply(request, m == sip::method::unknown ? 501 : 405);
  response.append_header("Allow", allow);
  return response;
}

} // namespace ringdown::ringdownd
