#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "base/errc.hpp"
#include "config/provisioning.hpp"
#include "storage/kv.hpp"
#include "storage/provisioning_records.hpp"
#include "storage/provisioning_store.hpp"
#include "tests/unit/storage/temp_dir.hpp"

using namespace ringdown;
using config::provisioning;
using storage::provisioning_store;

namespace {

provisioning example() {
  auto result = config::load_provisioning_file("config/examples/provisioning.toml");
  REQUIRE(result.ok());
  return result.data;
}

/// A small world for the lookups: three trunks sharing prefixes.
provisioning routing_world() {
  auto text = R"(realm = "r"
[[zone]]
name = "ldn"
[[line]]
uri = "sip:desk@fx.example.com"
zone = "ldn"
[[resource]]
name = "alice"
aor = "sip:alice@fx.example.com"
zone = "ldn"
password = "a"
lines = ["sip:desk@fx.example.com"]
[[resource]]
name = "Alice"
aor = "sip:Alice@fx.example.com"
zone = "ldn"
password = "b"
[[resource]]
name = "bob"
aor = "sips:bob@fx.example.com:5061"
zone = "ldn"
password = "c"
lines = ["sip:DESK@fx.example.com", "sip:desk@FX.example.com"]
[[line]]
uri = "sip:DESK@fx.example.com"
zone = "ldn"
[[trunk]]
name = "zulu"
zone = "ldn"
gateway_host = "10.0.0.1"
prefixes = ["+44", "+1"]
[[trunk]]
name = "alpha"
zone = "ldn"
gateway_host = "10.0.0.2"
prefixes = ["+44", "+4420"]
[[trunk]]
name = "mike"
zone = "ldn"
gateway_host = "10.0.0.3"
prefixes = ["+442071", "00"]
)";
  auto result = config::load_provisioning_text(text);
  for (const auto& p : result.problems)
    UNSCOPED_INFO(p.to_string("routing"));
  REQUIRE(result.ok());
  return result.data;
}

std::vector<std::string> names(const std::vector<config::resource_def>& list) {
  std::vector<std::string> out;
  for (const auto& r : list)
    out.push_back(r.name);
  return out;
}

void check_example_lookups(const provisioning_store& store) {
  CHECK(store.realm() == "fx.example.com");
  CHECK(store.zones().size() == 2);
  REQUIRE(store.zone("new-york"));
  CHECK(store.zone("new-york")->description.starts_with("NY4"));
  REQUIRE(store.resource("carol.turret"));
  CHECK(store.resource("carol.turret")->zone == "london");
  REQUIRE(store.resource_by_aor("sip:erin@FX.EXAMPLE.COM;transport=tcp"));
  CHECK(store.resource_by_aor("sip:erin@FX.EXAMPLE.COM;transport=tcp")->zone == "new-york");
  REQUIRE(store.line("sip:client-private@fx.example.com"));
  CHECK(store.line("sip:client-private@fx.example.com")->private_line);
  CHECK(names(store.holders("sip:client-private@fx.example.com")) ==
        std::vector<std::string>{"carol.turret", "dave.softphone"});
  REQUIRE(store.trunk_for("+442079460000"));
  CHECK(store.trunk_for("+442079460000")->name == "carrier-ldn");
}

} // namespace

TEST_CASE("provisioning store: apply then load gives back the same provisioning",
          "[provisioning][store]") {
  auto db = storage::make_memory_kv();
  provisioning_store store{*db};
  REQUIRE_FALSE(store.open());
  std::error_code ec;
  auto loaded = store.load(ec);
  REQUIRE(loaded);
  CHECK(*loaded == provisioning{}); // nothing applied yet
  CHECK(store.zones().empty());

  const auto p = example();
  const auto before = store.generation();
  REQUIRE_FALSE(store.apply(p));
  CHECK(store.generation() > before);
  loaded = store.load(ec);
  REQUIRE_FALSE(ec);
  REQUIRE(loaded);
  CHECK(*loaded == p);
  CHECK(*store.snapshot() == p);
  check_example_lookups(store);

  // A second store over the same kv serves the same set after open().
  provisioning_store other{*db};
  REQUIRE_FALSE(other.open());
  check_example_lookups(other);
}

TEST_CASE("provisioning store: a real RocksDB keeps the provisioning across reopen",
          "[provisioning][store][rocksdb]") {
  const storage::test::temp_dir dir; // under /tmp, removed at the end
  const auto path = (dir.path() / "db").string();
  const auto p = example();
  {
    std::error_code ec;
    std::string error;
    auto db = storage::open_rocksdb(path, ec, error);
    INFO(error);
    REQUIRE(db);
    provisioning_store store{*db};
    REQUIRE_FALSE(store.open());
    REQUIRE_FALSE(store.apply(routing_world()));
    REQUIRE_FALSE(store.apply(p)); // replaces the routing world entirely
  }
  std::error_code ec;
  std::string error;
  auto db = storage::open_rocksdb(path, ec, error);
  INFO(error);
  REQUIRE(db);
  provisioning_store store{*db};
  CHECK_FALSE(store.resource("carol.turret")); // nothing served before open()
  REQUIRE_FALSE(store.open());
  auto loaded = store.load(ec);
  REQUIRE_FALSE(ec);
  REQUIRE(loaded);
  CHECK(*loaded == p);
  check_example_lookups(store);
  CHECK_FALSE(store.resource("zulu"));
  CHECK_FALSE(store.trunk("alpha"));
}

TEST_CASE("provisioning store: a rejected provisioning applies nothing",
          "[provisioning][store]") {
  auto db = storage::make_memory_kv();
  provisioning_store store{*db};
  REQUIRE_FALSE(store.open());
  const auto good = example();
  REQUIRE_FALSE(store.apply(good));
  const auto generation = store.generation();

  // A bad file is refused whole...
  auto text = std::string{"[[zone]]\nname = \"ldn\"\n[[resource]]\nname = \"x\"\n"};
  const auto bad_file = config::load_provisioning_text(text);
  REQUIRE_FALSE(bad_file.ok());
  CHECK(store.apply(bad_file) == make_error_code(errc::invalid_argument));

  // ...and bad data built in code is refused by apply itself.
  auto bad = good;
  bad.lines[1].private_line = true; // with barge_allowed = true
  bad.resources.pop_back();
  CHECK(store.apply(bad) == make_error_code(errc::invalid_argument));
  auto dup = good;
  dup.resources.push_back(dup.resources.front());
  CHECK(store.apply(dup) == make_error_code(errc::invalid_argument));

  std::error_code ec;
  auto loaded = store.load(ec);
  REQUIRE(loaded);
  CHECK(*loaded == good);
  CHECK(store.generation() == generation);
  check_example_lookups(store);
}

TEST_CASE("provisioning store: a smaller provisioning leaves no records behind",
          "[provisioning][store]") {
  auto db = storage::make_memory_kv();
  provisioning_store store{*db};
  REQUIRE_FALSE(store.apply(example()));
  provisioning small;
  small.realm = "small";
  small.zones = {{"solo", ""}};
  REQUIRE_FALSE(store.apply(config::provisioning_result{small, {}}));
  std::error_code ec;
  auto loaded = store.load(ec);
  REQUIRE(loaded);
  CHECK(*loaded == small);
  std::size_t keys = 0;
  REQUIRE_FALSE(db->scan(storage::family::provisioning, {},
                         [&](std::string_view, std::string_view) { return ++keys, true; }));
  CHECK(keys == 2); // the header and one zone
  CHECK_FALSE(store.resource("alice.turret"));
  CHECK_FALSE(store.trunk_for("+44"));
  REQUIRE_FALSE(store.apply(provisioning{}));
  CHECK(store.load(ec) == provisioning{});
}

TEST_CASE("provisioning store: AOR and line lookups follow the URI comparison rules",
          "[provisioning][store][lookup]") {
  auto db = storage::make_memory_kv();
  provisioning_store store{*db};
  REQUIRE_FALSE(store.apply(routing_world()));
  const auto aor = [&](std::string_view uri) {
    const auto r = store.resource_by_aor(uri);
    return r ? r->name : std::string{"-"};
  };
  CHECK(aor("sip:alice@fx.example.com") == "alice");
  CHECK(aor("sip:Alice@fx.example.com") == "Alice"); // user is case-sensitive
  CHECK(aor("sip:alice@FX.Example.Com") == "alice"); // host is not
  CHECK(aor("SIP:alice@fx.example.com") == "alice"); // nor is the scheme
  CHECK(aor("sip:alice@fx.example.com;transport=tcp?x=y") == "alice"); // parameters ignored
  CHECK(aor("sips:alice@fx.example.com") == "-");     // sips is another URI
  CHECK(aor("sip:alice@fx.example.com:5060") == "-"); // so is an explicit port
  CHECK(aor("sips:bob@FX.EXAMPLE.COM:5061;lr") == "bob");
  CHECK(aor("sips:bob@fx.example.com") == "-");
  CHECK(aor("not a uri") == "-");
  CHECK(store.resource("alice")->password == "a");
  CHECK(store.resource("Alice")->password == "b");
  CHECK_FALSE(store.resource("ALICE"));

  REQUIRE(store.line("sip:desk@fx.EXAMPLE.com;user=phone"));
  CHECK(store.line("sip:desk@fx.EXAMPLE.com")->uri == "sip:desk@fx.example.com");
  CHECK(store.line("sip:DESK@fx.example.com")->uri == "sip:DESK@fx.example.com");
  CHECK_FALSE(store.line("sip:Desk@fx.example.com"));
  CHECK(names(store.holders("sip:desk@fx.example.com")) ==
        std::vector<std::string>{"alice", "bob"});
  CHECK(names(store.holders("sip:DESK@fx.example.com")) == std::vector<std::string>{"bob"});
  CHECK(store.holders("sip:nobody@fx.example.com").empty());
}

TEST_CASE("provisioning store: the longest prefix picks the trunk and ties go by name",
          "[provisioning][store][lookup]") {
  auto db = storage::make_memory_kv();
  provisioning_store store{*db};
  REQUIRE_FALSE(store.apply(routing_world()));
  const auto trunk = [&](std::string_view number) {
    const auto t = store.trunk_for(number);
    return t ? t->name : std::string{"-"};
  };
  CHECK(trunk("+442071234567") == "mike");  // +442071 beats +4420 and +44
  CHECK(trunk("+442081234567") == "alpha"); // +4420
  CHECK(trunk("+441611234567") == "alpha"); // +44 on alpha and zulu: alpha sorts first
  CHECK(trunk("+12125550100") == "zulu");
  CHECK(trunk("0033123456789") == "mike");
  CHECK(trunk("+33123456789") == "-");
  CHECK(trunk("4420") == "-"); // '+' is part of the prefix
  CHECK(trunk("+44") == "alpha");
  CHECK(trunk("") == "-");
  REQUIRE(store.trunk("zulu"));
  CHECK(store.trunk("zulu")->gateway_host == "10.0.0.1");
}

TEST_CASE("provisioning store: a corrupt or incomplete set is refused by open",
          "[provisioning][store]") {
  using storage::provisioning_key;
  using kind = storage::provisioning_kind;
  const auto corrupt = [](auto&& damage) {
    auto db = storage::make_memory_kv();
    {
      provisioning_store store{*db};
      REQUIRE_FALSE(store.apply(example()));
    }
    damage(*db);
    provisioning_store store{*db};
    CHECK(store.open() == make_error_code(errc::parse_error));
    CHECK(store.zones().empty());
    std::error_code ec;
    CHECK_FALSE(store.load(ec));
    CHECK(ec == make_error_code(errc::parse_error));
  };
  corrupt([](storage::kv& db) {
    REQUIRE_FALSE(
        db.put(storage::family::provisioning, provisioning_key(kind::resource, 2), "x"));
  });
  corrupt([](storage::kv& db) {
    REQUIRE_FALSE(db.erase(storage::family::provisioning, provisioning_key(kind::line, 1)));
  });
  corrupt([](storage::kv& db) {
    REQUIRE_FALSE(db.erase(storage::family::provisioning, provisioning_key(kind::header)));
  });
  corrupt([](storage::kv& db) {
    const auto extra = storage::encode(config::zone_def{"extra", ""});
    REQUIRE_FALSE(
        db.put(storage::family::provisioning, provisioning_key(kind::zone, 7), extra));
  });
  corrupt([](storage::kv& db) {
    auto bytes = storage::encode(config::zone_def{"z", ""});
    bytes[0] = 9; // unknown format version
    REQUIRE_FALSE(
        db.put(storage::family::provisioning, provisioning_key(kind::zone, 0), bytes));
  });
}

TEST_CASE("provisioning store: records round-trip through the codec",
          "[provisioning][store][codec]") {
  auto p = routing_world();
  p.resources[0].divert_to = "sip:Alice@fx.example.com";
  p.resources[0].divert_on = {"busy", "no_answer"};
  p.resources[0].divert_after_s = 15;
  for (const auto& r : p.resources) {
    CHECK(storage::decode_resource(storage::encode(r)) == r);
    auto bytes = storage::encode(r);
    bytes.pop_back();
    CHECK_FALSE(storage::decode_resource(bytes));
    CHECK_FALSE(storage::decode_resource(storage::encode(r) + "x"));
  }
  // A record written before diversion existed reads as "no diversion".
  auto old = p.resources[1];
  auto old_bytes = storage::encode(old);
  old_bytes.resize(old_bytes.size() - 6); // empty divert_to and divert_on, divert_after_s
  CHECK(storage::decode_resource(old_bytes) == old);
  for (const auto& t : p.trunks)
    CHECK(storage::decode_trunk(storage::encode(t)) == t);
  for (const auto& l : p.lines)
    CHECK(storage::decode_line(storage::encode(l)) == l);
  auto bad_hold = storage::encode(p.lines[0]);
  CHECK_FALSE(storage::decode_zone(bad_hold)); // a line is not a zone
  CHECK(storage::provisioning_index(
            storage::provisioning_kind::zone,
            storage::provisioning_key(storage::provisioning_kind::zone, 0x01020304)) ==
        0x01020304u);
}

TEST_CASE("provisioning store: readers see one whole provisioning while it is replaced",
          "[provisioning][store][threads]") {
  auto db = storage::make_memory_kv();
  provisioning_store store{*db};
  const auto a = example();
  const auto b = routing_world();
  REQUIRE_FALSE(store.apply(a));
  constexpr int applies_max = 100'000;
  std::atomic<bool> done{false};
  std::atomic<int> mixed{0};
  std::atomic<int> reads{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t)
    readers.emplace_back([&] {
      while (!done.load()) {
        const auto snap = store.snapshot();
        if (*snap != a && *snap != b)
          ++mixed;
        std::error_code ec;
        const auto loaded = store.load(ec); // one kv snapshot: never half of each
        if (!loaded || (*loaded != a && *loaded != b))
          ++mixed;
        const auto realm = store.realm();
        if (realm != a.realm && realm != b.realm)
          ++mixed;
        ++reads;
      }
    });
  // Replace until the readers have read a fair number of times (bounded).
  for (int i = 0; i < applies_max && (i < 20 || reads.load() < 200); ++i)
    REQUIRE_FALSE(store.apply(i % 2 == 0 ? b : a));
  REQUIRE_FALSE(store.apply(a));
  done = true;
  for (auto& t : readers)
    t.join();
  CHECK(mixed == 0);
  CHECK(reads > 0);
  CHECK(*store.snapshot() == a);
}
