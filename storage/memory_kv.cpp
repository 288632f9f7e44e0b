#include "storage/memory_kv.hpp"

#include <mutex>
#include <utility>
#include <vector>

#include "base/errc.hpp"

namespace ringdown::storage {

namespace {

std::size_t index(family f) noexcept {
  return static_cast<std::size_t>(f);
}

} // namespace

std::optional<std::string> memory_kv::get(family f, std::string_view key,
                                          std::error_code& ec) const {
  ec.clear();
  if (index(f) >= family_count) {
    ec = errc::invalid_argument;
    return std::nullopt;
  }
  std::shared_lock lock(mutex_);
  const auto& t = tables_[index(f)];
  if (auto it = t.find(key); it != t.end())
    return it->second;
  return std::nullopt;
}

std::error_code memory_kv::write(const write_batch& batch, durability d) {
  // Checked before anything is applied: a batch is all or nothing.
  if (auto ec = batch.check())
    return ec;
  std::unique_lock lock(mutex_);
  const bool keep_undo = d == durability::buffered;
  if (!keep_undo)
    unsynced_.clear();
  for (const auto& o : batch.ops()) {
    auto& t = tables_[index(o.fam)];
    switch (o.what) {
    case write_batch::op::kind::put:
    case write_batch::op::kind::erase: {
      auto it = t.find(o.key);
      if (keep_undo) {
        unsynced_.push_back(
            {o.fam, o.key, it == t.end() ? std::nullopt : std::optional(it->second)});
      }
      if (o.what == write_batch::op::kind::put)
        t.insert_or_assign(o.key, o.value);
      else if (it != t.end())
        t.erase(it);
      break;
    }
    case write_batch::op::kind::erase_range: {
      const auto first = t.lower_bound(o.key);
      const auto last = t.lower_bound(o.value);
      if (keep_undo) {
        for (auto it = first; it != last; ++it)
          unsynced_.push_back({o.fam, it->first, it->second});
      }
      t.erase(first, last);
      break;
    }
    }
  }
  return {};
}

void memory_kv::lose_unsynced() {
  std::unique_lock lock(mutex_);
  for (auto it = unsynced_.rbegin(); it != unsynced_.rend(); ++it) {
    auto& t = tables_[index(it->fam)];
    if (it->previous)
      t.insert_or_assign(std::move(it->key), std::move(*it->previous));
    else
      t.erase(it->key);
  }
  unsynced_.clear();
}

std::error_code memory_kv::scan(family f, std::string_view prefix,
                                const visit_fn& visit) const {
  return scan_range(f, prefix, prefix_end(prefix), visit);
}

std::error_code memory_kv::scan_range(family f, std::string_view begin,
                                      std::string_view end, const visit_fn& visit) const {
  if (index(f) >= family_count)
    return errc::invalid_argument;
  if (!end.empty() && end <= begin)
    return {};
  std::vector<std::pair<std::string, std::string>> snapshot;
  {
    std::shared_lock lock(mutex_);
    const auto& t = tables_[index(f)];
    auto last = end.empty() ? t.end() : t.lower_bound(end);
    for (auto it = t.lower_bound(begin); it != last; ++it)
      snapshot.emplace_back(it->first, it->second);
  }
  for (const auto& [key, value] : snapshot) {
    if (!visit(key, value))
      break;
  }
  return {};
}

std::size_t memory_kv::size(family f) const {
  std::shared_lock lock(mutex_);
  return index(f) < family_count ? tables_[index(f)].size() : 0;
}

std::unique_ptr<kv> make_memory_kv() {
  return std::make_unique<memory_kv>();
}

} // namespace ringdown::storage
