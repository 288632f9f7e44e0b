// trunk_admission and the 503 a full trunk answers.
#include "actors/call/trunk_admission.hpp"
#include "tests/unit/call/call_fixture.hpp"

using namespace ringdown;
using namespace ringdown::call;
using namespace ringdown::call::test;

TEST_CASE("trunk admission counts calls up to calls_max", "[call][trunk]") {
  trunk_admission adm(30);
  adm.configure("gw1", 2);
  CHECK(adm.admit("gw1").admitted);
  CHECK(adm.admit("gw1").admitted);
  const auto full = adm.admit("gw1");
  CHECK_FALSE(full.admitted);
  CHECK(full.status == 503);
  CHECK(full.retry_after_s == 30);
  CHECK(adm.current("gw1") == 2);
  adm.release("gw1");
  CHECK(adm.current("gw1") == 1);
  CHECK(adm.admit("gw1").admitted);
  CHECK(adm.admit("nope").status == 404);
  adm.release("gw1");
  adm.release("gw1");
  adm.release("gw1"); // never below zero
  CHECK(adm.current("gw1") == 0);
  adm.configure("gw1", 0);
  CHECK(adm.admit("gw1").status == 503);
}

TEST_CASE("a call refused by a full trunk gets 503 with Retry-After and a CDR",
          "[call][trunk]") {
  call_fixture f;
  trunk_admission adm(10);
  adm.configure("gw1", 0);
  const auto v = adm.admit("gw1");
  REQUIRE_FALSE(v.admitted);
  call_targets t;
  t.reject_status = v.status;
  t.retry_after_s = v.retry_after_s;
  t.trunk = "gw1";
  f.a_invite = call_fixture::make_invite(sdp_with("sendrecv"));
  f.stm = std::make_unique<call_stm>(f.cfg, f.ids);
  const effects out = f.stm->start(1, f.a_invite, t, f.now());
  REQUIRE(answers(out, 1).size() == 1);
  CHECK(answers(out, 1)[0].msg.status_code() == 503);
  CHECK(answers(out, 1)[0].msg.header("Retry-After") == "10");
  const auto cdr = all_of<cdr_ready>(out);
  REQUIRE(cdr.size() == 1);
  CHECK(cdr[0].summary.trunk == "gw1");
  CHECK(cdr[0].summary.disposition == disposition::rejected);
  CHECK(cdr[0].summary.final_status == 503);
}

TEST_CASE("a trunk call goes to the gateway URI the shell resolved", "[call][trunk]") {
  call_fixture f;
  f.a_invite = call_fixture::make_invite(sdp_with("sendrecv"));
  call_targets t;
  t.uris = {"sip:+442071234567@gw1.example.com"};
  t.trunk = "gw1";
  f.stm = std::make_unique<call_stm>(f.cfg, f.ids);
  const effects out = f.stm->start(1, f.a_invite, t, f.now());
  const auto inv = sent(out, 1, "INVITE");
  REQUIRE(inv.size() == 1);
  CHECK(inv[0].destination == "sip:+442071234567@gw1.example.com");
  CHECK(inv[0].msg.request_uri_text() == "sip:+442071234567@gw1.example.com");
  CHECK(f.stm->summary().trunk == "gw1");
}
