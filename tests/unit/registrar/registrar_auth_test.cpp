#include <catch2/catch.hpp>

#include "tests/unit/registrar/registrar_fixture.hpp"

using namespace ringdown;
using namespace ringdown::registrar;
using namespace ringdown::registrar::test;
using namespace std::chrono_literals;

TEST_CASE("registrar challenges then accepts a digest REGISTER", "[registrar][auth]") {
  for (const auto alg : {digest_algorithm::sha256, digest_algorithm::md5,
                         digest_algorithm::sha256_sess, digest_algorithm::md5_sess}) {
    INFO(to_string(alg));
    fixture f;
    register_spec s;
    const auto first = f.send(s);
    CHECK(first.response.status_code() == 401);
    CHECK(first.outcome == register_outcome::challenged);
    CHECK_FALSE(first.change);
    CHECK_FALSE(first.response.to()->tag().empty());
    const auto ch = challenges(first.response);
    REQUIRE(ch.size() == 2);
    CHECK(challenge_param(ch[0], "algorithm") == "SHA-256"); // RFC 8760 §2.4 order
    CHECK(challenge_param(ch[1], "algorithm") == "MD5");
    CHECK(challenge_param(ch[0], "realm") == realm);
    CHECK(challenge_param(ch[0], "qop") == "auth");
    CHECK(challenge_param(ch[0], "stale").empty());
    const auto nonce = challenge_param(ch[0], "nonce");
    CHECK(nonce == challenge_param(ch[1], "nonce"));

    s.cseq = 2;
    s.authorization = authorization("alice", "alice-secret", nonce, 1, alg);
    const auto ok = f.send(s);
    CHECK(ok.response.status_code() == 200);
    CHECK(ok.outcome == register_outcome::ok);
    CHECK_FALSE(ok.response.header("Date").empty());
    const auto contacts = f.contacts_of(ok.response);
    REQUIRE(contacts.size() == 1);
    CHECK(contacts[0] == "<sip:alice@127.0.0.1:5062>;expires=3600");
    REQUIRE(ok.change);
    CHECK(ok.change->aor == "sip:alice@ringdown.test");
    REQUIRE(ok.change->bindings.size() == 1);
    const auto& b = ok.change->bindings[0];
    CHECK(b.contact == "sip:alice@127.0.0.1:5062");
    CHECK(b.expires_at_ms == f.clk.wall_ms() + 3'600'000);
    CHECK(b.call_id == s.call_id);
    CHECK(b.cseq == 2);
    CHECK(b.source == source);
    CHECK(
        f.stm.lookup("sip:alice@ringdown.test", f.clk.wall_ms()).empty()); // not committed
    f.stm.commit(*ok.change);
    CHECK(f.stm.lookup("sip:alice@RINGDOWN.test", f.clk.wall_ms()).size() == 1);
  }
}

TEST_CASE("registrar refuses wrong credentials with 403 and stores nothing",
          "[registrar][auth]") {
  struct row {
    std::string user, password, realm_used;
  };
  const row rows[] = {
      {"alice", "wrong-password", std::string{realm}},
      {"bob", "bob-secret", std::string{realm}}, // another resource's identity
      {"alice", "alice-secret", "other.realm"},  // realm not ours
  };
  for (const auto& r : rows) {
    INFO(r.user << " " << r.password << " " << r.realm_used);
    fixture f;
    register_spec s;
    const auto nonce = challenge_param(challenges(f.send(s).response)[0], "nonce");
    s.authorization =
        authorization(r.user, r.password, nonce, 1, digest_algorithm::sha256, r.realm_used);
    const auto res = f.send(s);
    CHECK(res.response.status_code() == 403);
    CHECK(res.outcome == register_outcome::forbidden);
    CHECK_FALSE(res.change);
    CHECK(challenges(res.response).empty());
    CHECK(f.stm.aor_count() == 0);
  }
}

TEST_CASE("registrar answers 404 for an unknown AOR", "[registrar][auth]") {
  fixture f;
  register_spec s;
  s.aor = "sip:carol@ringdown.test";
  const auto res = f.send(s);
  CHECK(res.response.status_code() == 404);
  CHECK(res.outcome == register_outcome::not_found);
  CHECK_FALSE(res.change);
  CHECK(challenges(res.response).empty());
}

TEST_CASE("registrar refuses a replayed nonce count", "[registrar][auth]") {
  fixture f;
  register_spec s;
  const auto nonce = challenge_param(challenges(f.send(s).response)[0], "nonce");
  s.cseq = 2;
  s.authorization = authorization("alice", "alice-secret", nonce, 1);
  const auto ok = f.send(s);
  REQUIRE(ok.response.status_code() == 200);
  f.stm.commit(*ok.change);
  const auto replay = f.send(s); // the same bytes again (an attacker's replay)
  CHECK(replay.response.status_code() == 401);
  CHECK(replay.outcome == register_outcome::replay);
  CHECK_FALSE(replay.change);
  s.cseq = 3;
  s.authorization = authorization("alice", "alice-secret", nonce, 2);
  const auto next = f.send(s);
  CHECK(next.response.status_code() == 200);
  CHECK(next.change);
}

TEST_CASE("registrar answers stale=true on an expired nonce", "[registrar][auth]") {
  fixture f;
  register_spec s;
  const auto nonce = challenge_param(challenges(f.send(s).response)[0], "nonce");
  f.clk.advance(301s);
  s.authorization = authorization("alice", "alice-secret", nonce, 1);
  const auto res = f.send(s);
  CHECK(res.response.status_code() == 401);
  CHECK(res.outcome == register_outcome::stale);
  CHECK_FALSE(res.change);
  const auto ch = challenges(res.response);
  REQUIRE(ch.size() == 2);
  CHECK(challenge_param(ch[0], "stale") == "true");
  CHECK(challenge_param(ch[1], "stale") == "true");
  CHECK(challenge_param(ch[0], "nonce") != nonce);
  // A wrong password on an expired nonce is still a 403, never stale.
  s.authorization = authorization("alice", "bad", nonce, 1);
  CHECK(f.send(s).response.status_code() == 403);
}

TEST_CASE("registrar re-challenges a nonce it did not issue", "[registrar][auth]") {
  fixture f;
  register_spec s;
  s.authorization = authorization("alice", "alice-secret", "bm90LW91cnM", 1);
  const auto res = f.send(s);
  CHECK(res.response.status_code() == 401);
  CHECK(res.outcome == register_outcome::challenged);
  CHECK(challenge_param(challenges(res.response)[0], "stale").empty());
}

TEST_CASE("registrar refuses malformed requests", "[registrar][auth]") {
  fixture f;
  register_spec s;
  s.authorization = "Digest username=\"alice\", username=\"alice\"";
  CHECK(f.send(s).response.status_code() == 400);
  s.authorization =
      "Digest username=\"alice\", realm=\"ringdown.test\", nonce=\"x\", "
      "uri=\"sip:other\", response=\"00\", qop=auth, nc=00000001, cnonce=\"c\"";
  CHECK(f.send(s).response.status_code() == 400); // uri is not the Request-URI
  auto opts = sip::message_builder{"OPTIONS", ruri}
                  .header("Via", "SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-o")
                  .header("From", "<sip:alice@ringdown.test>;tag=1")
                  .header("To", "<sip:alice@ringdown.test>")
                  .header("Call-ID", "o1")
                  .header("CSeq", "1 OPTIONS")
                  .build();
  const auto res = f.stm.handle(opts, source, f.clk.now(), f.clk.wall_ms());
  CHECK(res.response.status_code() == 405);
  CHECK(res.response.header("Allow") == "REGISTER");
}

TEST_CASE("registrar offers the configured challenge algorithms in order",
          "[registrar][auth]") {
  auto cfg = fixture::make_config();
  cfg.challenge_algorithms = {digest_algorithm::md5};
  fixture f{cfg};
  register_spec s;
  const auto first = f.send(s);
  REQUIRE(first.response.status_code() == 401);
  const auto ch = challenges(first.response);
  REQUIRE(ch.size() == 1);
  CHECK(challenge_param(ch[0], "algorithm") == "MD5");
  s.cseq = 2;
  s.authorization = authorization("alice", "alice-secret", challenge_param(ch[0], "nonce"),
                                  1, digest_algorithm::md5);
  CHECK(f.send(s).response.status_code() == 200);
}
