// SIP parse / serialize throughput: ringdown::sip::parser against libosip2
// on the same realistic ~800-byte INVITE with an SDP offer. Figures only;
// not a test (STYLE.md 15). Run pinned: taskset -c 1 ./bench_sip_parse
#include <cstdlib>
#include <string>
#include <string_view>

#include <benchmark/benchmark.h>

#include "net/sip/parser.hpp"

extern "C" {
#include <osipparser2/osip_parser.h>
#include <osipparser2/osip_port.h>
}

namespace {

namespace sip = ringdown::sip;

std::string make_invite() {
  const std::string sdp = "v=0\r\n"
                          "o=desk4 2890844526 2890844526 IN IP4 192.0.2.10\r\n"
                          "s=-\r\n"
                          "c=IN IP4 192.0.2.10\r\n"
                          "t=0 0\r\n"
                          "m=audio 49170 RTP/AVP 0 8 101\r\n"
                          "a=rtpmap:0 PCMU/8000\r\n"
                          "a=rtpmap:8 PCMA/8000\r\n"
                          "a=rtpmap:101 telephone-event/8000\r\n"
                          "a=fmtp:101 0-16\r\n"
                          "a=ptime:20\r\n"
                          "a=sendrecv\r\n";
  std::string m =
      "INVITE sip:+442071234567@trade.example.com;user=phone SIP/2.0\r\n"
      "Via: SIP/2.0/UDP 198.51.100.20:5060;branch=z9hG4bK-524287-1---a3f2c1\r\n"
      "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport=5060;"
      "received=192.0.2.10\r\n"
      "Max-Forwards: 69\r\n"
      "Route: <sip:core1.trade.example.com;lr>\r\n"
      "From: \"Desk 4 Rates\" <sip:desk4@example.com>;tag=1928301774\r\n"
      "To: \"Broker London\" <sip:+442071234567@trade.example.com;user=phone>\r\n"
      "Call-ID: a84b4c76e66710@pc33.example.com\r\n"
      "CSeq: 314159 INVITE\r\n"
      "Contact: <sip:desk4@192.0.2.10:5060;transport=udp>\r\n"
      "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, NOTIFY, INFO, UPDATE\r\n"
      "Supported: replaces, timer, 100rel\r\n"
      "User-Agent: TurretOS/7.2.1\r\n"
      "Content-Type: application/sdp\r\n"
      "Content-Length: " +
      std::to_string(sdp.size()) + "\r\n\r\n";
  return m + sdp;
}

const std::string& invite() {
  static const std::string text = make_invite();
  return text;
}

void BM_parse_invite(benchmark::State& state) {
  const sip::parser parser{sip::limits{}};
  sip::message m;
  for (auto _ : state) {
    auto r = parser.parse(invite(), m);
    if (!r.ok()) {
      state.SkipWithError("parse failed");
      break;
    }
    benchmark::DoNotOptimize(m);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(invite().size()));
}

void BM_parse_serialize_invite(benchmark::State& state) {
  const sip::parser parser{sip::limits{}};
  sip::message m;
  for (auto _ : state) {
    if (!parser.parse(invite(), m).ok()) {
      state.SkipWithError("parse failed");
      break;
    }
    std::string out = m.serialize();
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}

// What a proxy does per request: parse, read the routing headers, add a
// Via parameter and a Record-Route, write it out.
void BM_parse_edit_serialize_invite(benchmark::State& state) {
  const sip::parser parser{sip::limits{}};
  sip::message m;
  for (auto _ : state) {
    if (!parser.parse(invite(), m).ok()) {
      state.SkipWithError("parse failed");
      break;
    }
    auto via = m.top_via();
    auto cseq = m.cseq();
    benchmark::DoNotOptimize(via);
    benchmark::DoNotOptimize(cseq);
    benchmark::DoNotOptimize(m.call_id());
    m.set_top_via_param("received", "198.51.100.99");
    m.prepend_header("Record-Route", "<sip:edge1.example.com;lr>");
    std::string out = m.serialize();
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}

void osip_init_once() {
  static const bool done = [] {
    parser_init();
    return true;
  }();
  (void)done;
}

void BM_osip2_parse_invite(benchmark::State& state) {
  osip_init_once();
  for (auto _ : state) {
    osip_message_t* msg = nullptr;
    osip_message_init(&msg);
    if (osip_message_parse(msg, invite().data(), invite().size()) != 0) {
      osip_message_free(msg);
      state.SkipWithError("osip_message_parse failed");
      break;
    }
    benchmark::DoNotOptimize(msg);
    osip_message_free(msg);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(invite().size()));
}

void BM_osip2_parse_serialize_invite(benchmark::State& state) {
  osip_init_once();
  for (auto _ : state) {
    osip_message_t* msg = nullptr;
    osip_message_init(&msg);
    if (osip_message_parse(msg, invite().data(), invite().size()) != 0) {
      osip_message_free(msg);
      state.SkipWithError("osip_message_parse failed");
      break;
    }
    char* out = nullptr;
    std::size_t len = 0;
    if (osip_message_to_str(msg, &out, &len) != 0) {
      osip_message_free(msg);
      state.SkipWithError("osip_message_to_str failed");
      break;
    }
    benchmark::DoNotOptimize(out);
    osip_free(out);
    osip_message_free(msg);
  }
  state.SetItemsProcessed(state.iterations());
}

} // namespace

BENCHMARK(BM_parse_invite);
BENCHMARK(BM_parse_serialize_invite);
BENCHMARK(BM_parse_edit_serialize_invite);
BENCHMARK(BM_osip2_parse_invite);
BENCHMARK(BM_osip2_parse_serialize_invite);

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::AddCustomContext("invite_bytes", std::to_string(invite().size()));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return EXIT_SUCCESS;
}
