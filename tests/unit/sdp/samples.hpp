#pragma once

#include <string_view>

/// Real-world shaped SDP bodies shared by the SDP tests (CRLF, well-formed:
/// each must come back byte for byte through parse and serialize).
namespace ringdown::sdp::samples {

// Polycom VVX style offer: G722, PCMU, PCMA, G729 with annexb, te, ptime.
inline constexpr std::string_view polycom =
    "v=0\r\n"
    "o=- 1700000001 1700000001 IN IP4 192.168.10.21\r\n"
    "s=Polycom IP Phone\r\n"
    "c=IN IP4 192.168.10.21\r\n"
    "t=0 0\r\n"
    "a=sendrecv\r\n"
    "m=audio 2222 RTP/AVP 9 0 8 18 127\r\n"
    "a=rtpmap:9 G722/8000\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:18 G729/8000\r\n"
    "a=fmtp:18 annexb=no\r\n"
    "a=rtpmap:127 telephone-event/8000\r\n"
    "a=fmtp:127 0-15\r\n"
    "a=ptime:20\r\n";

// Cisco CUCM / IOS style: session bandwidth, static types only, te as 101.
inline constexpr std::string_view cisco = "v=0\r\n"
                                          "o=CiscoSystemsCCM-SIP 2000 1 IN IP4 10.1.1.5\r\n"
                                          "s=SIP Call\r\n"
                                          "c=IN IP4 10.1.1.20\r\n"
                                          "b=AS:64\r\n"
                                          "t=0 0\r\n"
                                          "m=audio 16384 RTP/AVP 0 8 101\r\n"
                                          "b=TIAS:64000\r\n"
                                          "a=rtpmap:101 telephone-event/8000\r\n"
                                          "a=fmtp:101 0-16\r\n"
                                          "a=ptime:20\r\n"
                                          "a=maxptime:40\r\n"
                                          "a=X-cisco-media:umoh\r\n";

// Yealink style with a=rtcp (RFC 3605) and an unknown vendor attribute.
inline constexpr std::string_view yealink = "v=0\r\n"
                                            "o=- 20003 20003 IN IP4 172.16.0.44\r\n"
                                            "s=SDP data\r\n"
                                            "c=IN IP4 172.16.0.44\r\n"
                                            "t=0 0\r\n"
                                            "m=audio 11796 RTP/AVP 8 0 18 9 101\r\n"
                                            "a=rtpmap:8 PCMA/8000\r\n"
                                            "a=rtpmap:0 PCMU/8000\r\n"
                                            "a=rtpmap:18 G729/8000\r\n"
                                            "a=fmtp:18 annexb=no\r\n"
                                            "a=rtpmap:9 G722/8000\r\n"
                                            "a=fmtp:101 0-15\r\n"
                                            "a=rtpmap:101 telephone-event/8000\r\n"
                                            "a=ptime:20\r\n"
                                            "a=rtcp:11797 IN IP4 172.16.0.44\r\n"
                                            "a=yl-vendor:x\r\n"
                                            "a=sendrecv\r\n";

// baresip style: opus stereo at 48 kHz, te at 48000 and 8000, rtcp-mux.
inline constexpr std::string_view baresip = "v=0\r\n"
                                            "o=- 1234567890 9876543210 IN IP4 127.0.0.1\r\n"
                                            "s=-\r\n"
                                            "c=IN IP4 127.0.0.1\r\n"
                                            "t=0 0\r\n"
                                            "a=tool:baresip 2.0.0\r\n"
                                            "m=audio 10000 RTP/AVP 96 0 8 101 102\r\n"
                                            "b=AS:106\r\n"
                                            "a=rtpmap:96 opus/48000/2\r\n"
                                            "a=fmtp:96 stereo=1;sprop-stereo=1\r\n"
                                            "a=rtpmap:101 telephone-event/48000\r\n"
                                            "a=rtpmap:102 telephone-event/8000\r\n"
                                            "a=fmtp:102 0-15\r\n"
                                            "a=rtcp-mux\r\n"
                                            "a=sendrecv\r\n"
                                            "a=label:1\r\n"
                                            "a=ssrc:3377443 cname:d3a1-c0ff-ee\r\n";

// Trading turret: PCMA only plus telephone-event, ptime 20.
inline constexpr std::string_view turret = "v=0\r\n"
                                           "o=turret 4711 4712 IN IP4 10.20.30.40\r\n"
                                           "s=-\r\n"
                                           "c=IN IP4 10.20.30.40\r\n"
                                           "t=0 0\r\n"
                                           "m=audio 40000 RTP/AVP 8 100\r\n"
                                           "a=rtpmap:8 PCMA/8000\r\n"
                                           "a=rtpmap:100 telephone-event/8000\r\n"
                                           "a=fmtp:100 0-15\r\n"
                                           "a=ptime:20\r\n"
                                           "a=sendrecv\r\n";

// SDES-SRTP offer with two crypto lines (80 preferred, then 32 with MKI).
inline constexpr std::string_view srtp =
    "v=0\r\n"
    "o=- 3001 3001 IN IP4 10.0.0.7\r\n"
    "s=-\r\n"
    "c=IN IP4 10.0.0.7\r\n"
    "t=0 0\r\n"
    "m=audio 50000 RTP/SAVP 8 0 101\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-15\r\n"
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 "
    "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4\r\n"
    "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj\r\n"
    "a=sendrecv\r\n";

// IPv6, session-level sendonly overridden at media level, a port count,
// an i= line, a multicast-free video stream, phone and email lines.
inline constexpr std::string_view ipv6_mixed =
    "v=0\r\n"
    "o=alice 2890844526 2890842807 IN IP6 2001:db8::10\r\n"
    "s=Desk 4\r\n"
    "i=Trading floor desk\r\n"
    "u=https://example.com/desk4\r\n"
    "e=ops@example.com\r\n"
    "p=+44 20 7946 0000\r\n"
    "c=IN IP6 2001:db8::10\r\n"
    "t=2873397496 2873404696\r\n"
    "r=7d 1h 0 25h\r\n"
    "z=2882844526 -1h 2898848070 0\r\n"
    "a=sendonly\r\n"
    "m=audio 49170/2 RTP/AVP 0\r\n"
    "i=Main audio\r\n"
    "a=recvonly\r\n"
    "m=video 51372 RTP/AVP 99\r\n"
    "c=IN IP6 2001:db8::11\r\n"
    "b=AS:512\r\n"
    "k=prompt\r\n"
    "a=rtpmap:99 H264/90000\r\n";

// Multicast c= forms (IP4 ttl/count, IP6 count).
inline constexpr std::string_view multicast = "v=0\r\n"
                                              "o=- 1 1 IN IP4 10.0.0.1\r\n"
                                              "s=Market data audio\r\n"
                                              "c=IN IP4 224.2.1.1/127/3\r\n"
                                              "t=0 0\r\n"
                                              "m=audio 5004 RTP/AVP 8\r\n"
                                              "c=IN IP6 FF15::101/3\r\n"
                                              "c=IN IP4 224.2.1.9/64\r\n";

} // namespace ringdown::sdp::samples
