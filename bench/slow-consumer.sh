#!/usr/bin/env bash
# One fast publisher and one slow consumer for minutes: does the broker's memory stay bounded without the memory
# alarm? Starts Warren with its default config on a fresh data directory (as bench/hotpath.sh does), runs PerfTest
# with one flat-out publisher of 1 KB messages and one consumer that takes 1 ms per message, and every 5 s prints
# the queue depth (management API), the broker's RSS and its heap in use after the last GC; at the end the peaks,
# the publish rate, and whether a memory alarm was raised.
#
#   bench/slow-consumer.sh [--minutes N] [--persistent] [--no-build]
#
# Writes several GB to the data directory's logs (in a temp dir, removed at the end).
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
# shellcheck source=bench/common.sh
. "$BENCH_DIR/common.sh"

MINUTES=2; PERSISTENT=0; BUILD=1
PORT="${BENCH_WARREN_PORT:-5672}"; HTTP="${BENCH_WARREN_HTTP_PORT:-15672}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) MINUTES="$2"; shift 2 ;;
    --persistent) PERSISTENT=1; shift ;;
    --no-build) BUILD=0; shift ;;
    *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
need_jar 'perf-test-*.jar' "PerfTest not found in $LIB, fetching it"
new_run
port_open 127.0.0.1 "$PORT" && { echo "port $PORT is taken" >&2; exit 1; }
[[ $BUILD == 0 ]] || (cd "$ROOT" && mvn -q -B -ntp -DskipTests package >&2)
DATA="$(mktemp -d -t warren-slow-XXXXXX)"
PID=""
cleanup() {
  if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then kill "$PID"; sleep 2; kill -9 "$PID" 2>/dev/null || true; fi
  rm -rf "$DATA"
}
trap cleanup EXIT
(cd "${BENCH_WARREN_HOME:-$ROOT}" && WARREN_DATA_DIR="$DATA" WARREN_AMQP_PORT="$PORT" WARREN_HTTP_PORT="$HTTP" \
   exec bin/warren > "$OUT/warren.log" 2>&1) &
PID=$!
for _ in $(seq 1 600); do port_open 127.0.0.1 "$PORT" && break; sleep 0.2; done
Q="bench-slow-$RUN_ID"
FLAGS=(-x 1 -y 1 -s 1000 -L 1000 -u "$Q" -ad false)
[[ $PERSISTENT == 1 ]] && FLAGS+=(-f persistent) || FLAGS+=(-a)
SECS=$((MINUTES * 60))
echo "one flat-out publisher, one consumer at 1 ms per message, $MINUTES min, $([[ $PERSISTENT == 1 ]] && echo persistent || echo transient) 1 KB; Warren pid $PID" | tee "$OUT/meta.txt"
grep -m1 "Memory limit" "$OUT/warren.log" | sed 's/.*Broker - /broker: /' | tee -a "$OUT/meta.txt"
timeout $((SECS + 60)) java -Xmx1g -cp "$LIB/*" com.rabbitmq.perf.PerfTest -h "amqp://guest:guest@127.0.0.1:$PORT" \
  "${FLAGS[@]}" -z "$SECS" -id slow > "$OUT/perftest.txt" 2>&1 &
PT=$!
printf '%6s %12s %10s %12s %8s\n' "t(s)" "queue depth" "RSS MiB" "heap MiB" "load"
t=0
while kill -0 "$PT" 2>/dev/null; do
  sleep 5; t=$((t + 5))
  rss=$(( $(ps -o rss= -p "$PID" | tr -d ' ') / 1024 ))
  # old + eden + survivor occupancy (KiB) as jstat sees it
  heap=$(jstat -gc "$PID" 2>/dev/null | awk 'NR==2 {printf "%d", ($3+$4+$6+$8)/1024}')
  depth=$(curl -s -u guest:guest "http://127.0.0.1:$HTTP/api/queues/%2F/$Q" | sed -n 's/.*"messages":\([0-9]*\).*/\1/p' | head -1)
  printf '%6d %12s %10d %12s %8s\n' "$t" "${depth:--}" "$rss" "${heap:--}" "$(cut -d' ' -f1 /proc/loadavg)"
done | tee "$OUT/samples.txt"
wait "$PT" || true
sent=$(awk '/sending rate avg:/ {for (i=1;i<=NF;i++) if ($i=="avg:") print $(i+1)}' "$OUT/perftest.txt")
recv=$(awk '/receiving rate avg:/ {for (i=1;i<=NF;i++) if ($i=="avg:") print $(i+1)}' "$OUT/perftest.txt")
alarms=$(grep -c "alarm raised" "$OUT/warren.log" || true)
{
  echo
  echo "publish rate avg ${sent:-?} msg/s, consume rate avg ${recv:-?} msg/s"
  awk 'NR>1 && $3+0>m {m=$3} NR>1 && $4+0>h {h=$4} NR>1 && $2+0>d {d=$2} END {printf "peaks: queue depth %d, RSS %d MiB, heap %d MiB\n", d, m, h}' "$OUT/samples.txt"
  echo "memory alarms raised: $alarms"
  echo "data directory at the end: $(du -sh "$DATA" | cut -f1)"
} | tee "$OUT/summary.txt"
echo "Raw output: $OUT/"
