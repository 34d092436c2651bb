#!/usr/bin/env bash
# Load test of the Web API with wrk against `dealscore serve` on loopback: by default POST /v1/score
# with 50 activities per request (score-50.json); ENDPOINT and BODY pick another request, such as
# a new daily report with a 200-activity history (ENDPOINT=/v1/reports BODY=benches/server/report-200.json).
# Bounded: one warm-up and one measured run of DURATION each, then the server is stopped with
# SIGTERM. Prints requests/s, p50/p99 latency, errors and the server's CPU time per request, and
# exits non-zero when a target is missed (>= 10k req/s, p99 < 20 ms, zero errors). A benchmark,
# not part of scripts/test.
#
#   benches/server/run.sh                      # defaults below
#   DURATION=30s CONNECTIONS=64 benches/server/run.sh
#   ENDPOINT=/v1/reports BODY=benches/server/report-200.json benches/server/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-32}
WRK_THREADS=${WRK_THREADS:-1}
MIN_RPS=${MIN_RPS:-10000}
MAX_P99_MS=${MAX_P99_MS:-20}
ENDPOINT=${ENDPOINT:-/v1/score}
export BODY=${BODY:-benches/server/score-50.json}

if ! command -v wrk >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
cargo build --release --locked -q -p dealscore-cli

target_dir=$(scripts/target-dir)
out=$target_dir/bench-server
mkdir -p "$out"
RUST_LOG=${RUST_LOG:-info} "$target_dir/release/dealscore" serve --addr 127.0.0.1:0 >"$out/server.out" 2>"$out/server.log" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q '^listening on ' "$out/server.out" 2>/dev/null && break
  sleep 0.1
done
base=$(sed -n 's/^listening on //p' "$out/server.out")
[ -n "$base" ] || { echo "the server did not start"; cat "$out/server.log"; exit 1; }

# The request is valid: a 200 with a JSON answer (five deal reports for score-50.json).
curl -sf "$base$ENDPOINT" -H 'content-type: application/json' --data-binary @"$BODY" >"$out/answer.json" ||
  { echo "the request failed:"; curl -s "$base$ENDPOINT" -H 'content-type: application/json' --data-binary @"$BODY"; exit 1; }
python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); print("answer:", f"{len(a)} items" if isinstance(a, list) else ", ".join(a))' "$out/answer.json"

wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d5s -s benches/server/score.lua "$base$ENDPOINT" >/dev/null
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
before=$(ticks)
wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 2s --latency -s benches/server/score.lua "$base$ENDPOINT" | tee "$out/wrk.txt"
after=$(ticks)

figure() { sed -n "s/^$1 //p" "$out/wrk.txt"; }
requests=$(figure requests) rps=$(figure rps) p50=$(figure p50_ms) p99=$(figure p99_ms) errors=$(figure errors)
cpu_us=$(( (after - before) * 1000000 / $(getconf CLK_TCK) / requests ))
cat <<REPORT | tee "$out/result.txt"
== $ENDPOINT, $BODY ($(stat -c %s "$BODY") B), ${CONNECTIONS} connections, ${DURATION}, $(nproc) cores
requests/s   $rps
p50          $p50 ms
p99          $p99 ms
errors       $errors (of $requests requests)
server CPU   $cpu_us µs per request
load average $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine lowers the figures)
REPORT
ok=$(python3 -c "print(int($rps >= $MIN_RPS and $p99 < $MAX_P99_MS and $errors == 0))")
if [ "$ok" != 1 ]; then
  echo "target missed: want >= $MIN_RPS req/s, p99 < $MAX_P99_MS ms, 0 errors"
  exit 1
fi
echo "target met"
