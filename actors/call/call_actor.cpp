// The call actor (`dialog/<call-id>`): the CAF shell of one B2BUA call over
// call::call_stm. It resolves who the caller asked for (a registered user
// through its zone's registrar, a number through a trunk admitted by the
// trunk's zone, a shared line through its holders), starts the machine and
// then carries out its effects: SIP through the sip_port, timers as
// delayed messages, the CDR into the store, transfers with the other call
// actors. Every log line names the caller's Call-ID.

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <unordered_map>

#include <caf/all.hpp>

#include "actors/call/call_cdr.hpp"
#include "actors/call/call_stm.hpp"
#include "actors/engine/directory.hpp"
#include "actors/engine/engine_services.hpp"
#include "actors/engine/protocol.hpp"
#include "actors/line/join_header.hpp"
#include "base/ids.hpp"
#include "base/logging.hpp"
#include "config/config.hpp"
#include "config/provisioning.hpp"
#include "net/sip/builder.hpp"
#include "storage/binding_store.hpp"
#include "storage/cdr_writer.hpp"
#include "storage/provisioning_store.hpp"

namespace ringdown::actors {

namespace {

using timer_atom = caf::atom_constant<caf::atom("ctimer")>;
using linger_atom = caf::atom_constant<caf::atom("linger")>;

/// How long a finished call stays to absorb late responses to its last
/// requests (a BYE's 200) before its actor quits.
constexpr auto linger = std::chrono::seconds{2};
/// Bound on a registrar or zone answer during call set-up.
constexpr auto lookup_timeout = std::chrono::seconds{2};

spdlog::logger& logger() {
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
  std::string trunk;                     ///< admitted trunk, released when the CDR is out
  std::string trunk_zone;
  bool lingering = false;
};

using call_actor = caf::stateful_actor<call_state>;

/// Records generation `gen` of timer (kind, leg); 0 forgets the timer.
void set_timer(call_state& st, std::uint8_t kind, call::leg_id leg, std::uint64_t gen) {
  const auto it = std::find_if(st.timers.begin(), st.timers.end(), [&](const auto& a) {
    return a.kind == kind && a.leg == leg;
  });
  if (gen == 0) {
    if (it != st.timers.end())
      st.timers.erase(it);
  } else if (it != st.timers.end()) {
    it->gen = gen;
  } else {
    st.timers.push_back({kind, leg, gen});
  }
}

call::call_time now(const call_state& st) {
  return {st.services->clk->now(), st.services->clk->wall_ms()};
}

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
  return c;
}

/// "udp:1.2.3.4:5060" (a binding's source) → peer.
std::optional<transport::peer> parse_source(std::string_view text) {
  config::listen_address a;
  if (!config::listen_address::parse(text, a))
    return std::nullopt;
  return transport::peer{a.proto, a.host, a.port, 0};
}

std::optional<config::resource_def> resource_for(const storage::provisioning_store& prov,
                                                 const sip::uri& ruri);

/// Where a request to `target` goes: the TCP/TLS flow a contact registered
/// over, the URI's own address, or — for a provisioned user's AOR (a
/// transfer target) — its live contact, read from the store (any zone may
/// read it).
std::optional<transport::peer> resolve(call_state& st, const std::string& target) {
  if (const auto it = st.destinations.find(target); it != st.destinations.end())
    return it->second;
  const auto u = sip::uri::parse(target);
  if (!u)
    return std::nullopt;
  // An address (a registered contact, a dialog's remote target) is used
  // as it is: a user's several contacts are several destinations.
  if (auto direct = transport::peer_for(*u))
    return direct;
  // A host name: a provisioned user's AOR (a transfer target) is reached
  // at its live contact; anything else would need RFC 3263 (no DNS).
  if (const auto res = resource_for(*st.services->provisioning, *u)) {
    std::error_code ec;
    const auto canonical = config::canonical_uri(res->aor);
    const auto list = st.services->bindings->get(canonical ? *canonical : res->aor, ec);
    const auto now_ms = st.services->clk->wall_ms();
    for (const auto& b : list) {
      if (b.expires_at_ms <= now_ms)
        continue;
      auto peer = parse_source(b.source);
      if (!peer || !transport::is_reliable(peer->proto)) {
        const auto contact = sip::uri::parse(b.contact);
        peer = contact ? transport::peer_for(*contact) : std::nullopt;
      }
      if (peer) {
        st.destinations.emplace(target, *peer);
        return peer;
      }
    }
    if (ec)
      logger().warn("Call-ID {}: bindings of {} unreadable: {}", st.call_id, res->aor,
                    ec.message());
    return std::nullopt; // a known user with no live contact
  }
  return std::nullopt;
}

void apply(call_actor* self, call::effects fx);

/// Quits once the call is over and its last answers had time to arrive.
void maybe_linger(call_actor* self) {
  auto& st = self->state;
  if (st.lingering || !st.stm || st.stm->current() != call::call_stm::state::terminated)
    return;
  st.lingering = true;
  self->delayed_send(self, linger, linger_atom::value);
}

void send_request(call_actor* self, call::send_request& e) {
  auto& st = self->state;
  const auto peer = resolve(st, e.destination);
  if (!peer) {
    logger().warn("Call-ID {}: cannot route to '{}': 503", st.call_id, e.destination);
    const auto refused = sip::message_builder::response(e.msg, 503, "Service Unavailable");
    apply(self, st.stm->on_response(e.request, refused, now(st)));
    return;
  }
  caf::actor me = caf::actor_cast<caf::actor>(self);
  const auto id =
      st.services->port->send_request(std::move(e.msg), *peer, [me](sip_response_event ev) {
        caf::anon_send(me, std::move(ev));
      });
  st.requests.push_back({id, e.request});
}

void record_cdr(call_actor* self, const call::call_summary& summary) {
  auto& st = self->state;
  logger().info("Call-ID {}: ended {} {} {} -> {} billable {} s", summary.call_id,
                call::to_string(summary.disposition), summary.final_status, summary.from,
                summary.to, summary.billable_s);
  if (!st.services->cdr_log->submit(to_cdr(summary)))
    logger().error("Call-ID {}: CDR not queued", summary.call_id);
  if (!st.trunk.empty()) {
    if (auto zone = st.services->dir->find({actor_kind::zone, st.trunk_zone}))
      caf::anon_send(zone, trunk_release{st.trunk});
    st.trunk.clear();
  }
}

void join(call_actor* self, const call::join_replaces& j) {
  auto& st = self->state;
  const auto other = st.services->dir->find({actor_kind::dialog, j.replaces_call_id});
  if (!other) {
    apply(self, st.stm->transfer_result(481, {}, now(st)));
    return;
  }
  join_request req{j.from_call_id, j.replaces_call_id, j.replaces_to_tag,
                   j.replaces_from_tag, j.transferee_sdp};
  self->request(other, lookup_timeout, std::move(req))
      .then(
          [self](const join_result& r) {
            auto& s = self->state;
            apply(self, s.stm->transfer_result(r.status, r.sdp, now(s)));
          },
          [self](const caf::error&) {
            auto& s = self->state;
            apply(self, s.stm->transfer_result(481, {}, now(s)));
          });
}

/// Tells the call's shared line what happened (line_call_event).
void tell_line(call_actor* self, line_call_event::kind what, call::leg_id leg) {
  auto& st = self->state;
  if (st.line_uri.empty())
    return;
  const auto line = st.services->dir->lookup_or_spawn({actor_kind::line, st.line_uri});
  if (!line)
    return;
  line_call_event e;
  e.what = what;
  e.call.call_id = st.call_id;
  e.call.remote_uri = st.stm->summary().from;
  e.by = leg < st.leg_resource.size() ? st.leg_resource[leg] : std::string{};
  if (what != line_call_event::kind::ended && e.by.empty())
    return; // the caller's side is not an appearance of the line
  self->request(line, lookup_timeout, std::move(e))
      .then([self, what](const line_verdict& v) {
        if (v.status >= 300)
          logger().info("Call-ID {}: line refused {}: {} {}", self->state.call_id,
                        static_cast<int>(what), v.status, v.reason);
      });
}

void on_call_event(call_actor* self, const call::call_event& e) {
  auto& st = self->state;
  logger().debug("Call-ID {}: {} (leg {})", st.call_id, call::to_string(e.kind), e.leg);
  using k = call::call_event_kind;
  switch (e.kind) {
  case k::answered:
    tell_line(self, line_call_event::kind::answered, e.leg);
    break;
  case k::held:
    tell_line(self, line_call_event::kind::held, e.leg);
    break;
  case k::resumed:
    tell_line(self, line_call_event::kind::retrieved, e.leg);
    break;
  case k::ended:
    tell_line(self, line_call_event::kind::ended, e.leg);
    break;
  default:
    break;
  }
}

void apply(call_actor* self, call::effects fx) {
  auto& st = self->state;
  auto* port = st.services->port;
  for (auto& effect : fx) {
    std::visit(
        [&](auto& e) {
          using T = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<T, call::respond>) {
            port->respond(e.tx, std::move(e.msg));
          } else if constexpr (std::is_same_v<T, call::send_request>) {
            send_request(self, e);
          } else if constexpr (std::is_same_v<T, call::send_ack>) {
            if (const auto peer = resolve(st, e.destination))
              port->send_stateless(std::move(e.msg), *peer);
          } else if constexpr (std::is_same_v<T, call::cancel_request>) {
            for (const auto& r : st.requests)
              if (r.stm == e.request)
                port->cancel(r.port);
          } else if constexpr (std::is_same_v<T, call::arm_timer>) {
            const auto gen = ++st.timer_seq;
            set_timer(st, static_cast<std::uint8_t>(e.name.kind), e.name.leg, gen);
            const auto wait =
                std::max(duration::zero(), e.deadline - st.services->clk->now());
            self->delayed_send(
                self, std::chrono::duration_cast<std::chrono::microseconds>(wait),
                timer_atom::value, static_cast<std::uint8_t>(e.name.kind), e.name.leg, gen);
          } else if constexpr (std::is_same_v<T, call::cancel_timer>) {
            set_timer(st, static_cast<std::uint8_t>(e.name.kind), e.name.leg, 0);
          } else if constexpr (std::is_same_v<T, call::bind_call_id>) {
            if (!st.services->dir->bind({actor_kind::dialog, e.call_id},
                                        caf::actor_cast<caf::actor>(self)))
              logger().warn("Call-ID {}: B-leg Call-ID {} already bound", st.call_id,
                            e.call_id);
          } else if constexpr (std::is_same_v<T, call::call_event>) {
            on_call_event(self, e);
          } else if constexpr (std::is_same_v<T, call::cdr_ready>) {
            record_cdr(self, e.summary);
          } else if constexpr (std::is_same_v<T, call::join_replaces>) {
            join(self, e);
          } else if constexpr (std::is_same_v<T, call::hangup_linked>) {
            if (auto other = st.services->dir->find({actor_kind::dialog, e.call_id}))
              caf::anon_send(other, hangup_request{"linked call ended"});
          }
        },
        effect);
  }
  maybe_linger(self);
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

/// The resource a Request-URI names: its AOR as written, else by user.
std::optional<config::resource_def> resource_for(const storage::provisioning_store& prov,
                                                 const sip::uri& ruri) {
  if (auto r = prov.resource_by_aor(ruri.text))
    return r;
  const auto snapshot = prov.snapshot();
  return by_user(snapshot->resources, &config::resource_def::aor, ruri.user);
}

/// The shared line a Request-URI names: its URI as written, else by user.
std::optional<config::line_def> line_for(const storage::provisioning_store& prov,
                                         const sip::uri& ruri) {
  if (auto l = prov.line(ruri.text))
    return l;
  const auto snapshot = prov.snapshot();
  return by_user(snapshot->lines, &config::line_def::uri, ruri.user);
}

void start(call_actor* self, const sip_request_event& ev, call::call_targets targets);

bool diverts_on(const config::resource_def& r, std::string_view condition) {
  return std::find(r.divert_on.begin(), r.divert_on.end(), condition) != r.divert_on.end();
}

/// Adds the live contacts of `user` (asked of the registrar of the user's
/// zone: any zone may read a resource) to `targets.uris`, then calls
/// `next`. With no contact the reject status is 480 (known, not
/// registered: §21.4.18); a registrar that cannot answer makes it 503.
/// `await`: the call handles nothing else (a CANCEL waits) meanwhile.
template <class Next>
void resolve_user(call_actor* self, const sip_request_event& ev, call::call_targets targets,
                  const config::resource_def& user, Next next) {
  auto& st = self->state;
  const auto registrar =
      st.services->dir->lookup_or_spawn({actor_kind::registrar, user.zone});
  if (!registrar) {
    targets.reject_status = 503;
    next(self, ev, std::move(targets));
    return;
  }
  self->request(registrar, lookup_timeout, contacts_query{user.aor})
      .await(
          [self, ev, targets, next](const contacts_reply& reply) mutable {
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
            next(self, ev, std::move(targets));
          },
          [self, ev, targets, next](const caf::error& err) mutable {
            logger().warn("Call-ID {}: registrar lookup failed: {}", self->state.call_id,
                          caf::to_string(err));
            targets.reject_status = 503;
            next(self, ev, std::move(targets));
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
/// gives them; an allowed request goes to `allowed`, or — a barge, which
/// needs the media bridge to join the audio (ARCHITECTURE.md §3) — is
/// answered 501 until the bridge lands.
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

/// A barge: RFC 3911 Join naming a call on the line.
void barge(call_actor* self, const sip_request_event& ev, call::call_targets targets,
           const line::join_target& join) {
  line_call_event e;
  e.what = line_call_event::kind::barge;
  e.call.call_id = join.call_id;
  e.barger_call_id = self->state.call_id;
  ask_line(self, ev, std::move(targets), std::move(e));
}

/// The line allowed a pick-up: the held call (dialog/<its Call-ID>) takes
/// the picker's INVITE as a new leg (call_stm::pick_up). This actor, keyed
/// by the picker's Call-ID, then only forwards the picker's later requests
/// (ACK, CANCEL, BYE, re-INVITE) to that call, and quits with it.
void hand_over(call_actor* self, const sip_request_event& ev, call::call_targets targets,
               const line_call_event& e) {
  auto& st = self->state;
  const auto held = st.services->dir->find({actor_kind::dialog, e.call.call_id});
  if (!held) {
    targets.reject_status = 481;
    start(self, ev, std::move(targets));
    return;
  }
  logger().info("Call-ID {}: {} picks up the held call {}", st.call_id, e.by,
                e.call.call_id);
  self->send(held, pick_up_request{ev, e.by});
  self->monitor(held);
  self->set_down_handler([self](const caf::down_msg&) { self->quit(); });
  self->become([self, held](const sip_request_event& later) { self->send(held, later); });
}

/// A pick-up of a held call of the line (RFC 7463 §5.3: INVITE to the
/// line with Replaces naming the held dialog).
void retrieve(call_actor* self, const sip_request_event& ev, call::call_targets targets,
              const line::join_target& held) {
  line_call_event e;
  e.what = line_call_event::kind::pick_up;
  e.call.call_id = held.call_id;
  ask_line(self, ev, std::move(targets), std::move(e), hand_over);
}

void start(call_actor* self, const sip_request_event& ev, call::call_targets targets) {
  auto& st = self->state;
  targets.zone = targets.zone.empty() ? st.services->node->zone : targets.zone;
  targets.node = st.services->node->node_id;
  apply(self, st.stm->start(ev.tx, *ev.msg, targets, now(st)));
}

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
    gather_line(self, ev, std::move(targets), prov.holders(line->uri), 0);
    return;
  }

  if (const auto res = resource_for(prov, ruri)) {
    targets.zone = res->zone;
    const auto to =
        res->divert_to.empty() ? std::nullopt : prov.resource_by_aor(res->divert_to);
    if (to && diverts_on(*res, "always")) {
      // Unconditional diversion: the call goes straight to the other
      // resource, found through its own zone's registrar.
      targets.zone = to->zone;
      targets.divert.from_aor = res->aor;
      targets.divert.to_aor = to->aor;
      targets.diverted_reason = "unconditional";
      resolve_user(self, ev, std::move(targets), *to, start);
      return;
    }
    if (!to) {
      resolve_user(self, ev, std::move(targets), *res, start);
      return;
    }
    // Diversion on busy, no answer or unavailable: the diversion target's
    // contacts are looked up too (in its own zone), before the call starts.
    resolve_user(self, ev, std::move(targets), *res,
                 [callee = *res, target = *to](call_actor* me, const sip_request_event& e,
                                               call::call_targets t) {
                   t.divert.from_aor = callee.aor;
                   t.divert.to_aor = target.aor;
                   t.divert.on_busy = diverts_on(callee, "busy");
                   t.divert.on_no_answer = diverts_on(callee, "no_answer");
                   t.divert.on_unavailable = diverts_on(callee, "unavailable");
                   t.divert.no_answer_after = std::chrono::seconds{callee.divert_after_s};
                   auto callee_uris = std::exchange(t.uris, {});
                   const int callee_status = t.reject_status;
                   resolve_user(me, e, std::move(t), target,
                                [callee_status, callee_uris = std::move(callee_uris)](
                                    call_actor* me2, const sip_request_event& e2,
                                    call::call_targets t2) {
                                  // t2.uris: the diversion target's contacts.
                                  t2.divert.uris = std::exchange(t2.uris, callee_uris);
                                  t2.reject_status = callee_status;
                                  start(me2, e2, std::move(t2));
                                });
                 });
    return;
  }

  const auto number = std::string{ruri.user};
  const auto trunk = number.empty() ? std::nullopt : prov.trunk_for(number);
  if (!trunk) {
    targets.reject_status = 404;
    start(self, ev, std::move(targets));
    return;
  }
  targets.trunk = trunk->name;
  targets.zone = trunk->zone;
  const auto zone = st.services->dir->lookup_or_spawn({actor_kind::zone, trunk->zone});
  if (!zone) {
    targets.reject_status = 503;
    start(self, ev, std::move(targets));
    return;
  }
  std::string gateway = "sip:" + number + "@" + trunk->gateway_host + ":" +
                        std::to_string(trunk->gateway_port);
  if (trunk->transport == config::trunk_transport::tcp)
    gateway += ";transport=tcp";
  self->request(zone, lookup_timeout, trunk_admit{trunk->name})
      .await(
          [self, ev, targets, gateway,
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
            start(self, ev, std::move(targets));
          },
          [self, ev, targets](const caf::error&) mutable {
            targets.reject_status = 503;
            start(self, ev, std::move(targets));
          });
}

caf::behavior call_behavior(call_actor* self, actor_key key, engine_services* services) {
  auto& st = self->state;
  st.services = services;
  st.call_id = key.name;
  st.gen = std::make_unique<rng>(actor_seed(*services, key));
  st.ids = std::make_unique<id_generator>(*st.gen, services->node->node_id);
  return {
      [self](const sip_request_event& ev) {
        auto& s = self->state;
        if (!s.stm) {
          const auto to = ev.msg->to();
          if (ev.msg->method() != sip::method::invite || (to && !to->tag().empty())) {
            if (ev.msg->method() != sip::method::ack)
              s.services->port->respond(
                  ev.tx, sip::message_builder::response(*ev.msg, 481, {}, s.ids->tag()));
            self->quit();
            return;
          }
          begin(self, ev);
          return;
        }
        apply(self, s.stm->on_request(ev.tx, ev.cancels, *ev.msg, now(s)));
      },
      [self](const sip_response_event& ev) {
        auto& s = self->state;
        const auto it = std::find_if(s.requests.begin(), s.requests.end(),
                                     [&](const auto& r) { return r.port == ev.request; });
        if (it == s.requests.end() || !s.stm)
          return;
        apply(self, s.stm->on_response(it->stm, *ev.msg, now(s)));
      },
      [self](timer_atom, std::uint8_t kind, call::leg_id leg, std::uint64_t gen) {
        auto& s = self->state;
        const auto it = std::find_if(s.timers.begin(), s.timers.end(), [&](const auto& a) {
          return a.kind == kind && a.leg == leg;
        });
        if (it == s.timers.end() || it->gen != gen || !s.stm)
          return;
        s.timers.erase(it);
        apply(self, s.stm->on_timer({static_cast<call::timer_kind>(kind), leg}, now(s)));
      },
      [self](const join_request& req) {
        auto& s = self->state;
        if (!s.stm)
          return join_result{};
        call::join_replaces j{req.from_call_id,    req.replaces_call_id,
                              req.replaces_to_tag, req.replaces_from_tag,
                              call::leg_a,         req.transferee_sdp};
        call::effects out;
        const auto sdp = s.stm->replace_leg(j, now(s), out);
        apply(self, std::move(out));
        return sdp ? join_result{200, *sdp} : join_result{};
      },
      [self](const pick_up_request& req) {
        auto& s = self->state;
        if (!s.stm) {
          s.services->port->respond(
              req.invite.tx,
              sip::message_builder::response(*req.invite.msg, 481, {}, s.ids->tag()));
          return;
        }
        const auto before = s.stm->leg_count();
        auto fx = s.stm->pick_up(req.invite.tx, *req.invite.msg, now(s));
        if (s.stm->leg_count() > before) {
          s.leg_resource.resize(s.stm->leg_count());
          s.leg_resource.back() = req.by;
        }
        apply(self, std::move(fx));
      },
      [self](const hangup_request& req) {
        auto& s = self->state;
        if (!s.stm)
          return;
        logger().info("Call-ID {}: hang-up: {}", s.call_id, req.reason);
        apply(self, s.stm->hangup(now(s)));
      },
      [self](const line::cancel_alerts& c) {
        // The other appearances' forks: call_stm CANCELs them itself when
        // the first answer wins.
        logger().debug("Call-ID {}: line seized, {} alerts cancelled", self->state.call_id,
                       c.resources.size());
      },
      [self](const line::inform_parties& i) {
        logger().info("Call-ID {}: line event for the parties: {}", self->state.call_id,
                      i.body);
      },
      [self](const line::join_call& j) {
        logger().info("Call-ID {}: {} joins (Call-ID {})", self->state.call_id, j.resource,
                      j.barger_call_id);
      },
      [self](linger_atom) { self->quit(); },
  };
}

} // namespace

caf::actor spawn_call(caf::actor_system& sys, const actor_key& key,
                      engine_services& services) {
  return sys.spawn(call_behavior, key, &services);
}

} // namespace ringdown::actors
