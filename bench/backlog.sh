#!/usr/bin/env bash
# Deep-backlog benchmark: publish N persistent 1 KB messages into one durable queue with no consumer, then drain
# them with one consumer. Prints the time of each phase and the broker's peak RSS while it ran.
#   bench/backlog.sh --uri amqp://guest:guest@127.0.0.1:5672 --pid BROKER_PID [--count 1000000] [--queue NAME]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
uri="amqp://guest:guest@127.0.0.1:5672"; pid=""; count=1000000; queue="bench-backlog-$$"
while [ $# -gt 0 ]; do
  case "$1" in
    --uri) uri="$2"; shift 2 ;;
    --pid) pid="$2"; shift 2 ;;
    --count) count="$2"; shift 2 ;;
    --queue) queue="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$pid" ] || { echo "--pid of the broker process is required (for its RSS)" >&2; exit 2; }
[ -n "$(ls "$here"/lib/*.jar 2>/dev/null)" ] || "$here/fetch-perftest.sh"
peak_file=$(mktemp)
sample_rss() {  # highest RSS (KiB) of the broker until killed
  local peak=0 rss
  while kill -0 "$pid" 2>/dev/null; do
    rss=$(ps -o rss= -p "$pid" 2>/dev/null | tr -d ' ' || echo 0)
    [ -n "$rss" ] && [ "$rss" -gt "$peak" ] && { peak=$rss; echo "$peak" > "$peak_file"; }
    sleep 0.5
  done
}
phase() {  # name, perftest args...
  local name="$1"; shift
  echo 0 > "$peak_file"
  sample_rss & local sampler=$!
  local start end
  start=$(date +%s.%N)
  timeout 1800 java -Xmx1g -cp "$here/lib/*" com.rabbitmq.perf.PerfTest -h "$uri" -s 1000 -f persistent \
    -u "$queue" -ad false "$@" > "/tmp/backlog-$name-$$.log" 2>&1 || true
  end=$(date +%s.%N)
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  printf '%-8s %8.1f s  %9.0f msg/s  peak RSS %6d MiB\n' "$name" "$(echo "$end - $start" | bc)" \
    "$(echo "$count / ($end - $start)" | bc -l)" "$(( $(cat "$peak_file") / 1024 ))"
}
echo "backlog of $count persistent 1000-byte messages on $uri (broker pid $pid)"
phase publish -x 1 -y 0 -C "$count"
phase drain -x 0 -y 1 -D "$count"
rm -f "$peak_file"
