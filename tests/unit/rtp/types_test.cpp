#include <catch2/catch.hpp>

#include "net/rtp/types.hpp"

using namespace ringdown::rtp;

TEST_CASE("static payload types map to G.711 codecs and back", "[rtp][types]") {
  CHECK(frame_samples == 160);
  CHECK(codec_of_payload_type(0) == codec::pcmu);
  CHECK(codec_of_payload_type(8) == codec::pcma);
  CHECK_FALSE(codec_of_payload_type(18).has_value());
  CHECK(payload_type_of(codec::pcma) == 8);
  CHECK(to_string(codec::pcmu) == "PCMU");
}
