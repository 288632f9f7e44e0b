#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "net/sip/message.hpp"

namespace ringdown::test {

/// A minimal well-formed request: `method` to us, with one Via whose
/// transport, sent-by and parameters are given, and `extra` header lines
/// (each ending in CRLF).
inline std::string request_text(std::string_view method, std::string_view via,
                                std::string_view extra = {},
                                std::string_view call_id = "c1@t") {
  std::string s;
  s += method;
  s += " sip:ringdown@127.0.0.1 SIP/2.0\r\nVia: ";
  s += via;
  s += "\r\nMax-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag=f1\r\n"
       "To: <sip:ringdown@127.0.0.1>\r\nCall-ID: ";
  s += call_id;
  s += "\r\nCSeq: 7 ";
  s += method;
  s += "\r\n";
  s += extra;
  s += "Content-Length: 0\r\n\r\n";
  return s;
}

} // namespace ringdown::test
