#include "storage/rocksdb_kv.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>

#include "base/assert.hpp"
#include "base/errc.hpp"
#include "base/logging.hpp"

namespace ringdown::storage {

namespace {

const std::shared_ptr<spdlog::logger>& logger() {
  static const auto lg = log::get("storage");
  return lg;
}

std::error_code to_error_code(const rocksdb::Status& s) noexcept {
  using code = rocksdb::Status::Code;
  switch (s.code()) {
  case code::kOk:
    return {};
  case code::kNotFound:
    return errc::not_found;
  case code::kInvalidArgument:
  case code::kNotSupported:
    return errc::invalid_argument;
  case code::kBusy:
  case code::kTimedOut:
  case code::kTryAgain:
    return errc::timeout;
  case code::kShutdownInProgress:
    return errc::shutting_down;
  default: // corruption, I/O error, incomplete, aborted...
    return errc::io_error;
  }
}

/// Maps a failed status to an error code and logs RocksDB's text.
std::error_code fail(std::string_view what, family f, const rocksdb::Status& s) {
  logger()->error("rocksdb {} ({}): {}", what, to_string(f), s.ToString());
  return to_error_code(s);
}

rocksdb::Slice slice(std::string_view s) noexcept {
  return {s.data(), s.size()};
}
std::string_view view(const rocksdb::Slice& s) noexcept {
  return {s.data(), s.size()};
}

/// Refuses a path that is not a directory, or a non-empty directory that
/// holds no database (no CURRENT file); creates a missing directory.
std::error_code prepare_directory(const std::string& path, std::string& error) {
  namespace fs = std::filesystem;
  std::error_code fs_ec;
  const auto st = fs::status(path, fs_ec);
  if (fs::exists(st)) {
    if (!fs::is_directory(st)) {
      error = "not a directory: " + path;
      return errc::invalid_argument;
    }
    const bool has_current = fs::exists(fs::path(path) / "CURRENT", fs_ec);
    const bool empty = fs::is_empty(path, fs_ec);
    if (fs_ec) {
      error = "cannot read " + path + ": " + fs_ec.message();
      return errc::io_error;
    }
    if (!has_current && !empty) {
      error = "not a RocksDB directory (no CURRENT file, not empty): " + path;
      return errc::invalid_argument;
    }
    return {};
  }
  fs::create_directories(path, fs_ec);
  if (fs_ec) {
    error = "cannot create " + path + ": " + fs_ec.message();
    return errc::io_error;
  }
  return {};
}

} // namespace

struct rocksdb_kv::impl {
  std::string path;
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles; ///< every open family
  std::array<rocksdb::ColumnFamilyHandle*, family_count> families{};

  ~impl() {
    if (!db)
      return;
    for (auto* h : handles) {
      if (auto s = db->DestroyColumnFamilyHandle(h); !s.ok())
        logger()->error("rocksdb close {}: {}", path, s.ToString());
    }
    if (auto s = db->Close(); !s.ok())
      logger()->error("rocksdb close {}: {}", path, s.ToString());
  }

  [[nodiscard]] rocksdb::ColumnFamilyHandle* handle(family f) const noexcept {
    const auto i = static_cast<std::size_t>(f);
    return i < family_count ? families[i] : nullptr;
  }
};

std::unique_ptr<rocksdb_kv> rocksdb_kv::open(const std::string& path, std::error_code& ec,
                                             std::string& error) {
  ec.clear();
  error.clear();
  if (ec = prepare_directory(path, error); ec) {
    logger()->error("rocksdb open {}: {}", path, error);
    return nullptr;
  }
  rocksdb::Options options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.keep_log_file_num = 4;
  options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;

  // An existing database must be opened with every family it holds.
  std::vector<std::string> names;
  if (!rocksdb::DB::ListColumnFamilies(options, path, &names).ok())
    names.clear(); // a new database
  std::vector<std::string> wanted{rocksdb::kDefaultColumnFamilyName};
  for (std::size_t i = 0; i < family_count; ++i)
    wanted.emplace_back(to_string(static_cast<family>(i)));
  for (const auto& n : names) {
    if (std::find(wanted.begin(), wanted.end(), n) == wanted.end())
      wanted.push_back(n);
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.reserve(wanted.size());
  for (const auto& n : wanted)
    descriptors.emplace_back(n, rocksdb::ColumnFamilyOptions(options));

  auto p = std::make_unique<impl>();
  p->path = path;
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::Open(options, path, descriptors, &p->handles, &raw);
  if (!s.ok()) {
    error = s.ToString();
    logger()->error("rocksdb open {}: {}", path, error);
    ec = to_error_code(s);
    if (!ec)
      ec = errc::io_error;
    return nullptr;
  }
  p->db.reset(raw);
  RINGDOWN_ASSERT(p->handles.size() == wanted.size(), "one handle per family");
  for (std::size_t i = 0; i < family_count; ++i)
    p->families[i] = p->handles[i + 1]; // [0] is "default"
  logger()->info("rocksdb opened {} ({} families)", path, wanted.size());
  return std::unique_ptr<rocksdb_kv>(new rocksdb_kv(std::move(p)));
}

rocksdb_kv::rocksdb_kv(std::unique_ptr<impl> p) noexcept : impl_(std::move(p)) {}
rocksdb_kv::~rocksdb_kv() = default;

const std::string& rocksdb_kv::path() const noexcept {
  return impl_->path;
}

std::optional<std::string> rocksdb_kv::get(family f, std::string_view key,
                                           std::error_code& ec) const {
  ec.clear();
  auto* h = impl_->handle(f);
  if (h == nullptr) {
    ec = errc::invalid_argument;
    return std::nullopt;
  }
  std::string value;
  auto s = impl_->db->Get(rocksdb::ReadOptions(), h, slice(key), &value);
  if (s.IsNotFound())
    return std::nullopt;
  if (!s.ok()) {
    ec = fail("get", f, s);
    return std::nullopt;
  }
  return value;
}

std::error_code rocksdb_kv::write(const write_batch& batch, durability d) {
  if (auto ec = batch.check())
    return ec;
  rocksdb::WriteBatch wb;
  for (const auto& o : batch.ops()) {
    auto* h = impl_->handle(o.fam);
    rocksdb::Status s;
    switch (o.what) {
    case write_batch::op::kind::put:
      s = wb.Put(h, o.key, o.value);
      break;
    case write_batch::op::kind::erase:
      s = wb.Delete(h, o.key);
      break;
    case write_batch::op::kind::erase_range:
      if (o.key < o.value)
        s = wb.DeleteRange(h, o.key, o.value);
      break;
    }
    if (!s.ok())
      return fail("batch", o.fam, s);
  }
  rocksdb::WriteOptions wo;
  wo.sync = d == durability::sync;
  if (auto s = impl_->db->Write(wo, &wb); !s.ok())
    return fail("write", batch.ops().empty() ? family::meta : batch.ops().front().fam, s);
  return {};
}

std::error_code rocksdb_kv::scan(family f, std::string_view prefix,
                                 const visit_fn& visit) const {
  const auto end = prefix_end(prefix);
  return scan_range(f, prefix, end, visit);
}

std::error_code rocksdb_kv::scan_range(family f, std::string_view begin,
                                       std::string_view end, const visit_fn& visit) const {
  auto* h = impl_->handle(f);
  if (h == nullptr)
    return errc::invalid_argument;
  if (!end.empty() && end <= begin)
    return {};
  // Released on every path, `visit` may throw.
  auto* db = impl_->db.get();
  const auto release = [db](const rocksdb::Snapshot* sn) { db->ReleaseSnapshot(sn); };
  const std::unique_ptr<const rocksdb::Snapshot, decltype(release)> snap(db->GetSnapshot(),
                                                                         release);
  const rocksdb::Slice upper = slice(end);
  rocksdb::ReadOptions ro;
  ro.snapshot = snap.get();
  if (!end.empty())
    ro.iterate_upper_bound = &upper;
  const std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro, h));
  for (it->Seek(slice(begin)); it->Valid(); it->Next()) {
    if (!visit(view(it->key()), view(it->value())))
      break;
  }
  const auto s = it->status();
  if (!s.ok())
    return fail("scan", f, s);
  return {};
}

std::unique_ptr<kv> open_rocksdb(const std::string& path, std::error_code& ec,
                                 std::string& error) {
  return rocksdb_kv::open(path, ec, error);
}

} // namespace ringdown::storage
