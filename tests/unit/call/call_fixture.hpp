// Test harness for call_stm: a manual clock, seeded ids, builders for the
// messages the caller and the callees send, and effect finders.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "actors/call/call_stm.hpp"
#include "base/clock.hpp"
#include "base/ids.hpp"
#include "base/random.hpp"
#include "net/sip/builder.hpp"

namespace ringdown::call::test {

inline std::string sdp_with(std::string_view dir, int version = 1) {
  return "v=0\r\no=- 42 " + std::to_string(version) +
         " IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
         "m=audio 4000 RTP/AVP 0\r\na=" +
         std::string(dir) + "\r\n";
}
inline std::string sdp_b(int version = 1) {
  return "v=0\r\no=- 77 " + std::to_string(version) +
         " IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\n"
         "m=audio 5000 RTP/AVP 0\r\na=sendrecv\r\n";
}

template <class T>
std::vector<T> all_of(const effects& fx) {
  std::vector<T> out;
  for (const effect& e : fx)
    if (const T* p = std::get_if<T>(&e))
      out.push_back(*p);
  return out;
}

template <class T>
std::size_t count_of(const effects& fx) {
  return all_of<T>(fx).size();
}

/// Requests sent on `leg` with method `method`.
inline std::vector<send_request> sent(const effects& fx, leg_id leg,
                                      std::string_view method) {
  std::vector<send_request> out;
  for (const send_request& s : all_of<send_request>(fx))
    if (s.leg == leg && s.msg.method_text() == method)
      out.push_back(s);
  return out;
}

/// Responses to server transaction `tx`.
inline std::vector<respond> answers(const effects& fx, std::uint64_t tx) {
  std::vector<respond> out;
  for (const respond& r : all_of<respond>(fx))
    if (r.tx == tx)
      out.push_back(r);
  return out;
}

inline bool has_event(const effects& fx, call_event_kind k) {
  for (const call_event& e : all_of<call_event>(fx))
    if (e.kind == k)
      return true;
  return false;
}

/// The bridge as the call sees it: SDP passes through, an offer it is
/// asked to answer itself (a barger, a seizing caller) gets the bridge's
/// own SDP (or is refused); tones and digit collections are recorded.
struct fake_bridge final : sdp_relay {
  bool can_answer = true;
  std::vector<leg_id> answered;
  std::vector<std::pair<leg_id, std::string>> tones; ///< "" = stopped
  std::vector<leg_id> collecting;
  std::string relay(leg_id, leg_id, std::string_view sdp) override {
    return std::string(sdp);
  }
  std::optional<std::string> answer(leg_id leg, std::string_view) override {
    if (!can_answer)
      return std::nullopt;
    answered.push_back(leg);
    return "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
           "m=audio 30004 RTP/AVP 0\r\n";
  }
  void tone(leg_id leg, std::string_view name) override {
    tones.emplace_back(leg, std::string(name));
  }
  void collect_digits(leg_id leg) override { collecting.push_back(leg); }
  void dialled_digit(leg_id leg, char digit) override { dialled.emplace_back(leg, digit); }
  std::vector<std::pair<leg_id, char>> dialled; ///< digits handed over from SIP INFO
  /// The tone leg `leg` hears now ("" for none).
  [[nodiscard]] std::string playing(leg_id leg) const {
    std::string now;
    for (const auto& [l, name] : tones)
      if (l == leg)
        now = name;
    return now;
  }
};

/// One call under test: the caller is alice, the callee bob.
struct call_fixture {
  manual_clock clk;
  rng gen{7};
  id_generator ids{gen, "test.invalid"};
  call_config cfg;
  std::unique_ptr<call_stm> stm;
  sip::message a_invite;
  std::string a_tag;        ///< our tag toward A (from the first response)
  std::uint32_t a_cseq = 1; ///< A's CSeq
  std::uint64_t next_tx = 100;
  std::string trunk; ///< the B leg is this trunk's gateway ("" = not a trunk call)

  call_fixture() { cfg.local.contact_uri = "sip:b2bua@127.0.0.1:5060"; }

  call_time now() const { return {clk.now(), clk.wall_ms()}; }

  static sip::message make_invite(std::string_view body, std::string_view extra = {}) {
    sip::message_builder b("INVITE", "sip:bob@example.com");
    b.header("Via", "SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bKa1;rport")
        .header("Max-Forwards", "70")
        .header("From", "\"Alice\" <sip:alice@example.com>;tag=atag")
        .header("To", "<sip:bob@example.com>")
        .header("Call-ID", "call-a@127.0.0.2")
        .header("CSeq", "1 INVITE")
        .header("Contact", "<sip:alice@127.0.0.2:5070>")
        .header("Record-Route", "<sip:proxy.example.com;lr>")
        .header("Allow", "INVITE, ACK, BYE, CANCEL, UPDATE, INFO, REFER, OPTIONS");
    if (!extra.empty()) {
      const std::size_t colon = extra.find(':');
      b.header(extra.substr(0, colon), extra.substr(colon + 2));
    }
    if (!body.empty())
      b.body("application/sdp", body);
    return b.build();
  }

  effects start(std::vector<std::string> uris, std::string_view body = sdp_with("sendrecv"),
                std::string_view extra = {}) {
    a_invite = make_invite(body, extra);
    call_targets t;
    t.uris = std::move(uris);
    t.line = "sip:line1@example.com";
    t.zone = "london";
    t.node = "node-1";
    t.trunk = trunk;
    stm = std::make_unique<call_stm>(cfg, ids);
    return stm->start(1, a_invite, t, now());
  }

  /// B's response to the request `req` (our INVITE or in-dialog request).
  static sip::message
  response_to(const sip::message& req, int status, std::string_view tag = "btag",
              std::string_view body = {},
              std::vector<std::pair<std::string, std::string>> extra = {}) {
    auto r = sip::message_builder::response(req, status, {}, tag);
    if (status > 100 && status < 300)
      r.append_header("Contact", "<sip:bob@127.0.0.3:5080>");
    for (const auto& [n, v] : extra)
      r.append_header(n, v);
    if (!body.empty())
      r.set_body("application/sdp", body);
    return r;
  }

  /// A request from the caller inside its dialog with us.
  sip::message from_a(std::string_view method, std::string_view body = {},
                      std::string_view content_type = "application/sdp",
                      std::vector<std::pair<std::string, std::string>> extra = {},
                      std::uint32_t cseq = 0) {
    sip::message_builder b(method, "sip:b2bua@127.0.0.1:5060");
    b.header("Via", "SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bKa" + std::to_string(next_tx))
        .header("Max-Forwards", "70")
        .header("From", "\"Alice\" <sip:alice@example.com>;tag=atag")
        .header("To", "<sip:bob@example.com>;tag=" + a_tag)
        .header("Call-ID", "call-a@127.0.0.2")
        .header("CSeq", std::to_string(cseq ? cseq : ++a_cseq) + " " + std::string(method))
        .header("Contact", "<sip:alice@127.0.0.2:5070>");
    for (const auto& [n, v] : extra)
      b.header(n, v);
    if (!body.empty())
      b.body(content_type, body);
    return b.build();
  }

  /// A request from a callee inside the dialog our INVITE `ours` made.
  static sip::message from_b(const sip::message& ours, std::string_view method,
                             std::uint32_t cseq, std::string_view body = {},
                             std::string_view content_type = "application/sdp",
                             std::vector<std::pair<std::string, std::string>> extra = {},
                             std::string_view tag = "btag") {
    sip::message_builder b(method, "sip:b2bua@127.0.0.1:5060");
    b.header("Via", "SIP/2.0/UDP 127.0.0.3:5080;branch=z9hG4bKb" + std::to_string(cseq))
        .header("Max-Forwards", "70")
        .header("From",
                strip_tag(ours.header(sip::header_id::to)) + ";tag=" + std::string(tag))
        .header("To", std::string(ours.header(sip::header_id::from)))
        .header("Call-ID", std::string(ours.call_id()))
        .header("CSeq", std::to_string(cseq) + " " + std::string(method))
        .header("Contact", "<sip:bob@127.0.0.3:5080>");
    for (const auto& [n, v] : extra)
      b.header(n, v);
    if (!body.empty())
      b.body(content_type, body);
    return b.build();
  }

  /// Drives the call to answered with one fork: returns our INVITE to B.
  sip::message answered(std::string_view b_body = {}) {
    const effects fx = start({"sip:bob@127.0.0.3:5080"});
    const auto inv = sent(fx, 1, "INVITE");
    REQUIRE(inv.size() == 1);
    const std::string body = b_body.empty() ? sdp_b() : std::string(b_body);
    const effects ok =
        stm->on_response(inv[0].request, response_to(inv[0].msg, 200, "btag", body), now());
    const auto r = answers(ok, 1);
    REQUIRE(r.size() == 1);
    REQUIRE(r[0].msg.status_code() == 200);
    a_tag = std::string(r[0].msg.to()->tag());
    (void)stm->on_request(0, 0, ack_from_a(), now());
    return inv[0].msg;
  }

  sip::message ack_from_a(std::uint32_t cseq = 1, std::string_view body = {}) {
    sip::message_builder b("ACK", "sip:b2bua@127.0.0.1:5060");
    b.header("Via", "SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bKack" + std::to_string(cseq))
        .header("Max-Forwards", "70")
        .header("From", "\"Alice\" <sip:alice@example.com>;tag=atag")
        .header("To", "<sip:bob@example.com>;tag=" + a_tag)
        .header("Call-ID", "call-a@127.0.0.2")
        .header("CSeq", std::to_string(cseq) + " ACK");
    if (!body.empty())
      b.body("application/sdp", body);
    return b.build();
  }
};

} // namespace ringdown::call::test
