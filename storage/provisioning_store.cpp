#include "storage/provisioning_store.hpp"

#include <algorithm>
#include <array>
#include <map>

#include "base/errc.hpp"
#include "base/logging.hpp"
#include "storage/provisioning_records.hpp"

namespace ringdown::storage {

/// Lookup tables over one immutable provisioning.
struct provisioning_store::index {
  using by_key = std::map<std::string, std::size_t, std::less<>>;
  std::shared_ptr<const config::provisioning> data;
  by_key zones;
  by_key resources; ///< by name
  by_key aors;      ///< canonical AOR -> resource
  by_key lines;     ///< canonical URI -> line
  by_key trunks;    ///< by name
  std::map<std::string, std::vector<std::size_t>, std::less<>> holders; ///< canonical URI
  by_key prefixes; ///< prefix -> trunk (the name sorting first on a tie)
  std::size_t prefix_bytes_max = 0;
};

namespace {

using config::provisioning;
using kind = provisioning_kind;

constexpr std::array all_kinds{kind::header, kind::zone, kind::resource, kind::line,
                               kind::trunk};
constexpr std::size_t problems_logged_max = 20;

const std::shared_ptr<spdlog::logger>& logger() {
  static const auto lg = log::get("storage");
  return lg;
}

std::string uri_key(std::string_view uri) {
  auto canonical = config::canonical_uri(uri);
  return canonical ? std::move(*canonical) : std::string{uri};
}

std::shared_ptr<const provisioning_store::index> build(provisioning p) {
  auto next = std::make_shared<provisioning_store::index>();
  const auto data = std::make_shared<const provisioning>(std::move(p));
  next->data = data;
  // emplace keeps the first of duplicates; apply refuses them anyway.
  for (std::size_t i = 0; i < data->zones.size(); ++i)
    next->zones.emplace(data->zones[i].name, i);
  for (std::size_t i = 0; i < data->lines.size(); ++i)
    next->lines.emplace(uri_key(data->lines[i].uri), i);
  for (std::size_t i = 0; i < data->resources.size(); ++i) {
    const auto& r = data->resources[i];
    next->resources.emplace(r.name, i);
    next->aors.emplace(uri_key(r.aor), i);
    for (const auto& line : r.lines)
      next->holders[uri_key(line)].push_back(i);
  }
  for (std::size_t i = 0; i < data->trunks.size(); ++i) {
    const auto& t = data->trunks[i];
    next->trunks.emplace(t.name, i);
    for (const auto& prefix : t.prefixes) {
      const auto [at, fresh] = next->prefixes.emplace(prefix, i);
      if (!fresh && t.name < data->trunks[at->second].name)
        at->second = i;
      next->prefix_bytes_max = std::max(next->prefix_bytes_max, prefix.size());
    }
  }
  return next;
}

/// Appends the record `key`/`value` of kind `k` to `out`; false when it
/// is corrupt or out of sequence.
template <typename R, typename Decode>
bool take(kind k, std::string_view key, std::string_view value, Decode decode,
          std::vector<R>& out) {
  const auto i = provisioning_index(k, key);
  auto record = decode(value);
  if (!i || *i != out.size() || !record) {
    logger()->error("provisioning record {}/{} is corrupt or out of sequence ({} bytes)",
                    static_cast<char>(k), i.value_or(0), value.size());
    return false;
  }
  out.push_back(std::move(*record));
  return true;
}

template <typename R>
std::optional<R> at(const std::map<std::string, std::size_t, std::less<>>& map,
                    std::string_view key, const std::vector<R>& list) {
  const auto found = map.find(key);
  if (found == map.end())
    return std::nullopt;
  return list[found->second];
}

} // namespace

provisioning_store::provisioning_store(kv& db) : db_{db}, index_{build({})} {}

provisioning_store::~provisioning_store() = default;

std::shared_ptr<const provisioning_store::index> provisioning_store::current() const {
  std::lock_guard lock{mutex_};
  return index_;
}

void provisioning_store::install(std::shared_ptr<const index> next) {
  std::lock_guard lock{mutex_};
  index_ = std::move(next);
  ++generation_;
}

std::error_code provisioning_store::open() {
  std::lock_guard lock{apply_mutex_};
  std::error_code ec;
  auto loaded = load(ec);
  if (!loaded)
    return ec;
  logger()->info("provisioning: {} zones, {} resources, {} lines, {} trunks",
                 loaded->zones.size(), loaded->resources.size(), loaded->lines.size(),
                 loaded->trunks.size());
  install(build(std::move(*loaded)));
  return {};
}

std::error_code provisioning_store::apply(const provisioning& p) {
  std::vector<config::problem> problems;
  config::validate_provisioning(p, problems);
  if (!problems.empty()) {
    for (std::size_t i = 0; i < std::min(problems.size(), problems_logged_max); ++i)
      logger()->error("provisioning refused: {}", problems[i].to_string("apply"));
    return errc::invalid_argument;
  }
  write_batch batch;
  for (const auto k : all_kinds) {
    const auto prefix = provisioning_prefix(k);
    batch.erase_range(family::provisioning, prefix, prefix_end(prefix));
  }
  const auto count = [](const auto& list) {
    return static_cast<std::uint32_t>(list.size());
  };
  batch.put(family::provisioning, provisioning_key(kind::header),
            encode(provisioning_header{p.realm, count(p.zones), count(p.resources),
                                       count(p.lines), count(p.trunks)}));
  const auto put_all = [&](kind k, const auto& list) {
    for (std::uint32_t i = 0; i < count(list); ++i)
      batch.put(family::provisioning, provisioning_key(k, i), encode(list[i]));
  };
  put_all(kind::zone, p.zones);
  put_all(kind::resource, p.resources);
  put_all(kind::line, p.lines);
  put_all(kind::trunk, p.trunks);

  std::lock_guard lock{apply_mutex_};
  if (auto ec = db_.write(batch, durability::sync); ec) {
    logger()->error("provisioning not stored: {}", ec.message());
    return ec;
  }
  logger()->info("provisioning applied: {} zones, {} resources, {} lines, {} trunks",
                 p.zones.size(), p.resources.size(), p.lines.size(), p.trunks.size());
  install(build(p));
  return {};
}

std::error_code provisioning_store::apply(const config::provisioning_result& loaded) {
  if (!loaded.ok()) {
    logger()->error("provisioning refused: the file has {} problems",
                    loaded.problems.size());
    return errc::invalid_argument;
  }
  return apply(loaded.data);
}

std::optional<provisioning> provisioning_store::load(std::error_code& ec) const {
  // One scan of the whole family: one consistent snapshot of the kv.
  provisioning p;
  std::optional<provisioning_header> header;
  bool good = true;
  ec =
      db_.scan(family::provisioning, {}, [&](std::string_view key, std::string_view value) {
        switch (static_cast<kind>(key.empty() ? '\0' : key.front())) {
        case kind::header:
          header = key.size() == 1 ? decode_header(value) : std::nullopt;
          good = header.has_value();
          break;
        case kind::zone:
          good = take(kind::zone, key, value, decode_zone, p.zones);
          break;
        case kind::resource:
          good = take(kind::resource, key, value, decode_resource, p.resources);
          break;
        case kind::line:
          good = take(kind::line, key, value, decode_line, p.lines);
          break;
        case kind::trunk:
          good = take(kind::trunk, key, value, decode_trunk, p.trunks);
          break;
        default:
          logger()->error("provisioning holds an unknown key of {} bytes", key.size());
          good = false;
        }
        return good;
      });
  if (ec)
    return std::nullopt;
  const provisioning_header counted{header ? header->realm : p.realm,
                                    static_cast<std::uint32_t>(p.zones.size()),
                                    static_cast<std::uint32_t>(p.resources.size()),
                                    static_cast<std::uint32_t>(p.lines.size()),
                                    static_cast<std::uint32_t>(p.trunks.size())};
  if (good && counted != header.value_or(provisioning_header{p.realm})) {
    logger()->error("provisioning is incomplete: {} zones, {} resources, {} lines, {} "
                    "trunks stored, not what its header says",
                    counted.zones, counted.resources, counted.lines, counted.trunks);
    good = false;
  }
  if (!good) {
    ec = errc::parse_error;
    return std::nullopt;
  }
  p.realm = counted.realm;
  return p;
}

std::shared_ptr<const provisioning> provisioning_store::snapshot() const {
  return current()->data;
}

std::uint64_t provisioning_store::generation() const {
  std::lock_guard lock{mutex_};
  return generation_;
}

std::string provisioning_store::realm() const {
  return current()->data->realm;
}

std::vector<config::zone_def> provisioning_store::zones() const {
  return current()->data->zones;
}

std::optional<config::zone_def> provisioning_store::zone(std::string_view name) const {
  const auto idx = current();
  return at(idx->zones, name, idx->data->zones);
}

std::optional<config::resource_def>
provisioning_store::resource(std::string_view name) const {
  const auto idx = current();
  return at(idx->resources, name, idx->data->resources);
}

std::optional<config::resource_def>
provisioning_store::resource_by_aor(std::string_view aor) const {
  const auto key = config::canonical_uri(aor);
  if (!key)
    return std::nullopt;
  const auto idx = current();
  return at(idx->aors, *key, idx->data->resources);
}

std::optional<config::line_def> provisioning_store::line(std::string_view uri) const {
  const auto key = config::canonical_uri(uri);
  if (!key)
    return std::nullopt;
  const auto idx = current();
  return at(idx->lines, *key, idx->data->lines);
}

std::vector<config::resource_def> provisioning_store::holders(std::string_view uri) const {
  std::vector<config::resource_def> out;
  const auto key = config::canonical_uri(uri);
  if (!key)
    return out;
  const auto idx = current();
  if (const auto found = idx->holders.find(*key); found != idx->holders.end())
    for (const auto i : found->second)
      out.push_back(idx->data->resources[i]);
  return out;
}

std::optional<config::trunk_def> provisioning_store::trunk(std::string_view name) const {
  const auto idx = current();
  return at(idx->trunks, name, idx->data->trunks);
}

std::optional<config::trunk_def>
provisioning_store::trunk_for(std::string_view number) const {
  const auto idx = current();
  for (auto n = std::min(number.size(), idx->prefix_bytes_max); n > 0; --n)
    if (auto found = at(idx->prefixes, number.substr(0, n), idx->data->trunks))
      return found;
  return std::nullopt;
}

} // namespace ringdown::storage
