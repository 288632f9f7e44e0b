#!/usr/bin/env bash
# System test of `ringdownd --check-config` and `--version` on the real binary.
# Usage: config_check.sh RINGDOWND EXAMPLES_DIR
# Runs only short-lived `ringdownd` invocations that validate and exit; none
# of them starts the node. Every file is written to a fresh temp dir that is
# removed on exit.
set -u

bin=${1:?usage: config_check.sh RINGDOWND EXAMPLES_DIR}
examples=${2:?usage: config_check.sh RINGDOWND EXAMPLES_DIR}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ringdown-config-check-XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT

failures=0
checks=0
out=""
rc=0

fail() {
  echo "FAIL: $*"
  echo "---- output ----"
  echo "$out"
  echo "----------------"
  failures=$((failures + 1))
}

# run ARGS...: runs ringdownd with a 10 s bound; sets $out (stdout+stderr) and $rc.
run() {
  out=$(timeout 10 "$bin" "$@" 2>&1)
  rc=$?
}

# expect RC PATTERN DESCRIPTION: the last run exited RC and printed PATTERN (fixed string).
expect() {
  checks=$((checks + 1))
  if [[ $rc -ne $1 ]]; then
    fail "$3: exit $rc, expected $1"
  elif [[ $out != *"$2"* ]]; then
    fail "$3: output lacks '$2'"
  fi
}

# --version
run --version
expect 0 "ringdownd " "--version"
[[ $out =~ ^ringdownd\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "--version prints '$out'"

# The sample with every key and its default.
run --check-config "$examples/ringdownd.toml"
expect 0 "$examples/ringdownd.toml: ok" "sample ringdownd.toml"

# The TLS sample, next to a freshly made certificate and key.
mkdir -p "$tmp/tls-sample/tls"
cp "$examples/tls.toml" "$tmp/tls-sample/tls.toml"
if ! openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
  -keyout "$tmp/tls-sample/tls/ringdownd.key" -out "$tmp/tls-sample/tls/ringdownd.crt" \
  >"$tmp/openssl.log" 2>&1; then
  out=$(cat "$tmp/openssl.log")
  fail "openssl could not make a test certificate"
fi
run --check-config "$tmp/tls-sample/tls.toml"
expect 0 "tls.toml: ok" "sample tls.toml with its PEM files"
rm -f "$tmp/tls-sample/tls/ringdownd.crt"
run --check-config "$tmp/tls-sample/tls.toml"
expect 1 "tls.toml:19: sip.tls.certificate: cannot read" "sample tls.toml without its certificate"

# Bad files: each must exit 1 and name file, line and key.
# Fields: name | TOML text (\n for newlines) | expected text (FILE stands for the path).
while IFS='|' read -r name text want; do
  [[ -z $name ]] && continue
  file="$tmp/$name.toml"
  printf '%b' "$text" >"$file"
  run --check-config "$file"
  expect 1 "${want//FILE/$file}" "bad file $name"
done <<'EOF'
unknown_key|[node]\nid = "n1"\ncolour = "red"\n|FILE:3: node.colour: unknown key
unknown_table|[sip.timerz]\nt1_ms = 1\n|FILE:1: sip.timerz: unknown table (did you mean sip.timers?)
wrong_type|[sip.timers]\nt1_ms = "500"\n|FILE:2: sip.timers.t1_ms: expected an integer, got a string
out_of_range|[node]\nid = "n1"\n\n[sip.timers]\nt1_ms = 0\n|FILE:5: sip.timers.t1_ms: 0 is out of range (1..10000)
bad_listen|[sip]\nlisten = ["udp:127.0.0.1:5060", "tcp:localhost:5060"]\n|FILE:2: sip.listen[1]:
duplicate_listen|[sip]\nlisten = [\n  "udp:127.0.0.1:5060",\n  "udp:127.0.0.1:5060",\n]\n|FILE:4: sip.listen[1]: udp:127.0.0.1:5060 duplicates sip.listen[0]
tls_no_cert|[sip]\nlisten = ["tls:127.0.0.1:5061"]\n|FILE:1: sip.tls.certificate: is required by the tls listener
t2_below_t1|[sip.timers]\nt1_ms = 3000\nt2_ms = 2000\n|FILE:3: sip.timers.t2_ms: 2000 is less than sip.timers.t1_ms
bad_level|[log]\nlevel = "loud"\n|FILE:2: log.level: "loud" is not a log level
syntax|[node]\nid = "n1"\n[sip\n|FILE:3: syntax error
EOF

# Several problems at once, all reported.
printf '[node]\nid = ""\n[limits]\nvia_max = 0\n[log]\nlevel = 3\n' >"$tmp/many.toml"
run --check-config "$tmp/many.toml"
expect 1 "$tmp/many.toml:2: node.id: must not be empty" "many problems (1)"
expect 1 "$tmp/many.toml:4: limits.via_max: 0 is out of range" "many problems (2)"
expect 1 "$tmp/many.toml:6: log.level: expected a string, got an integer" "many problems (3)"

# A missing file, a bad override, bad usage.
run --check-config "$tmp/none.toml"
expect 1 "$tmp/none.toml: cannot read" "missing file"
run --check-config "$examples/ringdownd.toml" --sip-listen udp:127.0.0.1:99999
expect 1 "command line: --sip-listen:" "bad --sip-listen override"
run --check-config "$examples/ringdownd.toml" --log-level loud
expect 1 "command line: --log-level:" "bad --log-level override"
run --check-config "$examples/ringdownd.toml" --sip-listen udp:127.0.0.1:5070 \
  --data-dir "$tmp/data" --node-id n7 --zone z2 --log-level debug
expect 0 "ringdownd.toml: ok" "good overrides"
run --bogus
expect 2 "ringdownd: " "unknown option"
run --config "$examples/ringdownd.toml" --check-config "$examples/ringdownd.toml"
expect 2 "ringdownd: " "--config with --check-config"

echo "config_check: $checks checks, $failures failed"
[[ $failures -eq 0 ]]
