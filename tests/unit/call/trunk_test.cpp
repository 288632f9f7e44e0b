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

TEST_CASE("a hold the trunk refuses is refused to the initiator with 403",
          "[call][trunk]") {
  struct row {
    const char* what;
    const char* trunk;
    const char* dir; ///< the initiator's offer
    int trunk_status;
    int initiator_gets;
  };
  const row rows[] = {
      {"hold refused by the trunk", "gw1", "sendonly", 488, 403},
      {"inactive hold refused by the trunk", "gw1", "inactive", 403, 403},
      {"hold refused by the trunk's server error", "gw1", "sendonly", 500, 403},
      {"glare on a hold: retried by the initiator", "gw1", "sendonly", 491, 491},
      {"a resume the trunk refuses keeps its code", "gw1", "sendrecv", 488, 488},
      {"a hold refused on a call that is no trunk's keeps its code", "", "sendonly", 488,
       488},
      {"a hold the trunk accepts", "gw1", "sendonly", 200, 200},
  };
  for (const row& r : rows) {
    DYNAMIC_SECTION(r.what) {
      call_fixture f;
      f.trunk = r.trunk;
      (void)f.answered();
      const effects fx =
          f.stm->on_request(50, 0, f.from_a("INVITE", sdp_with(r.dir, 2)), f.now());
      const auto relayed = sent(fx, 1, "INVITE");
      REQUIRE(relayed.size() == 1);
      const auto body = r.trunk_status < 300 ? sdp_b(2) : std::string{};
      const effects back = f.stm->on_response(
          relayed[0].request, f.response_to(relayed[0].msg, r.trunk_status, "btag", body),
          f.now());
      const auto answer = answers(back, 50);
      REQUIRE(answer.size() == 1);
      CHECK(answer[0].msg.status_code() == r.initiator_gets);
      CHECK(f.stm->held() == (r.initiator_gets == 200));
    }
  }
}
