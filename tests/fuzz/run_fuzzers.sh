#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan+UBSan) and runs each for
# SECONDS on a temporary copy of the seed corpus (the repository is never
# written to). Exits non-zero when a fuzzer finds a crash or a broken
# invariant; the reproducers are kept and their paths printed.
#
# usage: tests/fuzz/run_fuzzers.sh SECONDS [BUILD_DIR]
#   BUILD_DIR     default: ${TMPDIR:-/tmp}/ringdown-build-fuzz
#   JOBS          parallel build jobs (default 2)
#   FINDINGS_DIR  if set, reproducers are also copied there
set -euo pipefail

if [[ $# -lt 1 || ! $1 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 SECONDS [BUILD_DIR]" >&2
  exit 2
fi
seconds=$1
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${2:-${TMPDIR:-/tmp}/ringdown-build-fuzz}"
jobs="${JOBS:-2}"

CXX=clang++ cmake -S "$repo" -B "$build" -G Ninja \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DRINGDOWN_FUZZ=ON -DRINGDOWN_TESTS=ON -DRINGDOWN_BENCH=OFF -DRINGDOWN_WERROR=OFF >/dev/null
ninja -C "$build" -j"$jobs" fuzz_sip_parser fuzz_sdp_parser fuzz_rtp_parser

export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

status=0
run_one() { # name max_len seed-dir...
  local name=$1 max_len=$2
  shift 2
  local work
  work="$(mktemp -d "${TMPDIR:-/tmp}/ringdown-${name}.XXXXXX")"
  mkdir -p "$work/corpus" "$work/artifacts"
  local dir
  for dir in "$@"; do
    find "$dir" -maxdepth 1 -type f ! -name '.*' ! -name '*.md' -exec cp {} "$work/corpus/" \;
  done
  echo "== $name: ${seconds}s, corpus $(ls "$work/corpus" | wc -l) files, work dir $work"
  local rc=0
  "$build/tests/fuzz/$name" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" \
    >"$work/log.txt" 2>&1 || rc=$?
  tail -n 25 "$work/log.txt"
  if [[ $rc -ne 0 || -n "$(ls -A "$work/artifacts")" ]]; then
    echo "!! $name FAILED (exit $rc); log $work/log.txt; reproducers:" >&2
    ls -1 "$work/artifacts"/* >&2 || true
    if [[ -n "${FINDINGS_DIR:-}" ]]; then
      mkdir -p "$FINDINGS_DIR/$name"
      cp "$work/artifacts"/* "$work/log.txt" "$FINDINGS_DIR/$name/" 2>/dev/null || true
    fi
    status=1
  else
    rm -rf "$work"
  fi
}

run_one fuzz_sip_parser 8192 "$repo/tests/fuzz/corpus/sip" "$repo/tests/torture/messages"
run_one fuzz_sdp_parser 4096 "$repo/tests/fuzz/corpus/sdp"
run_one fuzz_rtp_parser 1500 "$repo/tests/fuzz/corpus/rtp"
exit $status
