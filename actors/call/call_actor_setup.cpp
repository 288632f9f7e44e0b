// The call actor's set-up: who the caller asked for. A registered user
// through its zone's registrar (and, for a diversion, the target's zone's),
// a shared line through its holders (and the line's verdict on a barge or
// a pick-up), a number through a trunk admitted by the trunk's zone. Then
// call_stm starts (call_actor.cpp).

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <utility>

#include "actors/call/call_actor_state.hpp"
#include "actors/engine/directory.hpp"
#include "actors/line/join_header.hpp"
#include "config/config.hpp"
#include "net/sip/builder.hpp"
#include "storage/provisioning_store.hpp"

namespace ringdown::actors::call_shell {

namespace {

call::call_config make_config(const engine_services& s) {
  call::call_config c;
  std::string contact = "sip:" + s.local_host;
  if (s.local_port != 0)
    contact += ":" + std::to_string(s.local_port);
  if (s.local_transport == "TCP" || s.local_transport == "tcp")
    contact += ";transport=tcp";
  c.local.contact_uri = contact;
  c.local.via_host = s.local_host;
  c.t1 = std::chrono::milliseconds{s.node->timers.t1_ms};
  c.t2 = std::chrono::milliseconds{s.node->timers.t2_ms};
  c.failure_tone = std::chrono::seconds{s.node->media.failure_tone_s};
  return c;
}

/// The provisioned definition in `all` whose URI field has `user` as its
/// user part (a URI addressed to this node by user only: sip:bob@<node>).
template <class Def>
std::optional<Def> by_user(const std::vector<Def>& all, std::string Def::*uri_of,
                           std::string_view user) {
  if (user.empty())
    return std::nullopt;
  for (const auto& d : all) {
    const auto u = sip::uri::parse(d.*uri_of);
    if (u && u->user == user)
      return d;
  }
  return std::nullopt;
}

} // namespace

std::optional<config::resource_def> resource_for(const storage::provisioning_store& prov,
                                                 const sip::uri& ruri) {
  if (auto r = prov.resource_by_aor(ruri.text))
    return r;
  const auto snapshot = prov.snapshot();
  return by_user(snapshot->resources, &config::resource_def::aor, ruri.user);
}

namespace {

/// The shared line a Request-URI names: its URI as written, else by user.
std::optional<config::line_def> line_for(const storage::provisioning_store& prov,
                                         const sip::uri& ruri) {
  if (auto l = prov.line(ruri.text))
    return l;
  const auto snapshot = prov.snapshot();
  return by_user(snapshot->lines, &config::line_def::uri, ruri.user);
}

bool diverts_on(const config::resource_def& r, std::string_view condition) {
  return std::find(r.divert_on.begin(), r.divert_on.end(), condition) != r.divert_on.end();
}

/// Adds the live contacts of `user` (asked of the registrar of the user's
/// zone: any zone may read a resource) to `targets.uris`, then calls
/// `next(self, targets)`. With no contact the reject status is 480 (known, not
/// registered: §21.4.18); a registrar that cannot answer makes it 503.
/// `await`: the call handles nothing else (a CANCEL waits) meanwhile.
template <class Next>
void resolve_user(call_actor* self, call::call_targets targets,
                  const config::resource_def& user, Next next) {
  auto& st = self->state;
  const auto registrar =
      st.services->dir->lookup_or_spawn({actor_kind::registrar, user.zone});
  if (!registrar) {
    targets.reject_status = 503;
    next(self, std::move(targets));
    return;
  }
  self->request(registrar, lookup_timeout, contacts_query{user.aor})
      .await(
          [self, targets, next](const contacts_reply& reply) mutable {
            auto& s = self->state;
            for (const auto& b : reply.bindings) {
              targets.uris.push_back(b.contact);
              // A stream flow is reused to reach the phone (RFC 5626
              // spirit: it may accept no inbound connection); over UDP
              // the Contact itself is the address (it may name another
              // device than the one that registered it).
              auto peer = parse_source(b.source);
              if (peer && transport::is_reliable(peer->proto))
                s.destinations.emplace(b.contact, std::move(*peer));
            }
            if (targets.uris.empty())
              targets.reject_status = 480;
            next(self, std::move(targets));
          },
          [self, targets, next](const caf::error& err) mutable {
            logger().warn("Call-ID {}: registrar lookup failed: {}", self->state.call_id,
                          caf::to_string(err));
            targets.reject_status = 503;
            next(self, std::move(targets));
          });
}

/// Collects the contacts of the line's holders one registrar answer at a
/// time (`await` keeps the call's other messages waiting), then offers the
/// call to the line and starts it.
void gather_line(call_actor* self, const sip_request_event& ev, call::call_targets targets,
                 std::vector<config::resource_def> holders, std::size_t next) {
  auto& st = self->state;
  if (next == holders.size()) {
    if (targets.uris.empty()) {
      targets.reject_status = 480;
      start(self, ev, std::move(targets));
      return;
    }
    const auto line = st.services->dir->lookup_or_spawn({actor_kind::line, st.line_uri});
    if (!line) {
      start(self, ev, std::move(targets));
      return;
    }
    line_call_event offer;
    offer.what = line_call_event::kind::offered;
    offer.call.call_id = st.call_id;
    if (const auto from = ev.msg->from())
      offer.call.remote_uri = std::string{from->uri_text};
    for (std::size_t i = 1; i < st.leg_resource.size(); ++i)
      if (std::find(offer.alerted.begin(), offer.alerted.end(), st.leg_resource[i]) ==
          offer.alerted.end())
        offer.alerted.push_back(st.leg_resource[i]);
    self->request(line, lookup_timeout, std::move(offer))
        .await(
            [self, ev, targets](const line_verdict& v) mutable {
              if (v.status >= 300) {
                // No free appearance: the line is busy (RFC 7463 §6).
                targets.uris.clear();
                targets.reject_status = v.status;
              }
              start(self, ev, std::move(targets));
            },
            [self, ev, targets](const caf::error&) mutable {
              start(self, ev, std::move(targets));
            });
    return;
  }
  const auto& holder = holders[next];
  const auto registrar =
      st.services->dir->lookup_or_spawn({actor_kind::registrar, holder.zone});
  if (!registrar) {
    gather_line(self, ev, std::move(targets), std::move(holders), next + 1);
    return;
  }
  auto aor = holder.aor;
  self->request(registrar, lookup_timeout, contacts_query{std::move(aor)})
      .await(
          [self, ev, targets, holders, next](const contacts_reply& reply) mutable {
            auto& s = self->state;
            for (const auto& b : reply.bindings) {
              targets.uris.push_back(b.contact);
              s.leg_resource.push_back(holders[next].name);
              auto peer = parse_source(b.source);
              if (peer && transport::is_reliable(peer->proto))
                s.destinations.emplace(b.contact, std::move(*peer));
            }
            gather_line(self, ev, std::move(targets), std::move(holders), next + 1);
          },
          [self, ev, targets, holders, next](const caf::error&) mutable {
            gather_line(self, ev, std::move(targets), std::move(holders), next + 1);
          });
}

/// What a call does with a device's request the line allowed.
using on_allowed = void (*)(call_actor*, const sip_request_event&, call::call_targets,
                            const line_call_event&);

/// A device asks the line for something it cannot do alone (a barge, a
/// pick-up of a held call): the line decides. Refusals (403 on a private
/// line or a private hold, 481 for no such call) are answered as the line
/// gives them; an allowed request goes to `allowed`.
void ask_line(call_actor* self, const sip_request_event& ev, call::call_targets targets,
              line_call_event e, on_allowed allowed = nullptr) {
  auto& st = self->state;
  const auto line = st.services->dir->lookup_or_spawn({actor_kind::line, st.line_uri});
  const auto from = ev.msg->from();
  const auto who =
      from ? st.services->provisioning->resource_by_aor(from->uri_text) : std::nullopt;
  if (!line || !who) {
    targets.reject_status = 403;
    start(self, ev, std::move(targets));
    return;
  }
  e.by = who->name;
  self->request(line, lookup_timeout, e)
      .await(
          [self, ev, targets, e, allowed](const line_verdict& v) mutable {
            if (v.status < 300 && allowed != nullptr) {
              allowed(self, ev, std::move(targets), e);
              return;
            }
            targets.reject_status = v.status >= 300 ? v.status : 501;
            start(self, ev, std::move(targets));
          },
          [self, ev, targets](const caf::error&) mutable {
            targets.reject_status = 503;
            start(self, ev, std::move(targets));
          });
}

/// This actor (keyed by the device's Call-ID) hands the device's INVITE
/// to the call (dialog/<its Call-ID>) as `Msg`, then only forwards the
/// device's later requests (ACK, BYE, ...) there, and quits with it.
template <class Msg>
void hand_to_call(call_actor* self, const sip_request_event& ev, call::call_targets targets,
                  const line_call_event& e) {
  auto& st = self->state;
  const auto call = st.services->dir->find({actor_kind::dialog, e.call.call_id});
  if (!call) {
    targets.reject_status = 481;
    start(self, ev, std::move(targets));
    return;
  }
  self->send(call, Msg{ev, e.by});
  self->monitor(call);
  self->set_down_handler([self](const caf::down_msg&) { self->quit(); });
  self->become([self, call](const sip_request_event& later) { self->send(call, later); });
}

/// A barge: RFC 3911 Join naming a call on the line. Allowed, the call
/// joins the device to its media bridge (call_stm::barge).
void barge(call_actor* self, const sip_request_event& ev, call::call_targets targets,
           const line::join_target& join) {
  line_call_event e;
  e.what = line_call_event::kind::barge;
  e.call.call_id = join.call_id;
  e.call.local_tag = join.to_tag; // Join names the dialog as its recipient sees it
  e.call.remote_tag = join.from_tag;
  e.barger_call_id = self->state.call_id;
  logger().info("Call-ID {}: asks to barge into Call-ID {}", self->state.call_id,
                join.call_id);
  ask_line(self, ev, std::move(targets), std::move(e), hand_to_call<barge_request>);
}

/// The line allowed a pick-up: the held call (dialog/<its Call-ID>) takes
/// the picker's INVITE as a new leg (call_stm::pick_up).
void hand_over(call_actor* self, const sip_request_event& ev, call::call_targets targets,
               const line_call_event& e) {
  logger().info("Call-ID {}: {} picks up the held call {}", self->state.call_id, e.by,
                e.call.call_id);
  hand_to_call<pick_up_request>(self, ev, std::move(targets), e);
}

/// A pick-up of a held call of the line (RFC 7463 §5.3: INVITE to the
/// line with Replaces naming the held dialog).
void retrieve(call_actor* self, const sip_request_event& ev, call::call_targets targets,
              const line::join_target& held) {
  line_call_event e;
  e.what = line_call_event::kind::pick_up;
  e.call.call_id = held.call_id;
  e.call.local_tag = held.to_tag;
  e.call.remote_tag = held.from_tag;
  ask_line(self, ev, std::move(targets), std::move(e), hand_over);
}

/// The caller, when it holds `line` (one of its appearances): its INVITE
/// to the line seizes the line to dial out on it.
std::optional<config::resource_def> holder_of(const storage::provisioning_store& prov,
                                              const sip::message& invite,
                                              const config::line_def& line) {
  const auto from = invite.from();
  if (!from)
    return std::nullopt;
  auto who = prov.resource_by_aor(from->uri_text);
  if (!who || std::find(who->lines.begin(), who->lines.end(), line.uri) == who->lines.end())
    return std::nullopt;
  return who;
}

/// Line seizure: the line gives the holder an idle appearance (RFC 7463:
/// the line goes busy for every holder at once), then the call's bridge
/// answers and collects the digits (call_stm::seize). No idle appearance:
/// the line's refusal (486) goes back to the caller.
void seize_line(call_actor* self, const sip_request_event& ev, call::call_targets targets,
                config::resource_def holder) {
  auto& st = self->state;
  const auto line = st.services->dir->lookup_or_spawn({actor_kind::line, st.line_uri});
  if (!line) {
    targets.reject_status = 503;
    start(self, ev, std::move(targets));
    return;
  }
  line_call_event e;
  e.what = line_call_event::kind::originated;
  e.call.call_id = st.call_id;
  e.call.remote_uri = std::string{ev.msg->from()->uri_text};
  e.by = holder.name;
  st.leg_resource[call::leg_a] = holder.name; // the caller is the line's appearance
  logger().info("Call-ID {}: {} seizes line {}", st.call_id, holder.name, st.line_uri);
  self->request(line, lookup_timeout, std::move(e))
      .await(
          [self, ev, targets](const line_verdict& v) mutable {
            if (v.status >= 300) {
              targets.reject_status = v.status;
              start(self, ev, std::move(targets));
              return;
            }
            start_seizure(self, ev, std::move(targets));
          },
          [self, ev, targets](const caf::error&) mutable {
            targets.reject_status = 503;
            start(self, ev, std::move(targets));
          });
}

/// A call to a conference room (sip:<conference_prefix><room>@...): the
/// caller sits in its zone's part of the room (the zone of its resource,
/// else the node's), which answers from its bridge.
void join_conference(call_actor* self, const sip_request_event& ev,
                     call::call_targets targets, const std::string& room) {
  auto& st = self->state;
  const auto from = ev.msg->from();
  const auto who =
      from ? st.services->provisioning->resource_by_aor(from->uri_text) : std::nullopt;
  const std::string zone = who ? who->zone : st.services->node->zone;
  targets.zone = zone;
  const auto part = st.services->dir->lookup_or_spawn(
      {actor_kind::bridge, "conference:" + room + "@" + zone});
  if (!part) {
    targets.reject_status = 503;
    start(self, ev, std::move(targets));
    return;
  }
  self->request(
          part, lookup_timeout,
          conference_join{st.call_id, from ? std::string(from->uri_text) : std::string{}})
      .await(
          [self, ev, targets, part](const conference_seat& seat) mutable {
            if (seat.status != 200) {
              targets.reject_status = seat.status;
              start(self, ev, std::move(targets));
              return;
            }
            self->state.conference = part;
            start_hosted(self, ev, std::move(targets), seat.bridge, seat.leg);
          },
          [self, ev, targets](const caf::error&) mutable {
            targets.reject_status = 503;
            start(self, ev, std::move(targets));
          });
}

/// The targets of a call to resource `res`: its live contacts, with its
/// diversion (RFC 5806) resolved too: straight to the diversion target's
/// contacts when it diverts always; else the target's contacts kept for
/// busy, no answer or unavailable. Then `next(self, targets)`. A new call
/// and a number dialled on a seized line alike.
void resolve_resource(call_actor* self, call::call_targets targets,
                      const config::resource_def& res,
                      std::function<void(call_actor*, call::call_targets)> next) {
  const auto& prov = *self->state.services->provisioning;
  targets.zone = res.zone;
  const auto to =
      res.divert_to.empty() ? std::nullopt : prov.resource_by_aor(res.divert_to);
  if (to && diverts_on(res, "always")) {
    // Unconditional diversion: the call goes straight to the other
    // resource, found through its own zone's registrar.
    targets.zone = to->zone;
    targets.divert.from_aor = res.aor;
    targets.divert.to_aor = to->aor;
    targets.diverted_reason = "unconditional";
    resolve_user(self, std::move(targets), *to, std::move(next));
    return;
  }
  if (!to) {
    resolve_user(self, std::move(targets), res, std::move(next));
    return;
  }
  // Diversion on busy, no answer or unavailable: the diversion target's
  // contacts are looked up too (in its own zone), before the call starts.
  resolve_user(self, std::move(targets), res,
               [next, callee = res, target = *to](call_actor* me, call::call_targets t) {
                 t.divert.from_aor = callee.aor;
                 t.divert.to_aor = target.aor;
                 t.divert.on_busy = diverts_on(callee, "busy");
                 t.divert.on_no_answer = diverts_on(callee, "no_answer");
                 t.divert.on_unavailable = diverts_on(callee, "unavailable");
                 t.divert.no_answer_after = std::chrono::seconds{callee.divert_after_s};
                 auto callee_uris = std::exchange(t.uris, {});
                 const int callee_status = t.reject_status;
                 resolve_user(me, std::move(t), target,
                              [next, callee_status, callee_uris = std::move(callee_uris)](
                                  call_actor* me2, call::call_targets t2) {
                                // t2.uris: the diversion target's contacts.
                                t2.divert.uris = std::exchange(t2.uris, callee_uris);
                                t2.reject_status = callee_status;
                                next(me2, std::move(t2));
                              });
               });
}

} // namespace

/// Resolves the targets of a new call, then starts it. Lookups use
/// `await`: the call handles nothing else (a CANCEL waits) until its
/// targets are known.
void begin(call_actor* self, const sip_request_event& ev) {
  auto& st = self->state;
  st.stm = std::make_unique<call::call_stm>(make_config(*st.services), *st.ids);
  const auto& prov = *st.services->provisioning;
  const auto& ruri = ev.msg->request_uri();
  call::call_targets targets;
  st.leg_resource.assign(1, std::string{}); // leg 0: the caller

  if (const auto& prefix = st.services->node->media.conference_prefix;
      st.services->media != nullptr && !prefix.empty() &&
      ruri.user.size() > prefix.size() && ruri.user.substr(0, prefix.size()) == prefix) {
    join_conference(self, ev, std::move(targets),
                    std::string{ruri.user.substr(prefix.size())});
    return;
  }
  if (const auto line = line_for(prov, ruri)) {
    st.line_uri = line->uri;
    targets.line = line->uri;
    targets.zone = line->zone;
    if (const auto join = ev.msg->header("Join"); !join.empty()) {
      const auto target = line::parse_join(join);
      if (!target) {
        targets.reject_status = 400;
        start(self, ev, std::move(targets));
        return;
      }
      barge(self, ev, std::move(targets), *target);
      return;
    }
    if (const auto replaces = ev.msg->header("Replaces"); !replaces.empty()) {
      // Same grammar as Join (RFC 3891 §6.1 / RFC 3911 §7.1).
      const auto target = line::parse_join(replaces);
      if (!target) {
        targets.reject_status = 400;
        start(self, ev, std::move(targets));
        return;
      }
      retrieve(self, ev, std::move(targets), *target);
      return;
    }
    if (st.services->media != nullptr) {
      if (auto holder = holder_of(prov, *ev.msg, *line)) {
        seize_line(self, ev, std::move(targets), std::move(*holder));
        return;
      }
    }
    gather_line(self, ev, std::move(targets), prov.holders(line->uri), 0);
    return;
  }

  if (const auto res = resource_for(prov, ruri)) {
    resolve_resource(
        self, std::move(targets), *res,
        [ev](call_actor* me, call::call_targets t) { start(me, ev, std::move(t)); });
    return;
  }

  route_number(self, std::string{ruri.user}, std::move(targets),
               [ev](call_actor* me, call::call_targets t) { start(me, ev, std::move(t)); });
}

void route_number(call_actor* self, const std::string& number, call::call_targets targets,
                  std::function<void(call_actor*, call::call_targets)> next) {
  auto& st = self->state;
  const auto trunk =
      number.empty() ? std::nullopt : st.services->provisioning->trunk_for(number);
  if (!trunk) {
    targets.reject_status = 404;
    next(self, std::move(targets));
    return;
  }
  targets.trunk = trunk->name;
  targets.zone = trunk->zone;
  const auto zone = st.services->dir->lookup_or_spawn({actor_kind::zone, trunk->zone});
  if (!zone) {
    targets.reject_status = 503;
    next(self, std::move(targets));
    return;
  }
  std::string gateway = "sip:" + number + "@" + trunk->gateway_host + ":" +
                        std::to_string(trunk->gateway_port);
  if (trunk->transport == config::trunk_transport::tcp)
    gateway += ";transport=tcp";
  self->request(zone, lookup_timeout, trunk_admit{trunk->name})
      .await(
          [self, next, targets, gateway,
           zone_name = trunk->zone](const trunk_verdict& v) mutable {
            auto& s = self->state;
            if (v.admitted) {
              s.trunk = targets.trunk;
              s.trunk_zone = zone_name;
              targets.uris.push_back(gateway);
            } else {
              targets.reject_status = v.status == 0 ? 503 : v.status;
              targets.retry_after_s = v.retry_after_s;
            }
            next(self, std::move(targets));
          },
          [self, next, targets](const caf::error&) mutable {
            targets.reject_status = 503;
            next(self, std::move(targets));
          });
}

void route_dialled(call_actor* self, const std::string& number, call::call_targets targets,
                   std::function<void(call_actor*, call::call_targets)> next) {
  auto& st = self->state;
  const auto snapshot = st.services->provisioning->snapshot();
  if (const auto res = by_user(snapshot->resources, &config::resource_def::aor, number)) {
    logger().info("Call-ID {}: '{}' is the extension of {}", st.call_id, number, res->aor);
    resolve_resource(self, std::move(targets), *res, std::move(next));
    return;
  }
  route_number(self, number, std::move(targets), std::move(next));
}

} // namespace ringdown::actors::call_shell
