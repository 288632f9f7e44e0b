#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "actors/engine/sip_port.hpp"

namespace ringdown::actors::test {

/// A sip_port that records what the actors send, for CAF deterministic
/// tests: no sockets, no threads. Responses to requests are delivered by
/// the test through the recorded sinks.
class recording_port final : public sip_port {
public:
  struct sent_request {
    std::uint64_t id = 0;
    sip::message msg;
    transport::peer destination;
    response_sink sink;
  };

  void respond(std::uint64_t tx, sip::message response) override {
    responses.emplace_back(tx, std::move(response));
  }
  std::uint64_t send_request(sip::message request, transport::peer destination,
                             response_sink sink) override {
    const auto id = next_++;
    requests.push_back({id, std::move(request), std::move(destination), std::move(sink)});
    return id;
  }
  void cancel(std::uint64_t request) override { cancels.push_back(request); }
  void send_stateless(sip::message message, transport::peer destination) override {
    stateless.emplace_back(std::move(message), std::move(destination));
  }

  std::vector<std::pair<std::uint64_t, sip::message>> responses;
  std::vector<sent_request> requests;
  std::vector<std::uint64_t> cancels;
  std::vector<std::pair<sip::message, transport::peer>> stateless;

private:
  std::uint64_t next_ = 1;
};

} // namespace ringdown::actors::test
