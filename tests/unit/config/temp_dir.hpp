#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace ringdown::config::test {

/// A fresh directory under the system temp directory (mkdtemp), removed
/// with everything in it when the object goes. One per test case.
class temp_dir {
public:
  temp_dir() {
    auto pattern =
        (std::filesystem::temp_directory_path() / "ringdown-config-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error{"mkdtemp failed"};
    path_ = pattern;
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

  /// Writes `text` to `name` inside the directory; returns the full path.
  std::string write(std::string_view name, std::string_view text) const {
    const auto file = path_ / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out{file, std::ios::binary};
    out << text;
    if (!out)
      throw std::runtime_error{"cannot write " + file.string()};
    return file.string();
  }

private:
  std::filesystem::path path_;
};

/// A file that looks like PEM to `check_pem_file` (not a real certificate).
inline constexpr std::string_view fake_pem =
    "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

} // namespace ringdown::config::test
