#include <functional>
#include <vector>

#include <catch2/catch.hpp>

#include "storage/cdr.hpp"
#include "storage/codec.hpp"

using namespace ringdown::storage;

namespace {

cdr full_record() {
  cdr r;
  r.id = 0x0102030405060708ULL;
  r.call_id = "a84b4c76e66710@pc33.example.com";
  r.from_uri = "sip:alice@ldn.example.com";
  r.to_uri = "sip:bob@nyc.example.com";
  r.line_uri = "sip:line-7@ldn.example.com";
  r.zone = "ldn";
  r.node = "node-2";
  r.trunk = "trunk-bt";
  r.start_ms = 1'700'000'000'000;
  r.ring_ms = 1'700'000'000'150;
  r.answer_ms = 1'700'000'002'000;
  r.end_ms = 1'700'000'062'500;
  r.duration_ms = 60'500;
  r.billable_s = 61;
  r.disposition = cdr_disposition::transferred;
  r.final_code = 200;
  r.final_reason = "OK";
  r.ended_by = "callee";
  r.hold_count = 2;
  r.hold_total_ms = 12'345;
  r.transfer = {transfer_kind::attended, "sip:carol@ldn.example.com", "callee"};
  r.diversion = {"sip:bob@nyc.example.com", "sip:dan@ldn.example.com", "user-busy"};
  r.media = {{0, 3000, 2990, 4, 1250, 800, 4391}, {1, 2990, 3000, -1, 20000, -1, 4100}};
  return r;
}

} // namespace

TEST_CASE("cdr round trips a full record", "[storage][cdr]") {
  const auto r = full_record();
  const auto bytes = encode_cdr(r);
  REQUIRE(!bytes.empty());
  CHECK(static_cast<std::uint8_t>(bytes[0]) == cdr_format_version);
  const auto back = decode_cdr(bytes);
  REQUIRE(back.has_value());
  CHECK(*back == r);
  CHECK(decode_cdr(encode_cdr(cdr{})) == cdr{});
}

TEST_CASE("cdr round trips every field on its own", "[storage][cdr]") {
  // Each mutation changes one field; the decoded record must carry it.
  const std::vector<std::pair<const char*, std::function<void(cdr&)>>> fields{
      {"id", [](cdr& r) { r.id = ~0ULL; }},
      {"call_id", [](cdr& r) { r.call_id = "other"; }},
      {"from_uri", [](cdr& r) { r.from_uri = "sip:x@y"; }},
      {"to_uri", [](cdr& r) { r.to_uri = "sip:x@y"; }},
      {"line_uri", [](cdr& r) { r.line_uri = ""; }},
      {"zone", [](cdr& r) { r.zone = "nyc"; }},
      {"node", [](cdr& r) { r.node = "node-9"; }},
      {"trunk", [](cdr& r) { r.trunk = ""; }},
      {"start_ms", [](cdr& r) { r.start_ms = -1; }},
      {"ring_ms", [](cdr& r) { r.ring_ms = 0; }},
      {"answer_ms", [](cdr& r) { r.answer_ms = 0; }},
      {"end_ms", [](cdr& r) { r.end_ms = INT64_MAX; }},
      {"duration_ms", [](cdr& r) { r.duration_ms = 1; }},
      {"billable_s", [](cdr& r) { r.billable_s = 0; }},
      {"disposition", [](cdr& r) { r.disposition = cdr_disposition::busy; }},
      {"final_code", [](cdr& r) { r.final_code = -486; }},
      {"final_reason", [](cdr& r) { r.final_reason = "Busy Here"; }},
      {"hold_count", [](cdr& r) { r.hold_count = UINT32_MAX; }},
      {"hold_total_ms", [](cdr& r) { r.hold_total_ms = 7; }},
      {"transfer.kind", [](cdr& r) { r.transfer.kind = transfer_kind::blind; }},
      {"transfer.target_uri", [](cdr& r) { r.transfer.target_uri = "sip:t"; }},
      {"ended_by", [](cdr& r) { r.ended_by = "system"; }},
      {"transfer.by", [](cdr& r) { r.transfer.by = "sip:b"; }},
      {"diversion.from_uri", [](cdr& r) { r.diversion.from_uri = ""; }},
      {"diversion.to_uri", [](cdr& r) { r.diversion.to_uri = "sip:e@f"; }},
      {"diversion.reason", [](cdr& r) { r.diversion.reason = "no-answer"; }},
  };
  const auto base = full_record();
  for (const auto& [name, mutate] : fields) {
    INFO(name);
    auto r = base;
    mutate(r);
    REQUIRE_FALSE(r == base);
    const auto back = decode_cdr(encode_cdr(r));
    REQUIRE(back.has_value());
    CHECK(*back == r);
  }
  for (std::uint8_t d = 0; d < cdr_disposition_count; ++d) {
    auto r = base;
    r.disposition = static_cast<cdr_disposition>(d);
    CHECK(decode_cdr(encode_cdr(r)) == r);
  }
}

TEST_CASE("cdr decode refuses truncated and corrupt records", "[storage][cdr]") {
  const auto bytes = encode_cdr(full_record());
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    INFO(n);
    CHECK_FALSE(decode_cdr(bytes.substr(0, n)).has_value());
  }
  CHECK_FALSE(decode_cdr(bytes + "x").has_value()); // trailing garbage

  auto wrong_version = bytes;
  wrong_version[0] = static_cast<char>(cdr_format_version + 1);
  CHECK_FALSE(decode_cdr(wrong_version).has_value());

  // A record whose disposition / transfer kind bytes are out of range.
  auto bad_enum = [](std::uint8_t disposition, std::uint8_t kind) {
    encoder e;
    e.u8(cdr_format_version).u64(1);
    for (int i = 0; i < 7; ++i)
      e.str("s");
    for (int i = 0; i < 6; ++i)
      e.i64(0);
    e.u8(disposition)
        .i64(200)
        .str("OK")
        .str("caller")
        .u32(0)
        .i64(0)
        .u8(kind)
        .str("")
        .str("")
        .str("")
        .str("")
        .str("")
        .u32(0);
    return e.take();
  };
  CHECK(decode_cdr(bad_enum(0, 0)).has_value()); // the builder itself is right
  CHECK_FALSE(decode_cdr(bad_enum(cdr_disposition_count, 0)).has_value());
  CHECK_FALSE(decode_cdr(bad_enum(0, transfer_kind_count)).has_value());
}

TEST_CASE("cdr decode reads a record of format 1 (before diversions)", "[storage][cdr]") {
  auto r = full_record();
  r.diversion = {};
  r.media = {};
  auto v1 = encode_cdr(r);
  v1.resize(v1.size() - 3 - 4); // the three empty diversion strings, no media count
  v1[0] = 1;
  const auto back = decode_cdr(v1);
  REQUIRE(back.has_value());
  CHECK(*back == r);
  CHECK_FALSE(decode_cdr(v1 + std::string(3, '\0')).has_value()); // v1 has no diversion
}

TEST_CASE("cdr decode reads a record of format 2 (before media figures)",
          "[storage][cdr]") {
  auto r = full_record();
  r.media = {};
  auto v2 = encode_cdr(r);
  v2.resize(v2.size() - 4); // the media count
  v2[0] = 2;
  const auto back = decode_cdr(v2);
  REQUIRE(back.has_value());
  CHECK(*back == r);
  CHECK(back->media.empty());
}

TEST_CASE("cdr decode refuses a record claiming too many media legs", "[storage][cdr]") {
  auto r = full_record();
  r.media = {};
  auto bytes = encode_cdr(r);
  bytes.resize(bytes.size() - 4);
  encoder e;
  e.u32(cdr_media_legs_max + 1);
  CHECK_FALSE(decode_cdr(bytes + e.take()).has_value());
}

TEST_CASE("cdr to_json carries every field", "[storage][cdr]") {
  const auto json = full_record().to_json();
  const std::string transfer = R"("transfer":{"kind":"attended",)"
                               R"("target_uri":"sip:carol@ldn.example.com",)"
                               R"("by":"callee"})";
  CHECK(json.front() == '{');
  CHECK(json.back() == '}');
  const std::vector<std::string> parts{
      "\"id\":72623859790382856",
      "\"call_id\":\"a84b4c76e66710@pc33.example.com\"",
      "\"from_uri\":\"sip:alice@ldn.example.com\"",
      "\"to_uri\":\"sip:bob@nyc.example.com\"",
      "\"line_uri\":\"sip:line-7@ldn.example.com\"",
      "\"zone\":\"ldn\"",
      "\"node\":\"node-2\"",
      "\"trunk\":\"trunk-bt\"",
      "\"start_ms\":1700000000000",
      "\"ring_ms\":1700000000150",
      "\"answer_ms\":1700000002000",
      "\"end_ms\":1700000062500",
      "\"duration_ms\":60500",
      "\"billable_s\":61",
      "\"disposition\":\"transferred\"",
      "\"final_code\":200",
      "\"final_reason\":\"OK\"",
      "\"ended_by\":\"callee\"",
      "\"hold_count\":2",
      "\"hold_total_ms\":12345",
      transfer,
      R"("diversion":{"from_uri":"sip:bob@nyc.example.com",)"
      R"("to_uri":"sip:dan@ldn.example.com",)"
      R"("reason":"user-busy"})",
      R"("media":[{"leg":0,"packets_received":3000,"packets_sent":2990,"packets_lost":4,)"
      R"("jitter_us":1250,"rtt_us":800,"mos_milli":4391},{"leg":1,)"};
  for (const auto& part : parts) {
    INFO(part);
    CHECK(json.find(part) != std::string::npos);
  }
}

TEST_CASE("cdr to_json escapes strings", "[storage][cdr]") {
  const std::vector<std::pair<std::string, std::string>> table{
      {"plain", "\"plain\""},
      {"quote\" back\\slash", "\"quote\\\" back\\\\slash\""},
      {"nl\ncr\rtab\t", "\"nl\\ncr\\rtab\\t\""},
      {std::string("nul\0bell\x07", 9), "\"nul\\u0000bell\\u0007\""},
      {"del\x7f", "\"del\\u007f\""},
      {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x9e",
       "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x9e\""},
      {"bad\xff", "\"bad\\ufffd\""},
      {"short\xc3", "\"short\\ufffd\""},
      {"overlong\xc0\xaf", "\"overlong\\ufffd\\ufffd\""},
      {"surrogate\xed\xa0\x80", "\"surrogate\\ufffd\\ufffd\\ufffd\""},
  };
  for (const auto& [in, out] : table) {
    INFO(in);
    cdr r;
    r.final_reason = in;
    CHECK(r.to_json().find("\"final_reason\":" + out + ",") != std::string::npos);
  }
}
