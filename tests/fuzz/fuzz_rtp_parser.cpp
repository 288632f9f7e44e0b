// libFuzzer target for the media plane's packet parsers: RTP (RFC 3550
// §5.1), compound RTCP (§6.4-6.6) and RFC 4733 telephone events. Built as a
// fuzzer (clang, RINGDOWN_FUZZ=ON) and as the corpus replay test
// fuzz_replay_rtp.
//
// Invariants checked (a violation aborts, so the fuzzer reports it):
// - no parser crashes or reads outside the input (ASan);
// - a parsed RTP payload lies inside the packet;
// - a parsed RTCP report, written back, parses again to the same sender,
//   report blocks and BYE flag;
// - a parsed telephone event written back gives the same event.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "net/rtp/rtcp.hpp"
#include "net/rtp/rtp_packet.hpp"
#include "net/rtp/telephone_event.hpp"

namespace {

namespace rtp = ringdown::rtp;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_rtp_parser: invariant broken: %s\n", what);
  std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> in(data, size);
  if (const auto v = rtp::parse_rtp(in)) {
    if (v->payload.data() < data || v->payload.data() + v->payload.size() > data + size)
      fail("RTP payload outside the packet");
  }
  (void)rtp::is_rtcp(in);
  if (const auto r = rtp::parse_rtcp(in)) {
    std::array<std::uint8_t, 2048> out{};
    const std::size_t n = rtp::write_rtcp(*r, out);
    if (n > 0) {
      const auto again = rtp::parse_rtcp(std::span<const std::uint8_t>(out.data(), n));
      if (!again)
        fail("a written RTCP report does not parse");
      if (again->ssrc != r->ssrc || again->sender != r->sender ||
          again->block_count != r->block_count || again->bye != r->bye)
        fail("an RTCP report changed through write and parse");
      for (std::size_t i = 0; i < r->block_count; ++i)
        if (!(again->blocks[i] == r->blocks[i]))
          fail("an RTCP report block changed through write and parse");
    }
  }
  if (const auto e = rtp::parse_telephone_event(in)) {
    std::array<std::uint8_t, 4> out{};
    if (rtp::write_telephone_event(*e, out) != 4)
      fail("a telephone event does not write");
    const auto again = rtp::parse_telephone_event(out);
    if (!again || !(*again == *e))
      fail("a telephone event changed through write and parse");
  }
  return 0;
}
