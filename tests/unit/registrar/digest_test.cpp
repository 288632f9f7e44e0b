#include <catch2/catch.hpp>

#include "actors/registrar/digest.hpp"

using namespace ringdown::registrar;

namespace {

// RFC 7616 §3.9.1: user Mufasa, password "Circle of Life", GET /dir/index.html.
constexpr std::string_view rfc_nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
constexpr std::string_view rfc_cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
constexpr std::string_view rfc_opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";

std::string rfc_header(std::string_view alg, std::string_view response) {
  return std::string{"Digest username=\"Mufasa\", realm=\"http-auth@example.org\", "
                     "uri=\"/dir/index.html\", algorithm="} +
         std::string{alg} + ", nonce=\"" + std::string{rfc_nonce} +
         "\", nc=00000001, cnonce=\"" + std::string{rfc_cnonce} +
         "\", qop=auth, response=\"" + std::string{response} + "\", opaque=\"" +
         std::string{rfc_opaque} + "\"";
}

} // namespace

TEST_CASE("digest RFC 7616 example vectors", "[registrar][digest]") {
  struct row {
    std::string_view alg;
    digest_algorithm expect_alg;
    std::string_view response;
  };
  const row rows[] = {
      {"MD5", digest_algorithm::md5, "8ca523f5e9506fed4657c9700eebdbec"},
      {"SHA-256", digest_algorithm::sha256,
       "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"},
  };
  for (const auto& r : rows) {
    INFO(r.alg);
    credentials_error why = credentials_error::malformed;
    const auto c = parse_credentials(rfc_header(r.alg, r.response), why);
    REQUIRE(c);
    CHECK(why == credentials_error::none);
    CHECK(c->algorithm == r.expect_alg);
    CHECK(c->username == "Mufasa");
    CHECK(c->nc == 1);
    CHECK(c->opaque == rfc_opaque);
    CHECK(expected_response(*c, "Circle of Life", "GET") == r.response);
    CHECK(expected_response(*c, "Circle of life", "GET") != r.response);
  }
}

TEST_CASE("digest sess variants hash H(A1) with nonce and cnonce", "[registrar][digest]") {
  digest_credentials c;
  c.username = "u";
  c.realm = "r";
  c.nonce = "n";
  c.uri = "sip:x";
  c.cnonce = "c";
  c.qop = "auth";
  c.nc_text = "00000001";
  for (const auto& [plain, sess] :
       {std::pair{digest_algorithm::md5, digest_algorithm::md5_sess},
        std::pair{digest_algorithm::sha256, digest_algorithm::sha256_sess}}) {
    c.algorithm = sess;
    const std::string ha1 = hash_hex(sess, hash_hex(sess, "u:r:pw") + ":n:c");
    const std::string want =
        hash_hex(sess, ha1 + ":n:00000001:c:auth:" + hash_hex(sess, "REGISTER:sip:x"));
    CHECK(expected_response(c, "pw", "REGISTER") == want);
    c.algorithm = plain;
    CHECK(expected_response(c, "pw", "REGISTER") != want);
  }
  CHECK(hash_hex(digest_algorithm::md5, "").size() == 32);
  CHECK(hash_hex(digest_algorithm::sha256, "") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("digest credentials parser is strict", "[registrar][digest]") {
  const std::string good =
      "Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", "
      "response=\"ab\", qop=auth, nc=00000002, cnonce=\"c\"";
  struct row {
    std::string text;
    credentials_error want;
  };
  const row rows[] = {
      {good, credentials_error::none},
      {"Basic YWxhZGRpbjpvcGVuc2VzYW1l", credentials_error::not_digest},
      {good + ", username=\"b\"", credentials_error::malformed},
      {good + ", algorithm=SHA-512-256", credentials_error::bad_algorithm},
      {"Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"sip:x\"",
       credentials_error::missing_parameter},
      {"Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"ab\", "
       "qop=auth-int, nc=00000001, cnonce=\"c\"",
       credentials_error::bad_qop},
      {"Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"ab\", "
       "qop=auth, nc=1, cnonce=\"c\"",
       credentials_error::bad_qop},
      {"Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"sip:x\", response=\"ab\", "
       "qop=auth, nc=00000001",
       credentials_error::bad_qop},
      {"Digest username=\"a, realm=\"r\"", credentials_error::malformed},
      {"Digest username \"a\"", credentials_error::malformed},
      {"Digest username=\"a\" realm=\"r\"", credentials_error::malformed},
      {good + ", userhash=true", credentials_error::malformed},
      {"Digest username=\"" + std::string(600, 'x') + "\"", credentials_error::malformed},
  };
  for (const auto& r : rows) {
    INFO(r.text);
    credentials_error why = credentials_error::none;
    const auto c = parse_credentials(r.text, why);
    CHECK(why == r.want);
    CHECK(c.has_value() == (r.want == credentials_error::none));
  }
  credentials_error why{};
  const auto c =
      parse_credentials("Digest username=\"a\\\"b\",realm=r,nonce=n,uri=\"sip:x\","
                        "response=\"AB\",qop=\"auth\",nc=0000000a,cnonce=c",
                        why);
  REQUIRE(c);
  CHECK(c->username == "a\"b");
  CHECK(c->response == "ab");
  CHECK(c->nc == 10);
}

TEST_CASE("digest challenge format", "[registrar][digest]") {
  const auto sha = make_challenge("ringdown", "abc", {}, digest_algorithm::sha256, false);
  CHECK(sha == "Digest realm=\"ringdown\", qop=\"auth\", algorithm=SHA-256, nonce=\"abc\"");
  const auto md5 = make_challenge("ringdown", "abc", "op", digest_algorithm::md5, true);
  CHECK(md5 == "Digest realm=\"ringdown\", qop=\"auth\", algorithm=MD5, nonce=\"abc\", "
               "opaque=\"op\", stale=true");
}

TEST_CASE("digest constant time compare", "[registrar][digest]") {
  CHECK(constant_time_equal("abcd", "abcd"));
  CHECK_FALSE(constant_time_equal("abcd", "abce"));
  CHECK_FALSE(constant_time_equal("abcd", "abc"));
  CHECK(constant_time_equal("", ""));
}
