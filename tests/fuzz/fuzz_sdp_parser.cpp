// libFuzzer target for the SDP parser and serializer. Built as a fuzzer
// (clang, RINGDOWN_FUZZ=ON) and as the corpus replay test fuzz_replay_sdp.
//
// Invariants checked (a violation aborts, so the fuzzer reports it):
// - parse never crashes and never reads outside the input (ASan);
// - whatever parses serializes to text that parses again, to an equal
//   session, and serializing that gives the same text (a fixed point).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "net/sdp/session.hpp"

namespace {

namespace sdp = ringdown::sdp;

[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_sdp_parser: invariant broken: %s\n%s\n", what, detail.c_str());
  std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto first = sdp::parse(text);
  if (!first) {
    return 0;
  }
  for (const sdp::media& m : first->media) {
    (void)sdp::effective_connection(*first, m);
    (void)sdp::has_attribute(m.attributes, "rtpmap");
  }
  const std::string once = sdp::serialize(*first);
  std::string error;
  const auto second = sdp::parse(once, &error);
  if (!second) {
    fail("serialized session does not parse", error + "\n" + once);
  }
  if (!(*second == *first)) {
    fail("re-parsed session differs from the original", once);
  }
  if (sdp::serialize(*second) != once) {
    fail("serialize is not a fixed point", once);
  }
  return 0;
}
