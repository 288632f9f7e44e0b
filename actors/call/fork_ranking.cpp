#include "actors/call/fork_ranking.hpp"

namespace ringdown::call {

namespace {

int rank(int status) noexcept {
  const int cls = status / 100;
  int r = 0;
  switch (cls) {
  case 6:
    r = 4000;
    break;
  case 4:
    r = 3000;
    break;
  case 5:
    r = 2000;
    break;
  case 3:
    r = 1000;
    break;
  default:
    return 0;
  }
  // Generic outcomes rank below a specific answer in the same class.
  switch (status) {
  case 487:
    r -= 300;
    break; // terminated by our own CANCEL
  case 408:
    r -= 200;
    break; // no response (Timer B)
  case 503:
    r -= 200;
    break; // transport error or overload
  case 480:
    r -= 100;
    break; // temporarily unavailable
  default:
    break;
  }
  return r;
}

} // namespace

bool fork_response_better(int candidate, int best) noexcept {
  return best == 0 || rank(candidate) > rank(best);
}

disposition disposition_of(int status) noexcept {
  if (status >= 200 && status < 300)
    return disposition::answered;
  if (status == 486 || status == 600)
    return disposition::busy;
  if (status == 408 || status == 480)
    return disposition::no_answer;
  if (status == 487)
    return disposition::cancelled;
  if (status >= 500 && status < 600 && status != 503)
    return disposition::failed;
  return disposition::rejected;
}

} // namespace ringdown::call
