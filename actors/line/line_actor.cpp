// The shared-line actor (`line/<line-uri>`): the CAF shell over line_stm
// and the line's subscriptions (subscription_stm). Calls on the line tell
// it what happens (line_call_event); devices SUBSCRIBE to its dialog state
// and PUBLISH their own; every change is NOTIFYed to every subscriber, so
// the IDLE/BUSY/HELD lamps change on every desk at once.

#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

#include <caf/all.hpp>

#include "actors/engine/directory.hpp"
#include "actors/engine/engine_services.hpp"
#include "actors/engine/handover.hpp"
#include "actors/engine/protocol.hpp"
#include "actors/line/line_stm.hpp"
#include "actors/line/publish_request.hpp"
#include "actors/line/subscription_stm.hpp"
#include "base/ids.hpp"
#include "base/logging.hpp"
#include "net/sip/builder.hpp"
#include "storage/provisioning_store.hpp"

namespace ringdown::actors {

namespace {

using sub_timer_atom = caf::atom_constant<caf::atom("subtimer")>;
using seize_timer_atom = caf::atom_constant<caf::atom("seize")>;

/// Subscriptions one line keeps at most (devices x their refresh overlap).
constexpr std::size_t subscriptions_max = 1024;

spdlog::logger& logger() {
  static const auto lg = log::get("line.actor");
  return *lg;
}

struct subscription {
  std::unique_ptr<line::subscription_stm> stm;
  std::string resource;
  std::uint64_t timer_generation = 0;
};

struct line_state {
  static inline const char* name = "line";
  engine_services* services = nullptr;
  std::string uri;
  std::unique_ptr<rng> gen;
  std::unique_ptr<id_generator> ids;
  std::unique_ptr<line::line_stm> stm;
  line::subscription_config sub_cfg;
  std::map<std::string, subscription> subs; ///< by SUBSCRIBE Call-ID
  /// NOTIFY request id → the subscription's Call-ID.
  std::unordered_map<std::uint64_t, std::string> notifies;
  std::map<std::uint32_t, std::uint64_t> seize_timers; ///< appearance → generation
  std::uint64_t timer_seq = 0;
  /// The call actors that told us of their calls, by Call-ID: the line
  /// answers them by handle, wherever in the cluster they run.
  std::unordered_map<std::string, caf::actor> calls;
  /// The node the key moved to (key_moved): hand over once idle.
  std::string moved_to;
};

using line_actor = caf::stateful_actor<line_state>;

/// The provisioned resource that sent `req` (its From AOR), or "".
std::string sender_resource(const line_state& st, const sip::message& req) {
  const auto from = req.from();
  if (!from)
    return {};
  const auto r = st.services->provisioning->resource_by_aor(from->uri_text);
  return r ? r->name : std::string{};
}

void apply_sub(line_actor* self, const std::string& call_id, std::uint64_t tx,
               line::sub::effects fx);

void apply_line(line_actor* self, line::effects fx) {
  auto& st = self->state;
  for (auto& effect : fx) {
    std::visit(
        [&](auto& e) {
          using T = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<T, line::line_changed>) {
            logger().info("line {}: {} (version {})", st.uri,
                          line::to_string(e.snapshot.aggregate), e.snapshot.version);
            const auto now = st.services->clk->now();
            std::vector<std::string> ids;
            for (const auto& [id, s] : st.subs)
              ids.push_back(id);
            for (const auto& id : ids) {
              const auto it = st.subs.find(id);
              if (it != st.subs.end())
                apply_sub(self, id, 0, it->second.stm->on_line_changed(e, now));
            }
          } else if constexpr (std::is_same_v<T, line::arm_timer>) {
            const auto gen = ++st.timer_seq;
            st.seize_timers[e.appearance] = gen;
            const auto wait =
                std::max(duration::zero(), e.deadline - st.services->clk->now());
            self->delayed_send(self,
                               std::chrono::duration_cast<std::chrono::microseconds>(wait),
                               seize_timer_atom::value, e.appearance, gen);
          } else if constexpr (std::is_same_v<T, line::cancel_timer>) {
            st.seize_timers.erase(e.appearance);
          } else {
            // cancel_alerts, join_call, inform_parties: the call carries
            // them out.
            if (const auto it = st.calls.find(e.call_id); it != st.calls.end())
              caf::anon_send(it->second, std::move(e));
            else if (auto call = st.services->dir->find({actor_kind::dialog, e.call_id}))
              caf::anon_send(call, std::move(e));
          }
        },
        effect);
  }
}

void apply_sub(line_actor* self, const std::string& call_id, std::uint64_t tx,
               line::sub::effects fx) {
  auto& st = self->state;
  for (auto& effect : fx) {
    std::visit(
        [&](auto& e) {
          using T = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<T, line::sub::respond>) {
            st.services->port->respond(tx, std::move(e.msg));
          } else if constexpr (std::is_same_v<T, line::sub::send_notify>) {
            const auto target = sip::uri::parse(e.destination);
            const auto peer = target ? transport::peer_for(*target) : std::nullopt;
            if (!peer) {
              logger().warn("line {}: NOTIFY to '{}' not routable (Call-ID {})", st.uri,
                            e.destination, call_id);
              return;
            }
            caf::actor me = caf::actor_cast<caf::actor>(self);
            const auto id = st.services->port->send_request(
                std::move(e.msg), *peer,
                [me](sip_response_event ev) { caf::anon_send(me, std::move(ev)); });
            st.notifies[id] = call_id;
          } else if constexpr (std::is_same_v<T, line::sub::arm_timer>) {
            const auto it = st.subs.find(call_id);
            if (it == st.subs.end())
              return;
            const auto gen = ++st.timer_seq;
            it->second.timer_generation = gen;
            const auto wait =
                std::max(duration::zero(), e.deadline - st.services->clk->now());
            self->delayed_send(self,
                               std::chrono::duration_cast<std::chrono::microseconds>(wait),
                               sub_timer_atom::value, call_id, gen);
          } else if constexpr (std::is_same_v<T, line::sub::cancel_timer>) {
            if (const auto it = st.subs.find(call_id); it != st.subs.end())
              it->second.timer_generation = 0;
          } else if constexpr (std::is_same_v<T, line::sub::ended>) {
            logger().info("line {}: subscription Call-ID {} ended", st.uri, call_id);
            st.subs.erase(call_id);
          }
        },
        effect);
  }
}

void reply(line_state& st, const sip_request_event& ev, int status) {
  st.services->port->respond(
      ev.tx, sip::message_builder::response(*ev.msg, status,
                                            sip::message_builder::default_reason(status),
                                            st.ids->tag()));
}

void on_subscribe(line_actor* self, const sip_request_event& ev) {
  auto& st = self->state;
  const auto& req = *ev.msg;
  const std::string call_id{req.call_id()};
  auto it = st.subs.find(call_id);
  if (it == st.subs.end()) {
    const auto to = req.to();
    if (to && !to->tag().empty()) {
      reply(st, ev, 481); // a refresh of a subscription we do not have
      return;
    }
    // Only the line's holders see its lamps (RFC 7463 §5.1 leaves the
    // authorization policy to the notifier).
    const auto who = sender_resource(st, req);
    if (who.empty() || !st.stm->is_holder(who)) {
      logger().info("line {}: SUBSCRIBE from non-holder '{}' refused (Call-ID {})", st.uri,
                    who, call_id);
      reply(st, ev, 403);
      return;
    }
    if (st.subs.size() >= subscriptions_max) {
      reply(st, ev, 503);
      return;
    }
    subscription s;
    s.stm = std::make_unique<line::subscription_stm>(st.sub_cfg, *st.ids);
    s.resource = who;
    it = st.subs.emplace(call_id, std::move(s)).first;
    logger().info("line {}: {} subscribes (Call-ID {})", st.uri, who, call_id);
  }
  apply_sub(self, call_id, ev.tx,
            it->second.stm->on_subscribe(req, st.stm->snapshot(), st.services->clk->now()));
}

void on_publish(line_actor* self, const sip_request_event& ev) {
  auto& st = self->state;
  const auto& req = *ev.msg;
  const auto who = sender_resource(st, req);
  if (who.empty() || !st.stm->is_holder(who)) {
    reply(st, ev, 403);
    return;
  }
  const auto pr = line::read_publish(req);
  line::outcome o;
  if (pr.status == 200)
    o = st.stm->published(pr.info, who, pr.expires_s, st.services->clk->now());
  else
    o = line::refuse(pr.status, pr.reason);
  st.services->port->respond(ev.tx, line::publish_response(req, pr, o));
  apply_line(self, std::move(o.fx));
}

/// Idle: no appearance in use, no call known, no seize pending. A line
/// whose key moved hands over then: every subscriber is told to subscribe
/// again (it reaches the new owner) and the actor forwards late messages
/// for a while, then quits (forward_after_handover).
void hand_over_if_idle(line_actor* self) {
  auto& st = self->state;
  if (st.moved_to.empty() || !st.calls.empty() || !st.seize_timers.empty() ||
      st.stm->snapshot().aggregate != line::appearance_state::idle)
    return;
  logger().info("line {}: handed over to node {} ({} subscribers told)", st.uri,
                st.moved_to, st.subs.size());
  const auto now = st.services->clk->now();
  std::vector<std::string> ids;
  for (const auto& [id, sub] : st.subs)
    ids.push_back(id);
  for (const auto& id : ids)
    if (const auto it = st.subs.find(id); it != st.subs.end())
      apply_sub(self, id, 0, it->second.stm->deactivate(now));
  // Calls that looked the line up before the view changed are forwarded
  // to the new owner for a while; what belongs to this node (requests and
  // responses of its SIP stack, the line's timers) ends here.
  forward_after_handover(self, *st.services->dir, actor_key{actor_kind::line, st.uri},
                         caf::message_handler{
                             [self](const sip_request_event& ev) {
                               if (ev.msg->method() != sip::method::ack)
                                 reply(self->state, ev, 503);
                             },
                             [](const sip_response_event&) {},
                             [](sub_timer_atom, const std::string&, std::uint64_t) {},
                             [](seize_timer_atom, std::uint32_t, std::uint64_t) {},
                         });
}

line_verdict on_call_event(line_actor* self, const line_call_event& e) {
  auto& st = self->state;
  using kind = line_call_event::kind;
  if (e.what != kind::ended && e.what != kind::pick_up) {
    // A barger's call is known by its own Call-ID.
    const auto& id = e.what == kind::barge ? e.barger_call_id : e.call.call_id;
    if (auto sender = caf::actor_cast<caf::actor>(self->current_sender()))
      st.calls[id] = std::move(sender);
  }
  // A barge's or pick-up's tags are the ones its header claims: checked
  // against the known ones, never learned.
  if (e.what != kind::offered && e.what != kind::originated && e.what != kind::barge &&
      e.what != kind::pick_up)
    st.stm->learn_tags(e.call);
  line::outcome o;
  switch (e.what) {
  case kind::offered:
    o = st.stm->offered(e.call, e.alerted);
    break;
  case kind::originated:
    o = st.stm->originated(e.call, e.by);
    break;
  case kind::answered:
    o = st.stm->answered(e.call.call_id, e.by);
    break;
  case kind::held:
    o = st.stm->held(e.call.call_id, e.by, e.private_hold);
    break;
  case kind::retrieved:
    o = st.stm->retrieved(e.call.call_id, e.by);
    break;
  case kind::pick_up:
    o = st.stm->may_retrieve(e.call.call_id, e.by, e.call.local_tag, e.call.remote_tag);
    break;
  case kind::barge:
    o = st.stm->barge(e.call.call_id, e.by, e.barger_call_id, e.call.local_tag,
                      e.call.remote_tag);
    break;
  case kind::ended:
    o = st.stm->ended(e.call.call_id);
    break;
  }
  line_verdict v{o.status, o.reason, o.appearance};
  apply_line(self, std::move(o.fx));
  if (e.what == kind::ended) {
    st.calls.erase(e.call.call_id);
    hand_over_if_idle(self);
  }
  return v;
}

caf::behavior line_behavior(line_actor* self, actor_key key, engine_services* services) {
  auto& st = self->state;
  st.services = services;
  st.uri = key.name;
  st.gen = std::make_unique<rng>(actor_seed(*services, key));
  st.ids = std::make_unique<id_generator>(*st.gen, services->node->node_id);
  const auto def = services->provisioning->line(key.name);
  if (!def) {
    logger().warn("line {}: not provisioned", key.name);
    return {
        [self](const sip_request_event& ev) {
          if (ev.msg->method() != sip::method::ack)
            reply(self->state, ev, 404);
          self->quit();
        },
        [self](const line_call_event&) {
          self->quit();
          return line_verdict{404, "no such line", 0};
        },
    };
  }
  std::vector<std::string> holders;
  for (const auto& r : services->provisioning->holders(key.name))
    holders.push_back(r.name);
  st.stm = std::make_unique<line::line_stm>(*def, std::move(holders));
  st.sub_cfg.line_uri = def->uri;
  st.sub_cfg.local.contact_uri =
      "sip:" + services->local_host + ":" + std::to_string(services->local_port);
  st.sub_cfg.local.via_host = services->local_host;
  return {
      [self](const sip_request_event& ev) {
        switch (ev.msg->method()) {
        case sip::method::subscribe:
          on_subscribe(self, ev);
          break;
        case sip::method::publish:
          on_publish(self, ev);
          break;
        case sip::method::ack:
          break;
        default:
          reply(self->state, ev, 405);
        }
      },
      [self](const sip_response_event& ev) {
        auto& s = self->state;
        const auto it = s.notifies.find(ev.request);
        if (it == s.notifies.end() || ev.msg->status_code() < 200)
          return;
        const auto call_id = it->second;
        s.notifies.erase(it);
        if (const auto sub = s.subs.find(call_id); sub != s.subs.end())
          apply_sub(self, call_id, 0,
                    sub->second.stm->on_notify_response(ev.msg->status_code(),
                                                        s.services->clk->now()));
      },
      [self](const line_call_event& e) { return on_call_event(self, e); },
      [self](const key_moved& m) {
        self->state.moved_to = m.owner;
        hand_over_if_idle(self);
      },
      [self](sub_timer_atom, const std::string& call_id, std::uint64_t gen) {
        auto& s = self->state;
        const auto it = s.subs.find(call_id);
        if (it == s.subs.end() || it->second.timer_generation != gen)
          return;
        apply_sub(self, call_id, 0, it->second.stm->on_timer(s.services->clk->now()));
      },
      [self](seize_timer_atom, std::uint32_t appearance, std::uint64_t gen) {
        auto& s = self->state;
        const auto it = s.seize_timers.find(appearance);
        if (it == s.seize_timers.end() || it->second != gen)
          return;
        s.seize_timers.erase(it);
        apply_line(self, s.stm->on_timer(appearance, s.services->clk->now()).fx);
      },
  };
}

} // namespace

caf::actor spawn_line(caf::actor_system& sys, const actor_key& key,
                      engine_services& services) {
  return sys.spawn(line_behavior, key, &services);
}

} // namespace ringdown::actors
