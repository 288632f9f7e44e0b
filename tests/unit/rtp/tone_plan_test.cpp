#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "net/rtp/tone.hpp"
#include "net/rtp/tone_plan.hpp"

using namespace ringdown::rtp;

namespace {

/// `text` parsed as tone "t"; fails the test when it is refused.
tone_spec parsed(std::string_view text) {
  std::string error;
  auto spec = parse_tone("t", text, &error);
  INFO(text << ": " << error);
  REQUIRE(spec.has_value());
  CHECK(error.empty());
  CHECK(valid(*spec));
  return *spec;
}

/// The problem `parse_tone` finds in `text` ("" when it accepts it).
std::string problem_of(std::string_view text) {
  std::string error;
  const auto spec = parse_tone("t", text, &error);
  CHECK(spec.has_value() == error.empty());
  return error;
}

} // namespace

TEST_CASE("parse_tone: single, dual, levels and silence", "[rtp][tone_plan]") {
  CHECK(parsed("440/250") == tone_spec{"t", {{440, 0, -13, 250, 0}}, true});
  CHECK(parsed("350+440/1000") == tone_spec{"t", {{350, 440, -13, 1000, 0}}, true});
  CHECK(parsed("425@-16/300") == tone_spec{"t", {{425, 0, -16, 300, 0}}, true});
  CHECK(parsed("400+450@0/10") == tone_spec{"t", {{400, 450, 0, 10, 0}}, true});
  CHECK(parsed("425@-60/10").cadence[0].level_dbm0 == -60);
  CHECK(parsed("3400/20").cadence[0].freq1_hz == 3400);
  // A leading silence stays a segment of its own; one after a tone is its off time.
  CHECK(parsed("0/100,425/200") ==
        tone_spec{"t", {{0, 0, -13, 100, 0}, {425, 0, -13, 200, 0}}, true});
  CHECK(parsed("425/200,0/100,0/50") ==
        tone_spec{"t", {{425, 0, -13, 200, 100}, {0, 0, -13, 50, 0}}, true});
  CHECK(parsed("440+480/2000,0/4000") ==
        tone_spec{"t", {{440, 480, -13, 2000, 4000}}, true});
}

TEST_CASE("parse_tone: '!' plays once, whitespace is allowed", "[rtp][tone_plan]") {
  CHECK(parsed("!425/200,0/200") == tone_spec{"t", {{425, 0, -13, 200, 200}}, false});
  CHECK(parsed("  ! 425 + 450 @ -10 / 400 ,\t0/200 ") ==
        tone_spec{"t", {{425, 450, -10, 400, 200}}, false});
  CHECK(parsed("425/1000").repeat);
  CHECK(parse_tone("busy", "425/500")->name == "busy");
}

TEST_CASE("parse_tone: each default's syntax gives exactly the default",
          "[rtp][tone_plan]") {
  const std::vector<std::pair<std::string_view, std::string_view>> rows = {
      {"dial", "425/1000"},
      {"ringback", "425/1000,0/4000"},
      {"busy", "425/500,0/500"},
      {"congestion", "425/250,0/250"},
      {"ringback_uk", "400+450/400,0/200,400+450/400,0/2000"},
      {"moh", "523@-16/300,659@-16/300,784@-16/300,659@-16/300"},
  };
  for (const auto& [name, text] : rows) {
    INFO(name);
    const auto spec = parse_tone(name, text);
    REQUIRE(spec.has_value());
    CHECK(*spec == default_tone(name));
    CHECK(*spec == tone_plan{}.get(name));
  }
}

TEST_CASE("parse_tone: bad text names the element and the problem", "[rtp][tone_plan]") {
  std::string seventeen;
  for (int i = 0; i < 17; ++i)
    seventeen += (i == 0 ? "" : ",") + std::string{i % 2 == 0 ? "0/10" : "0/20"};
  std::string many_tones;
  for (int i = 0; i < 17; ++i)
    many_tones += (i == 0 ? "" : ",") + std::string{"425/10"};
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"", "no elements"},
      {"   ", "no elements"},
      {"!", "no elements"},
      {"425", "element 1 '425': no duration"},
      {"425/100,425/", "element 2 '425/': no duration"},
      {"425/100,,425/100", "element 2 '': empty"},
      {"425/100,", "element 2 '': empty"},
      {"4000/100", "element 1 '4000/100': frequency 4000 Hz is above 3400"},
      {"425+3401/100", "frequency 3401 Hz is above 3400"},
      {"425@3/100", "element 1 '425@3/100': level 3 dBm0 is out of range (-60..0)"},
      {"425@+1/100", "level +1 dBm0 is out of range"},
      {"425@-61/100", "level -61 dBm0 is out of range"},
      {"425/0", "element 1 '425/0': duration 0 ms is out of range (1..60000)"},
      {"425/60001", "duration 60001 ms is out of range"},
      {"425/-5", "'-5' is not a duration in ms"},
      {"425/1.5", "'1.5' is not a duration in ms"},
      {"-425/100", "'-425' is not a frequency in Hz"},
      {"abc/100", "'abc' is not a frequency in Hz"},
      {"425+/100", "'' is not a frequency in Hz"},
      {"425@/100", "'' is not a level in dBm0"},
      {"425@loud/100", "'loud' is not a level in dBm0"},
      {"99999999999999999999/10", "is not a frequency in Hz"},
      {many_tones, "element 17 '425/10': more than 16 segments"},
      {seventeen, "element 17 '0/10': more than 16 segments"},
  };
  for (const auto& [text, what] : rows) {
    INFO("'" << text << "'");
    CHECK_THAT(problem_of(text), Catch::Contains(what));
  }
  // A null error pointer is allowed.
  CHECK_FALSE(parse_tone("t", "garbage").has_value());
}

TEST_CASE("valid_tone_name: lower-case letters, digits and '_', at most 32",
          "[rtp][tone_plan]") {
  CHECK(valid_tone_name("busy"));
  CHECK(valid_tone_name("ringback_uk"));
  CHECK(valid_tone_name("x9"));
  CHECK(valid_tone_name(std::string(32, 'a')));
  CHECK_FALSE(valid_tone_name(std::string(33, 'a')));
  CHECK_FALSE(valid_tone_name(""));
  CHECK_FALSE(valid_tone_name("9x"));
  CHECK_FALSE(valid_tone_name("_x"));
  CHECK_FALSE(valid_tone_name("Busy"));
  CHECK_FALSE(valid_tone_name("ring-back"));
}

TEST_CASE("tone_plan: defaults, overrides and unknown names", "[rtp][tone_plan]") {
  tone_plan plan;
  for (const auto* name :
       {"dial", "ringback", "busy", "congestion", "ringback_uk", "moh"}) {
    INFO(name);
    CHECK(plan.get(name) == default_tone(name));
  }
  CHECK(plan.tones().size() == 6);

  const auto us = parse_tone("whatever", "440+480/2000,0/4000");
  REQUIRE(us.has_value());
  REQUIRE(plan.set("ringback", *us));
  CHECK(plan.get("ringback").name == "ringback");
  CHECK(plan.get("ringback").cadence == us->cadence);
  CHECK(plan.get("busy") == default_tone("busy"));
  CHECK(plan.tones().size() == 6);

  REQUIRE(plan.set("howler", *parse_tone("howler", "!1400+2060/100,0/100")));
  CHECK_FALSE(plan.get("howler").repeat);
  CHECK(plan.tones().size() == 7);

  // Unknown: the one shared silent spec, which plays nothing and ends.
  const tone_spec& unknown = plan.get("nope");
  CHECK(&unknown == &plan.get("other"));
  CHECK(unknown.cadence.empty());
  CHECK_FALSE(unknown.repeat);
  CHECK(valid(unknown));
}

TEST_CASE("tone_plan: set refuses bad names, unplayable specs and a 33rd tone",
          "[rtp][tone_plan]") {
  tone_plan plan;
  const tone_spec beep{"", {{1000, 0, -13, 100, 100}}, true};
  CHECK_FALSE(plan.set("Busy", beep));
  CHECK_FALSE(plan.set("", beep));
  CHECK_FALSE(plan.set("busy", tone_spec{"", {{4000, 0, -13, 100, 0}}, true}));
  CHECK_FALSE(plan.set("busy", tone_spec{"", {}, true})); // repeats nothing
  CHECK(plan.get("busy") == default_tone("busy"));
  const auto before = plan.tones().size();
  for (std::size_t i = before; i < tone_plan_tones_max; ++i)
    REQUIRE(plan.set("extra" + std::to_string(i), beep));
  CHECK(plan.tones().size() == tone_plan_tones_max);
  CHECK_FALSE(plan.set("one_too_many", beep));
  CHECK(plan.get("one_too_many").cadence.empty());
  CHECK(plan.set("busy", beep)); // replacing still works when full
  CHECK(plan.get("busy").cadence == beep.cadence);
}
