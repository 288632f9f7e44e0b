#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cluster/member.hpp"

namespace ringdown::cluster {

/// Largest SWIM packet, MAC included: fits one UDP datagram on any path.
inline constexpr std::size_t packet_bytes_max = 1400;
inline constexpr std::size_t mac_bytes = 32; ///< HMAC-SHA256 tag
inline constexpr std::uint8_t wire_version = 1;
inline constexpr std::size_t updates_per_packet_max = 255;
inline constexpr std::size_t members_per_packet_max = 255;

/// SWIM messages (Das et al. 2002 §3-4; nack from Lifeguard, Dadgar et al.
/// 2018 §IV-A; push-pull state sync and leave as in HashiCorp memberlist).
enum class message_kind : std::uint8_t {
  ping = 1,  ///< direct probe of target_id; answered by ack(seq)
  ack,       ///< answer to ping; also an intermediary forwarding the target's ack
  nack,      ///< intermediary: the target did not answer my ping in time
  ping_req,  ///< ask the receiver to ping target_id at target_address
  push_pull, ///< a chunk of the sender's full member list
  leave,     ///< the sender leaves; its left update rides along
  gossip,    ///< updates only, from the gossip timer or a refutation
};

enum class decode_error : std::uint8_t { too_big, bad_mac, malformed };

/// One piggy-backed membership update (SWIM §4.4): `subject.state` says
/// alive, suspect, dead or left, with the subject's id and incarnation;
/// zone and addresses travel only with alive. `from` is the member that
/// suspects or declares (Lifeguard counts independent suspicions by it).
struct swim_update {
  member subject;
  std::string from;
};

/// One decoded packet. Which fields mean something depends on `kind`.
struct swim_message {
  message_kind kind = message_kind::ping;
  std::string from_id;
  std::uint32_t seq = 0;
  std::string target_id;       ///< ping, ping_req
  std::string target_address;  ///< ping_req
  bool request = false;        ///< push_pull: answer with your own list
  bool join = false;           ///< push_pull: the sender is joining
  std::vector<member> members; ///< push_pull: full records
  std::vector<swim_update> updates;
};

/// How many of the offered members and updates an encode fitted.
struct encode_result {
  std::size_t members = 0;
  std::size_t updates = 0;
};

/// Encodes `msg` (its fixed fields) followed by as many of `members` then
/// as many of `updates` as fit in packet_bytes_max, in order, then the
/// HMAC-SHA256 tag over everything before it with `key`. Replaces `out`'s
/// contents (capacity reused). Layout, big-endian, strings prefixed by a
/// one-byte length:
///   version kind from_id seq:u32 [target_id] [target_address]
///   [flags:u8 count:u16 member...] count:u8 update... tag[32]
///   member = id zone sip cluster admin media state:u8 incarnation:u64
///   update = state:u8 incarnation:u64 id from [zone sip cluster admin media]
/// Members and updates must be well_formed().
encode_result encode(const swim_message& msg, std::span<const member> members,
                     std::span<const swim_update> updates,
                     std::span<const std::uint8_t> key, std::vector<std::uint8_t>& out);

/// encode() of msg.members and msg.updates.
encode_result encode(const swim_message& msg, std::span<const std::uint8_t> key,
                     std::vector<std::uint8_t>& out);

/// Checks size (too_big), the tag in constant time (bad_mac), then parses
/// strictly (malformed: wrong version, unknown kind or state, a field past
/// its limit or the end, trailing bytes). On failure `out` is unspecified.
bool decode_into(std::span<const std::uint8_t> bytes, std::span<const std::uint8_t> key,
                 swim_message& out, decode_error* error);

std::optional<swim_message> decode(std::span<const std::uint8_t> bytes,
                                   std::span<const std::uint8_t> key,
                                   decode_error* error = nullptr);

} // namespace ringdown::cluster
