#pragma once

#include <cstddef>

namespace ringdown::sdp {

/// Bounds the SDP parser enforces; a body over any of them is rejected with
/// an error naming the line. Plain data, copied freely, no thread affinity.
struct limits {
  std::size_t size_max = 64 * 1024;   ///< whole body, in bytes
  std::size_t media_max = 16;         ///< m= sections
  std::size_t attributes_max = 128;   ///< a= lines per section (session or media)
  std::size_t formats_max = 128;      ///< formats on one m= line
  std::size_t bandwidths_max = 16;    ///< b= lines per section
  std::size_t connections_max = 16;   ///< c= lines per media section
  std::size_t timings_max = 16;       ///< t= lines
  std::size_t repeats_max = 16;       ///< r= lines per t=
  std::size_t contacts_max = 16;      ///< e= and p= lines, each
  std::size_t line_length_max = 4096; ///< one line, in bytes, without its end
};

} // namespace ringdown::sdp
