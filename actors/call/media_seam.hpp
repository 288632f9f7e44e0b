#pragma once

#include <string>
#include <string_view>

#include "actors/call/call_effect.hpp"

namespace ringdown::call {

/// The seam where the media bridge plugs in: the SDP to send on leg `to`
/// for an SDP that leg `from` sent us. Today the engine relays SDP
/// unchanged (identity); with the bridge it returns the bridge's own offer
/// or answer for `to` (its address and ports) after telling the bridge
/// about `from`'s. Every SDP that crosses legs in call_stm goes through it.
std::string relay_sdp(leg_id from, leg_id to, std::string_view sdp);

} // namespace ringdown::call
