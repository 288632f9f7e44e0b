// The call actor's state and the functions its two files share:
// call_actor.cpp (the shell carrying out call_stm's effects) and
// call_actor_setup.cpp (who the caller asked for: users, diversions,
// lines, trunks). Included by those two files only: it brings in CAF.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <caf/all.hpp>

#include "actors/bridge/call_media.hpp"
#include "actors/call/call_stm.hpp"
#include "actors/engine/engine_services.hpp"
#include "actors/engine/protocol.hpp"
#include "base/ids.hpp"
#include "base/logging.hpp"
#include "base/random.hpp"
#include "config/provisioning.hpp"

namespace ringdown::storage {
class provisioning_store;
}

namespace ringdown::actors::call_shell {

/// Bound on a registrar or zone answer during call set-up.
constexpr auto lookup_timeout = std::chrono::seconds{2};

inline spdlog::logger& logger() {
  static const auto lg = log::get("call.actor");
  return *lg;
}

struct call_state {
  static inline const char* name = "call";
  engine_services* services = nullptr;
  std::string call_id;
  std::unique_ptr<rng> gen;
  std::unique_ptr<id_generator> ids;
  std::unique_ptr<call::call_stm> stm;
  /// The call's media bridge when the node anchors media; ended with the
  /// call (before the actor lingers), which frees its ports.
  std::unique_ptr<bridge::call_media> media;
  /// sip_port request id ↔ call_stm request id. A call sends a handful of
  /// requests: a flat list costs less than hash maps (memory per call).
  struct request_ids {
    std::uint64_t port = 0;
    std::uint64_t stm = 0;
  };
  std::vector<request_ids> requests;
  /// Armed timers: (kind, leg) → generation of the pending delayed message.
  struct armed_timer {
    std::uint8_t kind = 0;
    call::leg_id leg = 0;
    std::uint64_t gen = 0;
  };
  std::vector<armed_timer> timers;
  std::uint64_t timer_seq = 0;
  /// Where a contact URI is reached when not by itself: the TCP/TLS flow
  /// its REGISTER came over.
  std::unordered_map<std::string, transport::peer> destinations;
  std::string line_uri;                  ///< the shared line the call is on, "" if none
  std::vector<std::string> leg_resource; ///< index = leg id: the resource it rings
  caf::actor conference; ///< the conference part seating the caller, told when it leaves
  std::string trunk;     ///< admitted trunk, released when the CDR is out
  std::string trunk_zone;
  /// Requests the linked call relayed (call_stm::on_linked_request), by
  /// that call's relay id, until our party answers them.
  std::vector<std::pair<std::uint64_t, caf::typed_response_promise<linked_answer>>>
      linked_answers;
  bool lingering = false;
};

using call_actor = caf::stateful_actor<call_state>;

inline call::call_time now(const call_state& st) {
  return {st.services->clk->now(), st.services->clk->wall_ms()};
}

/// "udp:1.2.3.4:5060" (a binding's source) → peer.
std::optional<transport::peer> parse_source(std::string_view text);
/// The resource a Request-URI names: its AOR as written, else by user.
std::optional<config::resource_def> resource_for(const storage::provisioning_store& prov,
                                                 const sip::uri& ruri);
/// Carries out the machine's effects, in order (call_actor.cpp).
void apply(call_actor* self, call::effects fx);
/// What the call's bridge reports (call_actor_media.cpp).
void on_media(call_actor* self, const rtp::media_event& e);
/// Starts the call's machine on its resolved targets (call_actor_media.cpp).
void start(call_actor* self, const sip_request_event& ev, call::call_targets targets);
/// Line seizure: answers the caller from the call's bridge, which plays
/// dial tone and collects digits (call_actor_media.cpp).
void start_seizure(call_actor* self, const sip_request_event& ev,
                   call::call_targets targets);
/// A conference seat: the caller is answered by the conference part's
/// bridge, leg `leg` of bridge `bridge` (call_actor_media.cpp).
void start_hosted(call_actor* self, const sip_request_event& ev, call::call_targets targets,
                  std::uint64_t bridge, std::uint32_t leg);
/// Resolves the targets of a new call, then starts it (call_actor_setup.cpp).
void begin(call_actor* self, const sip_request_event& ev);
/// A dialled `number` goes out on the trunk of its longest prefix, once
/// the trunk's zone admits it: `targets` gets the gateway's URI, or a
/// reject status (404 no trunk, 503 trunk full or zone unreachable); then
/// `next(self, targets)` (call_actor_setup.cpp).
void route_number(call_actor* self, const std::string& number, call::call_targets targets,
                  std::function<void(call_actor*, call::call_targets)> next);
/// A number dialled on a seized line: the resource of the realm whose AOR
/// has it as user part (an internal extension: its live contacts, 480
/// with none), else a trunk (route_number); then `next(self, targets)`
/// (call_actor_setup.cpp).
void route_dialled(call_actor* self, const std::string& number, call::call_targets targets,
                   std::function<void(call_actor*, call::call_targets)> next);

} // namespace ringdown::actors::call_shell
