#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace ringdown::sip {

/// One `;name[=value]` generic parameter. `value` is empty when the
/// parameter has no '='; `has_value` tells "a=" from "a".
struct param {
  std::string_view name;
  std::string_view value;
  bool has_value = false;
};

/// A read-only view over a `;a=b;c;d="q"` parameter string (the text after
/// the first ';', without it). Names compare case-insensitively. Iterating
/// re-scans the text: parameter lists are short and this keeps the message
/// model allocation-free.
class param_list {
public:
  param_list() = default;
  explicit param_list(std::string_view text) noexcept : text_(text) {}

  [[nodiscard]] std::string_view text() const noexcept { return text_; }
  [[nodiscard]] bool empty() const noexcept { return text_.empty(); }

  /// The parameter called `name` (case-insensitive), nullopt when absent.
  [[nodiscard]] std::optional<param> find(std::string_view name) const noexcept;
  [[nodiscard]] bool contains(std::string_view name) const noexcept {
    return find(name).has_value();
  }
  /// The value of `name`, "" when absent or valueless.
  [[nodiscard]] std::string_view value(std::string_view name) const noexcept;

  class iterator;
  [[nodiscard]] iterator begin() const noexcept;
  [[nodiscard]] iterator end() const noexcept;

private:
  std::string_view text_;
};

class param_list::iterator {
public:
  using value_type = param;
  using difference_type = std::ptrdiff_t;
  iterator() = default;
  iterator(std::string_view rest, bool end) noexcept;
  const param& operator*() const noexcept { return cur_; }
  const param* operator->() const noexcept { return &cur_; }
  iterator& operator++() noexcept;
  bool operator==(const iterator& o) const noexcept {
    return end_ == o.end_ && (end_ || rest_.data() == o.rest_.data());
  }

private:
  void load() noexcept;
  std::string_view rest_;
  param cur_;
  bool end_ = true;
};

} // namespace ringdown::sip
