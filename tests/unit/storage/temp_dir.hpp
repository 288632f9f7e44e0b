#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

#include <catch2/catch.hpp>

namespace ringdown::storage::test {

/// A fresh directory under /tmp, removed with everything in it when the
/// object goes away. One per test; the test's thread.
class temp_dir {
public:
  temp_dir() {
    std::string tmpl = "/tmp/ringdown-storage-test-XXXXXX";
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
  /// `name` inside the directory, as a string.
  [[nodiscard]] std::string sub(const std::string& name) const { return path_ / name; }

private:
  std::filesystem::path path_;
};

} // namespace ringdown::storage::test
