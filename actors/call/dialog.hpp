#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/sip/message.hpp"

namespace ringdown::call {

/// Extra header lines for a built request: name, value.
using header_list = std::vector<std::pair<std::string, std::string>>;

/// Dialog identifier (RFC 3261 §12): Call-ID, local tag, remote tag.
struct dialog_id {
  std::string call_id;
  std::string local_tag;
  std::string remote_tag;
  bool operator==(const dialog_id&) const = default;
};

/// Where this B2BUA says it is: the Contact URI of its requests and 2xx.
/// (Requests carry no Via: the transport stamps its own, RFC 3261
/// §18.2.1, in sip_stack::send_request and send_stateless.)
struct local_address {
  /// Unused: kept so existing callers compile; the transport's listener
  /// address goes into the Via.
  std::string via_host = "ringdown.invalid";
  std::string contact_uri = "sip:ringdown.invalid";
};

/// Removes the Via a built request needed to parse: the transport
/// prepends the real one (sent-by, fresh branch, rport) when it sends.
void strip_via(sip::message& request);

/// One SIP dialog (RFC 3261 §12) seen from this B2BUA: its id, the CSeq
/// spaces, the remote target and the route set, and the builders of
/// in-dialog requests (§12.2.1.1) and of the ACK for a 2xx (§13.2.2.4).
/// CANCEL is built by the transaction layer, not here. Plain value owned by
/// one call leg (call_stm), used on the call's actor only.
class dialog {
public:
  /// UAS side (§12.1.1): from a dialog-creating request and the To-tag we
  /// put in our response. Route set = Record-Route in order; remote target
  /// = the request's Contact.
  static dialog from_uas(const sip::message& request, std::string_view local_tag,
                         local_address local);
  /// UAC side (§12.1.2): from the request we sent and a 1xx (with To-tag)
  /// or 2xx response; route set = the response's Record-Route reversed.
  /// nullopt when the response has no To-tag.
  static std::optional<dialog> from_uac(const sip::message& request,
                                        const sip::message& response, local_address local);

  [[nodiscard]] const dialog_id& id() const noexcept { return id_; }
  [[nodiscard]] std::uint32_t local_cseq() const noexcept { return local_cseq_; }
  [[nodiscard]] std::optional<std::uint32_t> remote_cseq() const noexcept {
    return remote_cseq_;
  }
  [[nodiscard]] const std::string& remote_target() const noexcept { return remote_target_; }
  [[nodiscard]] const std::vector<std::string>& route_set() const noexcept {
    return route_set_;
  }
  [[nodiscard]] bool confirmed() const noexcept { return confirmed_; }
  /// An early dialog becomes confirmed on a 2xx (§12.1).
  void confirm() noexcept { confirmed_ = true; }

  /// True when `request` (received) belongs to this dialog: Call-ID, To-tag
  /// = local tag, From-tag = remote tag.
  [[nodiscard]] bool matches_request(const sip::message& request) const;
  /// §12.2.2: 0 when `request` is in order (remote CSeq updated), 500 when
  /// its CSeq is lower than the remote CSeq. ACK and CANCEL are not checked.
  [[nodiscard]] int accept_request(const sip::message& request);
  /// Target refresh (§12.2): the Contact of a re-INVITE/UPDATE or its 2xx.
  void refresh_target(const sip::message& msg);

  /// An in-dialog request (§12.2.1.1): Request-URI and Route from the
  /// remote target and the route set (loose or strict routing), From/To
  /// with tags, the next local CSeq, no Via (see strip_via), Max-Forwards 70,
  /// Contact for target-refresh methods, `extra` headers, `body`.
  [[nodiscard]] sip::message make_request(std::string_view method,
                                          const header_list& extra = {},
                                          std::string_view content_type = {},
                                          std::string_view body = {});
  /// Compatibility form of make_request: `branch` is ignored (the
  /// transport stamps the Via and its branch).
  [[nodiscard]] sip::message make_request(std::string_view method, std::string_view branch,
                                          const header_list& extra = {},
                                          std::string_view content_type = {},
                                          std::string_view body = {}) {
    (void)branch;
    return make_request(method, extra, content_type, body);
  }
  /// The ACK for a 2xx to the INVITE with CSeq `invite_cseq` (§13.2.2.4):
  /// same CSeq number, method ACK, built like an in-dialog request.
  [[nodiscard]] sip::message make_ack(std::uint32_t invite_cseq,
                                      std::string_view content_type = {},
                                      std::string_view body = {}) const;
  /// Where a request built here goes first: the first Route URI, else the
  /// Request-URI (the shell resolves it to a transport address).
  [[nodiscard]] std::string destination() const;

private:
  [[nodiscard]] sip::message build(std::string_view method, std::uint32_t cseq,
                                   const header_list& extra, std::string_view content_type,
                                   std::string_view body) const;

  dialog_id id_;
  std::string local_party_;  ///< From value we send, with our tag
  std::string remote_party_; ///< To value we send, with the remote tag
  std::uint32_t local_cseq_ = 0;
  std::optional<std::uint32_t> remote_cseq_;
  std::string remote_target_;
  std::vector<std::string> route_set_; ///< Route values (name-addr), in send order
  local_address local_;
  bool confirmed_ = false;
};

/// `value` (a From/To name-addr) without its tag parameter.
std::string strip_tag(std::string_view value);
/// The URI text of a name-addr value ("" when malformed).
std::string uri_of(std::string_view name_addr_value);

} // namespace ringdown::call
