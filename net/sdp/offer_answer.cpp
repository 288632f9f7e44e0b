#include "net/sdp/offer_answer.hpp"

#include <algorithm>
#include <cstdint>

#include "base/assert.hpp"
#include "net/sdp/text.hpp"

namespace ringdown::sdp {
namespace {

enum class profile { avp, savp, other };

profile classify(std::string_view proto) {
  if (proto == "RTP/AVP" || proto == "RTP/AVPF")
    return profile::avp;
  if (proto == "RTP/SAVP" || proto == "RTP/SAVPF")
    return profile::savp;
  return profile::other; // UDP/TLS/RTP/SAVP(F) needs DTLS-SRTP: not supported
}

bool fmtp_compatible(const local_codec& local, const codec& offered) {
  return local.fmtp.empty() || (offered.fmtp && fmtp_equivalent(local.fmtp, *offered.fmtp));
}

struct pick {
  std::size_t local_index;
  const codec* offered;
};

std::vector<pick> choose_codecs(const std::vector<codec>& offered,
                                std::string_view media_type, const capabilities& caps) {
  std::vector<pick> picks;
  for (const auto& c : offered) {
    if (!c.map || is_telephone_event(*c.map))
      continue;
    for (std::size_t i = 0; i < caps.codecs.size(); ++i) {
      const auto& l = caps.codecs[i];
      const rtpmap want{0, l.encoding, l.clock_rate, l.channels};
      if (text::iequals(l.media_type, media_type) && c.map->same_codec(want) &&
          fmtp_compatible(l, c)) {
        picks.push_back({i, &c});
        break;
      }
    }
  }
  if (caps.order == codec_order::local)
    std::stable_sort(picks.begin(), picks.end(), [](const pick& a, const pick& b) {
      return a.local_index < b.local_index;
    });
  if (picks.size() > caps.answer_codecs_max)
    picks.resize(caps.answer_codecs_max);
  return picks;
}

/// The offered telephone-event at the primary codec's clock rate, with the
/// events both sides handle (RFC 4733 §2.4.1: no fmtp means 0-15).
void choose_telephone_event(const std::vector<codec>& offered, std::uint32_t clock_rate,
                            const capabilities& caps, negotiated_stream& out) {
  if (!caps.telephone_event)
    return;
  for (const auto& c : offered) {
    if (!c.map || !is_telephone_event(*c.map) || c.map->clock_rate != clock_rate)
      continue;
    auto events = c.fmtp ? parse_events(*c.fmtp) : std::optional{default_events()};
    if (!events)
      continue;
    const auto common = *events & caps.telephone_events;
    if (common.none())
      continue;
    out.telephone_event_pt = c.payload_type;
    out.telephone_events = common;
    return;
  }
}

bool crypto_acceptable(const crypto& c, const capabilities& caps) {
  if (std::find(caps.crypto_suites.begin(), caps.crypto_suites.end(), c.suite) ==
      caps.crypto_suites.end())
    return false;
  // No session parameter (UNENCRYPTED_SRTP, KDR, FEC_ORDER...) is supported:
  // RFC 4568 §7.1.2 says to skip a crypto line we cannot honour entirely.
  if (!c.session_params.empty() || c.keys.empty())
    return false;
  return std::all_of(c.keys.begin(), c.keys.end(),
                     [&](const crypto_key& k) { return key_fits_suite(k, c.suite); });
}

crypto answer_crypto(const crypto& offered, const capabilities& caps) {
  crypto ours{offered.tag, offered.suite, {}, {}};
  crypto_key key;
  key.key_salt =
      caps.key_source ? caps.key_source(offered.suite) : random_key_salt(offered.suite);
  ours.keys.push_back(std::move(key));
  return ours;
}

void add_attr(media& m, std::string name, std::string value) {
  m.attributes.push_back(attribute{std::move(name), std::move(value)});
}

reject_reason negotiate(const session& offer, const media& om, std::size_t index,
                        const capabilities& caps, negotiated_stream& ns, media& am) {
  if (om.port == 0)
    return reject_reason::offer_rejected;
  if (index >= caps.endpoints.size() || caps.endpoints[index].port == 0)
    return reject_reason::no_endpoint;
  const auto prof = classify(om.proto);
  if (prof == profile::other || (prof == profile::savp && caps.srtp == srtp_policy::off))
    return reject_reason::unsupported_proto;
  if (prof == profile::avp && caps.srtp == srtp_policy::required)
    return reject_reason::srtp_required;
  const auto offered = media_codecs(om);
  const auto picks = choose_codecs(offered, om.type, caps);
  if (picks.empty()) {
    const bool known_type =
        std::any_of(caps.codecs.begin(), caps.codecs.end(),
                    [&](auto& l) { return text::iequals(l.media_type, om.type); });
    return known_type ? reject_reason::no_common_codec : reject_reason::unsupported_media;
  }
  if (prof == profile::savp) {
    for (const auto& c : media_cryptos(om))
      if (crypto_acceptable(c, caps)) {
        ns.remote_crypto = c;
        ns.local_crypto = answer_crypto(c, caps);
        break;
      }
    if (!ns.remote_crypto)
      return reject_reason::no_common_crypto;
  }
  for (const auto& p : picks) {
    ns.codecs.push_back(*p.offered);
    const auto& l = caps.codecs[p.local_index];
    if (!l.fmtp.empty())
      ns.codecs.back().fmtp = l.fmtp;
  }
  choose_telephone_event(offered, ns.codecs.front().map->clock_rate, caps, ns);

  // RFC 3264 §6.1 direction table; c=0.0.0.0 (RFC 2543 hold) means the
  // offerer does not want to receive.
  const auto* conn = effective_connection(offer, om);
  auto offer_dir = media_direction(offer, om);
  if (conn && conn->address == "0.0.0.0")
    offer_dir = make_direction(sends(offer_dir), false);
  ns.local = make_direction(sends(caps.local_direction) && receives(offer_dir),
                            receives(caps.local_direction) && sends(offer_dir));
  ns.remote_address = conn ? conn->address : std::string();
  ns.remote_port = om.port;
  ns.remote_rtcp = find_rtcp(om);
  ns.rtcp_mux = caps.rtcp_mux && has_rtcp_mux(om);
  ns.remote_ptime_ms = ptime_ms(om);

  am.port = caps.endpoints[index].port;
  for (const auto& c : ns.codecs) {
    am.formats.push_back(std::to_string(c.payload_type));
    add_attr(am, "rtpmap", to_string(*c.map));
    if (c.fmtp)
      add_attr(am, "fmtp", std::to_string(c.payload_type) + " " + *c.fmtp);
  }
  if (ns.telephone_event_pt) {
    const auto pt = *ns.telephone_event_pt;
    am.formats.push_back(std::to_string(pt));
    add_attr(am, "rtpmap",
             std::to_string(pt) + " telephone-event/" +
                 std::to_string(ns.codecs.front().map->clock_rate));
    add_attr(am, "fmtp", std::to_string(pt) + " " + to_string(ns.telephone_events));
  }
  if (caps.ptime_ms)
    add_attr(am, "ptime", std::to_string(*caps.ptime_ms));
  if (ns.rtcp_mux)
    am.attributes.push_back(attribute{"rtcp-mux", std::nullopt});
  if (ns.local_crypto)
    add_attr(am, "crypto", to_string(*ns.local_crypto));
  set_direction(am.attributes, ns.local);
  return reject_reason::none;
}

} // namespace

bool answer::any_accepted() const noexcept {
  return std::any_of(streams.begin(), streams.end(),
                     [](const negotiated_stream& s) { return s.accepted(); });
}

answer make_answer(const session& offer, const capabilities& caps, origin_state& origin) {
  answer out;
  auto& s = out.sdp;
  s.origin = origin.next();
  s.name = caps.session_name;
  s.timings.push_back(timing{});
  std::string session_address = s.origin.address;
  for (std::size_t i = 0; i < offer.media.size() && i < caps.endpoints.size(); ++i)
    if (caps.endpoints[i].port != 0 && !caps.endpoints[i].address.empty()) {
      session_address = caps.endpoints[i].address;
      break;
    }
  s.connection = connection{"IN", addrtype_of(session_address), session_address, {}, {}};
  out.streams.reserve(offer.media.size());
  s.media.reserve(offer.media.size());
  for (std::size_t i = 0; i < offer.media.size(); ++i) {
    const auto& om = offer.media[i];
    auto& ns = out.streams.emplace_back();
    media am;
    am.type = om.type;
    am.proto = om.proto;
    const auto reason = negotiate(offer, om, i, caps, ns, am);
    if (reason != reject_reason::none) {
      // RFC 3264 §6: port 0, one format kept (ignored by the offerer).
      am = media{om.type, 0, std::nullopt, om.proto, {}, {}, {}, {}, {}, {}};
      if (!om.formats.empty())
        am.formats.push_back(om.formats.front());
      ns = negotiated_stream{};
      ns.rejected = reason;
    } else if (!caps.endpoints[i].address.empty() &&
               caps.endpoints[i].address != session_address) {
      const auto& a = caps.endpoints[i].address;
      am.connections.push_back(connection{"IN", addrtype_of(a), a, {}, {}});
    }
    s.media.push_back(std::move(am));
  }
  RINGDOWN_ASSERT(s.media.size() == offer.media.size() &&
                      out.streams.size() == offer.media.size(),
                  "RFC 3264 §6: one answer m= line per offered m= line, same order");
  return out;
}

} // namespace ringdown::sdp
