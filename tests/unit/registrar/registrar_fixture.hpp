#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "actors/registrar/digest.hpp"
#include "actors/registrar/registrar_stm.hpp"
#include "base/clock.hpp"
#include "base/random.hpp"
#include "net/sip/builder.hpp"

namespace ringdown::registrar::test {

inline constexpr std::string_view realm = "ringdown.test";
inline constexpr std::string_view ruri = "sip:ringdown.test";
inline constexpr std::string_view source = "udp:127.0.0.1:5062";

/// What a REGISTER carries (the test's UA side).
struct register_spec {
  std::string aor = "sip:alice@ringdown.test";
  std::vector<std::string> contacts = {"<sip:alice@127.0.0.1:5062>"};
  std::string expires; ///< Expires header, none when empty
  std::string call_id = "reg-call-1@127.0.0.1";
  std::uint32_t cseq = 1;
  std::string authorization; ///< none when empty
};

inline sip::message make_register(const register_spec& s) {
  sip::message_builder b{"REGISTER", ruri};
  b.header("Via", "SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-" + s.call_id +
                      std::to_string(s.cseq))
      .header("Max-Forwards", "70")
      .header("From", "<" + s.aor + ">;tag=ua-tag")
      .header("To", "<" + s.aor + ">")
      .header("Call-ID", s.call_id)
      .header("CSeq", fmt::format("{} REGISTER", s.cseq));
  for (const auto& c : s.contacts)
    b.header("Contact", c);
  if (!s.expires.empty())
    b.header("Expires", s.expires);
  if (!s.authorization.empty())
    b.header("Authorization", s.authorization);
  return b.build();
}

/// The WWW-Authenticate values of a response, in order.
inline std::vector<std::string> challenges(const sip::message& m) {
  std::vector<std::string> out;
  for (const auto& f : m.fields())
    if (f.id == sip::header_id::www_authenticate)
      out.emplace_back(m.value_of(f));
  return out;
}

inline std::string challenge_param(std::string_view challenge, std::string_view name) {
  const auto h = sip::auth_header::parse(challenge);
  if (!h)
    return {};
  const auto v = h->param(name);
  return v ? std::string{*v} : std::string{};
}

/// An Authorization value answering `nonce` as the UA would.
inline std::string authorization(std::string_view user, std::string_view password,
                                 std::string_view nonce, std::uint32_t nc,
                                 digest_algorithm alg = digest_algorithm::sha256,
                                 std::string_view use_realm = realm) {
  digest_credentials c;
  c.username = std::string{user};
  c.realm = std::string{use_realm};
  c.nonce = std::string{nonce};
  c.uri = std::string{ruri};
  c.algorithm = alg;
  c.cnonce = "0a4f113b";
  c.qop = "auth";
  c.nc_text = fmt::format("{:08x}", nc);
  c.nc = nc;
  c.response = expected_response(c, password, "REGISTER");
  return fmt::format("Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{}\", "
                     "response=\"{}\", algorithm={}, cnonce=\"{}\", qop=auth, nc={}",
                     c.username, c.realm, c.nonce, c.uri, c.response, to_string(alg),
                     c.cnonce, c.nc_text);
}

/// A registrar with two provisioned resources, a manual clock and a seeded rng.
struct fixture {
  manual_clock clk;
  rng gen{42};
  std::map<std::string, config::resource_def, std::less<>> resources;
  registrar_stm stm;

  static registrar_config make_config() {
    registrar_config c;
    c.realm = std::string{realm};
    return c;
  }

  explicit fixture(registrar_config cfg = make_config())
      : stm(
            std::move(cfg),
            [this](std::string_view aor) -> const config::resource_def* {
              const auto it = resources.find(aor);
              return it == resources.end() ? nullptr : &it->second;
            },
            gen) {
    add("alice", "sip:alice@ringdown.test", "alice-secret", 8);
    add("bob", "sip:bob@ringdown.test", "bob-secret", 2);
  }

  void add(std::string name, std::string aor, std::string password, std::uint32_t max) {
    config::resource_def r;
    r.name = std::move(name);
    r.aor = aor;
    r.password = std::move(password);
    r.contacts_max = max;
    resources[aor] = r;
  }

  registrar_result send(const register_spec& s) {
    return stm.handle(make_register(s), source, clk.now(), clk.wall_ms());
  }

  /// Sends `s` without credentials, answers the challenge with
  /// `password`, commits the change; returns the second result.
  registrar_result authed(register_spec s, std::string_view password = "alice-secret",
                          std::string_view user = "alice") {
    s.authorization.clear();
    const auto first = send(s);
    const auto ch = challenges(first.response);
    if (first.response.status_code() != 401 || ch.empty())
      return first;
    s.authorization = authorization(user, password, challenge_param(ch[0], "nonce"), 1);
    ++s.cseq;
    auto r = send(s);
    if (r.change)
      stm.commit(*r.change);
    return r;
  }

  std::vector<std::string> contacts_of(const sip::message& m) {
    std::vector<std::string> out;
    for (auto v : m.values(sip::header_id::contact))
      out.emplace_back(v);
    return out;
  }
};

} // namespace ringdown::registrar::test
