#include <filesystem>
#include <stdlib.h>

#include <catch2/catch.hpp>

#include "storage/binding_store.hpp"
#include "storage/kv.hpp"
#include "tests/unit/registrar/registrar_fixture.hpp"

using namespace ringdown::storage;

namespace {

std::vector<binding> sample(int n) {
  std::vector<binding> out;
  for (int i = 0; i < n; ++i) {
    binding b;
    b.contact = "sip:alice@127.0.0." + std::to_string(i + 1) + ":5060;transport=udp";
    b.q_milli = static_cast<std::uint32_t>(100 * i);
    b.has_q = i % 2 == 0;
    b.expires_at_ms = 1'700'000'000'000 + i;
    b.call_id = "call-" + std::to_string(i);
    b.cseq = static_cast<std::uint32_t>(7 + i);
    b.instance = i == 0 ? "<urn:uuid:00000000-0000-1000-8000-000A95A0E128>" : "";
    b.reg_id = static_cast<std::uint32_t>(i);
    b.source = "udp:127.0.0.1:" + std::to_string(5060 + i);
    out.push_back(b);
  }
  return out;
}

/// A temporary directory under /tmp, removed at the end of the scope.
struct temp_dir {
  std::filesystem::path path;
  temp_dir() {
    std::string tmpl = "/tmp/ringdown-binding-XXXXXX";
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

} // namespace

TEST_CASE("binding_store codec round trip and corruption", "[registrar][storage]") {
  const auto list = sample(3);
  const std::string bytes = binding_store::encode(list);
  CHECK(static_cast<std::uint8_t>(bytes[0]) == binding_store::format_version);
  std::vector<binding> back;
  REQUIRE(binding_store::decode(bytes, back));
  CHECK(back == list);
  CHECK_FALSE(binding_store::decode(bytes.substr(0, bytes.size() - 1), back));
  CHECK_FALSE(binding_store::decode(bytes + "x", back));
  std::string wrong_version = bytes;
  wrong_version[0] = 9;
  CHECK_FALSE(binding_store::decode(wrong_version, back));
  CHECK_FALSE(binding_store::decode("", back));
}

TEST_CASE("binding_store put erase load_all on memory kv", "[registrar][storage]") {
  auto db = make_memory_kv();
  binding_store store{*db};
  REQUIRE_FALSE(store.put("sip:alice@ringdown.test", sample(2)));
  REQUIRE_FALSE(store.put("sip:bob@ringdown.test", sample(1)));
  REQUIRE_FALSE(db->put(family::bindings, "sip:bad@ringdown.test", "\x07garbage"));
  std::error_code ec;
  std::size_t corrupt = 0;
  auto all = store.load_all(ec, corrupt);
  REQUIRE_FALSE(ec);
  CHECK(corrupt == 1);
  REQUIRE(all.size() == 2);
  CHECK(all[0].aor == "sip:alice@ringdown.test");
  CHECK(all[0].bindings == sample(2));
  REQUIRE_FALSE(store.put("sip:alice@ringdown.test", {})); // empty list erases
  REQUIRE_FALSE(store.erase("sip:bob@ringdown.test"));
  all = store.load_all(ec, corrupt);
  CHECK(all.empty());
  CHECK(store.put("", sample(1)));
}

TEST_CASE("binding_store survives a RocksDB reopen", "[registrar][storage]") {
  temp_dir dir;
  {
    std::error_code ec;
    std::string error;
    auto db = open_rocksdb(dir.path.string(), ec, error);
    REQUIRE(db);
    binding_store store{*db};
    REQUIRE_FALSE(store.put("sip:alice@ringdown.test", sample(3)));
    REQUIRE_FALSE(store.put("sip:bob@ringdown.test", sample(1)));
    REQUIRE_FALSE(store.erase("sip:bob@ringdown.test"));
  }
  std::error_code ec;
  std::string error;
  auto db = open_rocksdb(dir.path.string(), ec, error);
  REQUIRE(db);
  binding_store store{*db};
  std::size_t corrupt = 0;
  const auto all = store.load_all(ec, corrupt);
  REQUIRE_FALSE(ec);
  CHECK(corrupt == 0);
  REQUIRE(all.size() == 1);
  CHECK(all[0].aor == "sip:alice@ringdown.test");
  CHECK(all[0].bindings == sample(3));
}

TEST_CASE("registrar bindings persist and reload through binding_store",
          "[registrar][storage]") {
  using namespace ringdown::registrar::test;
  auto db = make_memory_kv();
  binding_store store{*db};
  fixture f;
  register_spec s;
  s.contacts = {"<sip:alice@127.0.0.1:5062>;q=0.7", "<sip:alice@127.0.0.2:5062>"};
  const auto res = f.authed(s);
  REQUIRE(res.change);
  REQUIRE_FALSE(store.put(res.change->aor, res.change->bindings));

  fixture restarted;
  std::error_code ec;
  std::size_t corrupt = 0;
  auto loaded = store.load_all(ec, corrupt);
  REQUIRE_FALSE(ec);
  const auto r = restarted.stm.restore(std::move(loaded), f.clk.wall_ms());
  CHECK(r.changes.empty());
  CHECK(r.next_expiry_ms == f.clk.wall_ms() + 3'600'000);
  CHECK(restarted.stm.lookup("sip:alice@ringdown.test", f.clk.wall_ms()) ==
        f.stm.lookup("sip:alice@ringdown.test", f.clk.wall_ms()));
  CHECK(restarted.stm.lookup("sip:alice@ringdown.test", f.clk.wall_ms()).size() == 2);
}
