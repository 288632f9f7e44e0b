#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ringdown::sim {

class world;

/// The parameters of a scenario's check or fault beyond its time and kind
/// (`node = "n3"`, `nodes = ["a", "b"]`, `count = 2`), kept as text:
/// strings as they are, integers and floats in decimal, booleans as
/// "true"/"false", arrays as their elements joined by ','.
class param_map {
public:
  void set(std::string key, std::string value) {
    values_[std::move(key)] = std::move(value);
  }
  [[nodiscard]] bool has(std::string_view key) const { return values_.count(key) != 0; }
  /// The value of `key`, or `fallback` when absent.
  [[nodiscard]] std::string text(std::string_view key,
                                 std::string_view fallback = {}) const;
  /// The value of `key` as an integer; nullopt when absent or not one.
  [[nodiscard]] std::optional<std::int64_t> integer(std::string_view key) const;
  /// The elements of `key` (an array, or one value); empty when absent.
  [[nodiscard]] std::vector<std::string> list(std::string_view key) const;
  [[nodiscard]] const std::map<std::string, std::string, std::less<>>&
  all() const noexcept {
    return values_;
  }

private:
  std::map<std::string, std::string, std::less<>> values_;
};

/// The verdict of one check: passed, or failed with a message saying what
/// was seen.
struct check_result {
  bool ok = true;
  std::string message;

  static check_result pass() { return {true, {}}; }
  static check_result fail(std::string why) { return {false, std::move(why)}; }
};

/// A named check a protocol registers with the world (`views_converged`,
/// `dead_everywhere`...). It reads the world (its processes, who is alive)
/// and must not change it.
using check_fn = std::function<check_result(const world&, const param_map&)>;

} // namespace ringdown::sim
