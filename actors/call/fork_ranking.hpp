#pragma once

#include "actors/call/call_summary.hpp"

namespace ringdown::call {

/// Response selection over failed forks (RFC 3261 §16.7 step 6, as a
/// B2BUA applies it): any 6xx wins; else 4xx before 5xx before 3xx; within
/// a class a specific answer (486, 404, 403...) beats the generic ones
/// (408 timeout, 480, 487 from a CANCEL, 503 transport error). True when
/// `candidate` is better than `best` (0 = none yet).
bool fork_response_better(int candidate, int best) noexcept;

/// Disposition of a call that failed with final status `status`.
disposition disposition_of(int status) noexcept;

} // namespace ringdown::call
