#pragma once

#include <vector>

#include "net/sip/headers.hpp"
#include "net/sip/message.hpp"

/// Per-message assertions (Catch2 macros) on RFC 4475 messages the parser
/// accepted: what the RFC says each message carries. Used by the table in
/// torture_cases.cpp, on the test thread.
namespace ringdown::torture {

/// Every Via value of `m` in order, each parsed; a malformed one fails the test.
std::vector<sip::via> all_vias(const sip::message& m);

// §3.1.1 valid messages (torture_checks_valid.cpp)
void check_wsinv(const sip::message& m);
void check_intmeth(const sip::message& m);
void check_esc01(const sip::message& m);
void check_escnull(const sip::message& m);
void check_esc02(const sip::message& m);
void check_lwsdisp(const sip::message& m);
void check_longreq(const sip::message& m);
void check_dblreq(const sip::message& m);
void check_semiuri(const sip::message& m);
void check_transports(const sip::message& m);
void check_mpart01(const sip::message& m);
void check_unreason(const sip::message& m);
void check_noreason(const sip::message& m);

// §3.1.2 liberal readings the RFC allows (torture_checks_liberal.cpp)
void check_quotbal(const sip::message& m);
void check_ltgtruri(const sip::message& m);
void check_lwsruri(const sip::message& m);
void check_lwsstart(const sip::message& m);
void check_trws(const sip::message& m);
void check_escruri(const sip::message& m);
void check_baddate(const sip::message& m);
void check_regbadct(const sip::message& m);
void check_badaspec(const sip::message& m);
void check_baddn(const sip::message& m);

// §3.2-§3.4 (torture_checks_app.cpp)
void check_badbranch(const sip::message& m);
void check_unkscm(const sip::message& m);
void check_novelsc(const sip::message& m);
void check_unksm2(const sip::message& m);
void check_bext01(const sip::message& m);
void check_invut(const sip::message& m);
void check_regaut01(const sip::message& m);
void check_multi01(const sip::message& m);
void check_bcast(const sip::message& m);
void check_zeromf(const sip::message& m);
void check_cparam01(const sip::message& m);
void check_cparam02(const sip::message& m);
void check_regescrt(const sip::message& m);
void check_sdp01(const sip::message& m);
void check_inv2543(const sip::message& m);

} // namespace ringdown::torture
