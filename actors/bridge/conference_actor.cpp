// Conferences. A room's part (`bridge/conference:<room>@<zone>`) is the
// conference bridge of one zone on one node: every party of the zone whose
// call arrives there has a seat (a leg) in it; the bridge mixes N-1 (each
// party hears all the others). The room's registry
// (`bridge/conference:<room>`, one in the cluster, placed by hashing over
// every live node) names the room's home: the first part to ask, so the
// conference runs in the zone of the user who started it. Every other part
// links its bridge to the home's as one leg each way (SRTP, PCMU, between
// the two bridges, across nodes as well; each side draws the key it sends
// with and names it in the link's messages), so its parties hear the
// home's parties and the other way round: a two-part conference the users
// never see. A part ends when its last party leaves (a linked part unlinks
// first); the registry ends with its home. A room started twice while its
// registry moved between nodes becomes one: the registry's former home
// links to the other home, keeping its own links (a tree of bridges mixes
// N-1 as a star does).

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/bridge/conference_registry.hpp"
#include "actors/bridge/conference_roster.hpp"
#include "actors/bridge/conference_stm.hpp"
#include "actors/engine/directory.hpp"
#include "actors/engine/engine_services.hpp"
#include "actors/engine/protocol.hpp"
#include "base/logging.hpp"
#include "base/secure_random.hpp"
#include "config/config.hpp"
#include "net/rtp/media_engine.hpp"

namespace ringdown::actors {

namespace {

spdlog::logger& logger() {
  static const auto lg = log::get("conference");
  return *lg;
}

constexpr rtp::leg_index uplink = bridge::conference_stm::uplink;

struct conference_state {
  static inline const char* name = "conference";
  engine_services* services = nullptr;
  std::string room;
  std::string zone;
  std::optional<rtp::bridge_id> bridge;
  /// Seats (parties of this part) and, at the home, links (other parts).
  bridge::conference_stm legs;
  /// "<zone>/<node>": how the home and the logs name this part.
  std::string part;
  /// The registry's answer: the home part (this one when it is the home).
  caf::actor home;
  bool is_home = false;
  bool link_started = false;
  /// For the admin API (conference_roster): who sits in each seat, which
  /// parts are linked here.
  std::vector<bridge::conference_roster::party> parties;
  std::vector<std::string> links;
};

using conference_actor = caf::stateful_actor<conference_state>;

constexpr std::string_view link_suite = "AES_CM_128_HMAC_SHA1_80";
constexpr std::size_t link_key_salt_bytes = 30;

/// A fresh master key||salt for our side of a link.
std::vector<std::uint8_t> link_key() {
  std::vector<std::uint8_t> k(link_key_salt_bytes);
  secure_random(k);
  return k;
}

/// The link leg to the other part's bridge at address:port: SRTP with the
/// key it sends with (`theirs`) and ours.
rtp::leg_spec link_spec(const std::string& address, std::uint16_t port,
                        std::vector<std::uint8_t> theirs, std::vector<std::uint8_t> ours) {
  rtp::leg_spec spec;
  spec.srtp = rtp::srtp_keys{std::string(link_suite), std::move(theirs), std::move(ours)};
  spec.remote_address = address;
  spec.remote_port = port;
  spec.audio = rtp::codec::pcmu;
  spec.audio_payload_type = rtp::payload_pcmu;
  spec.event_payload_type = 0;
  spec.symmetric = false; // the other bridge sends from the port it named
  spec.may_be_silent = true;
  return spec;
}

/// The part's bridge, created on first use. Its events come from a media
/// thread and are handed over as messages (on_media).
bool ensure_bridge(conference_actor* self) {
  auto& st = self->state;
  if (st.bridge)
    return true;
  if (st.services->media == nullptr)
    return false;
  auto weak = caf::actor_cast<caf::weak_actor_ptr>(self);
  st.bridge = st.services->media->create_bridge([weak](const rtp::media_event& e) {
    if (auto strong = caf::actor_cast<caf::strong_actor_ptr>(weak))
      caf::anon_send(caf::actor_cast<caf::actor>(strong), e);
  });
  return st.bridge.has_value();
}

/// A seat silent for the media timeout (a phone gone without BYE) is hung
/// up: its call ends and leaves the room. Figures of legs that left are
/// logged.
void on_media(conference_actor* self, const rtp::media_event& e) {
  auto& st = self->state;
  using kind = rtp::media_event::kind;
  if (e.what == kind::leg_stats) {
    logger().info("conference {}: leg {} left: received {} sent {} lost {}", st.room, e.leg,
                  e.quality.packets_received, e.quality.packets_sent,
                  e.quality.packets_lost);
    return;
  }
  if (e.what != kind::media_timeout)
    return;
  const std::string call_id(st.legs.seated_at(e.leg));
  if (call_id.empty())
    return;
  logger().warn("Call-ID {}: no RTP in conference {} for the media timeout: hanging up",
                call_id, st.room);
  if (auto call = st.services->dir->find({actor_kind::dialog, call_id}))
    self->send(call, hangup_request{"Media Timeout"});
}

/// A part that is not the home: link its bridge to the home's.
void link_to_home(conference_actor* self) {
  auto& st = self->state;
  auto& engine = *st.services->media;
  const auto port = engine.add_leg(*st.bridge, uplink);
  if (!port) {
    logger().warn("conference {}: part {}: no port to link to the home part", st.room,
                  st.part);
    return;
  }
  auto ours = link_key();
  conference_link req{st.part, engine.config().address, *port, ours};
  self->request(st.home, std::chrono::seconds{2}, std::move(req))
      .then(
          [self, ours](const conference_linked& r) {
            auto& s = self->state;
            if (r.status != 200 || !s.bridge)
              return;
            if (r.key_salt.size() != link_key_salt_bytes) {
              logger().warn("conference {}: part {}: the home part's link key is {} bytes, "
                            "not {}: not linked",
                            s.room, s.part, r.key_salt.size(), link_key_salt_bytes);
              return;
            }
            s.services->media->configure_leg(
                *s.bridge, uplink, link_spec(r.address, r.port, r.key_salt, ours));
            logger().info("conference {}: part {} linked to the home part at {}:{} (SRTP)",
                          s.room, s.part, r.address, r.port);
          },
          [self](const caf::error& err) {
            logger().warn("conference {}: part {}: the home part did not link: {}",
                          self->state.room, self->state.part, caf::to_string(err));
          });
}

/// A part that is not the home links once it seats a party (or, as a
/// former home, has parts linked to it) and knows the home.
void maybe_link(conference_actor* self) {
  auto& st = self->state;
  if (st.is_home || !st.home || st.link_started || st.legs.empty() || !ensure_bridge(self))
    return;
  st.link_started = true;
  link_to_home(self);
}

/// Shows the part as it is now in the node's roster (the admin API).
void publish(conference_actor* self) {
  auto& st = self->state;
  if (st.services->conferences == nullptr)
    return;
  bridge::conference_roster::part_view v{st.room,    st.zone,    st.part,
                                         st.is_home, st.parties, st.links};
  if (!st.services->conferences->put(std::move(v)))
    logger().warn("conference {}: part {}: the node's roster is full; the part is not "
                  "shown",
                  st.room, st.part);
}

void end_part(conference_actor* self) {
  auto& st = self->state;
  if (st.services->conferences != nullptr)
    st.services->conferences->erase(st.room, st.zone);
  if (st.home && !st.is_home)
    self->send(st.home, conference_unlink{st.part});
  if (st.bridge)
    st.services->media->destroy_bridge(*st.bridge);
  st.bridge.reset();
  logger().info("conference {}: part {}: last party left, part ends", st.room, st.part);
  self->quit();
}

caf::behavior conference_behavior(conference_actor* self, actor_key key,
                                  engine_services* services) {
  auto& st = self->state;
  st.services = services;
  // key: conference:<room>@<zone>
  const auto at = key.name.rfind('@');
  const std::string_view name = key.name;
  st.room = std::string(name.substr(0, at).substr(std::string_view("conference:").size()));
  st.zone = at == std::string::npos ? std::string{} : std::string(name.substr(at + 1));
  st.part = st.zone + "/" + services->node->node_id;
  // The room's registry names the home part; until it answers, parties are
  // seated and heard by each other, the link follows.
  const actor_key registry_key{actor_kind::bridge, "conference:" + st.room};
  auto me = caf::actor_cast<caf::actor>(self);
  if (auto registry = services->dir->lookup_or_spawn(registry_key)) {
    self->request(registry, std::chrono::seconds{2}, conference_home{st.part, me})
        .then(
            [self, me](const conference_home_is& h) {
              auto& s = self->state;
              s.home = h.home;
              s.is_home = h.home == me;
              if (s.is_home)
                logger().info("conference {}: started in zone {} (part {})", s.room, s.zone,
                              s.part);
              else
                logger().info("conference {}: part {} joins the home part {}", s.room,
                              s.part, h.part);
              publish(self);
              maybe_link(self);
            },
            [self](const caf::error& err) {
              logger().warn(
                  "conference {}: part {}: no answer from the room's registry: {}",
                  self->state.room, self->state.part, caf::to_string(err));
            });
  } else {
    logger().warn("conference {}: part {}: the room's registry is unreachable", st.room,
                  st.part);
  }
  return {
      [self](const conference_join& j) {
        auto& s = self->state;
        conference_seat seat;
        if (!ensure_bridge(self))
          return seat;
        const auto leg = s.legs.seat(j.call_id);
        if (!leg)
          return seat;
        seat.status = 200;
        seat.bridge = *s.bridge;
        seat.leg = *leg;
        s.parties.push_back({j.call_id, j.who});
        publish(self); // before the log line: what the log says, the roster shows
        logger().info("Call-ID {}: seated in conference {} (zone {}, leg {}, {} parties)",
                      j.call_id, s.room, s.zone, seat.leg, s.legs.seated());
        maybe_link(self);
        return seat;
      },
      [self](const conference_leave& l) {
        auto& s = self->state;
        if (!s.legs.leave(l.call_id))
          return;
        std::erase_if(s.parties, [&](const auto& p) { return p.call_id == l.call_id; });
        if (!s.legs.empty())
          publish(self);
        logger().info("Call-ID {}: left conference {} (zone {}, {} parties left)",
                      l.call_id, s.room, s.zone, s.legs.seated());
        if (s.legs.empty())
          end_part(self);
      },
      [self](const conference_link& l) {
        auto& s = self->state;
        conference_linked r;
        if (l.key_salt.size() != link_key_salt_bytes) {
          logger().warn("conference {}: part {} offers a link key of {} bytes, not {}",
                        s.room, l.part, l.key_salt.size(), link_key_salt_bytes);
          r.status = 400;
          return r;
        }
        if (!ensure_bridge(self))
          return r;
        const auto leg = s.legs.link(l.part);
        auto& engine = *s.services->media;
        const auto port = engine.add_leg(*s.bridge, leg);
        if (!port)
          return r;
        r.key_salt = link_key();
        engine.configure_leg(*s.bridge, leg,
                             link_spec(l.address, l.port, l.key_salt, r.key_salt));
        if (std::find(s.links.begin(), s.links.end(), l.part) == s.links.end())
          s.links.push_back(l.part);
        publish(self);
        logger().info("conference {}: part {} linked as leg {} ({}:{}, SRTP)", s.room,
                      l.part, leg, l.address, l.port);
        r.status = 200;
        r.address = engine.config().address;
        r.port = *port;
        return r;
      },
      [self](const rtp::media_event& e) { on_media(self, e); },
      [self](const conference_rehome& r) {
        auto& s = self->state;
        if (!s.is_home || !r.home || r.home == caf::actor_cast<caf::actor>(self))
          return;
        s.home = r.home;
        s.is_home = false;
        s.link_started = false;
        publish(self);
        logger().warn(
            "conference {}: part {} was a second home of the room (started during "
            "a membership change): links to home {}, with its {} linked parts",
            s.room, s.part, r.part, s.legs.linked());
        maybe_link(self);
      },
      [self](const conference_unlink& u) {
        auto& s = self->state;
        const auto leg = s.legs.unlink(u.part);
        if (!leg)
          return;
        if (s.bridge)
          s.services->media->remove_leg(*s.bridge, *leg);
        std::erase(s.links, u.part);
        if (!s.legs.empty())
          publish(self);
        logger().info("conference {}: part {} unlinked", s.room, u.part);
        if (s.legs.empty())
          end_part(self);
      },
  };
}

} // namespace

caf::actor spawn_conference(caf::actor_system& sys, const actor_key& key,
                            engine_services& services) {
  constexpr std::string_view prefix = "conference:";
  if (key.name.size() <= prefix.size() || key.name.compare(0, prefix.size(), prefix) != 0)
    return {}; // no bridge of another kind is spawned by key
  if (key.name.find('@') == std::string::npos)
    return spawn_conference_registry(sys, key, *services.dir);
  return sys.spawn(conference_behavior, key, &services);
}

} // namespace ringdown::actors
