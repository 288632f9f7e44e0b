#include "storage/cdr_store.hpp"

#include <algorithm>
#include <limits>

#include "base/assert.hpp"
#include "base/errc.hpp"
#include "base/logging.hpp"

namespace ringdown::storage {

namespace {

const std::shared_ptr<spdlog::logger>& logger() {
  static const auto lg = log::get("storage");
  return lg;
}

std::uint64_t decode_be(std::string_view b) noexcept {
  std::uint64_t v = 0;
  for (const char c : b)
    v = (v << 8) | static_cast<unsigned char>(c);
  return v;
}

} // namespace

std::string cdr_store::key(std::uint64_t id) {
  std::string k(8, '\0');
  for (std::size_t i = 0; i < 8; ++i)
    k[7 - i] = static_cast<char>(static_cast<std::uint8_t>(id >> (8 * i)));
  return k;
}

std::uint64_t cdr_store::load_last_id(std::error_code& ec) const {
  auto v = db_.get(family::meta, last_id_key, ec);
  if (ec || !v)
    return 0;
  if (v->size() != 8) {
    logger()->error("cdr counter {} has {} bytes, want 8", last_id_key, v->size());
    ec = errc::parse_error;
    return 0;
  }
  return decode_be(*v);
}

std::uint64_t cdr_store::append(cdr record, std::error_code& ec) {
  std::vector<cdr> one;
  one.push_back(std::move(record));
  return append_batch(one, ec);
}

std::uint64_t cdr_store::append_batch(std::vector<cdr>& records, std::error_code& ec) {
  ec.clear();
  if (records.empty())
    return 0;
  std::lock_guard lock(mutex_);
  if (!loaded_) {
    last_id_ = load_last_id(ec);
    if (ec)
      return 0;
    loaded_ = true;
  }
  RINGDOWN_ASSERT(last_id_ <= std::numeric_limits<std::uint64_t>::max() - records.size(),
                  "CDR ids exhausted");
  // Burnt even if the write fails: a failed write may still have reached
  // the log, so the ids must never be handed out again.
  write_batch batch;
  for (auto& record : records) {
    record.id = ++last_id_;
    batch.put(family::cdrs, key(record.id), encode_cdr(record));
  }
  batch.put(family::meta, last_id_key, key(last_id_));
  if (ec = db_.write(batch, durability::sync); ec) {
    logger()->error("cdrs {}..{} (first call {}) not stored: {}", records.front().id,
                    records.back().id, records.front().call_id, ec.message());
    return 0;
  }
  return last_id_;
}

std::optional<cdr> cdr_store::get(std::uint64_t id, std::error_code& ec) const {
  auto v = db_.get(family::cdrs, key(id), ec);
  if (ec || !v)
    return std::nullopt;
  auto r = decode_cdr(*v);
  if (!r || r->id != id) {
    logger()->error("cdr {} is corrupt ({} bytes)", id, v->size());
    ec = errc::parse_error;
    return std::nullopt;
  }
  return r;
}

std::error_code cdr_store::scan(std::uint64_t from_id, std::size_t limit,
                                const std::function<bool(const cdr&)>& visit) const {
  limit = std::min(limit, scan_limit_max);
  if (limit == 0)
    return {};
  std::size_t seen = 0;
  std::error_code corrupt;
  auto ec = db_.scan_range(family::cdrs, key(from_id), {},
                           [&](std::string_view k, std::string_view v) {
                             auto r = decode_cdr(v);
                             if (!r || k.size() != 8 || r->id != decode_be(k)) {
                               logger()->error("cdr {} is corrupt ({} bytes)",
                                               decode_be(k.substr(0, 8)), v.size());
                               corrupt = errc::parse_error;
                               return false;
                             }
                             return visit(*r) && ++seen < limit;
                           });
  return ec ? ec : corrupt;
}

std::uint64_t cdr_store::last_id(std::error_code& ec) const {
  return load_last_id(ec);
}

std::error_code cdr_store::erase_before(std::uint64_t id) {
  write_batch batch;
  batch.erase_range(family::cdrs, key(0), key(id));
  return db_.write(batch, durability::sync);
}

} // namespace ringdown::storage
