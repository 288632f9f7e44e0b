#include <string>

#include <catch2/catch.hpp>

#include "net/sdp/offer_answer.hpp"
#include "tests/unit/sdp/samples.hpp"

namespace sdp = ringdown::sdp;
namespace samples = ringdown::sdp::samples;
using sdp::direction;
using sdp::reject_reason;

namespace {

/// An offer with one audio stream: `formats` on the m= line, `extra` lines
/// appended to the media section.
sdp::session offer_of(std::string_view formats, std::string_view extra = "",
                      std::string_view proto = "RTP/AVP") {
  std::string text = "v=0\r\no=peer 10 10 IN IP4 10.9.9.9\r\ns=-\r\nc=IN IP4 10.9.9.9\r\n"
                     "t=0 0\r\nm=audio 30000 ";
  text.append(proto).append(" ").append(formats).append("\r\n").append(extra);
  auto s = sdp::parse(text);
  REQUIRE(s);
  return *s;
}

sdp::capabilities caps_of(std::initializer_list<sdp::local_codec> codecs) {
  sdp::capabilities c;
  c.codecs = codecs;
  c.endpoints = {{"10.1.1.1", 20000}, {"10.1.1.1", 20002}};
  return c;
}

const sdp::local_codec pcmu{"PCMU", 8000, 1, "", "audio"};
const sdp::local_codec pcma{"PCMA", 8000, 1, "", "audio"};
const sdp::local_codec g729{"G729", 8000, 1, "", "audio"};

struct fixture {
  ringdown::rng gen{1234};
  sdp::origin_state origin{"10.1.1.1", 555, 1};

  sdp::answer answer(const sdp::session& offer, const sdp::capabilities& caps) {
    auto a = sdp::make_answer(offer, caps, origin);
    // Every answer is well-formed SDP that survives a round trip.
    auto back = sdp::parse(sdp::serialize(a.sdp));
    REQUIRE(back);
    CHECK(*back == a.sdp);
    REQUIRE(a.sdp.media.size() == offer.media.size());
    REQUIRE(a.streams.size() == offer.media.size());
    return a;
  }
};

} // namespace

TEST_CASE_METHOD(fixture, "sdp answer: codec order rule offerer versus local",
                 "[sdp][oa]") {
  // Offer lists PCMA, PCMU, G729; we prefer PCMU then PCMA.
  const auto offer = offer_of("8 0 18");
  struct row {
    sdp::codec_order order;
    std::uint8_t chosen;
  };
  // Default (RFC 3264 §6.1 recommendation): the offer's order decides.
  const row rows[] = {{sdp::codec_order::offerer, 8}, {sdp::codec_order::local, 0}};
  for (const auto& r : rows) {
    auto caps = caps_of({pcmu, pcma});
    caps.order = r.order;
    auto a = answer(offer, caps);
    REQUIRE(a.streams[0].accepted());
    REQUIRE(a.streams[0].codecs.size() == 1);
    CHECK(a.streams[0].codecs[0].payload_type == r.chosen);
    CHECK(a.sdp.media[0].formats == std::vector<std::string>{std::to_string(r.chosen)});
    CHECK(a.sdp.media[0].port == 20000);
  }
  CHECK(sdp::capabilities{}.order == sdp::codec_order::offerer);
  auto caps = caps_of({pcmu, pcma, g729});
  caps.answer_codecs_max = 2;
  auto a = answer(offer, caps);
  CHECK(a.sdp.media[0].formats == std::vector<std::string>{"8", "0"});
}

TEST_CASE_METHOD(fixture, "sdp answer: no common codec rejects the stream with port 0",
                 "[sdp][oa]") {
  auto a = answer(offer_of("18 101", "a=rtpmap:101 telephone-event/8000\r\n"),
                  caps_of({pcmu, pcma}));
  CHECK(a.streams[0].rejected == reject_reason::no_common_codec);
  CHECK(a.sdp.media[0].port == 0);
  CHECK(a.sdp.media[0].formats == std::vector<std::string>{"18"});
  CHECK(a.sdp.media[0].attributes.empty());
  CHECK_FALSE(a.any_accepted());
}

TEST_CASE_METHOD(fixture, "sdp answer: telephone-event answered only when offered",
                 "[sdp][oa][rfc4733]") {
  auto offer = sdp::parse(samples::turret);
  REQUIRE(offer);
  auto a = answer(*offer, caps_of({pcma}));
  const auto& m = a.sdp.media[0];
  CHECK(m.formats == std::vector<std::string>{"8", "100"});
  CHECK(a.streams[0].telephone_event_pt == std::optional<std::uint8_t>(100));
  CHECK(m.attributes ==
        std::vector<sdp::attribute>{{"rtpmap", std::string("8 PCMA/8000")},
                                    {"rtpmap", std::string("100 telephone-event/8000")},
                                    {"fmtp", std::string("100 0-15")},
                                    {"sendrecv", std::nullopt}});
  SECTION("absent from the offer") {
    auto b = answer(offer_of("8"), caps_of({pcma}));
    CHECK(b.sdp.media[0].formats == std::vector<std::string>{"8"});
    CHECK_FALSE(b.streams[0].telephone_event_pt);
  }
  SECTION("disabled locally") {
    auto caps = caps_of({pcma});
    caps.telephone_event = false;
    auto b = answer(*offer, caps);
    CHECK(b.sdp.media[0].formats == std::vector<std::string>{"8"});
  }
  SECTION("event ranges intersect") {
    auto cisco = sdp::parse(samples::cisco); // offers 0-16
    auto caps = caps_of({pcmu});
    auto b = answer(*cisco, caps);
    CHECK(sdp::to_string(b.streams[0].telephone_events) == "0-15");
    caps.telephone_events = *sdp::parse_events("0-11");
    auto c = answer(*cisco, caps);
    CHECK(sdp::to_string(c.streams[0].telephone_events) == "0-11");
    caps.telephone_events = *sdp::parse_events("200");
    auto d = answer(*cisco, caps);
    CHECK_FALSE(d.streams[0].telephone_event_pt);
  }
  SECTION("clock rate follows the chosen codec") {
    auto baresip = sdp::parse(samples::baresip); // te at 48000 (101) and 8000 (102)
    auto b = answer(*baresip, caps_of({pcmu}));
    CHECK(b.sdp.media[0].formats == std::vector<std::string>{"0", "102"});
    auto c = answer(*baresip, caps_of({{"OPUS", 48000, 2, "", "audio"}}));
    CHECK(c.sdp.media[0].formats == std::vector<std::string>{"96", "101"});
    // Offered fmtp carried back since we set none.
    CHECK(c.sdp.media[0].attributes[1] ==
          sdp::attribute{"fmtp", std::string("96 stereo=1;sprop-stereo=1")});
  }
}

TEST_CASE_METHOD(fixture, "sdp answer: the offer's payload type numbers are kept",
                 "[sdp][oa]") {
  auto a = answer(offer_of("97 0 120", "a=rtpmap:97 pcma/8000\r\n"
                                       "a=rtpmap:120 telephone-event/8000\r\n"),
                  caps_of({pcma}));
  CHECK(a.sdp.media[0].formats == std::vector<std::string>{"97", "120"});
  CHECK(a.sdp.media[0].attributes[0] ==
        sdp::attribute{"rtpmap", std::string("97 pcma/8000")});
  CHECK(a.streams[0].codecs[0].payload_type == 97);
}

TEST_CASE_METHOD(fixture, "sdp answer: fmtp compatibility", "[sdp][oa][fmtp]") {
  const auto offer = offer_of("18 0", "a=fmtp:18 annexb=no\r\n");
  auto strict = sdp::local_codec{"G729", 8000, 1, "AnnexB=no", "audio"};
  auto a = answer(offer, caps_of({strict, pcmu}));
  CHECK(a.streams[0].codecs[0].payload_type == 18);
  auto yes = sdp::local_codec{"G729", 8000, 1, "annexb=yes", "audio"};
  auto b = answer(offer, caps_of({yes, pcmu}));
  CHECK(b.streams[0].codecs[0].payload_type == 0); // G729 fmtp differs
  auto c = answer(offer, caps_of({g729}));         // no local fmtp: carry the offer's
  CHECK(c.sdp.media[0].attributes.at(1) ==
        sdp::attribute{"fmtp", std::string("18 annexb=no")});
  auto d = answer(offer_of("18"), caps_of({strict}));
  CHECK(d.streams[0].rejected == reject_reason::no_common_codec);
}

TEST_CASE_METHOD(fixture, "sdp answer: every direction row of RFC 3264 section 6.1",
                 "[sdp][oa][direction]") {
  struct row {
    std::string_view offer_extra;
    direction local_policy;
    direction answered;
  };
  const row rows[] = {
      {"a=sendrecv\r\n", direction::sendrecv, direction::sendrecv},
      {"", direction::sendrecv, direction::sendrecv}, // no attribute means sendrecv
      {"a=sendonly\r\n", direction::sendrecv, direction::recvonly},
      {"a=recvonly\r\n", direction::sendrecv, direction::sendonly},
      {"a=inactive\r\n", direction::sendrecv, direction::inactive},
      {"a=sendrecv\r\n", direction::sendonly, direction::sendonly},
      {"a=sendrecv\r\n", direction::recvonly, direction::recvonly},
      {"a=sendrecv\r\n", direction::inactive, direction::inactive},
      {"a=sendonly\r\n", direction::sendonly, direction::inactive},
      {"a=recvonly\r\n", direction::recvonly, direction::inactive},
      {"a=sendonly\r\n", direction::recvonly, direction::recvonly},
      {"a=recvonly\r\n", direction::sendonly, direction::sendonly},
      {"a=inactive\r\n", direction::inactive, direction::inactive},
      {"c=IN IP4 0.0.0.0\r\n", direction::sendrecv, direction::recvonly}, // RFC 2543 hold
  };
  for (const auto& r : rows) {
    INFO(r.offer_extra << " local " << sdp::to_string(r.local_policy));
    auto caps = caps_of({pcmu});
    caps.local_direction = r.local_policy;
    auto a = answer(offer_of("0", r.offer_extra), caps);
    CHECK(a.streams[0].local == r.answered);
    CHECK(sdp::media_direction(a.sdp, a.sdp.media[0]) == r.answered);
  }
  // A session-level direction of the offer applies to its streams.
  auto s = offer_of("0");
  s.attributes.push_back({"sendonly", std::nullopt});
  CHECK(answer(s, caps_of({pcmu})).streams[0].local == direction::recvonly);
}

TEST_CASE_METHOD(fixture, "sdp answer: SRTP crypto suite selection", "[sdp][oa][crypto]") {
  auto offer = sdp::parse(samples::srtp);
  REQUIRE(offer);
  SECTION("the first offered suite we support wins") {
    auto a = answer(*offer, caps_of({pcma}));
    REQUIRE(a.streams[0].accepted());
    CHECK(a.sdp.media[0].proto == "RTP/SAVP");
    REQUIRE(a.streams[0].local_crypto);
    CHECK(a.streams[0].local_crypto->tag == 1);
    CHECK(a.streams[0].local_crypto->suite == "AES_CM_128_HMAC_SHA1_80");
    CHECK(a.streams[0].remote_crypto->keys[0].mki_value == std::optional<std::uint32_t>(1));
    const auto ours = sdp::media_cryptos(a.sdp.media[0]);
    REQUIRE(ours.size() == 1);
    CHECK(ours[0] == *a.streams[0].local_crypto);
    CHECK(sdp::key_fits_suite(ours[0].keys[0], ours[0].suite));
    CHECK(ours[0].keys[0].key_salt != a.streams[0].remote_crypto->keys[0].key_salt);
    // Keys are secrets from the cryptographic generator, never from the
    // injected rng: the same seed and origin give another key.
    sdp::origin_state o2{"10.1.1.1", 555, 1};
    auto b = sdp::make_answer(*offer, caps_of({pcma}), o2);
    REQUIRE(b.streams[0].local_crypto);
    CHECK(b.streams[0].local_crypto->keys[0].key_salt !=
          a.streams[0].local_crypto->keys[0].key_salt);
    CHECK(
        sdp::key_fits_suite(b.streams[0].local_crypto->keys[0], "AES_CM_128_HMAC_SHA1_80"));
  }
  SECTION("only the second suite is ours") {
    auto caps = caps_of({pcma});
    caps.crypto_suites = {"AES_CM_128_HMAC_SHA1_32"};
    auto a = answer(*offer, caps);
    CHECK(a.streams[0].local_crypto->tag == 2);
    CHECK(a.streams[0].local_crypto->suite == "AES_CM_128_HMAC_SHA1_32");
  }
  SECTION("caller-supplied key") {
    auto caps = caps_of({pcma});
    caps.key_source = [](std::string_view) {
      return std::string("QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB");
    };
    auto a = answer(*offer, caps);
    CHECK(a.streams[0].local_crypto->keys[0].key_salt ==
          "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB");
  }
  SECTION("no common suite rejects the stream") {
    auto caps = caps_of({pcma});
    caps.crypto_suites = {"AES_256_CM_HMAC_SHA1_80"};
    auto a = answer(*offer, caps);
    CHECK(a.streams[0].rejected == reject_reason::no_common_crypto);
    CHECK(a.sdp.media[0].port == 0);
    CHECK(a.sdp.media[0].proto == "RTP/SAVP");
  }
  SECTION("crypto with unsupported session parameters is skipped") {
    auto o = offer_of("8",
                      "a=crypto:5 AES_CM_128_HMAC_SHA1_80 "
                      "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz UNENCRYPTED_SRTP\r\n"
                      "a=crypto:6 AES_CM_128_HMAC_SHA1_80 "
                      "inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n",
                      "RTP/SAVP");
    CHECK(answer(o, caps_of({pcma})).streams[0].local_crypto->tag == 6);
  }
  SECTION("SRTP off or required") {
    auto caps = caps_of({pcma});
    caps.srtp = sdp::srtp_policy::off;
    CHECK(answer(*offer, caps).streams[0].rejected == reject_reason::unsupported_proto);
    caps.srtp = sdp::srtp_policy::required;
    CHECK(answer(offer_of("8"), caps).streams[0].rejected == reject_reason::srtp_required);
    CHECK(answer(*offer, caps).streams[0].accepted());
  }
  SECTION("DTLS-SRTP is not supported") {
    auto o = offer_of("8", "", "UDP/TLS/RTP/SAVPF");
    CHECK(answer(o, caps_of({pcma})).streams[0].rejected ==
          reject_reason::unsupported_proto);
  }
}

TEST_CASE_METHOD(fixture, "sdp answer: m-lines kept in order with rejects", "[sdp][oa]") {
  auto offer = sdp::parse(samples::ipv6_mixed); // audio 0 recvonly, video 99
  REQUIRE(offer);
  auto caps = caps_of({pcmu});
  caps.endpoints = {{"2001:db8::99", 20000}, {"2001:db8::99", 20002}};
  auto a = answer(*offer, caps);
  CHECK(a.sdp.connection->addrtype == "IP6");
  CHECK(a.sdp.media[0].type == "audio");
  CHECK(a.sdp.media[0].port == 20000);
  CHECK(a.streams[0].local == direction::sendonly);
  CHECK(a.streams[0].remote_address == "2001:db8::10");
  CHECK(a.sdp.media[1].type == "video");
  CHECK(a.sdp.media[1].port == 0);
  CHECK(a.sdp.media[1].formats == std::vector<std::string>{"99"});
  CHECK(a.streams[1].rejected == reject_reason::unsupported_media);

  auto two = offer_of("0");
  two.media.push_back(two.media[0]);
  two.media.push_back(two.media[0]);
  two.media[1].port = 0;
  auto b = answer(two, caps_of({pcmu})); // endpoints for two m= lines only
  CHECK(b.streams[0].accepted());
  CHECK(b.streams[1].rejected == reject_reason::offer_rejected);
  CHECK(b.streams[2].rejected == reject_reason::no_endpoint);
  CHECK(b.any_accepted());
}

TEST_CASE_METHOD(fixture, "sdp answer: rtcp-mux ptime and the remote address",
                 "[sdp][oa]") {
  auto offer = sdp::parse(samples::baresip);
  auto caps = caps_of({pcmu});
  caps.ptime_ms = 20;
  auto a = answer(*offer, caps);
  CHECK(a.streams[0].rtcp_mux);
  CHECK(sdp::has_rtcp_mux(a.sdp.media[0]));
  CHECK(sdp::ptime_ms(a.sdp.media[0]) == std::optional<std::uint32_t>(20));
  CHECK(a.streams[0].remote_address == "127.0.0.1");
  CHECK(a.streams[0].remote_port == 10000);
  caps.rtcp_mux = false;
  CHECK_FALSE(sdp::has_rtcp_mux(answer(*offer, caps).sdp.media[0]));
  auto y = answer(*sdp::parse(samples::yealink), caps_of({pcma}));
  REQUIRE(y.streams[0].remote_rtcp);
  CHECK(y.streams[0].remote_rtcp->port == 11797);
}

TEST_CASE_METHOD(fixture, "sdp answer: o= version increments on each answer", "[sdp][oa]") {
  const auto offer = offer_of("0");
  auto a1 = answer(offer, caps_of({pcmu}));
  auto a2 = answer(offer, caps_of({pcmu}));
  auto a3 = answer(offer, caps_of({pcmu}));
  CHECK(a1.sdp.origin.sess_id == "555");
  CHECK(a2.sdp.origin.sess_id == "555");
  CHECK(a1.sdp.origin.sess_version == "1");
  CHECK(a2.sdp.origin.sess_version == "2");
  CHECK(a3.sdp.origin.sess_version == "3");
  CHECK(origin.current().sess_version == "3");
  CHECK(a1.sdp.origin.address == "10.1.1.1");
  auto created = sdp::origin_state::create("10.1.1.1", gen);
  CHECK(created.session_id() == created.version());
  CHECK(created.session_id() < (std::uint64_t{1} << 62));
}
