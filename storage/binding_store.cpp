#include "storage/binding_store.hpp"

#include "base/assert.hpp"
#include "base/errc.hpp"
#include "storage/codec.hpp"

namespace ringdown::storage {

std::string binding_store::encode(const std::vector<binding>& list) {
  RINGDOWN_ASSERT(list.size() <= bindings_per_aor_max, "binding_store: too many bindings");
  encoder e;
  e.u8(format_version).varint(list.size());
  for (const auto& b : list) {
    e.str(b.contact)
        .u32(b.q_milli)
        .boolean(b.has_q)
        .i64(b.expires_at_ms)
        .str(b.call_id)
        .u32(b.cseq)
        .str(b.instance)
        .u32(b.reg_id)
        .str(b.source);
  }
  return e.take();
}

bool binding_store::decode(std::string_view bytes, std::vector<binding>& out) {
  out.clear();
  decoder d{bytes};
  if (d.u8() != format_version || !d.ok())
    return false;
  const std::uint64_t n = d.varint();
  if (!d.ok() || n > bindings_per_aor_max)
    return false;
  out.reserve(static_cast<std::size_t>(n));
  for (std::uint64_t i = 0; i < n; ++i) {
    binding b;
    b.contact = std::string{d.str()};
    b.q_milli = d.u32();
    b.has_q = d.boolean();
    b.expires_at_ms = d.i64();
    b.call_id = std::string{d.str()};
    b.cseq = d.u32();
    b.instance = std::string{d.str()};
    b.reg_id = d.u32();
    b.source = std::string{d.str()};
    if (!d.ok() || b.q_milli > 1000)
      return false;
    out.push_back(std::move(b));
  }
  return d.done();
}

std::error_code binding_store::put(std::string_view aor, const std::vector<binding>& list) {
  if (aor.empty() || list.size() > bindings_per_aor_max)
    return make_error_code(errc::invalid_argument);
  if (list.empty())
    return erase(aor);
  return db_.put(family::bindings, aor, encode(list), durability::sync);
}

std::error_code binding_store::erase(std::string_view aor) {
  return db_.erase(family::bindings, aor, durability::sync);
}

std::vector<aor_bindings> binding_store::load_all(std::error_code& ec,
                                                  std::size_t& corrupt) const {
  std::vector<aor_bindings> all;
  corrupt = 0;
  ec = db_.scan(family::bindings, "", [&](std::string_view key, std::string_view value) {
    aor_bindings rec;
    rec.aor = std::string{key};
    if (decode(value, rec.bindings))
      all.push_back(std::move(rec));
    else
      ++corrupt;
    return true;
  });
  return all;
}

std::vector<binding> binding_store::get(std::string_view aor, std::error_code& ec) const {
  std::vector<binding> list;
  const auto value = db_.get(family::bindings, aor, ec);
  if (ec || !value)
    return list;
  if (!decode(*value, list)) {
    ec = errc::parse_error;
    list.clear();
  }
  return list;
}

} // namespace ringdown::storage
