#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "base/clock.hpp"
#include "net/sip/message.hpp"
#include "net/sip/parser.hpp"
#include "net/sip/timer.hpp"
#include "net/sip/transaction_effect.hpp"

/// Helpers shared by the transaction tests: messages from text, effect
/// queries, the RFC default timers (T1 500 ms, T2 4 s, T4 5 s).
namespace ringdown::sip::test {

using namespace std::chrono_literals;

inline timer_values default_timers() {
  return timer_values::from(config::sip_timers{});
}

/// Parses `text` (lines separated by '\n', converted to CRLF; the blank
/// line ending the header block is added).
inline message parse(std::string_view text) {
  std::string wire;
  for (const char c : text) {
    if (c == '\n')
      wire += "\r\n";
    else
      wire += c;
  }
  wire += "\r\n";
  message m;
  const auto r = parser{limits{}}.parse(wire, m);
  INFO("parse error " << static_cast<int>(r.error) << " " << r.reason << "\n" << wire);
  REQUIRE(r.ok());
  return m;
}

struct req_opts {
  std::string method = "INVITE";
  std::string branch = "z9hG4bK-c1";
  std::string sent_by = "10.0.0.1:5060";
  std::string call_id = "call-1@10.0.0.1";
  std::string ruri = "sip:bob@example.com";
  std::string to_tag{};
  std::uint32_t cseq = 1;
  std::string cseq_method{}; ///< defaults to `method`
};

inline message request(const req_opts& o = {}) {
  std::string t = o.method + " " + o.ruri + " SIP/2.0\n";
  t += "Via: SIP/2.0/UDP " + o.sent_by;
  if (!o.branch.empty())
    t += ";branch=" + o.branch;
  t += "\nVia: SIP/2.0/UDP 10.9.9.9:5070;branch=z9hG4bK-lower\n";
  t += "Max-Forwards: 69\n";
  t += "Route: <sip:p1.example.com;lr>\nRoute: <sip:p2.example.com;lr>\n";
  t += "From: Alice <sip:alice@example.com>;tag=ftag1\n";
  t +=
      "To: Bob <sip:bob@example.com>" + (o.to_tag.empty() ? "" : ";tag=" + o.to_tag) + "\n";
  t += "Call-ID: " + o.call_id + "\n";
  t += "CSeq: " + std::to_string(o.cseq) + " " +
       (o.cseq_method.empty() ? o.method : o.cseq_method) + "\n";
  t += "Contact: <sip:alice@10.0.0.1>\nContent-Length: 0\n";
  return parse(t);
}

struct rsp_opts {
  int status = 200;
  std::string method = "INVITE"; ///< CSeq method
  std::string branch = "z9hG4bK-c1";
  std::string to_tag = "ttag9";
  std::string call_id = "call-1@10.0.0.1";
  std::uint32_t cseq = 1;
};

inline message response(const rsp_opts& o = {}) {
  std::string t = "SIP/2.0 " + std::to_string(o.status) + " Whatever\n";
  t += "Via: SIP/2.0/UDP 10.0.0.1:5060" + (o.branch.empty() ? "" : ";branch=" + o.branch) +
       "\n";
  t += "Via: SIP/2.0/UDP 10.9.9.9:5070;branch=z9hG4bK-lower\n";
  t += "From: Alice <sip:alice@example.com>;tag=ftag1\n";
  t +=
      "To: Bob <sip:bob@example.com>" + (o.to_tag.empty() ? "" : ";tag=" + o.to_tag) + "\n";
  t += "Call-ID: " + o.call_id + "\n";
  t += "CSeq: " + std::to_string(o.cseq) + " " + o.method + "\nContent-Length: 0\n";
  return parse(t);
}

inline message_ptr request_ptr(const req_opts& o = {}) {
  return share(request(o));
}
inline message_ptr response_ptr(const rsp_opts& o = {}) {
  return share(response(o));
}

// -- effect queries ---------------------------------------------------------
template <class T>
std::vector<T> all_of(const transaction_effects& effs) {
  std::vector<T> out;
  for (const auto& e : effs)
    if (const auto* p = std::get_if<T>(&e))
      out.push_back(*p);
  return out;
}

template <class T>
std::size_t count_of(const transaction_effects& effs) {
  return all_of<T>(effs).size();
}

inline std::optional<time_point> armed_at(const transaction_effects& effs, timer_name t) {
  std::optional<time_point> at;
  for (const auto& a : all_of<arm_timer>(effs))
    if (a.name == t)
      at = a.deadline;
  return at;
}

inline bool cancels(const transaction_effects& effs, timer_name t) {
  for (const auto& c : all_of<cancel_timer>(effs))
    if (c.name == t)
      return true;
  return false;
}

/// Status codes of the responses sent, in order.
inline std::vector<int> sent_statuses(const transaction_effects& effs) {
  std::vector<int> out;
  for (const auto& s : all_of<send_message>(effs))
    out.push_back(s.msg->status_code());
  return out;
}

/// True when `terminated` is present and is the last effect.
inline bool ends_terminated(const transaction_effects& effs) {
  return !effs.empty() && std::holds_alternative<terminated>(effs.back());
}

/// Fires timer `t` of `stm` at its armed deadline (advancing `clk`) and
/// returns the effects. Requires the timer to be armed.
template <class Stm, class Event>
transaction_effects fire(Stm& stm, manual_clock& clk, timer_name t) {
  const auto at = stm.timers().deadline(t);
  REQUIRE(at.has_value());
  clk.set(*at);
  transaction_effects out;
  stm.handle(Event{timer_fired{t}}, clk.now(), out);
  return out;
}

inline std::chrono::milliseconds ms(duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d);
}

} // namespace ringdown::sip::test
