#include <string>

#include <catch2/catch.hpp>

#include "net/sdp/crypto.hpp"
#include "net/sdp/direction.hpp"
#include "net/sdp/media_attributes.hpp"
#include "net/sdp/rtpmap.hpp"
#include "net/sdp/session.hpp"
#include "tests/unit/sdp/samples.hpp"

namespace sdp = ringdown::sdp;
namespace samples = ringdown::sdp::samples;

TEST_CASE("sdp rtpmap: parse and print", "[sdp][rtpmap]") {
  struct row {
    std::string_view text;
    bool ok;
    sdp::rtpmap expected;
  };
  const row rows[] = {
      {"0 PCMU/8000", true, {0, "PCMU", 8000, std::nullopt}},
      {"96 opus/48000/2", true, {96, "opus", 48000, 2u}},
      {"101 telephone-event/8000", true, {101, "telephone-event", 8000, std::nullopt}},
      {"  8 PCMA/8000  ", true, {8, "PCMA", 8000, std::nullopt}},
      {"128 X/8000", false, {}},
      {"x PCMU/8000", false, {}},
      {"0 PCMU", false, {}},
      {"0 PCMU/0", false, {}},
      {"0 /8000", false, {}},
      {"0 PCMU/8000/0", false, {}},
      {"0", false, {}},
  };
  for (const auto& r : rows) {
    INFO(r.text);
    auto m = sdp::parse_rtpmap(r.text);
    REQUIRE(m.has_value() == r.ok);
    if (r.ok) {
      CHECK(*m == r.expected);
      CHECK(sdp::parse_rtpmap(sdp::to_string(*m)) == m);
    }
  }
  CHECK(sdp::rtpmap{0, "pcmu", 8000, 1u}.same_codec({9, "PCMU", 8000, std::nullopt}));
  CHECK_FALSE(
      sdp::rtpmap{0, "opus", 48000, 2u}.same_codec({9, "opus", 48000, std::nullopt}));
}

TEST_CASE("sdp rtpmap: static payload types are known without rtpmap", "[sdp][rtpmap]") {
  CHECK(sdp::static_payload_type(0) == sdp::rtpmap{0, "PCMU", 8000, std::nullopt});
  CHECK(sdp::static_payload_type(8) == sdp::rtpmap{8, "PCMA", 8000, std::nullopt});
  CHECK(sdp::static_payload_type(9) == sdp::rtpmap{9, "G722", 8000, std::nullopt});
  CHECK(sdp::static_payload_type(18) == sdp::rtpmap{18, "G729", 8000, std::nullopt});
  CHECK(sdp::static_payload_type(10) == sdp::rtpmap{10, "L16", 44100, 2u});
  CHECK_FALSE(sdp::static_payload_type(96));
  CHECK_FALSE(sdp::static_payload_type(1));
}

TEST_CASE("sdp rtpmap: media codecs join formats rtpmaps and fmtps", "[sdp][rtpmap]") {
  auto s = sdp::parse(samples::polycom);
  REQUIRE(s);
  auto codecs = sdp::media_codecs(s->media[0]);
  REQUIRE(codecs.size() == 5);
  CHECK(codecs[0].payload_type == 9);
  CHECK(codecs[0].map->encoding == "G722");
  CHECK(codecs[3].fmtp == std::optional<std::string>("annexb=no"));
  CHECK(sdp::is_telephone_event(*codecs[4].map));
  CHECK(codecs[4].fmtp == std::optional<std::string>("0-15"));
  auto cisco = sdp::parse(samples::cisco);
  auto cc = sdp::media_codecs(cisco->media[0]);
  REQUIRE(cc.size() == 3);
  CHECK(cc[0].map == sdp::static_payload_type(0)); // no rtpmap in the body
  CHECK(cc[1].map->encoding == "PCMA");
}

TEST_CASE("sdp fmtp: parameters and equivalence", "[sdp][fmtp]") {
  auto f = sdp::parse_fmtp("96 stereo=1; sprop-stereo=1");
  REQUIRE(f);
  CHECK(f->payload_type == 96);
  CHECK(f->params == "stereo=1; sprop-stereo=1");
  auto p = sdp::fmtp_params(f->params);
  REQUIRE(p.size() == 2);
  CHECK(p[1] == std::pair<std::string, std::string>{"sprop-stereo", "1"});
  CHECK(sdp::fmtp_equivalent("annexb=no", "AnnexB=no"));
  CHECK(sdp::fmtp_equivalent("a=1;b=2", "b=2; a=1"));
  CHECK_FALSE(sdp::fmtp_equivalent("annexb=no", "annexb=yes"));
  CHECK_FALSE(sdp::fmtp_equivalent("a=1", "a=1;b=2"));
  CHECK_FALSE(sdp::parse_fmtp("96"));
  CHECK_FALSE(sdp::parse_fmtp("300 x=1"));
}

TEST_CASE("sdp telephone-event: event lists", "[sdp][rfc4733]") {
  auto e = sdp::parse_events("0-15,66,70-71");
  REQUIRE(e);
  CHECK(e->count() == 19);
  CHECK(e->test(66));
  CHECK_FALSE(e->test(16));
  CHECK(sdp::to_string(*e) == "0-15,66,70-71");
  CHECK(sdp::to_string(sdp::default_events()) == "0-15");
  CHECK(sdp::to_string(*sdp::parse_events("0-11, 12-15")) == "0-15");
  CHECK_FALSE(sdp::parse_events(""));
  CHECK_FALSE(sdp::parse_events("15-0"));
  CHECK_FALSE(sdp::parse_events("0-256"));
  CHECK_FALSE(sdp::parse_events("a-b"));
}

TEST_CASE("sdp direction: media level overrides session level", "[sdp][direction]") {
  auto s = sdp::parse(samples::ipv6_mixed);
  REQUIRE(s);
  CHECK(sdp::session_direction(*s) == sdp::direction::sendonly);
  CHECK(sdp::media_direction(*s, s->media[0]) == sdp::direction::recvonly);
  CHECK(sdp::media_direction(*s, s->media[1]) == sdp::direction::sendonly);
  auto c = sdp::parse(samples::cisco);
  CHECK(sdp::media_direction(*c, c->media[0]) == sdp::direction::sendrecv); // default
  sdp::set_direction(c->media[0].attributes, sdp::direction::inactive);
  sdp::set_direction(c->media[0].attributes, sdp::direction::sendonly);
  CHECK(sdp::media_direction(*c, c->media[0]) == sdp::direction::sendonly);
  CHECK(c->media[0].attributes.back() == sdp::attribute{"sendonly", std::nullopt});
  CHECK(sdp::reverse(sdp::direction::sendonly) == sdp::direction::recvonly);
  CHECK(sdp::reverse(sdp::direction::inactive) == sdp::direction::inactive);
}

TEST_CASE("sdp media attributes: rtcp rtcp-mux ptime maxptime", "[sdp][attributes]") {
  auto y = sdp::parse(samples::yealink);
  REQUIRE(y);
  auto r = sdp::find_rtcp(y->media[0]);
  REQUIRE(r);
  CHECK(r->port == 11797);
  REQUIRE(r->address);
  CHECK(r->address->address == "172.16.0.44");
  CHECK(sdp::to_string(*r) == "11797 IN IP4 172.16.0.44");
  CHECK(sdp::parse_rtcp("53020") == sdp::rtcp_attribute{53020, std::nullopt});
  CHECK_FALSE(sdp::parse_rtcp("port"));
  CHECK_FALSE(sdp::has_rtcp_mux(y->media[0]));
  CHECK(sdp::ptime_ms(y->media[0]) == std::optional<std::uint32_t>(20));
  auto c = sdp::parse(samples::cisco);
  CHECK(sdp::maxptime_ms(c->media[0]) == std::optional<std::uint32_t>(40));
  auto b = sdp::parse(samples::baresip);
  CHECK(sdp::has_rtcp_mux(b->media[0]));
  CHECK_FALSE(sdp::ptime_ms(b->media[0]));
}

TEST_CASE("sdp crypto: RFC 4568 lines parse and print", "[sdp][crypto]") {
  auto s = sdp::parse(samples::srtp);
  REQUIRE(s);
  auto cs = sdp::media_cryptos(s->media[0]);
  REQUIRE(cs.size() == 2);
  CHECK(cs[0].tag == 1);
  CHECK(cs[0].suite == "AES_CM_128_HMAC_SHA1_80");
  REQUIRE(cs[0].keys.size() == 1);
  CHECK(cs[0].keys[0].key_salt == "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz");
  CHECK(cs[0].keys[0].lifetime == std::optional<std::string>("2^20"));
  CHECK(cs[0].keys[0].mki_value == std::optional<std::uint32_t>(1));
  CHECK(cs[0].keys[0].mki_length == std::optional<std::uint32_t>(4));
  CHECK(sdp::key_fits_suite(cs[0].keys[0], cs[0].suite));
  CHECK(cs[1].suite == "AES_CM_128_HMAC_SHA1_32");
  CHECK_FALSE(cs[1].keys[0].lifetime);
  CHECK(
      sdp::to_string(cs[0]) ==
      "1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4");
  auto with_params = sdp::parse_crypto(
      "7 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20 "
      "UNENCRYPTED_SRTCP KDR=1");
  REQUIRE(with_params);
  CHECK(with_params->session_params ==
        std::vector<std::string>{"UNENCRYPTED_SRTCP", "KDR=1"});
  CHECK(sdp::parse_crypto(sdp::to_string(*with_params)) == with_params);
  CHECK_FALSE(sdp::parse_crypto("x AES_CM_128_HMAC_SHA1_80 inline:AAAA"));
  CHECK_FALSE(sdp::parse_crypto("1 AES_CM_128_HMAC_SHA1_80"));
  CHECK_FALSE(sdp::parse_crypto("1 AES_CM_128_HMAC_SHA1_80 uri:http://k"));
  CHECK_FALSE(sdp::parse_crypto("1 AES_CM_128_HMAC_SHA1_80 inline:!!!!"));
  CHECK_FALSE(sdp::parse_crypto("1 AES_CM_128_HMAC_SHA1_80 inline:AAAA|1:4|2^20"));
}

TEST_CASE("sdp crypto: base64 and key lengths", "[sdp][crypto]") {
  const std::uint8_t bytes[] = {'M', 'a', 'n'};
  CHECK(sdp::base64_encode(bytes, 3) == "TWFu");
  CHECK(sdp::base64_encode(bytes, 2) == "TWE=");
  CHECK(sdp::base64_encode(bytes, 1) == "TQ==");
  CHECK(sdp::base64_decode("TWE=") == std::vector<std::uint8_t>{'M', 'a'});
  CHECK_FALSE(sdp::base64_decode("T"));
  CHECK(sdp::key_salt_bytes("AES_CM_128_HMAC_SHA1_32") == std::optional<std::size_t>(30));
  CHECK(sdp::key_salt_bytes("AES_256_CM_HMAC_SHA1_80") == std::optional<std::size_t>(46));
  CHECK_FALSE(sdp::key_salt_bytes("NULL_HMAC_SHA1_80"));
  CHECK_FALSE(sdp::key_fits_suite(sdp::crypto_key{"inline", "TWFu", {}, {}, {}},
                                  "AES_CM_128_HMAC_SHA1_80"));
}
