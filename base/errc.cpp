#include "base/errc.hpp"

#include <string>

namespace ringdown {

namespace {

class category final : public std::error_category {
public:
  [[nodiscard]] const char* name() const noexcept override { return "ringdown"; }

  [[nodiscard]] std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
    case errc::ok:
      return "ok";
    case errc::invalid_argument:
      return "invalid argument";
    case errc::parse_error:
      return "parse error";
    case errc::limit_exceeded:
      return "limit exceeded";
    case errc::not_found:
      return "not found";
    case errc::already_exists:
      return "already exists";
    case errc::timeout:
      return "timeout";
    case errc::transport_error:
      return "transport error";
    case errc::io_error:
      return "i/o error";
    case errc::config_error:
      return "configuration error";
    case errc::shutting_down:
      return "shutting down";
    }
    return "unknown ringdown error";
  }
};

} // namespace

const std::error_category& error_category() noexcept {
  static const category instance;
  return instance;
}

} // namespace ringdown
