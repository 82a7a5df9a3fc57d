#!/usr/bin/env bash
# Measures a TTL + dead-letter retry loop (work --reject--> wait(x-message-ttl) --expired--> work, ROUNDS times per
# message, counted by x-death) on Warren and RabbitMQ and prints a side-by-side table. See bench/README.md.
#
#   bench/retry-loop.sh [--warren-uri URI] [--rabbit-uri URI] [--seconds N] [--rounds N] [--ttl MS]
#                       [--inflight N] [--size BYTES] [--persistent] [--no-start-rabbit]
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/common.sh
. "$BENCH_DIR/common.sh"

WARREN_URI="amqp://guest:guest@127.0.0.1:5672"
RABBIT_URI="amqp://guest:guest@127.0.0.1:${BENCH_RABBIT_PORT:-5673}"
SECONDS_PER_RUN=10
ROUNDS=5                                  # deliveries per message: ROUNDS-1 rejections, ROUNDS-1 expiries
TTL=0                                     # wait queue's x-message-ttl (0: dead-lettered at once)
INFLIGHT=200                              # messages kept in the loop
SIZE=1000
PERSISTENT=""
START_RABBIT=1
PAUSE="${BENCH_PAUSE:-2}"
JAVA_OPTS_TOOL="${BENCH_TOOL_JAVA_OPTS:--Xms256m -Xmx1g}"

usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --warren-uri) WARREN_URI="$2"; shift 2 ;;
    --rabbit-uri) RABBIT_URI="$2"; shift 2 ;;
    --seconds) SECONDS_PER_RUN="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --ttl) TTL="$2"; shift 2 ;;
    --inflight) INFLIGHT="$2"; shift 2 ;;
    --size) SIZE="$2"; shift 2 ;;
    --persistent) PERSISTENT=persistent; shift ;;
    --no-start-rabbit) START_RABBIT=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
for v in SECONDS_PER_RUN ROUNDS INFLIGHT SIZE; do
  [[ "${!v}" =~ ^[0-9]+$ && "${!v}" -gt 0 ]] || { echo "${v} must be a positive integer" >&2; exit 2; }
done
[[ "$TTL" =~ ^[0-9]+$ ]] || { echo "--ttl must be a non-negative integer" >&2; exit 2; }

# ---------------------------------------------------------------- prerequisites
need_jar 'amqp-client-*.jar' "amqp-client not found in $LIB, fetching PerfTest and its dependencies"
find_brokers
new_run
{
  meta_head "retry loop"
  meta_uris
  echo "loop        : $ROUNDS rounds per message, wait TTL $TTL ms, $INFLIGHT in flight, $SIZE-byte bodies, $SECONDS_PER_RUN s${PERSISTENT:+, durable queues and persistent messages}"
} | tee "$OUT/meta.txt"
echo

# ---------------------------------------------------------------- runs
declare -A RESULT
run_one() {  # broker uri
  local broker="$1" uri="$2" file="$OUT/retry-loop-$1.txt" rc=0
  local prefix="bench-retry-$RUN_ID-$broker"
  echo "# java -cp 'bench/lib/*' bench/tools/RetryLoop.java $(redact "$uri") $SECONDS_PER_RUN $ROUNDS $TTL $INFLIGHT $SIZE $prefix $PERSISTENT" > "$file"
  log "retry loop on $broker ($SECONDS_PER_RUN s)"
  # shellcheck disable=SC2086
  timeout --kill-after=10 $((SECONDS_PER_RUN + 60)) \
    java $JAVA_OPTS_TOOL -cp "$LIB/*" "$BENCH_DIR/tools/RetryLoop.java" "$uri" "$SECONDS_PER_RUN" "$ROUNDS" "$TTL" \
      "$INFLIGHT" "$SIZE" "$prefix" $PERSISTENT >> "$file" 2>&1 || rc=$?
  if [[ $rc != 0 ]]; then
    log "  RetryLoop exited with $rc (see $file)"
    # the queues may be left behind if the tool died
    timeout 60 java -cp "$LIB/*" "$BENCH_DIR/tools/Cleanup.java" "$uri" "queue:$prefix-work" "queue:$prefix-wait" \
      > "$OUT/retry-loop-$broker.cleanup.log" 2>&1 || true
  fi
  local line; line="$(grep '^RESULT ' "$file" | tail -1 || true)"
  RESULT[$broker]="${line:-FAILED}"
  log "  ${line:-no RESULT line (see $file)}"
}

first=1
for b in "${BROKERS[@]}"; do
  [[ $first == 1 ]] || sleep "$PAUSE"
  first=0
  if [[ $b == warren ]]; then run_one warren "$WARREN_URI"; else run_one rabbitmq "$RABBIT_URI"; fi
done

# ---------------------------------------------------------------- report
field() {  # "RESULT k=v ..." key -> v, or n/a
  local line="${RESULT[$1]:-}"
  if [[ -z "$line" ]]; then echo "n/a"; elif [[ "$line" == FAILED ]]; then echo "FAILED"; else
    sed -n "s#.* $2=\([^ ]*\).*#\1#p" <<< " ${line#RESULT }"; fi
}
report() {
  local fmt="| %-22s | %-12s | %-12s | %-6s |\n"
  printf "$fmt" "figure" "Warren" "RabbitMQ" "W/R"
  printf "|------------------------|--------------|--------------|--------|\n"
  for key in completed/s deadletters/s deliveries/s mean_ms p99_ms; do
    local w r ratio="-"
    w="$(field warren "$key")"; r="$(field rabbitmq "$key")"
    if [[ "$w" =~ ^[0-9.]+$ && "$r" =~ ^[0-9.]+$ ]] && awk "BEGIN{exit !($r > 0)}"; then
      ratio="$(awk "BEGIN{printf \"%.2fx\", $w / $r}")"
    fi
    printf "$fmt" "$key" "$w" "$r" "$ratio"
  done
  echo "completed = messages acked after $ROUNDS deliveries; dead letters = rejections + expiries (2 per retry);"
  echo "mean/p99 ms = first publish to final delivery of a completed message. For rates, W/R > 1 = Warren faster."
}
echo
report | tee "$OUT/summary.txt"
echo
echo "Raw output: $OUT/"
