#include <string>

#include <catch2/catch.hpp>

#include "net/sdp/hold.hpp"
#include "net/sdp/offer.hpp"

namespace sdp = ringdown::sdp;
using sdp::direction;
using sdp::reject_reason;

namespace {

sdp::capabilities our_caps() {
  sdp::capabilities c;
  c.codecs = {{"PCMA", 8000, 1, "", "audio"},
              {"PCMU", 8000, 1, "", "audio"},
              {"opus", 48000, 2, "useinbandfec=1", "audio"}};
  c.endpoints = {{"10.1.1.1", 20000}};
  c.ptime_ms = 20;
  return c;
}

} // namespace

TEST_CASE("sdp offer: shape of our offer", "[sdp][offer]") {
  ringdown::rng gen{5};
  sdp::origin_state origin{"10.1.1.1", 900, 1};
  const auto offer = sdp::make_offer(our_caps(), origin);
  CHECK(sdp::serialize(offer) == "v=0\r\n"
                                 "o=- 900 1 IN IP4 10.1.1.1\r\n"
                                 "s=-\r\n"
                                 "c=IN IP4 10.1.1.1\r\n"
                                 "t=0 0\r\n"
                                 "m=audio 20000 RTP/AVP 8 0 96 97\r\n"
                                 "a=rtpmap:8 PCMA/8000\r\n"
                                 "a=rtpmap:0 PCMU/8000\r\n"
                                 "a=rtpmap:96 opus/48000/2\r\n"
                                 "a=fmtp:96 useinbandfec=1\r\n"
                                 "a=rtpmap:97 telephone-event/8000\r\n"
                                 "a=fmtp:97 0-15\r\n"
                                 "a=ptime:20\r\n"
                                 "a=rtcp-mux\r\n"
                                 "a=sendrecv\r\n");
  auto back = sdp::parse(sdp::serialize(offer));
  REQUIRE(back);
  CHECK(*back == offer);
  auto caps = our_caps();
  caps.codecs.pop_back();
  const auto plain = sdp::make_offer(caps, origin);
  CHECK(plain.origin.sess_version == "2");
  CHECK(plain.media[0].formats == std::vector<std::string>{"8", "0", "101"});
}

TEST_CASE("sdp offer: offer answer and read_answer agree end to end", "[sdp][offer]") {
  ringdown::rng gen{6};
  sdp::origin_state a_origin{"10.1.1.1", 1, 1}, b_origin{"10.2.2.2", 2, 1};
  auto a_caps = our_caps();
  a_caps.srtp = sdp::srtp_policy::required;
  const auto offer = sdp::make_offer(a_caps, a_origin);
  CHECK(offer.media[0].proto == "RTP/SAVP");
  CHECK(sdp::media_cryptos(offer.media[0]).size() == 2);

  sdp::capabilities b_caps;
  b_caps.codecs = {{"PCMU", 8000, 1, "", "audio"}};
  b_caps.order = sdp::codec_order::local;
  b_caps.endpoints = {{"10.2.2.2", 30000}};
  b_caps.local_direction = direction::recvonly;
  b_caps.crypto_suites = {"AES_CM_128_HMAC_SHA1_32"};
  const auto answer = sdp::make_answer(offer, b_caps, b_origin);
  REQUIRE(answer.streams[0].accepted());

  std::string err;
  auto read = sdp::read_answer(offer, *sdp::parse(sdp::serialize(answer.sdp)), &err);
  REQUIRE(read);
  const auto& a = read->at(0);
  REQUIRE(a.accepted());
  CHECK(a.codecs.at(0).payload_type == 0);
  CHECK(a.telephone_event_pt == std::optional<std::uint8_t>(97));
  CHECK(a.local == direction::sendonly); // they only receive
  CHECK(a.remote_address == "10.2.2.2");
  CHECK(a.remote_port == 30000);
  CHECK(a.rtcp_mux);
  REQUIRE(a.local_crypto);
  CHECK(a.local_crypto->suite == "AES_CM_128_HMAC_SHA1_32");
  CHECK(a.local_crypto == answer.streams[0].remote_crypto);
  CHECK(a.remote_crypto == answer.streams[0].local_crypto);
}

TEST_CASE("sdp offer: read_answer rejects answers that do not match", "[sdp][offer]") {
  ringdown::rng gen{7};
  sdp::origin_state origin{"10.1.1.1", 1, 1};
  const auto offer = sdp::make_offer(our_caps(), origin);
  std::string err;
  auto extra = offer;
  extra.media.push_back(extra.media[0]);
  CHECK_FALSE(sdp::read_answer(offer, extra, &err));
  CHECK_THAT(err, Catch::Matchers::Contains("answer has 2 m= lines, offer had 1"));

  auto refused = offer;
  refused.media[0].port = 0;
  auto r = sdp::read_answer(offer, refused);
  REQUIRE(r);
  CHECK(r->at(0).rejected == reject_reason::answer_rejected);

  auto foreign = offer; // answers a codec we never offered
  foreign.media[0].formats = {"18"};
  foreign.media[0].attributes.clear();
  r = sdp::read_answer(offer, foreign);
  REQUIRE(r);
  CHECK(r->at(0).rejected == reject_reason::no_common_codec);

  auto held = sdp::make_hold(offer); // peer answers sendonly: we only receive
  r = sdp::read_answer(offer, held);
  REQUIRE(r);
  CHECK(r->at(0).local == direction::recvonly);
}
