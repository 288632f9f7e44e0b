#include <catch2/catch.hpp>

#include "actors/bridge/sdp_anchor.hpp"
#include "net/sdp/crypto.hpp"
#include "net/sdp/direction.hpp"
#include "net/sdp/rtpmap.hpp"

using namespace ringdown;
using bridge::sdp_anchor;

namespace {

std::string phone_sdp(std::string_view address, int port, std::string_view formats,
                      std::string_view extra = "", std::string_view proto = "RTP/AVP") {
  std::string s = "v=0\r\no=- 1 1 IN IP4 " + std::string(address) + "\r\ns=-\r\nc=IN IP4 " +
                  std::string(address) + "\r\nt=0 0\r\nm=audio " + std::to_string(port) +
                  " " + std::string(proto) + " " + std::string(formats) + "\r\n";
  if (std::string_view(formats).find("101") != std::string_view::npos)
    s += "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n";
  s += std::string(extra);
  return s;
}

struct fixture {
  rng gen{42};
  bool ports_left = true;
  sdp_anchor anchor{"192.0.2.1",
                    [this](sdp_anchor::leg_id leg) -> std::optional<std::uint16_t> {
                      if (!ports_left)
                        return std::nullopt;
                      return static_cast<std::uint16_t>(30000 + 2 * leg);
                    },
                    gen};
};

sdp::session parsed(const std::string& text) {
  auto s = sdp::parse(text);
  REQUIRE(s);
  return *s;
}

std::vector<std::uint8_t> first_payloads(const sdp::session& s) {
  std::vector<std::uint8_t> out;
  for (const auto& c : sdp::media_codecs(s.media.front()))
    out.push_back(c.payload_type);
  return out;
}

const rtp::leg_spec* update_for(const sdp_anchor::result& r, sdp_anchor::leg_id leg) {
  for (const auto& u : r.updates)
    if (u.leg == leg)
      return &u.spec;
  return nullptr;
}

} // namespace

TEST_CASE("an offer crosses the bridge as our own offer: the answer configures both legs",
          "[bridge][sdp]") {
  fixture f;
  const auto offer = f.anchor.relay(0, 1, phone_sdp("10.0.0.1", 4000, "0 8 101"));
  REQUIRE(offer);
  CHECK(offer->updates.empty());
  const auto to_b = parsed(offer->sdp);
  CHECK(sdp::effective_connection(to_b, to_b.media.front())->address == "192.0.2.1");
  CHECK(to_b.media.front().port == 30002);
  CHECK(to_b.media.front().proto == "RTP/AVP");
  CHECK(first_payloads(to_b).front() == 0);
  CHECK(sdp::has_attribute(to_b.media.front().attributes, "rtpmap"));
  CHECK(offer->sdp.find("telephone-event") != std::string::npos);

  const auto answer = f.anchor.relay(1, 0, phone_sdp("10.0.0.2", 5000, "0 101"));
  REQUIRE(answer);
  const auto to_a = parsed(answer->sdp);
  CHECK(to_a.media.front().port == 30000);
  CHECK(first_payloads(to_a).front() == 0);
  const auto* a = update_for(*answer, 0);
  const auto* b = update_for(*answer, 1);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->remote_address == "10.0.0.1");
  CHECK(a->remote_port == 4000);
  CHECK(a->audio == rtp::codec::pcmu);
  CHECK(a->event_payload_type == 101);
  CHECK(b->remote_address == "10.0.0.2");
  CHECK(b->remote_port == 5000);
  CHECK_FALSE(a->srtp.has_value());
}

TEST_CASE(
    "the caller's preferred G.711 law is offered first so the bridge need not transcode",
    "[bridge][sdp]") {
  fixture f;
  const auto offer = f.anchor.relay(0, 1, phone_sdp("10.0.0.1", 4000, "8 0"));
  REQUIRE(offer);
  CHECK(first_payloads(parsed(offer->sdp)).front() == 8);
  const auto answer = f.anchor.relay(1, 0, phone_sdp("10.0.0.2", 5000, "8"));
  REQUIRE(answer);
  CHECK(update_for(*answer, 0)->audio == rtp::codec::pcma);
  CHECK(update_for(*answer, 1)->audio == rtp::codec::pcma);
  CHECK(update_for(*answer, 1)->event_payload_type == 0);
}

TEST_CASE("an SRTP caller gets SRTP on its leg with our own key: the callee gets its own",
          "[bridge][sdp][srtp]") {
  fixture f;
  const std::string key_a = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"; // 30 bytes
  const auto offer = f.anchor.relay(
      0, 1,
      phone_sdp("10.0.0.1", 4000, "0 101",
                "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + key_a + "\r\n", "RTP/SAVP"));
  REQUIRE(offer);
  const auto to_b = parsed(offer->sdp);
  CHECK(to_b.media.front().proto == "RTP/SAVP");
  const auto offered = sdp::media_cryptos(to_b.media.front());
  REQUIRE_FALSE(offered.empty());
  CHECK(offered.front().keys.front().key_salt != key_a);

  const std::string key_b = "MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw"; // 30 bytes
  const auto answer =
      f.anchor.relay(1, 0,
                     phone_sdp("10.0.0.2", 5000, "0 101",
                               "a=crypto:" + std::to_string(offered.front().tag) + " " +
                                   offered.front().suite + " inline:" + key_b + "\r\n",
                               "RTP/SAVP"));
  REQUIRE(answer);
  const auto to_a = parsed(answer->sdp);
  CHECK(to_a.media.front().proto == "RTP/SAVP");
  const auto answered = sdp::media_cryptos(to_a.media.front());
  REQUIRE(answered.size() == 1);
  CHECK(answered.front().tag == 1);
  const auto* a = update_for(*answer, 0);
  const auto* b = update_for(*answer, 1);
  REQUIRE(a);
  REQUIRE(b);
  REQUIRE(a->srtp);
  REQUIRE(b->srtp);
  CHECK(a->srtp->inbound_key_salt == *sdp::base64_decode(key_a));
  CHECK(a->srtp->outbound_key_salt ==
        *sdp::base64_decode(answered.front().keys.front().key_salt));
  CHECK(b->srtp->inbound_key_salt == *sdp::base64_decode(key_b));
  CHECK(b->srtp->outbound_key_salt ==
        *sdp::base64_decode(offered.front().keys.front().key_salt));
  CHECK(a->srtp->inbound_key_salt.size() == 30);
}

TEST_CASE("a hold stops at the bridge: the held party stays sendrecv, the holder gets "
          "recvonly",
          "[bridge][sdp]") {
  fixture f;
  REQUIRE(f.anchor.relay(0, 1, phone_sdp("10.0.0.1", 4000, "0")));
  REQUIRE(f.anchor.relay(1, 0, phone_sdp("10.0.0.2", 5000, "0")));
  const auto hold =
      f.anchor.relay(0, 1, phone_sdp("10.0.0.1", 4000, "0", "a=sendonly\r\n"));
  REQUIRE(hold);
  const auto to_b = parsed(hold->sdp);
  // The bridge sends B music on hold and still listens.
  CHECK(sdp::media_direction(to_b, to_b.media.front()) == sdp::direction::sendrecv);
  CHECK(to_b.media.front().port == 30002); // the same port: the leg stays where it is
  const auto held = f.anchor.relay(1, 0, phone_sdp("10.0.0.2", 5000, "0"));
  REQUIRE(held);
  const auto to_a = parsed(held->sdp);
  CHECK(sdp::media_direction(to_a, to_a.media.front()) == sdp::direction::recvonly);
  // o= versions move on with every new SDP on a leg (RFC 3264 §8).
  const auto resume = f.anchor.relay(0, 1, phone_sdp("10.0.0.1", 4000, "0"));
  REQUIRE(resume);
  const auto again = parsed(resume->sdp);
  CHECK(again.origin.sess_id == to_b.origin.sess_id);
  CHECK(std::stoull(again.origin.sess_version) > std::stoull(to_b.origin.sess_version));
  CHECK(sdp::media_direction(again, again.media.front()) == sdp::direction::sendrecv);
}

TEST_CASE(
    "forks share the caller's offer: a second answer gets the same answer to the caller",
    "[bridge][sdp]") {
  fixture f;
  const auto caller = phone_sdp("10.0.0.1", 4000, "0 8");
  REQUIRE(f.anchor.relay(0, 1, caller));
  REQUIRE(f.anchor.relay(0, 2, caller));
  const auto early = f.anchor.relay(1, 0, phone_sdp("10.0.0.2", 5000, "0"));
  REQUIRE(early);
  const auto final_answer = f.anchor.relay(2, 0, phone_sdp("10.0.0.3", 6000, "8"));
  REQUIRE(final_answer);
  CHECK(final_answer->sdp == early->sdp);
  const auto* winner = update_for(*final_answer, 2);
  REQUIRE(winner);
  CHECK(winner->remote_port == 6000);
  CHECK(winner->audio == rtp::codec::pcma);
}

TEST_CASE("what cannot be anchored is left to be relayed as it is", "[bridge][sdp]") {
  fixture f;
  CHECK_FALSE(f.anchor.relay(0, 1, "").has_value());
  CHECK_FALSE(f.anchor.relay(0, 1, "this is not SDP").has_value());
  CHECK_FALSE(f.anchor.relay(0, 1, phone_sdp("10.0.0.1", 0, "0")).has_value());
  f.ports_left = false;
  CHECK_FALSE(f.anchor.relay(0, 1, phone_sdp("10.0.0.1", 4000, "0")).has_value());
}

TEST_CASE("a barger's offer is answered by the bridge itself on a port of its own",
          "[bridge][sdp]") {
  fixture f;
  REQUIRE(f.anchor.relay(0, 1, phone_sdp("10.0.0.1", 4000, "0")));
  REQUIRE(f.anchor.relay(1, 0, phone_sdp("10.0.0.2", 5000, "0")));
  const auto r = f.anchor.answer_here(2, phone_sdp("10.0.0.7", 7000, "8 0 101"));
  REQUIRE(r);
  const auto to_barger = parsed(r->sdp);
  CHECK(to_barger.media.front().port == 30004);
  CHECK(first_payloads(to_barger).front() == 8); // the barger's preference
  REQUIRE(r->updates.size() == 1);
  CHECK(r->updates.front().leg == 2);
  CHECK(r->updates.front().spec.remote_port == 7000);
  CHECK(r->updates.front().spec.audio == rtp::codec::pcma);
  CHECK(r->updates.front().spec.event_payload_type == 101);
  CHECK_FALSE(f.anchor.answer_here(3, "not SDP").has_value());
}

TEST_CASE("the SRTP offer policy: mirror, never, always", "[bridge][sdp][srtp]") {
  const std::string key = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";
  const auto srtp_caller =
      phone_sdp("10.0.0.1", 4000, "0",
                "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + key + "\r\n", "RTP/SAVP");
  const auto plain_caller = phone_sdp("10.0.0.1", 4000, "0");
  auto proto_offered = [](sdp_anchor::srtp_offer policy, const std::string& caller) {
    rng gen{1};
    sdp_anchor a{"192.0.2.1",
                 [](sdp_anchor::leg_id l) -> std::optional<std::uint16_t> {
                   return static_cast<std::uint16_t>(30000 + 2 * l);
                 },
                 gen, policy};
    const auto r = a.relay(0, 1, caller);
    REQUIRE(r);
    return parsed(r->sdp).media.front().proto;
  };
  CHECK(proto_offered(sdp_anchor::srtp_offer::mirror, srtp_caller) == "RTP/SAVP");
  CHECK(proto_offered(sdp_anchor::srtp_offer::mirror, plain_caller) == "RTP/AVP");
  CHECK(proto_offered(sdp_anchor::srtp_offer::never, srtp_caller) == "RTP/AVP");
  CHECK(proto_offered(sdp_anchor::srtp_offer::always, plain_caller) == "RTP/SAVP");

  // never: the SRTP caller keeps SRTP on its own leg, the callee's is plain.
  rng gen{2};
  sdp_anchor a{"192.0.2.1",
               [](sdp_anchor::leg_id l) -> std::optional<std::uint16_t> {
                 return static_cast<std::uint16_t>(30000 + 2 * l);
               },
               gen, sdp_anchor::srtp_offer::never};
  REQUIRE(a.relay(0, 1, srtp_caller));
  const auto answer = a.relay(1, 0, phone_sdp("10.0.0.2", 5000, "0"));
  REQUIRE(answer);
  CHECK(parsed(answer->sdp).media.front().proto == "RTP/SAVP");
  REQUIRE(update_for(*answer, 0));
  REQUIRE(update_for(*answer, 1));
  CHECK(update_for(*answer, 0)->srtp.has_value());
  CHECK_FALSE(update_for(*answer, 1)->srtp.has_value());
}

namespace {

const sdp_anchor::leg_update* full_update(const sdp_anchor::result& r,
                                          sdp_anchor::leg_id leg) {
  for (const auto& u : r.updates)
    if (u.leg == leg)
      return &u;
  return nullptr;
}

/// A call between legs 0 (10.0.0.1:4000) and 1 (10.0.0.2:5000), answered.
void connect(fixture& f) {
  REQUIRE(f.anchor.relay(0, 1, phone_sdp("10.0.0.1", 4000, "0")));
  const auto r = f.anchor.relay(1, 0, phone_sdp("10.0.0.2", 5000, "0"));
  REQUIRE(r);
  for (sdp_anchor::leg_id leg : {0u, 1u}) {
    const auto* u = full_update(*r, leg);
    REQUIRE(u);
    CHECK_FALSE(u->spec.held);
    CHECK(u->music == sdp_anchor::moh::keep);
  }
}

std::string ip(sdp_anchor::leg_id leg) {
  return leg == 0 ? "10.0.0.1" : "10.0.0.2";
}
int rtp_port(sdp_anchor::leg_id leg) {
  return leg == 0 ? 4000 : 5000;
}

/// `from` offers with `offer_attr`, `to` answers with `answer_attr`: the
/// answer's result.
sdp_anchor::result exchange(fixture& f, sdp_anchor::leg_id from, sdp_anchor::leg_id to,
                            std::string_view offer_attr, std::string_view answer_attr) {
  const auto offer = f.anchor.relay(
      from, to, phone_sdp(ip(from), rtp_port(from), "0", std::string(offer_attr)));
  REQUIRE(offer);
  CHECK(offer->updates.empty()); // nothing changes before the answer
  const auto answer = f.anchor.relay(
      to, from, phone_sdp(ip(to), rtp_port(to), "0", std::string(answer_attr)));
  REQUIRE(answer);
  REQUIRE(full_update(*answer, from));
  REQUIRE(full_update(*answer, to));
  return *answer;
}

} // namespace

TEST_CASE("a hold puts the other leg on music on hold: resume brings it back",
          "[bridge][sdp][hold]") {
  fixture f;
  connect(f);
  const auto hold = exchange(f, 0, 1, "a=sendonly\r\n", "a=recvonly\r\n");
  const auto* held = full_update(hold, 1);
  const auto* holder = full_update(hold, 0);
  CHECK(held->spec.held);
  CHECK(held->music == sdp_anchor::moh::start);
  CHECK(held->spec.remote_port == 5000); // it stays on its address, only hears music
  CHECK_FALSE(holder->spec.held);
  CHECK(holder->music == sdp_anchor::moh::keep);

  const auto resume = exchange(f, 0, 1, "", "");
  CHECK_FALSE(full_update(resume, 1)->spec.held);
  CHECK(full_update(resume, 1)->music == sdp_anchor::moh::stop);
  CHECK_FALSE(full_update(resume, 0)->spec.held);
  CHECK(full_update(resume, 0)->music == sdp_anchor::moh::keep);
}

TEST_CASE("the callee may hold the caller too", "[bridge][sdp][hold]") {
  fixture f;
  connect(f);
  const auto hold = exchange(f, 1, 0, "a=sendonly\r\n", "a=recvonly\r\n");
  CHECK(full_update(hold, 0)->spec.held);
  CHECK(full_update(hold, 0)->music == sdp_anchor::moh::start);
  CHECK_FALSE(full_update(hold, 1)->spec.held);
  const auto resume = exchange(f, 1, 0, "", "");
  CHECK_FALSE(full_update(resume, 0)->spec.held);
  CHECK(full_update(resume, 0)->music == sdp_anchor::moh::stop);
}

TEST_CASE("an inactive hold works like sendonly", "[bridge][sdp][hold]") {
  fixture f;
  connect(f);
  const auto offer =
      f.anchor.relay(0, 1, phone_sdp("10.0.0.1", 4000, "0", "a=inactive\r\n"));
  REQUIRE(offer);
  const auto to_b = parsed(offer->sdp);
  CHECK(sdp::media_direction(to_b, to_b.media.front()) == sdp::direction::sendrecv);
  const auto answer = f.anchor.relay(1, 0, phone_sdp("10.0.0.2", 5000, "0"));
  REQUIRE(answer);
  // The holder asked for inactive: so is our answer to it (RFC 3264 §6.1).
  const auto to_a = parsed(answer->sdp);
  CHECK(sdp::media_direction(to_a, to_a.media.front()) == sdp::direction::inactive);
  REQUIRE(full_update(*answer, 1));
  CHECK(full_update(*answer, 1)->spec.held);
  CHECK(full_update(*answer, 1)->music == sdp_anchor::moh::start);
}

TEST_CASE("the RFC 2543 hold (c=0.0.0.0) is a hold too", "[bridge][sdp][hold]") {
  fixture f;
  connect(f);
  const auto offer = f.anchor.relay(0, 1, phone_sdp("0.0.0.0", 4000, "0"));
  REQUIRE(offer);
  const auto to_b = parsed(offer->sdp);
  CHECK(sdp::media_direction(to_b, to_b.media.front()) == sdp::direction::sendrecv);
  const auto answer = f.anchor.relay(1, 0, phone_sdp("10.0.0.2", 5000, "0"));
  REQUIRE(answer);
  REQUIRE(full_update(*answer, 1));
  CHECK(full_update(*answer, 1)->music == sdp_anchor::moh::start);
}

TEST_CASE("re-offers that stay on hold do not restart or stop the music",
          "[bridge][sdp][hold]") {
  fixture f;
  connect(f);
  CHECK(full_update(exchange(f, 0, 1, "a=sendonly\r\n", "a=recvonly\r\n"), 1)->music ==
        sdp_anchor::moh::start);
  // The holder refreshes its hold (inactive now), then the held party
  // re-offers (a session refresh, recvonly as it was told): still on hold.
  const auto again = exchange(f, 0, 1, "a=inactive\r\n", "a=inactive\r\n");
  CHECK(full_update(again, 1)->spec.held);
  CHECK(full_update(again, 1)->music == sdp_anchor::moh::keep);
  const auto refresh = exchange(f, 1, 0, "a=recvonly\r\n", "a=sendonly\r\n");
  CHECK(full_update(refresh, 1)->spec.held);
  CHECK(full_update(refresh, 1)->music == sdp_anchor::moh::keep);
  CHECK_FALSE(full_update(refresh, 0)->spec.held);
  CHECK(full_update(refresh, 0)->music == sdp_anchor::moh::keep);
}

TEST_CASE("a refused hold changes nothing", "[bridge][sdp][hold]") {
  fixture f;
  connect(f);
  REQUIRE(f.anchor.relay(0, 1, phone_sdp("10.0.0.1", 4000, "0", "a=sendonly\r\n")));
  f.anchor.reset_offers(); // the far end said 403
  // The next exchange, not a hold, leaves both legs talking.
  const auto next = exchange(f, 0, 1, "", "");
  CHECK_FALSE(full_update(next, 1)->spec.held);
  CHECK(full_update(next, 1)->music == sdp_anchor::moh::keep);
}

TEST_CASE("a phone that holds may send nothing: it is spared the media timeout",
          "[bridge][sdp][hold]") {
  fixture f;
  REQUIRE(f.anchor.relay(0, 1, phone_sdp("10.0.0.1", 4000, "0")));
  REQUIRE(f.anchor.relay(1, 0, phone_sdp("10.0.0.2", 5000, "0")));
  REQUIRE(f.anchor.relay(0, 1, phone_sdp("10.0.0.1", 4000, "0", "a=sendonly\r\n")));
  const auto held = f.anchor.relay(1, 0, phone_sdp("10.0.0.2", 5000, "0"));
  REQUIRE(held);
  REQUIRE(update_for(*held, 0));
  CHECK(update_for(*held, 0)->may_be_silent); // the holder
  CHECK_FALSE(update_for(*held, 1)->may_be_silent);
  CHECK(update_for(*held, 1)->held); // hears music on hold
  REQUIRE(f.anchor.relay(0, 1, phone_sdp("10.0.0.1", 4000, "0")));
  const auto resumed = f.anchor.relay(1, 0, phone_sdp("10.0.0.2", 5000, "0"));
  REQUIRE(resumed);
  CHECK_FALSE(update_for(*resumed, 0)->may_be_silent);
  CHECK_FALSE(update_for(*resumed, 1)->held);
}
