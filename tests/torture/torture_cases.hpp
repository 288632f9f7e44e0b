#pragma once

#include <span>
#include <string>
#include <string_view>

#include "net/sip/message.hpp"
#include "net/sip/parser.hpp"

/// RFC 4475 torture messages and what the RFC expects an element to do with
/// each. The table is data for `test_torture`; it lives on the test thread.
namespace ringdown::torture {

/// What RFC 4475 asks of a message, as far as the parser can act on it.
enum class expect {
  /// Well formed: parse succeeds and `check` holds (§3.1.1, and the
  /// syntactically valid messages of §3.2-§3.4).
  valid,
  /// Malformed and the RFC says respond: parse fails, `answerable` is true
  /// and `status` is the RFC's response code (or `alt_status`).
  reject,
  /// Malformed, but the RFC allows "an element that is liberal in what it
  /// accepts": either `reject` as above, or parse succeeds and `check` holds
  /// (the liberal reading the RFC describes).
  reject_or_liberal,
  /// Syntactically fine, the RFC's response is decided above the parser
  /// (416 Unsupported URI Scheme, 400 for repeated single-value headers):
  /// either parse succeeds and `check` shows the application the problem,
  /// or the parser rejects it with exactly the RFC's status, answerable.
  parse_or_status,
  /// A malformed response: the RFC says drop it. Parse fails, and it is
  /// not answerable (responses are never answered).
  drop,
};

/// Assertions on a message the parser accepted (Catch2 macros inside).
using check_fn = void (*)(const sip::message&);

struct torture_case {
  std::string_view file;    ///< RFC short name, file `<file>.dat`
  std::string_view section; ///< RFC 4475 section
  expect outcome = expect::valid;
  int status = 0;     ///< response the RFC names (reject/parse_or_status)
  int alt_status = 0; ///< a second status the RFC also allows, 0 if none
  /// Exact parse_error where the parser API has a code for the RFC's reason;
  /// `none` when any error will do.
  sip::parse_error error = sip::parse_error::none;
  check_fn check = nullptr; ///< for accepted messages; may be null
};

/// Every message of RFC 4475 §3 in RFC order.
std::span<const torture_case> all_cases();

/// Contents of tests/torture/messages/<file>.dat, byte for byte.
std::string load_message(std::string_view file);

} // namespace ringdown::torture
