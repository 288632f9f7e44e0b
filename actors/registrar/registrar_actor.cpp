// The registrar of one zone (`registrar/<zone>`): the CAF shell over
// registrar_stm. It is also the zone's authority over its resources'
// registration state (ARCHITECTURE.md §1 Active Resource Zone): the
// router hands it every REGISTER whose AOR belongs to the zone, with the
// request as received (every header, X- headers included).

#include <caf/all.hpp>

#include "actors/engine/directory.hpp"
#include "actors/engine/engine_services.hpp"
#include "actors/engine/handover.hpp"
#include "actors/engine/protocol.hpp"
#include "actors/registrar/registrar_stm.hpp"
#include "base/logging.hpp"
#include "net/sip/builder.hpp"
#include "storage/binding_store.hpp"
#include "storage/provisioning_store.hpp"

namespace ringdown::actors {

namespace {

using expire_atom = caf::atom_constant<caf::atom("expire")>;

spdlog::logger& logger() {
  static const auto lg = log::get("registrar");
  return *lg;
}

/// "udp:1.2.3.4:5060", the form bindings keep (config::listen_address).
std::string source_text(const transport::peer& p) {
  std::string out;
  switch (p.proto) {
  case transport::protocol::udp:
    out = "udp:";
    break;
  case transport::protocol::tcp:
    out = "tcp:";
    break;
  case transport::protocol::tls:
    out = "tls:";
    break;
  }
  if (p.host.find(':') != std::string::npos)
    out += '[' + p.host + ']';
  else
    out += p.host;
  out += ':' + std::to_string(p.port);
  return out;
}

registrar::registrar_config make_config(const engine_services& s) {
  registrar::registrar_config c;
  c.realm = s.provisioning->realm();
  const auto& r = s.node->registrar;
  c.min_expires_s = r.min_expires_s;
  c.max_expires_s = r.max_expires_s;
  c.default_expires_s = r.default_expires_s;
  c.challenge_algorithms.clear();
  std::string_view list = r.digest_algorithms;
  while (!list.empty()) {
    const auto comma = list.find(',');
    if (const auto a = registrar::parse_algorithm(list.substr(0, comma)))
      c.challenge_algorithms.push_back(*a);
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
  if (c.challenge_algorithms.empty())
    c.challenge_algorithms = {registrar::digest_algorithm::sha256,
                              registrar::digest_algorithm::md5};
  return c;
}

struct registrar_state {
  static inline const char* name = "registrar";
  engine_services* services = nullptr;
  std::string zone;
  std::unique_ptr<rng> gen;
  /// The resource of the AOR being handled: registrar_stm's lookup
  /// returns a pointer that must stay valid during one `handle`.
  std::optional<config::resource_def> looked_up;
  std::unique_ptr<registrar::registrar_stm> stm;
  std::uint64_t timer_generation = 0;
  bool handing_over = false; ///< a bindings hand-over awaits its answer
};

using registrar_actor = caf::stateful_actor<registrar_state>;

/// Persists changed AORs (synced); false on a storage error.
bool persist(registrar_state& st, const storage::aor_bindings& change) {
  const auto ec = change.bindings.empty()
                      ? st.services->bindings->erase(change.aor)
                      : st.services->bindings->put(change.aor, change.bindings);
  if (ec) {
    logger().error("cannot store the bindings of {}: {}", change.aor, ec.message());
    return false;
  }
  return true;
}

void arm_expiry(registrar_actor* self) {
  auto& st = self->state;
  const auto next = st.stm->next_expiry_ms();
  if (!next)
    return;
  const auto wait_ms = std::max<std::int64_t>(0, *next - st.services->clk->wall_ms());
  // One pending timer at a time: a later arm supersedes (generation).
  self->delayed_send(self, std::chrono::milliseconds{wait_ms + 1}, expire_atom::value,
                     ++st.timer_generation);
}

void apply_expiry(registrar_actor* self, registrar::expire_result result) {
  auto& st = self->state;
  for (const auto& change : result.changes) {
    if (persist(st, change))
      logger().info("bindings of {} expired: {} left", change.aor, change.bindings.size());
  }
  arm_expiry(self);
}

/// Loads this zone's persisted bindings (the store holds every zone's).
void restore(registrar_actor* self) {
  auto& st = self->state;
  std::error_code ec;
  std::size_t corrupt = 0;
  auto all = st.services->bindings->load_all(ec, corrupt);
  if (ec)
    logger().error("zone {}: cannot load bindings: {}", st.zone, ec.message());
  if (corrupt > 0)
    logger().warn("zone {}: {} corrupt binding records skipped", st.zone, corrupt);
  std::vector<storage::aor_bindings> mine;
  for (auto& record : all) {
    const auto owner = st.services->provisioning->resource_by_aor(record.aor);
    if (owner && owner->zone == st.zone)
      mine.push_back(std::move(record));
  }
  apply_expiry(self, st.stm->restore(std::move(mine), st.services->clk->wall_ms()));
  logger().info("zone {}: {} AORs with live bindings restored", st.zone,
                st.stm->aor_count());
}

void on_register(registrar_actor* self, const sip_request_event& ev) {
  auto& st = self->state;
  const auto& req = *ev.msg;
  const auto now = st.services->clk->now();
  const auto wall = st.services->clk->wall_ms();
  if (logger().should_log(spdlog::level::debug)) {
    // The request as the zone received it: custom headers included.
    std::string custom;
    for (const auto& f : req.fields()) {
      const auto name = req.name_of(f);
      if (name.size() > 2 && (name[0] == 'X' || name[0] == 'x') && name[1] == '-')
        custom += fmt::format(" {}: {}", name, req.value_of(f));
    }
    logger().debug("registrar {}: REGISTER Call-ID {} from {}{}", st.zone, req.call_id(),
                   source_text(ev.source), custom);
  }
  auto result = st.stm->handle(req, source_text(ev.source), now, wall);
  st.looked_up.reset();
  if (result.change) {
    if (!persist(st, *result.change)) {
      logger().error("REGISTER Call-ID {}: bindings not stored, 500", req.call_id());
      const auto to = result.response.to();
      auto failed = sip::message_builder::response(req, 500, "Server Internal Error",
                                                   to ? to->tag() : std::string_view{});
      st.services->port->respond(ev.tx, std::move(failed));
      return;
    }
    st.stm->commit(*result.change);
    logger().info("REGISTER Call-ID {}: {} has {} contacts", req.call_id(),
                  result.change->aor, result.change->bindings.size());
    arm_expiry(self);
  } else {
    logger().debug("REGISTER Call-ID {}: {} {}", req.call_id(),
                   result.response.status_code(), registrar::to_string(result.outcome));
  }
  st.services->port->respond(ev.tx, std::move(result.response));
}

/// The zone's registrar now belongs to node `owner`: its bindings go
/// there (stored and live at once), then they are dropped here and the
/// actor quits. Until the new owner confirms, this one keeps serving.
void hand_over(registrar_actor* self, const std::string& owner) {
  auto& st = self->state;
  if (st.handing_over)
    return; // one hand-over at a time; a failed one may be retried
  st.handing_over = true;
  std::error_code ec;
  std::size_t corrupt = 0;
  auto all = st.services->bindings->load_all(ec, corrupt);
  if (ec) {
    logger().error("zone {}: cannot load bindings to hand over: {}", st.zone, ec.message());
    st.handing_over = false;
    return;
  }
  bindings_handover h;
  for (auto& record : all) {
    const auto res = st.services->provisioning->resource_by_aor(record.aor);
    if (res && res->zone == st.zone)
      h.aors.push_back(std::move(record));
  }
  const auto next = st.services->dir->lookup_or_spawn({actor_kind::registrar, st.zone});
  if (!next || next.address() == self->address()) {
    logger().warn("zone {}: registrar of node {} unreachable: bindings stay here", st.zone,
                  owner);
    st.handing_over = false;
    return;
  }
  std::vector<std::string> aors;
  for (const auto& a : h.aors)
    aors.push_back(a.aor);
  self->request(next, std::chrono::seconds{5}, std::move(h))
      .then(
          [self, owner, aors](std::uint64_t stored) {
            auto& s = self->state;
            for (const auto& aor : aors)
              if (const auto erased = s.services->bindings->erase(aor))
                logger().warn("zone {}: {} not erased after hand-over: {}", s.zone, aor,
                              erased.message());
            logger().info(
                "zone {}: registrar handed over to node {} ({} of {} AORs stored)", s.zone,
                owner, stored, aors.size());
            forward_after_handover(
                self, *s.services->dir, actor_key{actor_kind::registrar, s.zone},
                caf::message_handler{
                    [self](const sip_request_event& ev) {
                      // A REGISTER handed to us as the view changed: the
                      // device retries (RFC 3261 §21.5.4) and reaches the
                      // new owner.
                      if (ev.msg->method() == sip::method::ack)
                        return;
                      auto r = sip::message_builder::response(
                          *ev.msg, 503, "Service Unavailable",
                          fmt::format("{:016x}", (*self->state.gen)()));
                      r.append_header("Retry-After", "1");
                      self->state.services->port->respond(ev.tx, std::move(r));
                    },
                    [](expire_atom, std::uint64_t) {},
                });
          },
          [self, owner](const caf::error& err) {
            self->state.handing_over = false;
            logger().warn("zone {}: hand-over to node {} failed ({}): bindings stay here",
                          self->state.zone, owner, self->system().render(err));
          });
}

caf::behavior registrar_behavior(registrar_actor* self, actor_key key,
                                 engine_services* services) {
  auto& st = self->state;
  st.services = services;
  st.zone = key.name;
  st.gen = std::make_unique<rng>(actor_seed(*services, key));
  st.stm = std::make_unique<registrar::registrar_stm>(
      make_config(*services),
      [self](std::string_view aor) -> const config::resource_def* {
        auto& s = self->state;
        s.looked_up = s.services->provisioning->resource_by_aor(aor);
        return s.looked_up ? &*s.looked_up : nullptr;
      },
      *st.gen);
  restore(self);
  return {
      [self](const sip_request_event& ev) {
        if (ev.msg->method() == sip::method::register_) {
          on_register(self, ev);
          return;
        }
        if (ev.msg->method() == sip::method::ack)
          return;
        auto& s = self->state;
        auto r = sip::message_builder::response(*ev.msg, 405, "Method Not Allowed",
                                                fmt::format("{:016x}", (*s.gen)()));
        r.append_header("Allow", "REGISTER");
        s.services->port->respond(ev.tx, std::move(r));
      },
      [self](const contacts_query& q) {
        auto& s = self->state;
        contacts_reply reply;
        if (const auto owner = s.services->provisioning->resource_by_aor(q.aor)) {
          reply.known = true;
          reply.resource = owner->name;
          reply.bindings = s.stm->lookup(q.aor, s.services->clk->wall_ms());
        }
        return reply;
      },
      [self](const key_moved& m) { hand_over(self, m.owner); },
      [self](const bindings_handover& h) {
        auto& s = self->state;
        std::uint64_t stored = 0;
        for (const auto& change : h.aors) {
          if (!persist(s, change))
            continue;
          s.stm->commit(change);
          ++stored;
        }
        logger().info("zone {}: {} AORs handed over to this node", s.zone, stored);
        arm_expiry(self);
        return stored;
      },
      [self](expire_atom, std::uint64_t generation) {
        auto& s = self->state;
        if (generation != s.timer_generation)
          return;
        apply_expiry(self, s.stm->expire(s.services->clk->wall_ms()));
      },
  };
}

} // namespace

caf::actor spawn_registrar(caf::actor_system& sys, const actor_key& key,
                           engine_services& services) {
  return sys.spawn(registrar_behavior, key, &services);
}

} // namespace ringdown::actors
