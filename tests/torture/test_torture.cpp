// RFC 4475 torture tests: every message of §3 through sip::parser with the
// default limits, checked against what the RFC says an element does with it.
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "net/sip/parser.hpp"
#include "net/sip/stream_framer.hpp"
#include "tests/torture/torture_cases.hpp"

namespace {

using ringdown::torture::expect;
using ringdown::torture::torture_case;
namespace sip = ringdown::sip;

const char* outcome_name(expect e) {
  switch (e) {
  case expect::valid:
    return "valid";
  case expect::reject:
    return "reject";
  case expect::reject_or_liberal:
    return "reject_or_liberal";
  case expect::parse_or_status:
    return "parse_or_status";
  case expect::drop:
    return "drop";
  }
  return "?";
}

bool status_allowed(const torture_case& c, int status) {
  return status == c.status || (c.alt_status != 0 && status == c.alt_status);
}

// What every accepted message must also satisfy: its wire form parses again
// to the same wire form (a proxy forwards what it accepted).
void check_reserialize(const sip::parser& p, const sip::message& m) {
  const std::string once = m.serialize();
  sip::message again;
  auto r = p.parse(once, again);
  INFO("re-serialized:\n" << once);
  REQUIRE(r.ok());
  CHECK(again.serialize() == once);
}

void check_rejected(const torture_case& c, const sip::parse_result& r) {
  CHECK(r.answerable);
  CHECK(status_allowed(c, r.status));
  CHECK_FALSE(r.reason.empty());
  if (c.error != sip::parse_error::none) {
    CHECK(r.error == c.error);
  }
}

void run_case(const torture_case& c) {
  const sip::parser p{sip::limits{}};
  const std::string bytes = ringdown::torture::load_message(c.file);
  sip::message m;
  const sip::parse_result r = p.parse(bytes, m);
  INFO("RFC 4475 §" << c.section << " " << c.file << ".dat, expected "
                    << outcome_name(c.outcome) << "; got error "
                    << static_cast<int>(r.error) << " answerable " << r.answerable
                    << " status " << r.status << " reason '" << r.reason << "'");
  switch (c.outcome) {
  case expect::valid:
    REQUIRE(r.ok());
    break;
  case expect::reject:
    REQUIRE_FALSE(r.ok());
    check_rejected(c, r);
    return;
  case expect::drop:
    REQUIRE_FALSE(r.ok());
    CHECK_FALSE(r.answerable);
    return;
  case expect::reject_or_liberal:
  case expect::parse_or_status:
    if (!r.ok()) {
      check_rejected(c, r);
      return;
    }
    break;
  }
  if (c.check != nullptr) {
    c.check(m);
  }
  check_reserialize(p, m);
}

void run_section(std::string_view prefix) {
  int rows = 0;
  for (const torture_case& c : ringdown::torture::all_cases()) {
    if (!c.section.starts_with(prefix)) {
      continue;
    }
    ++rows;
    DYNAMIC_SECTION(c.file) {
      run_case(c);
    }
  }
  CHECK(rows > 0);
}

} // namespace

TEST_CASE("RFC 4475 3.1.1 valid messages parse with the fields the RFC describes",
          "[torture][sip]") {
  run_section("3.1.1.");
}

TEST_CASE("RFC 4475 3.1.2 invalid messages are refused as the RFC says", "[torture][sip]") {
  run_section("3.1.2.");
}

TEST_CASE("RFC 4475 3.2 transaction layer message does not break the parser",
          "[torture][sip]") {
  run_section("3.2.");
}

TEST_CASE("RFC 4475 3.3 application layer messages reach the application",
          "[torture][sip]") {
  run_section("3.3.");
}

TEST_CASE("RFC 4475 3.4 RFC 2543 syntax is accepted", "[torture][sip]") {
  run_section("3.4.");
}

TEST_CASE("RFC 4475 table covers every message file exactly once", "[torture]") {
  const auto cases = ringdown::torture::all_cases();
  CHECK(cases.size() == 49); // 13 + 19 + 1 + 15 + 1 messages in RFC 4475 §3
  for (const torture_case& c : cases) {
    INFO(c.file);
    CHECK_FALSE(ringdown::torture::load_message(c.file).empty());
    int seen = 0;
    for (const torture_case& d : cases) {
      seen += d.file == c.file ? 1 : 0;
    }
    CHECK(seen == 1);
  }
}
