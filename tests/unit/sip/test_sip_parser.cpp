// sip::parser on requests and responses: start lines, header indexing,
// mandatory fields, Content-Length and the error table.
#include <catch2/catch.hpp>

#include "net/sip/parser.hpp"
#include "tests/unit/sip/sip_samples.hpp"

namespace sip = ringdown::sip;
using sip::header_id;
using sip::parse_error;
using namespace ringdown::sip::test;

TEST_CASE("parser reads a request start line and indexes its headers", "[sip][parser]") {
  const sip::parser p{sip::limits{}};
  sip::message m;
  const std::string text = sample_invite();
  const auto r = p.parse(text, m);
  REQUIRE(r.ok());
  CHECK_FALSE(r.answerable);
  CHECK(m.is_request());
  CHECK_FALSE(m.is_response());
  CHECK(m.method() == sip::method::invite);
  CHECK(m.method_text() == "INVITE");
  CHECK(m.request_uri_text() == "sip:bob@biloxi.example.com");
  CHECK(m.request_uri().user == "bob");
  CHECK(m.request_uri().host == "biloxi.example.com");
  CHECK(m.status_code() == 0);
  REQUIRE(m.fields().size() == 13);
  CHECK(m.fields()[0].id == header_id::via);
  CHECK(m.name_of(m.fields()[0]) == "Via");
  CHECK(m.fields()[10].id == header_id::other);
  CHECK(m.name_of(m.fields()[10]) == "X-Custom-Thing");
  CHECK(m.value_of(m.fields()[10]) == "odd ;; value,,");
  CHECK(m.count(header_id::via) == 2);
  CHECK(m.body() == sample_sdp());
}

TEST_CASE("parser reads a response status line", "[sip][parser]") {
  const sip::parser p{sip::limits{}};
  sip::message m;
  const std::string text = sample_response();
  REQUIRE(p.parse(text, m).ok());
  CHECK(m.is_response());
  CHECK(m.status_code() == 180);
  CHECK(m.reason_phrase() == "Ringing");
  CHECK(m.method_text().empty());
  CHECK(m.request_uri_text().empty());
  CHECK(m.cseq()->method == sip::method::invite);
  CHECK(m.body().empty());
}

TEST_CASE("parser accepts every known method and keeps unknown ones", "[sip][parser]") {
  const sip::parser p{sip::limits{}};
  for (std::string_view name :
       {"INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "PRACK", "SUBSCRIBE",
        "NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE", "FOO"}) {
    std::string text = replace(sample_invite(), "INVITE sip", std::string(name) + " sip");
    text = replace(text, "314159 INVITE", "314159 " + std::string(name));
    sip::message m;
    INFO(name);
    REQUIRE(p.parse(text, m).ok());
    CHECK(m.method_text() == name);
    CHECK(m.method() == sip::method_from(name));
    CHECK((m.method() == sip::method::unknown) == (name == "FOO"));
  }
}

TEST_CASE("parser ignores CRLFs before the start line and accepts bare LF",
          "[sip][parser]") {
  const sip::parser p{sip::limits{}};
  sip::message m;
  const std::string crlf = "\r\n\r\n" + sample_response();
  REQUIRE(p.parse(crlf, m).ok());
  CHECK(m.status_code() == 180);
  CHECK(m.raw() == crlf); // byte for byte, leading CRLFs included
  std::string lf = sample_response();
  for (auto at = lf.find("\r\n"); at != std::string::npos; at = lf.find("\r\n"))
    lf.erase(at, 1);
  REQUIRE(p.parse(lf, m).ok());
  CHECK(m.call_id() == "a84b4c76e66710@pc33.atlanta.example.com");
}

TEST_CASE("parser cuts a datagram body to Content-Length and takes the rest without it",
          "[sip][parser]") {
  const sip::parser p{sip::limits{}};
  sip::message m;
  const std::string text = sample_invite() + "trailing noise";
  REQUIRE(p.parse(text, m).ok());
  CHECK(m.body() == sample_sdp());
  CHECK(m.serialize() == sample_invite());
  const std::string no_cl = replace(sample_invite(), "Content-Length: 149\r\n", "");
  REQUIRE(no_cl != sample_invite());
  REQUIRE(p.parse(no_cl, m).ok());
  CHECK_FALSE(m.content_length().has_value());
  CHECK(m.body() == sample_sdp());
}

TEST_CASE("parser reuses the message object between parses", "[sip][parser]") {
  const sip::parser p{sip::limits{}};
  sip::message m;
  const std::string a = sample_invite();
  const std::string b = sample_response();
  REQUIRE(p.parse(a, m).ok());
  REQUIRE(p.parse(b, m).ok());
  CHECK(m.is_response());
  CHECK(m.fields().size() == 6);
  REQUIRE(p.parse(a, m).ok());
  CHECK(m.is_request());
  CHECK(m.request_uri().host == "biloxi.example.com");
  CHECK(m.fields().size() == 13);
}

namespace {
struct bad_case {
  const char* name;
  std::string_view from;
  std::string_view to;
  parse_error error;
  int status;
  bool answerable;
};
} // namespace

TEST_CASE("parser refuses malformed requests with the right status", "[sip][parser]") {
  const bad_case cases[] = {
      {"bad version", "SIP/2.0\r\nVia", "SIP/3.0\r\nVia", parse_error::bad_version, 505,
       true},
      {"space in Request-URI", "sip:bob@biloxi.example.com SIP",
       "sip:bob@biloxi. example.com SIP", parse_error::bad_start_line, 400, true},
      {"angle brackets in Request-URI", "sip:bob@biloxi.example.com SIP",
       "<sip:bob@biloxi.example.com> SIP", parse_error::bad_start_line, 400, true},
      {"missing Call-ID", "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n", "",
       parse_error::missing_header, 400, true},
      {"missing To", "To: Bob <sip:bob@biloxi.example.com>\r\n", "",
       parse_error::missing_header, 400, true},
      {"CSeq method mismatch", "314159 INVITE", "314159 BYE", parse_error::cseq_mismatch,
       400, true},
      {"CSeq overflow", "314159 INVITE", "4294967296 INVITE", parse_error::bad_value, 400,
       true},
      {"negative Content-Length", "Content-Length: 149", "Content-Length: -1",
       parse_error::bad_value, 400, true},
      {"Content-Length over the body", "Content-Length: 149", "Content-Length: 150",
       parse_error::body_length, 400, true},
      {"unterminated quote in From", "\"Alice A.\" <", "\"Alice A. <",
       parse_error::bad_value, 400, true},
      {"nested angle brackets in From", "\"Alice A.\" <sip:alice@atlanta.example.com>",
       "<sip:a<sip:b@example.com>", parse_error::bad_value, 400, true},
      {"Max-Forwards over 255", "Max-Forwards: 70", "Max-Forwards: 300",
       parse_error::bad_value, 400, true},
      {"two Call-IDs", "CSeq: 314159", "Call-ID: other@x\r\nCSeq: 314159",
       parse_error::bad_value, 400, true},
      {"header line without colon", "X-Custom-Thing:", "X-Custom-Thing",
       parse_error::bad_header, 400, true},
      {"malformed second Via", "SIP/2.0/UDP [2001:db8::9]:5070",
       "SIP/2.0/UDP [2001:db8::9:5070", parse_error::bad_value, 400, true},
      {"malformed top Via host", "SIP/2.0/UDP pc33.atlanta.example.com;",
       "SIP/2.0/UDP pc33.atlanta..example.com@;", parse_error::bad_value, 400, false},
      {"no empty line after the headers", "\r\n\r\nv=0", "\r\nv=0", parse_error::bad_header,
       400, true},
  };
  const sip::parser p{sip::limits{}};
  for (const bad_case& c : cases) {
    INFO(c.name);
    const std::string text = replace(sample_invite(), c.from, c.to);
    REQUIRE(text != sample_invite());
    sip::message m;
    const auto r = p.parse(text, m);
    CHECK(r.error == c.error);
    CHECK(r.answerable == c.answerable);
    if (c.answerable) {
      CHECK(r.status == c.status);
      CHECK_FALSE(r.reason.empty());
    }
  }
}

TEST_CASE("a request without Via is refused and not answerable", "[sip][parser]") {
  const std::string text = "OPTIONS sip:a@b SIP/2.0\r\nFrom: <sip:c@d>;tag=1\r\n"
                           "To: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n\r\n";
  sip::message m;
  const auto r = sip::parser{sip::limits{}}.parse(text, m);
  CHECK(r.error == parse_error::missing_header);
  CHECK_FALSE(r.answerable);
}

TEST_CASE("parser never marks a malformed response answerable", "[sip][parser]") {
  const sip::parser p{sip::limits{}};
  const std::pair<std::string_view, std::string_view> edits[] = {
      {"SIP/2.0 180 Ringing", "SIP/2.0 1800 Ringing"},
      {"SIP/2.0 180 Ringing", "SIP/2.0 099 Ringing"},
      {"CSeq: 314159 INVITE", "CSeq: x INVITE"},
      {"Call-ID: a84b", "X: a84b"},
      {"tag=a6c85cf", "tag=a6c85cf\r\nTo: <sip:x@y>"},
  };
  for (const auto& [from, to] : edits) {
    INFO(to);
    const std::string text = replace(sample_response(), from, to);
    sip::message m;
    const auto r = p.parse(text, m);
    CHECK_FALSE(r.ok());
    CHECK_FALSE(r.answerable);
  }
}

TEST_CASE("parser survives empty truncated and binary input", "[sip][parser]") {
  const sip::parser p{sip::limits{}};
  sip::message m;
  CHECK(p.parse("", m).error == parse_error::empty);
  CHECK(p.parse("\r\n\r\n", m).error == parse_error::empty);
  CHECK(p.parse("INVITE", m).error == parse_error::bad_start_line);
  const std::string invite = sample_invite();
  // Every prefix of a valid message parses without crashing.
  for (std::size_t n = 0; n < invite.size(); ++n) {
    const auto r = p.parse(std::string_view(invite).substr(0, n), m);
    CHECK_FALSE(r.ok());
  }
  std::string noise(512, '\0');
  for (std::size_t i = 0; i < noise.size(); ++i)
    noise[i] = static_cast<char>((i * 131 + 7) % 256);
  CHECK_FALSE(p.parse(noise, m).ok());
}
