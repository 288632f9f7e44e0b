#include <unordered_set>

#include "net/sip/transaction_key.hpp"
#include "tests/unit/transaction/fixture.hpp"

using namespace ringdown;
using namespace ringdown::sip;
using namespace ringdown::sip::test;

TEST_CASE("client key is the top Via branch plus the CSeq method", "[transaction][key]") {
  const auto inv = client_key::of(request({.branch = "z9hG4bK-x"}));
  const auto ok_inv = client_key::of(response({.method = "INVITE", .branch = "z9hG4bK-x"}));
  const auto ok_cancel =
      client_key::of(response({.method = "CANCEL", .branch = "z9hG4bK-x"}));
  const auto other = client_key::of(response({.method = "INVITE", .branch = "z9hG4bK-y"}));
  REQUIRE(inv);
  REQUIRE(ok_inv);
  REQUIRE(ok_cancel);
  CHECK(*inv == *ok_inv);
  CHECK_FALSE(*inv == *ok_cancel); // same branch, different method
  CHECK_FALSE(*inv == *other);
  CHECK(std::hash<client_key>{}(*inv) == std::hash<client_key>{}(*ok_inv));
  CHECK_FALSE(client_key::of(response({.branch = ""})).has_value());
}

TEST_CASE("server key RFC 3261 matching", "[transaction][key]") {
  const auto inv = server_key::of(request({.branch = "z9hG4bK-a"}));
  REQUIRE(inv);
  CHECK(inv->rfc3261);
  struct row {
    const char* what;
    req_opts opts;
    bool same_as_invite;
  };
  const std::vector<row> rows{
      {"retransmission", {.branch = "z9hG4bK-a"}, true},
      {"ACK matches the INVITE",
       {.method = "ACK", .branch = "z9hG4bK-a", .to_tag = "x"},
       true},
      {"CANCEL has its own key", {.method = "CANCEL", .branch = "z9hG4bK-a"}, false},
      {"other branch", {.branch = "z9hG4bK-b"}, false},
      {"sent-by host mismatch", {.branch = "z9hG4bK-a", .sent_by = "10.0.0.2:5060"}, false},
      {"sent-by port mismatch", {.branch = "z9hG4bK-a", .sent_by = "10.0.0.1:5062"}, false},
      {"sent-by host case",
       {.branch = "z9hG4bK-a", .sent_by = "PC.Example.COM:5060"},
       false},
      {"different Call-ID ignored", {.branch = "z9hG4bK-a", .call_id = "other"}, true},
  };
  for (const auto& r : rows) {
    INFO(r.what);
    const auto k = server_key::of(request(r.opts));
    REQUIRE(k);
    CHECK((*k == *inv) == r.same_as_invite);
    if (r.same_as_invite)
      CHECK(std::hash<server_key>{}(*k) == std::hash<server_key>{}(*inv));
  }
  // Host compares case-insensitively.
  const auto lower_host =
      server_key::of(request({.branch = "z9hG4bK-h", .sent_by = "pc.example.com:5060"}));
  const auto upper_host =
      server_key::of(request({.branch = "z9hG4bK-h", .sent_by = "PC.Example.COM:5060"}));
  CHECK(*lower_host == *upper_host);
}

TEST_CASE("server key CANCEL finds the INVITE it cancels", "[transaction][key]") {
  for (const std::string branch : {"z9hG4bK-c", "old2543branch"}) {
    INFO(branch);
    const auto inv = server_key::of(request({.branch = branch}));
    const auto cancel = server_key::of(request({.method = "CANCEL", .branch = branch}));
    REQUIRE(inv);
    REQUIRE(cancel);
    CHECK_FALSE(*cancel == *inv);
    CHECK(cancel->cancel_target() == *inv);
  }
}

TEST_CASE("server key RFC 2543 fallback without the magic cookie", "[transaction][key]") {
  const auto inv = server_key::of(request({.branch = ""}));
  REQUIRE(inv);
  CHECK_FALSE(inv->rfc3261);
  struct row {
    const char* what;
    req_opts opts;
    bool same_as_invite;
  };
  const std::vector<row> rows{
      {"retransmission", {.branch = ""}, true},
      {"ACK with the response To tag",
       {.method = "ACK", .branch = "", .to_tag = "t9"},
       true},
      {"other Call-ID", {.branch = "", .call_id = "c2"}, false},
      {"other CSeq", {.branch = "", .cseq = 2}, false},
      {"other Request-URI", {.branch = "", .ruri = "sip:carol@example.com"}, false},
      {"other top Via", {.branch = "", .sent_by = "10.0.0.7:5060"}, false},
      {"non-cookie branch differs", {.branch = "abc"}, false},
      {"CANCEL", {.method = "CANCEL", .branch = ""}, false},
  };
  for (const auto& r : rows) {
    INFO(r.what);
    const auto k = server_key::of(request(r.opts));
    REQUIRE(k);
    CHECK((*k == *inv) == r.same_as_invite);
  }
  // Non-INVITE requests also compare the To tag.
  const auto bye1 = server_key::of(request({.method = "BYE", .branch = "", .to_tag = "a"}));
  const auto bye2 = server_key::of(request({.method = "BYE", .branch = "", .to_tag = "b"}));
  CHECK_FALSE(*bye1 == *bye2);
  std::unordered_set<server_key> set{*bye1, *bye2, *inv};
  CHECK(set.size() == 3);
}
