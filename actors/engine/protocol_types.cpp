// The announcement of the messages that cross nodes (protocol.hpp).

#include <caf/actor_system_config.hpp>

#include "actors/engine/protocol.hpp"

namespace ringdown::actors {

void register_message_types(caf::actor_system_config& cfg) {
  // The names are the wire's: the same on every node of every version
  // that must talk to this one.
  cfg.add_message_type<contacts_query>("rd.contacts_query")
      .add_message_type<contacts_reply>("rd.contacts_reply")
      .add_message_type<line_call_event>("rd.line_call_event")
      .add_message_type<line_verdict>("rd.line_verdict")
      .add_message_type<trunk_admit>("rd.trunk_admit")
      .add_message_type<trunk_verdict>("rd.trunk_verdict")
      .add_message_type<trunk_release>("rd.trunk_release")
      .add_message_type<join_request>("rd.join_request")
      .add_message_type<join_result>("rd.join_result")
      .add_message_type<hangup_request>("rd.hangup_request")
      .add_message_type<key_moved>("rd.key_moved")
      .add_message_type<bindings_handover>("rd.bindings_handover")
      .add_message_type<line::cancel_alerts>("rd.cancel_alerts")
      .add_message_type<line::join_call>("rd.join_call")
      .add_message_type<line::inform_parties>("rd.inform_parties")
      .add_message_type<conference_home>("rd.conference_home")
      .add_message_type<conference_home_is>("rd.conference_home_is")
      .add_message_type<conference_join>("rd.conference_join")
      .add_message_type<conference_seat>("rd.conference_seat")
      .add_message_type<conference_leave>("rd.conference_leave")
      .add_message_type<conference_link>("rd.conference_link")
      .add_message_type<conference_linked>("rd.conference_linked")
      .add_message_type<conference_unlink>("rd.conference_unlink")
      .add_message_type<conference_rehome>("rd.conference_rehome");
}

} // namespace ringdown::actors
