#include "storage/kv.hpp"

#include "base/errc.hpp"

namespace ringdown::storage {

std::string_view to_string(family f) noexcept {
  switch (f) {
  case family::provisioning:
    return "provisioning";
  case family::bindings:
    return "bindings";
  case family::cdrs:
    return "cdrs";
  case family::meta:
    return "meta";
  case family::replicas:
    return "replicas";
  }
  return "unknown";
}

std::string prefix_end(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    auto& last = reinterpret_cast<unsigned char&>(end.back());
    if (last != 0xff) {
      ++last;
      return end;
    }
    end.pop_back();
  }
  return end;
}

void write_batch::put(family f, std::string_view key, std::string_view value) {
  ops_.push_back(op{op::kind::put, f, std::string(key), std::string(value)});
}

void write_batch::erase(family f, std::string_view key) {
  ops_.push_back(op{op::kind::erase, f, std::string(key), {}});
}

void write_batch::erase_range(family f, std::string_view begin, std::string_view end) {
  ops_.push_back(op{op::kind::erase_range, f, std::string(begin), std::string(end)});
}

std::error_code write_batch::check() const noexcept {
  if (ops_.size() > batch_ops_max)
    return errc::limit_exceeded;
  for (const auto& o : ops_) {
    if (static_cast<std::size_t>(o.fam) >= family_count)
      return errc::invalid_argument;
    if (o.key.size() > key_bytes_max)
      return errc::limit_exceeded;
    switch (o.what) {
    case op::kind::put:
      if (o.value.size() > value_bytes_max)
        return errc::limit_exceeded;
      break;
    case op::kind::erase:
      break;
    case op::kind::erase_range:
      if (o.value.size() > key_bytes_max)
        return errc::limit_exceeded;
      if (o.value < o.key)
        return errc::invalid_argument;
      break;
    default:
      return errc::invalid_argument;
    }
  }
  return {};
}

std::error_code kv::scan_range(family f, std::string_view begin, std::string_view end,
                               const visit_fn& visit) const {
  return scan(f, {}, [&](std::string_view key, std::string_view value) {
    if (key < begin)
      return true;
    if (!end.empty() && key >= end)
      return false;
    return visit(key, value);
  });
}

std::error_code kv::put(family f, std::string_view key, std::string_view value,
                        durability d) {
  write_batch batch;
  batch.put(f, key, value);
  return write(batch, d);
}

std::error_code kv::erase(family f, std::string_view key, durability d) {
  write_batch batch;
  batch.erase(f, key);
  return write(batch, d);
}

} // namespace ringdown::storage
