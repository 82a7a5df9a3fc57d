#!/usr/bin/env bash
# Management API and Prometheus cost, Warren and RabbitMQ 3.10.8 (with its management and prometheus plugins) one
# after the other on the same machine. For each broker, tools/mgmt_bench.py:
#   1. declares N queues (default 10,000) over HTTP and times GET /api/queues?page=P&page_size=500 (first, middle and
#      last page), a name-filtered page, /api/overview with chart history, /metrics and /metrics/per-object, idle and
#      while a PerfTest flow runs;
#   2. measures transient throughput (PerfTest -x 1 -y 1 -a -s 1000) in ROUNDS pairs of runs, quiet and with the
#      web UI's requests (overview and queues pages refreshing every 2 s) plus a /metrics scrape every 1 s, with the
#      broker's CPU time and context switches per message;
#   3. deletes the queues.
#
#   bench/management.sh                                   # Warren on 5672/15672, then a private RabbitMQ on 5673
#   bench/management.sh --only warren --queues 2000 --seconds 10 --rounds 1
#   bench/management.sh --warren-amqp amqp://guest:guest@127.0.0.1:20100 --warren-http http://127.0.0.1:20101 \
#       --rabbit-port 20149 --rabbit-http-port 20148 --rabbit-metrics-port 20147
# See bench/README.md "Management API and metrics". Figures go to stdout and bench/out/mgmt-<runid>/.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$BENCH_DIR/common.sh"

WARREN_HTTP=http://127.0.0.1:15672; WARREN_AMQP=amqp://guest:guest@127.0.0.1:5672; WARREN_PID=""
RABBIT_PORT="${BENCH_RABBIT_PORT:-5673}"; RABBIT_HTTP_PORT=15673; RABBIT_METRICS_PORT=15692
ONLY=""; QUEUES=10000; SECONDS_RUN=30; ROUNDS=2; REPEAT=5; PHASES=listing,flow
while [[ $# -gt 0 ]]; do
  case "$1" in
    --warren-http) WARREN_HTTP="$2"; shift 2 ;;
    --warren-amqp) WARREN_AMQP="$2"; shift 2 ;;
    --warren-pid) WARREN_PID="$2"; shift 2 ;;
    --rabbit-port) RABBIT_PORT="$2"; shift 2 ;;
    --rabbit-http-port) RABBIT_HTTP_PORT="$2"; shift 2 ;;
    --rabbit-metrics-port) RABBIT_METRICS_PORT="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    --queues) QUEUES="$2"; shift 2 ;;
    --seconds) SECONDS_RUN="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --repeat) REPEAT="$2"; shift 2 ;;
    --phases) PHASES="$2"; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "unknown argument $1 (see --help)" >&2; exit 64 ;;
  esac
done
need_jar 'perf-test-*.jar' "PerfTest not found in $LIB, fetching it"
OUT="$BENCH_DIR/out/mgmt-$(date +%Y%m%d-%H%M%S)"; mkdir -p "$OUT"
listener_pid() { ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1; }
echo "machine: $(nproc) CPUs, $(uptime)" | tee "$OUT/meta.txt"
echo "java: $(java -version 2>&1 | head -1)" | tee -a "$OUT/meta.txt"

run() {  # label http metrics amqp pid
  echo "=== $1: API $2, metrics $3, AMQP $(redact "$4"), pid $5"
  python3 "$BENCH_DIR/tools/mgmt_bench.py" --label "$1" --http "$2" --metrics "$3" --amqp "$4" --pid "$5" \
    --queues "$QUEUES" --repeat "$REPEAT" --seconds "$SECONDS_RUN" --rounds "$ROUNDS" --phases "$PHASES" \
    --lib "$LIB" --out "$OUT" 2>&1 | tee "$OUT/$1.txt"
}

if [[ "$ONLY" != rabbitmq ]]; then
  if uri_up "$WARREN_AMQP"; then
    pid="${WARREN_PID:-$(listener_pid "$(uri_port "$WARREN_AMQP")")}"
    [[ -n "$pid" ]] || { log "cannot find the PID listening on $(uri_port "$WARREN_AMQP"); pass --warren-pid"; exit 1; }
    run warren "$WARREN_HTTP" "$WARREN_HTTP" "$WARREN_AMQP" "$pid"
  else
    log "Warren is not running at $(redact "$WARREN_AMQP"): skipped"
  fi
fi

if [[ "$ONLY" != warren ]]; then
  export BENCH_RABBIT_PORT="$RABBIT_PORT" BENCH_RABBIT_MANAGEMENT_PORT="$RABBIT_HTTP_PORT" \
    BENCH_RABBIT_PROMETHEUS_PORT="$RABBIT_METRICS_PORT"
  started=0
  if ! port_open 127.0.0.1 "$RABBIT_PORT"; then
    "$BENCH_DIR/rabbitmq.sh" start
    started=1
  fi
  stop_rabbit() { if [[ $started == 1 ]]; then "$BENCH_DIR/rabbitmq.sh" stop || true; fi; }
  trap stop_rabbit EXIT
  for _ in $(seq 1 60); do port_open 127.0.0.1 "$RABBIT_HTTP_PORT" && break; sleep 1; done
  port_open 127.0.0.1 "$RABBIT_HTTP_PORT" || { log "RabbitMQ's management API is not on $RABBIT_HTTP_PORT"; exit 1; }
  run rabbitmq "http://127.0.0.1:$RABBIT_HTTP_PORT" "http://127.0.0.1:$RABBIT_METRICS_PORT" \
    "amqp://guest:guest@127.0.0.1:$RABBIT_PORT" "$(listener_pid "$RABBIT_PORT")"
fi
echo "machine: $(uptime)" | tee -a "$OUT/meta.txt"
echo "raw output and TSV: $OUT"
