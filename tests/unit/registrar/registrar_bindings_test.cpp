#include <catch2/catch.hpp>

#include "tests/unit/registrar/registrar_fixture.hpp"

using namespace ringdown;
using namespace ringdown::registrar;
using namespace ringdown::registrar::test;
using namespace std::chrono_literals;

TEST_CASE("registrar keeps several contacts ordered by q", "[registrar][bindings]") {
  fixture f;
  register_spec s;
  s.contacts = {"<sip:alice@127.0.0.1:5062>;q=0.5",
                "<sip:alice@127.0.0.2:5062>;q=1.0;+sip.instance=\"<urn:uuid:1>\";reg-id=1",
                "<sip:alice@127.0.0.3:5062>;expires=600"};
  const auto res = f.authed(s);
  REQUIRE(res.response.status_code() == 200);
  REQUIRE(res.change);
  CHECK(res.change->bindings.size() == 3);
  const auto listed = f.contacts_of(res.response);
  REQUIRE(listed.size() == 3);
  CHECK(listed[0] == "<sip:alice@127.0.0.1:5062>;expires=3600;q=0.500");
  CHECK(listed[2] == "<sip:alice@127.0.0.3:5062>;expires=600");
  const auto live = f.stm.lookup("sip:alice@ringdown.test", f.clk.wall_ms());
  REQUIRE(live.size() == 3);
  // q absent counts as 1.0; ties: the later binding in the list first.
  CHECK(live[0].contact == "sip:alice@127.0.0.3:5062");
  CHECK(live[1].contact == "sip:alice@127.0.0.2:5062");
  CHECK(live[1].instance == "<urn:uuid:1>");
  CHECK(live[1].reg_id == 1);
  CHECK(live[2].contact == "sip:alice@127.0.0.1:5062");
  CHECK(live[2].q_milli == 500);

  // A refresh of one contact leaves the others; expires=0 removes one.
  register_spec r;
  r.call_id = "reg-call-2";
  r.contacts = {"<sip:alice@127.0.0.1:5062>;expires=0"};
  const auto removed = f.authed(r);
  REQUIRE(removed.response.status_code() == 200);
  REQUIRE(removed.change);
  CHECK(removed.change->bindings.size() == 2);
  CHECK(f.stm.lookup("sip:alice@ringdown.test", f.clk.wall_ms()).size() == 2);
}

TEST_CASE("registrar Contact star with Expires 0 removes every binding",
          "[registrar][bindings]") {
  fixture f;
  register_spec s;
  s.contacts = {"<sip:alice@127.0.0.1:5062>", "<sip:alice@127.0.0.2:5062>"};
  REQUIRE(f.authed(s).response.status_code() == 200);
  struct row {
    std::vector<std::string> contacts;
    std::string expires;
    int status;
  };
  const row rows[] = {
      {{"*"}, "3600", 400},
      {{"*"}, "", 400},
      {{"*", "<sip:alice@127.0.0.9>"}, "0", 400},
  };
  register_spec star;
  star.call_id = "reg-call-9";
  for (const auto& r : rows) {
    star.contacts = r.contacts;
    star.expires = r.expires;
    const auto res = f.authed(star);
    CHECK(res.response.status_code() == r.status);
    CHECK_FALSE(res.change);
  }
  star.contacts = {"*"};
  star.expires = "0";
  const auto res = f.authed(star);
  CHECK(res.response.status_code() == 200);
  REQUIRE(res.change);
  CHECK(res.change->bindings.empty());
  CHECK(f.contacts_of(res.response).empty());
  CHECK(f.stm.aor_count() == 0);
}

TEST_CASE("registrar applies Min-Expires and the maximum", "[registrar][bindings]") {
  struct row {
    std::string contact, expires;
    int status;
    std::string listed;
  };
  const row rows[] = {
      {"<sip:alice@127.0.0.1>;expires=30", "", 423, ""},
      {"<sip:alice@127.0.0.1>", "59", 423, ""},
      {"<sip:alice@127.0.0.1>", "60", 200, "<sip:alice@127.0.0.1>;expires=60"},
      {"<sip:alice@127.0.0.1>;expires=120", "30", 200, "<sip:alice@127.0.0.1>;expires=120"},
      {"<sip:alice@127.0.0.1>", "100000", 200, "<sip:alice@127.0.0.1>;expires=7200"},
      {"<sip:alice@127.0.0.1>;expires=abc", "", 400, ""},
  };
  for (const auto& r : rows) {
    INFO(r.contact << " Expires " << r.expires);
    fixture f;
    register_spec s;
    s.contacts = {r.contact};
    s.expires = r.expires;
    const auto res = f.authed(s);
    CHECK(res.response.status_code() == r.status);
    CHECK(res.change.has_value() == (r.status == 200));
    if (r.status == 423)
      CHECK(res.response.header("Min-Expires") == "60");
    if (!r.listed.empty()) {
      const auto listed = f.contacts_of(res.response);
      REQUIRE(listed.size() == 1);
      CHECK(listed[0] == r.listed);
    }
  }
}

TEST_CASE("registrar refuses an old CSeq on the same Call-ID with 500",
          "[registrar][bindings]") {
  fixture f;
  register_spec s;
  s.cseq = 10; // the authenticated request carries 11
  REQUIRE(f.authed(s).response.status_code() == 200);
  s.cseq = 10; // then 11 again: not higher than the stored 11
  const auto res = f.authed(s);
  CHECK(res.response.status_code() == 500);
  CHECK(res.outcome == register_outcome::out_of_order);
  CHECK_FALSE(res.change);
  s.cseq = 11; // 12 is higher
  CHECK(f.authed(s).response.status_code() == 200);
  s.call_id = "another-call";
  s.cseq = 1; // another Call-ID may start low (a rebooted UA)
  CHECK(f.authed(s).response.status_code() == 200);
  s.contacts = {"*"};
  s.expires = "0";
  s.cseq = 0; // star with an old CSeq of that Call-ID
  CHECK(f.authed(s).response.status_code() == 500);
}

TEST_CASE("registrar enforces contacts_max with 403", "[registrar][bindings]") {
  fixture f;
  register_spec s;
  s.aor = "sip:bob@ringdown.test";
  s.contacts = {"<sip:bob@127.0.0.1:1>", "<sip:bob@127.0.0.1:2>", "<sip:bob@127.0.0.1:3>"};
  const auto res = f.authed(s, "bob-secret", "bob");
  CHECK(res.response.status_code() == 403);
  CHECK(res.outcome == register_outcome::too_many_contacts);
  CHECK_FALSE(res.change);
  s.contacts.pop_back();
  CHECK(f.authed(s, "bob-secret", "bob").response.status_code() == 200);
}

TEST_CASE("registrar query without Contact lists bindings and changes nothing",
          "[registrar][bindings]") {
  fixture f;
  register_spec s;
  REQUIRE(f.authed(s).response.status_code() == 200);
  f.clk.advance(100s);
  s.contacts.clear();
  const auto res = f.authed(s);
  CHECK(res.response.status_code() == 200);
  CHECK_FALSE(res.change);
  const auto listed = f.contacts_of(res.response);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0] == "<sip:alice@127.0.0.1:5062>;expires=3500");
}

TEST_CASE("registrar expires bindings on a manual clock", "[registrar][bindings]") {
  fixture f;
  register_spec s;
  s.contacts = {"<sip:alice@127.0.0.1>;expires=120", "<sip:alice@127.0.0.2>;expires=300"};
  REQUIRE(f.authed(s).response.status_code() == 200);
  const auto t0 = f.clk.wall_ms();
  CHECK(f.stm.next_expiry_ms() == t0 + 120'000);
  f.clk.advance(60s);
  auto r = f.stm.expire(f.clk.wall_ms());
  CHECK(r.changes.empty());
  CHECK(r.next_expiry_ms == t0 + 120'000);
  f.clk.advance(60s);
  CHECK(f.stm.lookup("sip:alice@ringdown.test", f.clk.wall_ms()).size() == 1);
  r = f.stm.expire(f.clk.wall_ms());
  REQUIRE(r.changes.size() == 1);
  CHECK(r.changes[0].bindings.size() == 1);
  CHECK(r.next_expiry_ms == t0 + 300'000);
  f.clk.advance(180s);
  r = f.stm.expire(f.clk.wall_ms());
  REQUIRE(r.changes.size() == 1);
  CHECK(r.changes[0].bindings.empty());
  CHECK_FALSE(r.next_expiry_ms);
  CHECK(f.stm.aor_count() == 0);
}

TEST_CASE("registrar restore reloads live bindings and drops expired ones",
          "[registrar][bindings]") {
  fixture f;
  register_spec s;
  s.contacts = {"<sip:alice@127.0.0.1>;expires=120"};
  const auto res = f.authed(s);
  REQUIRE(res.change);
  fixture g; // a restarted node
  auto r = g.stm.restore({*res.change}, f.clk.wall_ms() + 1000);
  CHECK(r.changes.empty());
  CHECK(g.stm.lookup("sip:alice@ringdown.test", f.clk.wall_ms()).size() == 1);
  fixture h;
  r = h.stm.restore({*res.change}, f.clk.wall_ms() + 121'000);
  REQUIRE(r.changes.size() == 1);
  CHECK(r.changes[0].bindings.empty());
  CHECK(h.stm.aor_count() == 0);
}
