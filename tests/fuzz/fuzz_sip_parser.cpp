// libFuzzer target for the SIP parser and stream framer. Built as a fuzzer
// (clang, RINGDOWN_FUZZ=ON) and as the corpus replay test fuzz_replay_sip.
//
// Invariants checked (a violation aborts, so the fuzzer reports it):
// - parse never crashes and never reads outside the input (ASan);
// - a refused message that is answerable carries a 4xx/5xx status;
// - an accepted message has a CSeq, a top Via and a Call-ID that parse,
//   and its Content-Length equals its body size;
// - every typed accessor can be called on an accepted message;
// - serialize() of an accepted message parses again to the same bytes,
//   also after the edits a proxy makes (received param, Record-Route);
// - a copied message serializes like the original.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "net/sip/parser.hpp"
#include "net/sip/stream_framer.hpp"
#include "net/sip/uri.hpp"

namespace {

namespace sip = ringdown::sip;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_sip_parser: invariant broken: %s\n", what);
  std::abort();
}

// Reads every field so that lazy parsing runs; `sink` keeps the reads alive.
std::size_t exercise(const sip::message& m) {
  std::size_t sink = 0;
  sink += m.is_request() ? 1 : 0;
  sink += static_cast<std::size_t>(m.method());
  sink += m.method_text().size() + m.request_uri_text().size() + m.reason_phrase().size();
  if (m.is_request()) {
    const sip::uri& u = m.request_uri();
    sink += u.user.size() + u.host.size() + u.port + u.transport().size();
    sink += u.has_lr() ? 1 : 0;
    for (const sip::param& p : u.params) {
      sink += p.name.size() + p.value.size();
    }
  }
  sink += static_cast<std::size_t>(m.status_code());
  for (const sip::header_field& f : m.fields()) {
    sink += m.name_of(f).size() + m.value_of(f).size();
  }
  for (int i = 0; i < static_cast<int>(sip::header_id::count_); ++i) {
    const auto id = static_cast<sip::header_id>(i);
    sink += m.header(id).size() + m.count(id);
    if (sip::is_list_header(id)) {
      sink += m.values(id).size();
    }
  }
  for (std::string_view v : m.values(sip::header_id::via)) {
    if (auto via = sip::via::parse(v)) {
      sink += via->host.size() + via->port + via->branch().size() + via->received().size();
      sink += via->rport().value_or(0) + (via->has_rport() ? 1 : 0);
    }
  }
  if (auto v = m.top_via()) {
    sink += v->maddr().size();
  }
  for (auto na : {m.from(), m.to()}) {
    if (na) {
      sink += na->display_name.size() + na->tag().size() + na->uri.host.size();
      if (!sip::equivalent(na->uri, na->uri)) {
        fail("URI not equivalent to itself");
      }
    }
  }
  sink += m.call_id().size();
  if (auto c = m.cseq()) {
    sink += c->number + c->method_text.size();
  }
  sink += m.max_forwards().value_or(0) + m.expires().value_or(0);
  if (auto ct = m.content_type()) {
    sink += ct->value.size() + ct->params.value("boundary").size();
  }
  for (const sip::contact& c : m.contacts()) {
    sink += c.star ? 1 : 0;
    sink += static_cast<std::size_t>(c.q().value_or(0.0) * 1000) + c.expires().value_or(0);
    sink += c.address.uri.headers.size();
  }
  for (const auto& r : m.routes()) {
    sink += r.uri.host.size();
  }
  for (const auto& r : m.record_routes()) {
    sink += r.uri.host.size();
  }
  for (auto id : {sip::header_id::authorization, sip::header_id::proxy_authorization,
                  sip::header_id::www_authenticate, sip::header_id::proxy_authenticate}) {
    if (auto a = sip::auth_header::parse(m.header(id))) {
      sink += a->scheme.size() + a->param("nonce").value_or("").size();
    }
  }
  for (auto id : {sip::header_id::event, sip::header_id::replaces, sip::header_id::reason,
                  sip::header_id::session_expires, sip::header_id::subscription_state}) {
    if (auto t = sip::token_params::parse(m.header(id))) {
      sink += t->value.size();
    }
  }
  sink += m.lists_token(sip::header_id::supported, "100rel") ? 1 : 0;
  sink += m.body().size();
  return sink;
}

void check_round_trip(const sip::parser& p, const sip::message& m, const char* what) {
  const std::string once = m.serialize();
  sip::message again;
  if (!p.parse(once, again).ok()) {
    fail(what);
  }
  if (again.serialize() != once) {
    fail("serialize is not a fixed point");
  }
}

void check_accepted(const sip::parser& p, const sip::message& m) {
  static volatile std::size_t sink = 0;
  sink = sink + exercise(m);
  if (!m.cseq() || !m.top_via() || m.call_id().empty()) {
    fail("accepted message without a usable CSeq, Via or Call-ID");
  }
  if (auto cl = m.content_length(); cl && *cl != m.body().size()) {
    fail("Content-Length differs from the body size");
  }
  check_round_trip(p, m, "serialized message does not parse");
  const sip::message copy = m; // views must be rebased onto the copy
  if (copy.serialize() != m.serialize()) {
    fail("copy serializes differently");
  }
  sip::message edited = m;
  if (edited.is_request() && edited.top_via()) {
    edited.set_top_via_param("received", "192.0.2.1");
    edited.prepend_header("Record-Route", "<sip:127.0.0.1;lr>");
    check_round_trip(p, edited, "edited message does not parse");
  }
}

void parse_one(const sip::parser& p, std::string_view bytes) {
  sip::message m;
  const sip::parse_result r = p.parse(bytes, m);
  if (r.ok()) {
    check_accepted(p, m);
  } else if (r.answerable && (r.status < 400 || r.status > 599)) {
    fail("answerable error without a 4xx/5xx status");
  }
}

void drain(sip::stream_framer& framer, const sip::parser& p) {
  for (int i = 0; i < 1024; ++i) { // each item consumes bytes: bounded anyway
    const auto item = framer.next();
    if (item.what == sip::stream_framer::kind::need_more ||
        item.what == sip::stream_framer::kind::error) {
      return;
    }
    if (item.what == sip::stream_framer::kind::message) {
      parse_one(p, item.bytes);
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const sip::parser parser{sip::limits{}};
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  parse_one(parser, bytes);

  // The same bytes as a TCP stream arriving in two reads.
  const std::size_t split = size == 0 ? 0 : data[size / 2] % (size + 1);
  sip::stream_framer framer{sip::limits{}};
  framer.feed(bytes.substr(0, split));
  drain(framer, parser);
  framer.feed(bytes.substr(split));
  drain(framer, parser);
  return 0;
}
