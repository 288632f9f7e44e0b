// DTMF by SIP INFO: the bodies phones send (application/dtmf-relay,
// application/dtmf) and the ones that name no digit.
#include <catch2/catch.hpp>

#include "net/sip/dtmf_info.hpp"

using ringdown::sip::dtmf_info_digit;
using ringdown::sip::is_dtmf_info;

TEST_CASE("DTMF INFO content types, with parameters and in any case", "[sip][dtmf]") {
  CHECK(is_dtmf_info("application/dtmf-relay"));
  CHECK(is_dtmf_info("Application/DTMF-Relay ; charset=us-ascii"));
  CHECK(is_dtmf_info("application/dtmf"));
  CHECK_FALSE(is_dtmf_info("application/sdp"));
  CHECK_FALSE(is_dtmf_info("application/dtmf-relayx"));
  CHECK_FALSE(is_dtmf_info(""));
}

TEST_CASE("dtmf-relay bodies give the digit of their Signal line", "[sip][dtmf]") {
  const std::string_view relay = "application/dtmf-relay";
  CHECK(dtmf_info_digit(relay, "Signal=5\r\nDuration=160\r\n") == '5');
  CHECK(dtmf_info_digit(relay, "Duration=250\r\nSignal= #\r\n") == '#');
  CHECK(dtmf_info_digit(relay, "signal = *\n") == '*');
  CHECK(dtmf_info_digit(relay, "Signal=10\r\n") == '*');
  CHECK(dtmf_info_digit(relay, "Signal=11") == '#');
  CHECK(dtmf_info_digit(relay, "Signal=d\r\n") == 'D');
  CHECK(dtmf_info_digit(relay, "Signal=A\r\n") == 'A');
  CHECK(dtmf_info_digit(relay, "Signal=0") == '0');
}

TEST_CASE("DTMF INFO bodies that name no digit give none", "[sip][dtmf]") {
  const std::string_view relay = "application/dtmf-relay";
  CHECK_FALSE(dtmf_info_digit(relay, ""));
  CHECK_FALSE(dtmf_info_digit(relay, "Duration=160\r\n"));
  CHECK_FALSE(dtmf_info_digit(relay, "Signal=\r\n"));
  CHECK_FALSE(dtmf_info_digit(relay, "Signal=E\r\n"));
  CHECK_FALSE(dtmf_info_digit(relay, "Signal=12\r\n"));
  CHECK_FALSE(dtmf_info_digit(relay, "Signal=55\r\n"));
  CHECK_FALSE(dtmf_info_digit(relay, "Signal 5\r\n"));
  CHECK_FALSE(dtmf_info_digit("application/sdp", "Signal=5\r\n"));
}

TEST_CASE("application/dtmf bodies are the digit alone", "[sip][dtmf]") {
  CHECK(dtmf_info_digit("application/dtmf", "7") == '7');
  CHECK(dtmf_info_digit("application/dtmf", " #\r\n") == '#');
  CHECK(dtmf_info_digit("application/dtmf", "11") == '#');
  CHECK_FALSE(dtmf_info_digit("application/dtmf", "77"));
  CHECK_FALSE(dtmf_info_digit("application/dtmf", ""));
}
