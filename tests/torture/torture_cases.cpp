#include "tests/torture/torture_cases.hpp"

#include <array>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "tests/torture/torture_checks.hpp"

namespace ringdown::torture {

namespace {

using e = expect;
using pe = sip::parse_error;

// One row per message of RFC 4475 §3, with what the RFC's paragraph says an
// element does with it. Statuses the parser API does not produce on its own
// (parser.hpp documents 400/413/414) but the RFC names are marked "RFC:".
constexpr std::array cases{
    // -- §3.1.1 valid messages: "must accept" / "well formed" ---------------
    torture_case{"wsinv", "3.1.1.1", e::valid, 0, 0, pe::none, check_wsinv},
    torture_case{"intmeth", "3.1.1.2", e::valid, 0, 0, pe::none, check_intmeth},
    torture_case{"esc01", "3.1.1.3", e::valid, 0, 0, pe::none, check_esc01},
    torture_case{"escnull", "3.1.1.4", e::valid, 0, 0, pe::none, check_escnull},
    torture_case{"esc02", "3.1.1.5", e::valid, 0, 0, pe::none, check_esc02},
    torture_case{"lwsdisp", "3.1.1.6", e::valid, 0, 0, pe::none, check_lwsdisp},
    torture_case{"longreq", "3.1.1.7", e::valid, 0, 0, pe::none, check_longreq},
    torture_case{"dblreq", "3.1.1.8", e::valid, 0, 0, pe::none, check_dblreq},
    torture_case{"semiuri", "3.1.1.9", e::valid, 0, 0, pe::none, check_semiuri},
    torture_case{"transports", "3.1.1.10", e::valid, 0, 0, pe::none, check_transports},
    torture_case{"mpart01", "3.1.1.11", e::valid, 0, 0, pe::none, check_mpart01},
    torture_case{"unreason", "3.1.1.12", e::valid, 0, 0, pe::none, check_unreason},
    torture_case{"noreason", "3.1.1.13", e::valid, 0, 0, pe::none, check_noreason},

    // -- §3.1.2 invalid messages ---------------------------------------------
    // "should respond with a 400 Bad Request"
    torture_case{"badinv01", "3.1.2.1", e::reject, 400},
    // UDP: "should respond with a 400"; the bytes are one datagram.
    torture_case{"clerr", "3.1.2.2", e::reject, 400, 0, pe::body_length},
    // "should respond with an error"; UDP: discard the rest.
    torture_case{"ncl", "3.1.2.3", e::reject, 400},
    // "should respond with a 400 Bad Request due to the CSeq error"
    torture_case{"scalar02", "3.1.2.4", e::reject, 400},
    // a response: "will simply discard it"
    torture_case{"scalarlg", "3.1.2.5", e::drop},
    // "should return a 400"; "could attempt to infer a terminating quote"
    torture_case{"quotbal", "3.1.2.6", e::reject_or_liberal, 400, 0, pe::none,
                 check_quotbal},
    // "reasonable always to reject ... 400"; liberal: ignore the brackets
    torture_case{"ltgtruri", "3.1.2.7", e::reject_or_liberal, 400, 0, pe::none,
                 check_ltgtruri},
    // "should respond with a 400"; liberal: ignore the embedded LWS
    torture_case{"lwsruri", "3.1.2.8", e::reject_or_liberal, 400, 0, pe::none,
                 check_lwsruri},
    // "acceptable to reject ... as malformed"; liberal: ignore extra SP
    torture_case{"lwsstart", "3.1.2.9", e::reject_or_liberal, 400, 0, pe::none,
                 check_lwsstart},
    torture_case{"trws", "3.1.2.10", e::reject_or_liberal, 400, 0, pe::none, check_trws},
    // "acceptable ... to reject with a 400"; liberal: ignore escaped headers
    torture_case{"escruri", "3.1.2.11", e::reject_or_liberal, 400, 0, pe::none,
                 check_escruri},
    // "acceptable to reject ... (though an element shouldn't do that unless
    // the contents of the Date header field were actually important)"
    torture_case{"baddate", "3.1.2.12", e::reject_or_liberal, 400, 0, pe::none,
                 check_baddate},
    // "reasonable ... to respond with a 400"; liberal: infer the <>
    torture_case{"regbadct", "3.1.2.13", e::reject_or_liberal, 400, 0, pe::none,
                 check_regbadct},
    // "must not break"; "reasonable to reject ... 400"; liberal: ignore spaces
    torture_case{"badaspec", "3.1.2.14", e::reject_or_liberal, 400, 0, pe::none,
                 check_badaspec},
    // "reasonable always to reject ... 400"; liberal: infer the quotes
    torture_case{"baddn", "3.1.2.15", e::reject_or_liberal, 400, 0, pe::none, check_baddn},
    // RFC: "should respond ... with a 505 Version Not Supported".
    torture_case{"badvers", "3.1.2.16", e::reject, 505},
    // "Any element receiving this request will respond with a 400"
    torture_case{"mismatch01", "3.1.2.17", e::reject, 400, 0, pe::cseq_mismatch},
    // RFC: "should respond with a 501 Not Implemented. A 400 ... is also acceptable"
    torture_case{"mismatch02", "3.1.2.18", e::reject, 501, 400},
    // a response with code > 699: "should simply drop it"
    torture_case{"bigcode", "3.1.2.19", e::drop},

    // -- §3.2 transaction layer ----------------------------------------------
    // "must not break"; "could reject ... with a 400" or fall back to RFC 2543
    torture_case{"badbranch", "3.2.1", e::reject_or_liberal, 400, 0, pe::none,
                 check_badbranch},

    // -- §3.3 application layer ----------------------------------------------
    // no Call-ID, From, To: "must not break ... Ideally, it will respond with
    // a 400 Bad Request" (answered without those fields).
    torture_case{"insuf", "3.3.1", e::reject, 400, 0, pe::missing_header},
    // RFC: 416 Unsupported URI Scheme (RFC 3261 §8.2.2.1), above the parser.
    torture_case{"unkscm", "3.3.2", e::parse_or_status, 416, 0, pe::none, check_unkscm},
    torture_case{"novelsc", "3.3.3", e::parse_or_status, 416, 0, pe::none, check_novelsc},
    // RFC: parsers must not fail; a registrar answers 400 (To is no SIP AOR);
    // 416 is the scheme-based answer.
    torture_case{"unksm2", "3.3.4", e::parse_or_status, 400, 416, pe::none, check_unksm2},
    // RFC: 420 Bad Extension, above the parser.
    torture_case{"bext01", "3.3.5", e::valid, 0, 0, pe::none, check_bext01},
    // RFC: 415 Unsupported Media Type, above the parser.
    torture_case{"invut", "3.3.6", e::valid, 0, 0, pe::none, check_invut},
    // RFC: registrar rejects the unknown scheme (401 challenge), above the parser.
    torture_case{"regaut01", "3.3.7", e::valid, 0, 0, pe::none, check_regaut01},
    // RFC: "would respond with a 400 Bad Request" (repeated single-value fields).
    torture_case{"multi01", "3.3.8", e::parse_or_status, 400, 0, pe::none, check_multi01},
    // "should respond with an error"; framing is unknowable: the parser's call.
    torture_case{"mcl01", "3.3.9", e::reject, 400},
    // a response: "parsers must not fail"; processed normally.
    torture_case{"bcast", "3.3.10", e::valid, 0, 0, pe::none, check_bcast},
    // RFC: a proxy answers 483 Too Many Hops, above the parser.
    torture_case{"zeromf", "3.3.11", e::valid, 0, 0, pe::none, check_zeromf},
    torture_case{"cparam01", "3.3.12", e::valid, 0, 0, pe::none, check_cparam01},
    torture_case{"cparam02", "3.3.13", e::valid, 0, 0, pe::none, check_cparam02},
    torture_case{"regescrt", "3.3.14", e::valid, 0, 0, pe::none, check_regescrt},
    // RFC: 406 Not Acceptable (or 400), above the parser.
    torture_case{"sdp01", "3.3.15", e::valid, 0, 0, pe::none, check_sdp01},

    // -- §3.4 backward compatibility ----------------------------------------
    torture_case{"inv2543", "3.4.1", e::valid, 0, 0, pe::none, check_inv2543},
};

} // namespace

std::span<const torture_case> all_cases() {
  return cases;
}

std::string load_message(std::string_view file) {
  const std::string path =
      std::string(RINGDOWN_TORTURE_DIR) + "/" + std::string(file) + ".dat";
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot open " + path);
  }
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace ringdown::torture
