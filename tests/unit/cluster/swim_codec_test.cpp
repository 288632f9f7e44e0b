#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "cluster/swim_codec.hpp"

using namespace ringdown::cluster;

namespace {

const std::vector<std::uint8_t> key{'c', 'l', 'u', 's', 't', 'e', 'r', '-', 'k', 'e', 'y'};

member record(const std::string& id, std::uint64_t inc = 3) {
  return member{id,
                "london",
                {"10.1.0.1:5060", "10.1.0.1:7946", "10.1.0.1:8080", "10.1.0.1:20000"},
                member_state::alive,
                inc};
}

swim_update gone(const std::string& id, member_state s, std::uint64_t inc,
                 const std::string& from) {
  member m;
  m.id = id;
  m.state = s;
  m.incarnation = inc;
  return swim_update{m, from};
}

// Signs `body` as the codec does: body || HMAC-SHA256(key, body).
std::vector<std::uint8_t> sign(std::vector<std::uint8_t> body) {
  std::uint8_t tag[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), body.data(), body.size(),
       tag, &len);
  body.insert(body.end(), tag, tag + len);
  return body;
}

decode_error failure(const std::vector<std::uint8_t>& bytes) {
  decode_error e{};
  REQUIRE_FALSE(decode(bytes, key, &e).has_value());
  return e;
}

} // namespace

TEST_CASE("every message kind survives a round trip", "[cluster][swim_codec]") {
  swim_message m;
  m.from_id = "node1";
  m.seq = 0x01020304;
  m.target_id = "node2";
  m.target_address = "10.1.0.2:7946";
  m.updates = {swim_update{record("node3"), ""},
               gone("node4", member_state::suspect, 7, "node1"),
               gone("node5", member_state::dead, 2, "node6"),
               gone("node7", member_state::left, 9, "node7")};
  for (const auto kind :
       {message_kind::ping, message_kind::ack, message_kind::nack, message_kind::ping_req,
        message_kind::push_pull, message_kind::leave}) {
    m.kind = kind;
    m.request = kind == message_kind::push_pull;
    m.join = kind == message_kind::push_pull;
    m.members.clear();
    if (kind == message_kind::push_pull)
      m.members = {record("node1", 1), record("node2", 0)};
    std::vector<std::uint8_t> bytes;
    const auto fit = encode(m, key, bytes);
    CHECK(fit.updates == 4);
    CHECK(fit.members == m.members.size());
    decode_error e{};
    const auto got = decode(bytes, key, &e);
    REQUIRE(got.has_value());
    CHECK(got->kind == kind);
    CHECK(got->from_id == "node1");
    CHECK(got->seq == 0x01020304);
    const bool targeted = kind == message_kind::ping || kind == message_kind::ping_req;
    CHECK(got->target_id == (targeted ? "node2" : ""));
    CHECK(got->target_address == (kind == message_kind::ping_req ? "10.1.0.2:7946" : ""));
    CHECK(got->request == m.request);
    CHECK(got->join == m.join);
    CHECK(got->members == m.members);
    REQUIRE(got->updates.size() == 4);
    for (std::size_t i = 0; i < 4; ++i) {
      CHECK(got->updates[i].subject == m.updates[i].subject);
      CHECK(got->updates[i].from == m.updates[i].from);
    }
  }
}

TEST_CASE("a ping's bytes: version, kind, fields big-endian, HMAC-SHA256 tag",
          "[cluster][swim_codec]") {
  swim_message m;
  m.kind = message_kind::ping;
  m.from_id = "a";
  m.seq = 0x0A0B0C0D;
  m.target_id = "bc";
  std::vector<std::uint8_t> bytes;
  encode(m, key, bytes);
  const std::vector<std::uint8_t> body{1,    1,    1, 'a', 0x0A, 0x0B,
                                       0x0C, 0x0D, 2, 'b', 'c',  0};
  CHECK(bytes == sign(body));
}

TEST_CASE("updates are piggy-backed while they fit in a datagram",
          "[cluster][swim_codec]") {
  swim_message m;
  m.kind = message_kind::ack;
  m.from_id = "node1";
  for (int i = 0; i < 300; ++i)
    m.updates.push_back(swim_update{record("member-" + std::to_string(i)), ""});
  std::vector<std::uint8_t> bytes;
  const auto fit = encode(m, key, bytes);
  CHECK(fit.updates > 5);
  CHECK(fit.updates < 300);
  CHECK(bytes.size() <= packet_bytes_max);
  CHECK(bytes.size() > packet_bytes_max - 100); // the next one would not fit
  const auto got = decode(bytes, key);
  REQUIRE(got.has_value());
  REQUIRE(got->updates.size() == fit.updates);
  CHECK(got->updates.back().subject.id == "member-" + std::to_string(fit.updates - 1));

  m.kind = message_kind::push_pull;
  std::vector<member> members;
  for (int i = 0; i < 100; ++i)
    members.push_back(record("member-" + std::to_string(i)));
  const auto fit2 = encode(m, members, {}, key, bytes);
  CHECK(fit2.members > 5);
  CHECK(fit2.members < 100);
  CHECK(bytes.size() <= packet_bytes_max);
  const auto got2 = decode(bytes, key);
  REQUIRE(got2.has_value());
  CHECK(got2->members.size() == fit2.members);
}

TEST_CASE("unauthenticated packets are refused", "[cluster][swim_codec]") {
  swim_message m;
  m.kind = message_kind::ping;
  m.from_id = "node1";
  m.target_id = "node2";
  m.updates = {swim_update{record("node3"), ""}};
  std::vector<std::uint8_t> good;
  encode(m, key, good);
  REQUIRE(decode(good, key).has_value());

  auto tag_flipped = good;
  tag_flipped.back() ^= 0x01;
  CHECK(failure(tag_flipped) == decode_error::bad_mac);
  auto body_flipped = good;
  body_flipped[5] ^= 0x80;
  CHECK(failure(body_flipped) == decode_error::bad_mac);
  const std::vector<std::uint8_t> other_key{'o', 't', 'h', 'e', 'r'};
  decode_error e{};
  CHECK_FALSE(decode(good, other_key, &e).has_value());
  CHECK(e == decode_error::bad_mac);
  auto truncated = good;
  truncated.pop_back();
  CHECK(failure(truncated) == decode_error::bad_mac);
}

TEST_CASE("oversized, short and malformed packets are refused", "[cluster][swim_codec]") {
  CHECK(failure(std::vector<std::uint8_t>(packet_bytes_max + 1, 0)) ==
        decode_error::too_big);
  CHECK(failure(std::vector<std::uint8_t>(mac_bytes + 1, 0)) == decode_error::malformed);
  CHECK(failure({}) == decode_error::malformed);

  // Authenticated but broken: the parser refuses them.
  const std::vector<std::uint8_t> ack{1, 2, 1, 'a', 0, 0, 0, 1, 0};
  REQUIRE(decode(sign(ack), key).has_value());
  struct row {
    const char* what;
    std::vector<std::uint8_t> body;
  };
  const row rows[] = {
      {"wrong version", {2, 2, 1, 'a', 0, 0, 0, 1, 0}},
      {"unknown kind", {1, 9, 1, 'a', 0, 0, 0, 1, 0}},
      {"kind zero", {1, 0, 1, 'a', 0, 0, 0, 1, 0}},
      {"empty sender", {1, 2, 0, 0, 0, 0, 1, 0}},
      {"trailing byte", {1, 2, 1, 'a', 0, 0, 0, 1, 0, 0}},
      {"truncated seq", {1, 2, 1, 'a', 0, 0}},
      {"string past the end", {1, 2, 9, 'a', 0, 0, 0, 1, 0}},
      {"update count past the end", {1, 2, 1, 'a', 0, 0, 0, 1, 3}},
      {"unknown state",
       {1, 2, 1, 'a', 0, 0, 0, 1, 1, 7, 0, 0, 0, 0, 0, 0, 0, 0, 1, 'b', 0}},
      {"empty update id", {1, 2, 1, 'a', 0, 0, 0, 1, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
      {"alive without record",
       {1, 2, 1, 'a', 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 'b', 0}},
      {"unknown push-pull flag", {1, 5, 1, 'a', 0, 0, 0, 1, 0x80, 0, 0, 0}},
      {"member count past the end", {1, 5, 1, 'a', 0, 0, 0, 1, 1, 0, 2, 0}},
  };
  for (const auto& r : rows) {
    INFO(r.what);
    CHECK(failure(sign(r.body)) == decode_error::malformed);
  }
  // A dead update with an id and a sender is fine.
  CHECK(
      decode(sign({1, 2, 1, 'a', 0, 0, 0, 1, 1, 2, 0, 0, 0, 0, 0, 0, 0, 5, 1, 'b', 1, 'c'}),
             key)
          .has_value());
  // Ids longer than member_id_bytes_max are refused.
  std::vector<std::uint8_t> long_id{1, 2,
                                    static_cast<std::uint8_t>(member_id_bytes_max + 1)};
  long_id.insert(long_id.end(), member_id_bytes_max + 1, 'x');
  long_id.insert(long_id.end(), {0, 0, 0, 1, 0});
  CHECK(failure(sign(long_id)) == decode_error::malformed);
}
