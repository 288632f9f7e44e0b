// The call actor (`dialog/<call-id>`): the CAF shell of one B2BUA call over
// call::call_stm. Set-up (who the caller asked for) lives in
// call_actor_setup.cpp, the call's media bridge (its opening as the machine
// starts, and its events) in call_actor_media.cpp; this file carries out
// the machine's effects: SIP through the sip_port, timers as delayed
// messages, the CDR into the store, transfers with the other call actors.
// Every log line names the caller's Call-ID.

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>

#include "actors/call/call_actor_state.hpp"
#include "actors/call/call_cdr.hpp"
#include "actors/call/call_stm.hpp"
#include "actors/engine/directory.hpp"
#include "actors/engine/engine_services.hpp"
#include "actors/engine/protocol.hpp"
#include "base/ids.hpp"
#include "base/logging.hpp"
#include "config/config.hpp"
#include "config/provisioning.hpp"
#include "net/sip/builder.hpp"
#include "net/sip/scan.hpp"
#include "storage/binding_store.hpp"
#include "storage/cdr_writer.hpp"
#include "storage/provisioning_store.hpp"

namespace ringdown::actors {

namespace call_shell {

std::optional<transport::peer> parse_source(std::string_view text) {
  config::listen_address a;
  if (!config::listen_address::parse(text, a))
    return std::nullopt;
  return transport::peer{a.proto, a.host, a.port, 0};
}

} // namespace call_shell

namespace {

using namespace call_shell;

using timer_atom = caf::atom_constant<caf::atom("ctimer")>;
using linger_atom = caf::atom_constant<caf::atom("linger")>;

/// How long a finished call stays to absorb late responses to its last
/// requests (a BYE's 200) before its actor quits.
constexpr auto linger = std::chrono::seconds{2};

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

/// Where a request to `target` goes: the TCP/TLS flow a contact registered
/// over, the URI's own address, or — for a provisioned user's AOR (a
/// transfer target) — its live contact, read from the store (any zone may
/// read it). None: `failure` says why, as the final status the request
/// gets: 480 for a user with no live contact, 404 for a user of our realm
/// that is not provisioned, 416 for a URI that does not parse, 503 for a
/// host we cannot resolve (no DNS, RFC 3263).
std::optional<transport::peer> resolve(call_state& st, const std::string& target,
                                       int& failure) {
  failure = 503;
  if (const auto it = st.destinations.find(target); it != st.destinations.end())
    return it->second;
  const auto u = sip::uri::parse(target);
  if (!u) {
    failure = 416;
    return std::nullopt;
  }
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
    else
      failure = 480; // a known user with no live contact
    return std::nullopt;
  }
  if (sip::scan::iequals(u->host, st.services->provisioning->realm()))
    failure = 404;
  return std::nullopt;
}

/// Quits once the call is over and its last answers had time to arrive.
void maybe_linger(call_actor* self) {
  auto& st = self->state;
  if (st.lingering || !st.stm || st.stm->current() != call::call_stm::state::terminated)
    return;
  st.lingering = true;
  if (st.media) {
    st.stm->set_media(nullptr);
    st.media.reset();
  }
  self->delayed_send(self, linger, linger_atom::value);
}

void send_request(call_actor* self, call::send_request& e) {
  auto& st = self->state;
  int failure = 503;
  const auto peer = resolve(st, e.destination, failure);
  if (!peer) {
    logger().warn("Call-ID {}: cannot route to '{}': {}", st.call_id, e.destination,
                  failure);
    const auto refused = sip::message_builder::response(
        e.msg, failure, sip::message_builder::default_reason(failure));
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

void record_cdr(call_actor* self, call::call_summary summary) {
  auto& st = self->state;
  if (st.media) {
    // The bridge ends with the call: its legs' figures go into the CDR.
    st.stm->set_media(nullptr);
    for (const auto& [leg, q] : st.media->end())
      summary.media.push_back({leg, q.packets_received, q.packets_sent, q.packets_lost,
                               q.jitter_ms, q.rtt_ms.value_or(-1.0), q.mos});
    st.media.reset();
  }
  if (st.conference) {
    // The seat's leg is out of the bridge already.
    self->send(st.conference, conference_leave{st.call_id});
    st.conference = nullptr;
  }
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

/// Bound on the linked call's answer to a relayed request: its own client
/// transaction ends by 64*T1 (32 s, RFC 3261 §17.1.1.2).
constexpr auto linked_timeout = std::chrono::seconds{40};

/// Hands a request of this call's party to the linked call (relay_linked);
/// its answer, or 481/408 when there is none, goes back to call_stm.
void relay_linked(call_actor* self, const call::relay_linked& e) {
  auto& st = self->state;
  const auto relay = e.relay;
  const auto other = st.services->dir->find({actor_kind::dialog, e.call_id});
  if (!other) {
    apply(self, st.stm->on_linked_response(relay, 481, {}, {}, {}, now(st)));
    return;
  }
  self->request(other, linked_timeout, linked_request{relay, e.request})
      .then(
          [self, relay](const linked_answer& a) {
            auto& s = self->state;
            apply(self, s.stm->on_linked_response(relay, a.status, a.reason, a.content_type,
                                                  a.body, now(s)));
          },
          [self, relay](const caf::error&) {
            auto& s = self->state;
            apply(self, s.stm->on_linked_response(relay, 408, {}, {}, {}, now(s)));
          });
}

/// The answer of this call's party to a request the linked call relayed.
void answer_linked(call_state& st, call::answer_linked& e) {
  const auto it = std::find_if(st.linked_answers.begin(), st.linked_answers.end(),
                               [&](const auto& p) { return p.first == e.relay; });
  if (it == st.linked_answers.end())
    return;
  it->second.deliver(linked_answer{e.status, std::move(e.reason), std::move(e.content_type),
                                   std::move(e.body)});
  st.linked_answers.erase(it);
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
  if (const auto* a = st.stm->leg(call::leg_a); a != nullptr && a->dlg) {
    // The tags of the caller's dialog with us: what a device needs to
    // name the call in Join or Replaces (RFC 4235 local-tag, remote-tag).
    e.call.local_tag = a->dlg->id().local_tag;
    e.call.remote_tag = a->dlg->id().remote_tag;
  }
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
  case k::left: {
    // A barger hung up: its own call (its Call-ID) leaves the line's
    // appearance, which shows the parties without it.
    const auto* l = st.stm->leg(e.leg);
    if (st.line_uri.empty() || l == nullptr || !l->dlg)
      break;
    if (auto line = st.services->dir->lookup_or_spawn({actor_kind::line, st.line_uri})) {
      line_call_event left;
      left.what = line_call_event::kind::ended;
      left.call.call_id = l->dlg->id().call_id;
      logger().info("Call-ID {}: the barger of Call-ID {} left", st.call_id,
                    left.call.call_id);
      self->request(line, lookup_timeout, std::move(left)).then([](const line_verdict&) {});
    }
    break;
  }
  default:
    break;
  }
}

} // namespace

void call_shell::apply(call_actor* self, call::effects fx) {
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
            int ignored = 0;
            if (const auto peer = resolve(st, e.destination, ignored))
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
          } else if constexpr (std::is_same_v<T, call::relay_linked>) {
            relay_linked(self, e);
          } else if constexpr (std::is_same_v<T, call::answer_linked>) {
            answer_linked(st, e);
          }
        },
        effect);
  }
  if (st.media && st.stm && st.stm->current() == call::call_stm::state::confirmed) {
    auto talking = st.stm->joined();
    const auto pair = st.stm->pair();
    talking.insert(talking.end(), pair.begin(), pair.end());
    st.media->keep_only(talking);
  }
  maybe_linger(self);
}

namespace {

/// A device's INVITE another call's actor handed over (a pick-up or a
/// barge the line allowed): `join` makes it a new leg of this call, whose
/// resource is the device; 481 when this call has not started.
template <class Request>
void take_leg(call_actor* self, const Request& req,
              call::effects (call::call_stm::*join)(std::uint64_t, const sip::message&,
                                                    call::call_time)) {
  auto& s = self->state;
  if (!s.stm) {
    s.services->port->respond(req.invite.tx, sip::message_builder::response(
                                                 *req.invite.msg, 481, {}, s.ids->tag()));
    return;
  }
  const auto before = s.stm->leg_count();
  auto fx = ((*s.stm).*join)(req.invite.tx, *req.invite.msg, now(s));
  if (s.stm->leg_count() > before) {
    s.leg_resource.resize(s.stm->leg_count());
    s.leg_resource.back() = req.by;
  }
  apply(self, std::move(fx));
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
      [self](const linked_request& req) -> caf::result<linked_answer> {
        auto& s = self->state;
        if (!s.stm)
          return linked_answer{};
        auto rp = self->make_response_promise<linked_answer>();
        s.linked_answers.emplace_back(req.relay, rp);
        apply(self, s.stm->on_linked_request(req.relay, *req.request, now(s)));
        return rp;
      },
      [self](const pick_up_request& req) { take_leg(self, req, &call::call_stm::pick_up); },
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
        auto& s = self->state;
        logger().info("Call-ID {}: line event for the parties: {}", s.call_id, i.body);
        if (s.stm)
          apply(self, s.stm->announce(i.content_type, i.body));
      },
      [self](const barge_request& req) { take_leg(self, req, &call::call_stm::barge); },
      [self](const line::join_call& j) {
        logger().info("Call-ID {}: {} joins (Call-ID {})", self->state.call_id, j.resource,
                      j.barger_call_id);
      },
      [self](const rtp::media_event& e) { on_media(self, e); },
      [self](linger_atom) { self->quit(); },
  };
}

} // namespace

caf::actor spawn_call(caf::actor_system& sys, const actor_key& key,
                      engine_services& services) {
  return sys.spawn(call_behavior, key, &services);
}

} // namespace ringdown::actors
