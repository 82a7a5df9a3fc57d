#!/usr/bin/env bash
# Measures how late Warren delivers delayed messages (x-delayed-message exchange) with a large backlog scheduled:
# publishes N persistent messages with confirms, due uniformly over a window that starts after the publish phase,
# consumes them and prints the lateness distribution (arrival - due) and Warren's RSS. See bench/README.md.
#
#   bench/delayed-lateness.sh [--uri URI] [--messages N] [--window SECONDS] [--start-after SECONDS]
#                             [--size BYTES] [--pid BROKER_PID] [--warmup N]
# Defaults: 1,000,000 messages, 60 s window, start-after N/15000+10 s, 100-byte bodies; the broker's PID (for RSS)
# is looked up from the listening port when not given. --warmup N first routes N messages at once (no x-delay)
# through the same exchange, queue and consumer, warming both JVMs' delivery path (not the scheduler's).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/common.sh
. "$BENCH_DIR/common.sh"

URI="amqp://guest:guest@127.0.0.1:5672"
MESSAGES=1000000
WINDOW=60
START_AFTER=""
SIZE=100
PID_ARG=""
JAVA_OPTS_TOOL="${BENCH_TOOL_JAVA_OPTS:--Xms256m -Xmx2g}"

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --uri) URI="$2"; shift 2 ;;
    --messages) MESSAGES="$2"; shift 2 ;;
    --window) WINDOW="$2"; shift 2 ;;
    --start-after) START_AFTER="$2"; shift 2 ;;
    --size) SIZE="$2"; shift 2 ;;
    --warmup) export BENCH_WARMUP="$2"; shift 2 ;;
    --pid) PID_ARG="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ -n "$START_AFTER" ]] || START_AFTER=$((MESSAGES / 15000 + 10))
for v in MESSAGES WINDOW START_AFTER SIZE; do
  [[ "${!v}" =~ ^[0-9]+$ && "${!v}" -gt 0 ]] || { echo "${v} must be a positive integer" >&2; exit 2; }
done

need_jar 'amqp-client-*.jar' "amqp-client not found in $LIB, fetching PerfTest and its dependencies"
port="$(uri_port "$URI")"
port_open "$(uri_host "$URI")" "$port" || { echo "Warren is not running at $(redact "$URI")" >&2; exit 1; }
pid="$PID_ARG"
if [[ -z "$pid" ]] && command -v ss >/dev/null; then
  pid="$(ss -ltnpH "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2 || true)"
fi
[[ -n "$pid" ]] || log "broker PID unknown (pass --pid): RSS will be n/a"

new_run
file="$OUT/delayed-lateness.txt"
prefix="bench-delayed-$RUN_ID"
{
  meta_head "delayed-message lateness"
  echo "broker      : $(redact "$URI") pid ${pid:-unknown}"
  echo "load        : $MESSAGES messages of $SIZE bytes, due uniformly in [T0+$START_AFTER s, T0+$((START_AFTER + WINDOW)) s]"
} | tee "$OUT/meta.txt"
echo "# java -cp 'bench/lib/*' bench/tools/DelayedLateness.java $(redact "$URI") $MESSAGES $WINDOW $START_AFTER $SIZE $prefix ${pid}" > "$file"
rc=0
# shellcheck disable=SC2086
timeout --kill-after=10 $((START_AFTER + WINDOW + 300)) \
  java $JAVA_OPTS_TOOL -cp "$LIB/*" "$BENCH_DIR/tools/DelayedLateness.java" "$URI" "$MESSAGES" "$WINDOW" \
    "$START_AFTER" "$SIZE" "$prefix" ${pid} 2>&1 | tee -a "$file" || rc=$?
if [[ $rc != 0 ]]; then
  log "DelayedLateness exited with $rc (see $file); cleaning up"
  timeout 60 java -cp "$LIB/*" "$BENCH_DIR/tools/Cleanup.java" "$URI" "queue:$prefix-q" "exchange:$prefix-x" \
    > "$OUT/delayed-lateness.cleanup.log" 2>&1 || true
fi
echo
echo "results in $file"
exit $rc
