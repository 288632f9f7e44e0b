#include "net/sdp/offer.hpp"

#include <algorithm>

#include "net/sdp/text.hpp"

namespace ringdown::sdp {
namespace {

constexpr std::uint8_t dynamic_first = 96, dynamic_last = 127;

/// A static payload type of RFC 3551 that is exactly this codec, if any.
std::optional<std::uint8_t> static_pt(const local_codec& c) {
  for (std::uint8_t pt = 0; pt < dynamic_first; ++pt) {
    auto m = static_payload_type(pt);
    if (m && m->same_codec(rtpmap{pt, c.encoding, c.clock_rate, c.channels}))
      return pt;
  }
  return std::nullopt;
}

std::string make_key(std::string_view suite, const capabilities& caps) {
  return caps.key_source ? caps.key_source(suite) : random_key_salt(suite);
}

media offer_media(const capabilities& caps, const media_endpoint& ep) {
  media m;
  m.port = ep.port;
  const bool srtp = caps.srtp == srtp_policy::required;
  m.proto = srtp ? "RTP/SAVP" : "RTP/AVP";
  auto add = [&m](std::string name, std::string value) {
    m.attributes.push_back(attribute{std::move(name), std::move(value)});
  };
  std::uint8_t next_dynamic = dynamic_first;
  std::uint32_t first_rate = 0;
  for (const auto& c : caps.codecs) {
    if (!text::iequals(c.media_type, "audio"))
      continue;
    auto pt = static_pt(c);
    if (!pt) {
      if (next_dynamic > dynamic_last)
        continue;
      pt = next_dynamic++;
    }
    if (first_rate == 0)
      first_rate = c.clock_rate;
    m.formats.push_back(std::to_string(*pt));
    std::optional<std::uint32_t> channels;
    if (c.channels != 1)
      channels = c.channels;
    add("rtpmap", to_string(rtpmap{*pt, c.encoding, c.clock_rate, channels}));
    if (!c.fmtp.empty())
      add("fmtp", std::to_string(*pt) + " " + c.fmtp);
  }
  if (caps.telephone_event && first_rate != 0 && next_dynamic <= dynamic_last &&
      caps.telephone_events.any()) {
    const auto pt = std::to_string(next_dynamic == dynamic_first ? 101 : next_dynamic);
    m.formats.push_back(pt);
    add("rtpmap", pt + " telephone-event/" + std::to_string(first_rate));
    add("fmtp", pt + " " + to_string(caps.telephone_events));
  }
  if (caps.ptime_ms)
    add("ptime", std::to_string(*caps.ptime_ms));
  if (caps.rtcp_mux)
    m.attributes.push_back(attribute{"rtcp-mux", std::nullopt});
  if (srtp) {
    std::uint32_t tag = 1;
    for (const auto& suite : caps.crypto_suites) {
      crypto c{tag++, suite, {}, {}};
      c.keys.push_back(crypto_key{"inline", make_key(suite, caps), {}, {}, {}});
      add("crypto", to_string(c));
    }
  }
  set_direction(m.attributes, caps.local_direction);
  return m;
}

void read_stream(const session& offer, const media& om, const session& answer,
                 const media& am, negotiated_stream& ns) {
  if (om.port == 0 || am.port == 0) {
    ns.rejected =
        om.port == 0 ? reject_reason::offer_rejected : reject_reason::answer_rejected;
    return;
  }
  const auto offered = media_codecs(om);
  auto was_offered = [&](const codec& c) {
    return std::any_of(offered.begin(), offered.end(), [&](const codec& o) {
      return o.payload_type == c.payload_type && o.map && c.map &&
             o.map->same_codec(*c.map);
    });
  };
  for (auto& c : media_codecs(am)) {
    if (!c.map || !was_offered(c))
      continue;
    if (is_telephone_event(*c.map)) {
      if (!ns.telephone_event_pt) {
        ns.telephone_event_pt = c.payload_type;
        ns.telephone_events =
            c.fmtp ? parse_events(*c.fmtp).value_or(event_set{}) : default_events();
      }
    } else {
      ns.codecs.push_back(std::move(c));
    }
  }
  if (ns.codecs.empty()) {
    ns.rejected = reject_reason::no_common_codec;
    return;
  }
  if (om.proto == "RTP/SAVP" || om.proto == "RTP/SAVPF") {
    const auto theirs = media_cryptos(am);
    const auto ours = media_cryptos(om);
    for (const auto& t : theirs)
      for (const auto& o : ours)
        if (!ns.remote_crypto && o.tag == t.tag && o.suite == t.suite &&
            std::all_of(t.keys.begin(), t.keys.end(),
                        [&](const crypto_key& k) { return key_fits_suite(k, t.suite); })) {
          ns.remote_crypto = t;
          ns.local_crypto = o;
        }
    if (!ns.remote_crypto) {
      ns.rejected = reject_reason::no_common_crypto;
      return;
    }
  }
  const auto* conn = effective_connection(answer, am);
  auto answer_dir = media_direction(answer, am);
  if (conn && conn->address == "0.0.0.0")
    answer_dir = make_direction(sends(answer_dir), false);
  const auto ours = media_direction(offer, om);
  ns.local = make_direction(sends(ours) && receives(answer_dir),
                            receives(ours) && sends(answer_dir));
  ns.remote_address = conn ? conn->address : std::string();
  ns.remote_port = am.port;
  ns.remote_rtcp = find_rtcp(am);
  ns.rtcp_mux = has_rtcp_mux(om) && has_rtcp_mux(am);
  ns.remote_ptime_ms = ptime_ms(am);
}

} // namespace

session make_offer(const capabilities& caps, origin_state& origin) {
  session s;
  s.origin = origin.next();
  s.name = caps.session_name;
  s.timings.push_back(timing{});
  s.connection = connection{"IN", s.origin.addrtype, s.origin.address, {}, {}};
  for (const auto& ep : caps.endpoints) {
    s.media.push_back(offer_media(caps, ep));
    if (!ep.address.empty() && ep.address != s.origin.address)
      s.media.back().connections.push_back(
          connection{"IN", addrtype_of(ep.address), ep.address, {}, {}});
  }
  return s;
}

std::optional<std::vector<negotiated_stream>>
read_answer(const session& our_offer, const session& answer, std::string* error) {
  if (answer.media.size() != our_offer.media.size()) {
    if (error)
      *error = "answer has " + std::to_string(answer.media.size()) +
               " m= lines, offer had " + std::to_string(our_offer.media.size()) +
               " (RFC 3264 §6)";
    return std::nullopt;
  }
  std::vector<negotiated_stream> out(our_offer.media.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto& om = our_offer.media[i];
    const auto& am = answer.media[i];
    if (om.type != am.type) {
      if (error)
        *error = "answer m= line " + std::to_string(i + 1) + " is " + am.type +
                 ", offer had " + om.type;
      return std::nullopt;
    }
    read_stream(our_offer, om, answer, am, out[i]);
    if (!out[i].accepted()) {
      const auto reason = out[i].rejected;
      out[i] = negotiated_stream{};
      out[i].rejected = reason;
    }
  }
  return out;
}

} // namespace ringdown::sdp
