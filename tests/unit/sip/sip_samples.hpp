#pragma once

#include <string>
#include <string_view>

/// Sample SIP messages shared by the test_sip suites (test thread only).
namespace ringdown::sip::test {

inline std::string sample_sdp() {
  return "v=0\r\no=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\r\n"
         "s=-\r\nc=IN IP4 192.0.2.101\r\nt=0 0\r\nm=audio 49172 RTP/AVP 0\r\n"
         "a=rtpmap:0 PCMU/8000\r\n";
}

/// An INVITE (RFC 3665 §3.1 style) with an SDP body and correct Content-Length.
inline std::string sample_invite() {
  const std::string sdp = sample_sdp();
  return "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
         "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;rport\r\n"
         "Via: SIP/2.0/TCP proxy.example.com:5061;branch=z9hG4bKp1, SIP/2.0/UDP "
         "[2001:db8::9]:5070;branch=z9hG4bKv6;received=192.0.2.9\r\n"
         "Max-Forwards: 70\r\n"
         "To: Bob <sip:bob@biloxi.example.com>\r\n"
         "From: \"Alice A.\" <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
         "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
         "CSeq: 314159 INVITE\r\n"
         "Contact: <sip:alice@pc33.atlanta.example.com;transport=tcp>;q=0.7;expires=60\r\n"
         "Record-Route: <sip:p2.example.com;lr>, <sip:p1.example.com;lr>\r\n"
         "Supported: replaces, Timer\r\n"
         "X-Custom-Thing:   odd ;; value,,\r\n"
         "Content-Type: application/sdp\r\n"
         "Content-Length: " +
         std::to_string(sdp.size()) + "\r\n\r\n" + sdp;
}

inline std::string sample_response() {
  return "SIP/2.0 180 Ringing\r\n"
         "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
         "To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf\r\n"
         "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
         "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
         "CSeq: 314159 INVITE\r\n"
         "Content-Length: 0\r\n\r\n";
}

/// `text` with the first occurrence of `from` replaced by `to`.
inline std::string replace(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  if (at != std::string::npos)
    text.replace(at, from.size(), to);
  return text;
}

} // namespace ringdown::sip::test
