#include "net/sip/transaction_ack.hpp"

#include <string>

#include "base/assert.hpp"
#include "net/sip/builder.hpp"

namespace ringdown::sip {

message build_non_2xx_ack(const message& invite, const message& response) {
  RINGDOWN_ASSERT(invite.is_request() && invite.method() == method::invite,
                  "ACK is built from an INVITE");
  RINGDOWN_ASSERT(response.status_code() >= 300, "ACK of a non-2xx final response");
  const auto vias = invite.values(header_id::via);
  RINGDOWN_ASSERT(!vias.empty(), "INVITE without Via");
  const auto cs = invite.cseq();
  RINGDOWN_ASSERT(cs.has_value(), "INVITE without CSeq");

  message_builder b{"ACK", invite.request_uri_text()};
  b.header("Via", vias.front());
  for (const auto route : invite.values(header_id::route))
    b.header("Route", route);
  const auto mf = invite.max_forwards();
  b.header("Max-Forwards", mf ? std::to_string(*mf) : std::string{"70"});
  b.header("From", invite.header(header_id::from));
  b.header("To", response.header(header_id::to));
  b.header("Call-ID", invite.call_id());
  b.header("CSeq", std::to_string(cs->number) + " ACK");
  return b.build();
}

} // namespace ringdown::sip
