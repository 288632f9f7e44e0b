#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/ids.hpp"
#include "net/sip/message.hpp"

namespace ringdown::ringdownd {

/// What ringdownd answers itself, for requests no actor serves (OPTIONS
/// and MESSAGE out of dialog, unknown methods), as a pure function of the request (RFC
/// 3261 §8.2 UAS behaviour, §11 OPTIONS):
///  - ACK: nothing (an ACK matching no transaction is absorbed, §17.2.3);
///  - CANCEL: 200 when it matches a live INVITE server transaction (that
///    INVITE was already answered: ringdownd answers at once), else 481
///    (§9.2);
///  - Require with any option tag (none is supported): 420 + Unsupported
///    (§8.2.2.3; not for ACK/CANCEL);
///  - Max-Forwards 0 on anything but OPTIONS: 483 (§16.3 item 2, §11 lets
///    OPTIONS addressed to us be answered);
///  - OPTIONS: 200 with Allow, Accept, Supported (empty: no extension is
///    supported), Server, Content-Length 0;
///  - a method ringdownd knows but does not serve yet: 405 + Allow
///    (§8.2.1); an unknown method: 501 + Allow.
/// Every response carries a fresh To-tag from `ids`. Owned by the I/O
/// thread like the `id_generator` it borrows.
class request_responder {
public:
  /// The methods ringdownd serves (the Allow header): OPTIONS here, the
  /// others by the domain actors the gateway routes them to.
  static constexpr std::string_view allow =
      "INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, SUBSCRIBE, NOTIFY, PUBLISH, REFER, "
      "UPDATE, INFO";
  static constexpr std::string_view accept = "application/sdp";

  request_responder(id_generator& ids, std::string server)
      : ids_(ids), server_(std::move(server)) {}

  /// The final response to `request`, or nullopt when none is due (ACK).
  /// `cancel_matches`: for a CANCEL, whether it matched an INVITE
  /// transaction (the transaction layer knows).
  std::optional<sip::message> respond(const sip::message& request,
                                      bool cancel_matches = false);

  /// `Ringdown/<version>`.
  static std::string product();

private:
  sip::message reply(const sip::message& request, int status);

  id_generator& ids_;
  std::string server_;
};

} // namespace ringdown::ringdownd
