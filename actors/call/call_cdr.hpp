#pragma once

#include "actors/call/call_summary.hpp"
#include "storage/cdr.hpp"

namespace ringdown::call {

/// The stored CDR of a call summary: every field carried over; the id is
/// left 0 for the store to assign. Pure.
[[nodiscard]] storage::cdr to_cdr(const call_summary& s);

} // namespace ringdown::call
