// registrar_stm: the binding table (RFC 3261 §10.3 steps 6-8), lookup,
// expiry and restore.
#include <algorithm>
#include <cmath>

#include "actors/registrar/registrar_stm.hpp"
#include "base/assert.hpp"

namespace ringdown::registrar {
namespace {

std::string unquote(std::string_view v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"')
    v = v.substr(1, v.size() - 2);
  return std::string{v};
}

/// Same binding: same instance and reg-id when the UA sent +sip.instance
/// (RFC 5626 §6), else equivalent Contact URIs (RFC 3261 §10.3 step 7).
bool same_binding(const storage::binding& a, const storage::binding& b) {
  if (!a.instance.empty() || !b.instance.empty())
    return a.instance == b.instance && a.reg_id == b.reg_id;
  const auto ua = sip::uri::parse(a.contact);
  const auto ub = sip::uri::parse(b.contact);
  if (ua && ub)
    return sip::equivalent(*ua, *ub);
  return a.contact == b.contact;
}

void drop_expired(std::vector<storage::binding>& list, std::int64_t wall_ms,
                  bool& changed) {
  const auto n = list.size();
  std::erase_if(list,
                [&](const storage::binding& b) { return b.expires_at_ms <= wall_ms; });
  changed = changed || list.size() != n;
}

} // namespace

std::optional<registrar_stm::reply>
registrar_stm::update(const sip::message& req, std::string_view source,
                      std::int64_t wall_ms, std::uint32_t contacts_max,
                      std::vector<storage::binding>& list, bool& changed) const {
  using o = register_outcome;
  const auto contacts = req.contacts();
  const auto raw_count = req.values(sip::header_id::contact).size();
  if (contacts.size() != raw_count || contacts.size() > cfg_.contacts_per_request_max)
    return reply{400, o::bad_request};
  const bool has_expires_header = !req.header(sip::header_id::expires).empty();
  const auto header_expires = req.expires();
  if (has_expires_header && !header_expires)
    return reply{400, o::bad_request};
  const std::string_view call_id = req.call_id();
  const std::uint32_t cseq = req.cseq()->number;
  drop_expired(list, wall_ms, changed);
  if (contacts.empty())
    return std::nullopt; // a query (§10.3 step 6)

  if (std::any_of(contacts.begin(), contacts.end(), [](const auto& c) { return c.star; })) {
    if (contacts.size() != 1 || header_expires != 0u)
      return reply{400, o::bad_request};
    for (const auto& b : list)
      if (b.call_id == call_id && cseq <= b.cseq)
        return reply{500, o::out_of_order};
    changed = changed || !list.empty();
    list.clear();
    return std::nullopt;
  }

  std::vector<bool> touched(list.size(), false);
  for (const auto& c : contacts) {
    const auto& addr = c.address;
    if (addr.uri.scheme != sip::uri::scheme_t::sip &&
        addr.uri.scheme != sip::uri::scheme_t::sips)
      return reply{400, o::bad_request};
    if ((addr.params.contains("expires") && !c.expires()) ||
        (addr.params.contains("q") && !c.q()))
      return reply{400, o::bad_request};
    std::uint32_t expires_s = c.expires()      ? *c.expires()
                              : header_expires ? *header_expires
                                               : cfg_.default_expires_s;
    expires_s = std::min(expires_s, cfg_.max_expires_s);
    if (expires_s != 0 && expires_s < cfg_.min_expires_s)
      return reply{423, o::interval_too_brief};

    storage::binding nb;
    nb.contact = std::string{addr.uri_text};
    if (const auto q = c.q()) {
      nb.has_q = true;
      nb.q_milli = static_cast<std::uint32_t>(std::lround(*q * 1000.0));
    }
    nb.expires_at_ms = wall_ms + std::int64_t{expires_s} * 1000;
    nb.call_id = std::string{call_id};
    nb.cseq = cseq;
    nb.instance = unquote(addr.params.value("+sip.instance"));
    if (const auto rid = addr.params.value("reg-id"); !rid.empty()) {
      std::uint32_t v = 0;
      for (const char ch : rid) {
        if (ch < '0' || ch > '9' || v > 100'000'000)
          return reply{400, o::bad_request};
        v = v * 10 + static_cast<std::uint32_t>(ch - '0');
      }
      nb.reg_id = v;
    }
    nb.source = std::string{source};

    const auto it = std::find_if(list.begin(), list.end(),
                                 [&](const auto& b) { return same_binding(b, nb); });
    if (it != list.end()) {
      const auto idx = static_cast<std::size_t>(it - list.begin());
      if (idx < touched.size() && !touched[idx] && it->call_id == call_id &&
          cseq <= it->cseq)
        return reply{500, o::out_of_order};
      if (expires_s == 0) {
        list.erase(it);
        if (idx < touched.size())
          touched.erase(touched.begin() + static_cast<std::ptrdiff_t>(idx));
      } else {
        *it = std::move(nb);
        if (idx < touched.size())
          touched[idx] = true;
      }
      changed = true;
    } else if (expires_s != 0) {
      list.push_back(std::move(nb));
      changed = true;
    }
  }
  if (list.size() > contacts_max ||
      list.size() > storage::binding_store::bindings_per_aor_max)
    return reply{403, o::too_many_contacts};
  return std::nullopt;
}

void registrar_stm::commit(const storage::aor_bindings& change) {
  RINGDOWN_ASSERT(change.bindings.size() <= storage::binding_store::bindings_per_aor_max,
                  "registrar_stm: too many bindings");
  if (change.bindings.empty())
    bindings_.erase(change.aor);
  else
    bindings_[change.aor] = change.bindings;
}

std::vector<storage::binding> registrar_stm::lookup(std::string_view aor,
                                                    std::int64_t wall_ms) const {
  std::vector<storage::binding> out;
  const auto key = config::canonical_uri(aor);
  if (!key)
    return out;
  const auto it = bindings_.find(*key);
  if (it == bindings_.end())
    return out;
  for (const auto& b : it->second)
    if (b.expires_at_ms > wall_ms)
      out.push_back(b);
  // Later in the list = registered more recently.
  std::reverse(out.begin(), out.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.q_milli > b.q_milli; });
  return out;
}

expire_result registrar_stm::expire(std::int64_t wall_ms) {
  expire_result r;
  for (auto it = bindings_.begin(); it != bindings_.end();) {
    bool changed = false;
    drop_expired(it->second, wall_ms, changed);
    if (changed)
      r.changes.push_back({it->first, it->second});
    it = it->second.empty() ? bindings_.erase(it) : std::next(it);
  }
  r.next_expiry_ms = next_expiry_ms();
  return r;
}

expire_result registrar_stm::restore(std::vector<storage::aor_bindings> records,
                                     std::int64_t wall_ms) {
  bindings_.clear();
  for (auto& rec : records)
    if (rec.bindings.size() <= storage::binding_store::bindings_per_aor_max)
      bindings_[rec.aor] = std::move(rec.bindings);
  return expire(wall_ms);
}

std::optional<std::int64_t> registrar_stm::next_expiry_ms() const {
  std::optional<std::int64_t> next;
  for (const auto& [aor, list] : bindings_)
    for (const auto& b : list)
      if (!next || b.expires_at_ms < *next)
        next = b.expires_at_ms;
  return next;
}

} // namespace ringdown::registrar
