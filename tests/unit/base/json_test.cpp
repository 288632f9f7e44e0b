#include <string>

#include <catch2/catch.hpp>

#include "base/json.hpp"
#include "base/json_reader.hpp"

using namespace ringdown;

namespace {

std::string quoted(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

} // namespace

TEST_CASE("append_json_string escapes what RFC 8259 requires", "[base][json]") {
  CHECK(quoted("plain") == R"("plain")");
  CHECK(quoted("a\"b\\c") == R"("a\"b\\c")");
  CHECK(quoted("\b\f\n\r\t") == R"("\b\f\n\r\t")");
  CHECK(quoted(std::string_view{"\x00\x01\x1f", 3}) == R"("\u0000\u0001\u001f")");
  CHECK(quoted("/ stays, \x7f does not") == R"("/ stays, \u007f does not")");
}

TEST_CASE("append_json_string keeps UTF-8 and replaces invalid bytes", "[base][json]") {
  CHECK(quoted("Zürich €") == "\"Zürich €\"");
  CHECK(quoted("\xf0\x9f\x93\x9e") == "\"\xf0\x9f\x93\x9e\""); // U+1F4DE
  CHECK(quoted("a\xff"
               "b") == R"("a\ufffdb")");
  CHECK(quoted("\xc0\xaf") == R"("\ufffd\ufffd")");           // overlong '/'
  CHECK(quoted("\xed\xa0\x80") == R"("\ufffd\ufffd\ufffd")"); // a surrogate
  CHECK(quoted("\xe2\x82") == R"("\ufffd\ufffd")");           // cut short
}

TEST_CASE("json_writer places commas and nests", "[base][json]") {
  json_writer w;
  w.begin_object();
  w.key("a").value_uint(18446744073709551615ull);
  w.key("b").value_int(-3);
  w.key("c").begin_array().value_bool(true).value_null().value_string("x").end_array();
  w.key("d").begin_object().end_object();
  w.key("e").begin_array().end_array();
  w.end_object();
  CHECK(w.complete());
  CHECK(w.str() ==
        R"({"a":18446744073709551615,"b":-3,"c":[true,null,"x"],"d":{},"e":[]})");
}

TEST_CASE("json_value reads what json_writer writes", "[base][json]") {
  json_writer w;
  w.begin_object();
  w.key("text").value_string("tab\there \"q\" \x01 Zürich");
  w.key("n").value_uint(42);
  w.key("list").begin_array().value_bool(false).value_null().end_array();
  w.end_object();
  std::string error;
  const auto doc = json_value::parse(w.str(), error);
  REQUIRE(doc);
  REQUIRE(doc->is(json_value::kind::object));
  CHECK(doc->find("text")->text() == "tab\there \"q\" \x01 Zürich");
  CHECK(doc->find("n")->as_u64() == 42u);
  REQUIRE(doc->find("list")->items().size() == 2);
  CHECK(doc->find("list")->items()[0].is(json_value::kind::boolean));
  CHECK(doc->find("list")->items()[1].is(json_value::kind::null));
  CHECK(doc->find("absent") == nullptr);
}

TEST_CASE("json_value decodes escapes and keeps member order", "[base][json]") {
  std::string error;
  const auto doc =
      json_value::parse(R"( {"z":"\u00e9\ud83d\udcde\/","a":-1.5e3,"m":[]} )", error);
  REQUIRE(doc);
  REQUIRE(doc->members().size() == 3);
  CHECK(doc->members()[0].first == "z");
  CHECK(doc->members()[0].second.text() == "\xc3\xa9\xf0\x9f\x93\x9e/");
  CHECK(doc->members()[1].second.text() == "-1.5e3");
  CHECK_FALSE(doc->members()[1].second.as_u64());
}

TEST_CASE("json_value refuses malformed documents", "[base][json]") {
  for (const char* bad :
       {"", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "01", "1.", "-", "\"unterminated",
        "\"\\x\"", "\"\\ud800\"", "tru", "{} {}", "\"a\nb\"", "{1:2}"}) {
    std::string error;
    INFO(bad);
    CHECK_FALSE(json_value::parse(bad, error));
    CHECK_FALSE(error.empty());
  }
  std::string deep(json_depth_max + 1, '[');
  deep += std::string(json_depth_max + 1, ']');
  std::string error;
  CHECK_FALSE(json_value::parse(deep, error));
  CHECK(error.starts_with("nesting too deep"));
}
