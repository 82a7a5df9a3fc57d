#!/usr/bin/env bash
# Cold start: how soon a broker that has just started reaches its steady rate.
#
#   bench/coldstart.sh [--runs N] [--seconds N] [--no-build] [--rabbitmq]     (--runs 0 --rabbitmq: RabbitMQ only)
#   BENCH_WARREN_HOME=DIR measures the Warren built in another checkout (for before/after).
#   BENCH_COLD_PORT / BENCH_COLD_HTTP_PORT: the ports used (default 5672 / 15672).
#   JAVA_OPTS is passed to bin/warren as usual (e.g. JAVA_OPTS=-Xlog:gc for a look at heap growth).
#
# Per run: starts bin/warren (default config, fresh data directory) and times process start -> AMQP port open,
# and the CPU time the process used until then (user+system: less noisy than the wall time on a busy machine),
# then at once runs PerfTest transient (-x 1 -y 1 -a -s 1000) for --seconds (default 25) and prints the messages
# received per second (thousands). The steady rate is the mean of the seconds after the 10th; "90% in" is the first
# second at or above 90% of it. Then a second, fresh PerfTest of 10 s against the now warm broker: how long the
# client alone (a cold JVM too) takes, which bounds what the broker can show. With --rabbitmq the same for
# RabbitMQ 3.10.8 (bench/rabbitmq.sh; start time to its AMQP port). One broker alive at a time; load average
# printed next to every line. For Warren it also samples `jstat -compiler` every second and prints the methods the
# JIT compiled in each second from the listen on ("jit"): the warm-up shows as compilations before the client.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
# shellcheck source=bench/common.sh
. "$BENCH_DIR/common.sh"

RUNS=1
SECS=25
BUILD=1
RABBIT=0
PORT="${BENCH_COLD_PORT:-5672}"
HTTP="${BENCH_COLD_HTTP_PORT:-15672}"
JAVA_OPTS_PT="${BENCH_PERFTEST_JAVA_OPTS:--Xmx1g}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --seconds) SECS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --rabbitmq) RABBIT=1; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
(( SECS > 12 )) || { echo "--seconds must be more than 12 (the steady rate is taken after the 10th)" >&2; exit 2; }

need_jar 'perf-test-*.jar' "PerfTest not found in $LIB, fetching it"
new_run
HOME_DIR="${BENCH_WARREN_HOME:-$ROOT}"
load() { cut -d' ' -f1-3 /proc/loadavg; }
now_ms() { date +%s%3N; }
TICK=$(getconf CLK_TCK)
cpu_ms() { awk -v tk="$TICK" '{printf "%.0f", ($14+$15)*1000/tk}' "/proc/$1/stat"; }
# methods compiled per second, from jstat -compiler's cumulative "Compiled" column
jit_series() {
  awk '$1 ~ /^[0-9]+$/ { if (n++) printf "%s%d", (n>2 ? " " : ""), $1-p; p=$1 }' "$1"
}

# received per second (thousands, one decimal) from PerfTest's per-second lines
series() {
  awk '/ time [0-9.]+ s, / { for (i=1;i<=NF;i++) if ($i=="received:") { r=$(i+1); gsub(/[^0-9.]/,"",r); printf "%s%.0f", (n++ ? " " : ""), r/1000 } }' "$1"
}
# "steady k/s, 90% in N s" from a series
verdict() {
  awk '{ s=0; n=0; for (i=11;i<=NF;i++) { s+=$i; n++ } st=(n ? s/n : 0)
         f="never"; for (i=1;i<=NF;i++) if ($i >= 0.9*st) { f=i " s"; break }
         printf "steady %.0fk/s, 90%% reached in second %s", st, f }' <<< "$1"
}
perftest() {  # uri id seconds (output to stdout)
  # shellcheck disable=SC2086
  timeout --kill-after=10 $(($3 + 60)) nice -n 19 java $JAVA_OPTS_PT -cp "$LIB/*" com.rabbitmq.perf.PerfTest \
    -h "$1" -x 1 -y 1 -a -s 1000 -u "cold-$2" -ad true -z "$3" -id "$2"
}
wait_port() { local deadline=$((SECONDS + $2)); until port_open 127.0.0.1 "$1"; do (( SECONDS < deadline )) || return 1; sleep 0.01; done; }

PID=""; DATA=""; RDIR=""
# RabbitMQ's other ports next to the AMQP one (distribution, a private epmd, rabbitmqctl's node), overridable
rabbit() {
  BENCH_RABBIT_DIR="$RDIR" BENCH_RABBIT_PORT="$PORT" BENCH_RABBIT_NODENAME="${BENCH_RABBIT_NODENAME:-coldstart@localhost}" \
  BENCH_RABBIT_DIST_PORT="${BENCH_RABBIT_DIST_PORT:-$((PORT + 3))}" BENCH_EPMD_PORT="${BENCH_EPMD_PORT:-$((PORT + 4))}" \
  BENCH_RABBIT_CTL_DIST_PORT="${BENCH_RABBIT_CTL_DIST_PORT:-$((PORT + 10))}" nice -n 19 "$BENCH_DIR/rabbitmq.sh" "$@"
}
stop() {
  if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then
    kill "$PID"; for _ in $(seq 1 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$PID" 2>/dev/null || true
  fi
  PID=""
  [[ -z "$DATA" ]] || rm -rf "$DATA"; DATA=""
  if [[ -n "$RDIR" ]]; then rabbit stop || true; rm -rf "$RDIR"; RDIR=""; fi
}
trap stop EXIT

report_run() {  # label start file_cold file_client load_before load_after [jit_file]
  local s1 s2
  s1="$(series "$3")"; s2="$(series "$4")"
  printf '%s: start->listening %s (load %s)\n' "$1" "$2" "$5"
  printf '  cold broker : %s\n                %s (load %s)\n' "$s1" "$(verdict "$s1")" "$6"
  [[ ! -f "${7:-}" ]] || printf '  jit         : %s (methods compiled per second from the listen on)\n' "$(jit_series "${7}" | cut -d' ' -f1-"$(echo "$s1" | wc -w)")"
  printf '  warm broker, fresh client: %s (load %s)\n' "$s2" "$(load)"
}

port_open 127.0.0.1 "$PORT" && { echo "port $PORT is taken" >&2; exit 1; }
if [[ $BUILD == 1 ]]; then log "building Warren"; (cd "$HOME_DIR" && nice -n 19 mvn -q -B -ntp -DskipTests package >&2); fi
{
  meta_head coldstart
  echo "warren      : $HOME_DIR ($(git -C "$HOME_DIR" rev-parse --short HEAD 2>/dev/null || echo '?')), JAVA_OPTS='${JAVA_OPTS:-}'"
} | tee "$OUT/meta.txt"

for r in $(seq 1 "$RUNS"); do
  DATA="$(mktemp -d -t warren-cold-XXXXXX)"
  l0="$(load)"
  t0=$(now_ms)
  (cd "$HOME_DIR" && WARREN_DATA_DIR="$DATA" WARREN_AMQP_PORT="$PORT" WARREN_HTTP_PORT="$HTTP" \
     exec nice -n 19 bin/warren > "$OUT/warren-$r.log" 2>&1) &
  PID=$!
  wait_port "$PORT" 120 || { echo "Warren did not start; see $OUT/warren-$r.log" >&2; exit 1; }
  up=$(( $(now_ms) - t0 ))
  upcpu=$(cpu_ms "$PID")
  nice -n 19 jstat -compiler "$PID" 1000 > "$OUT/jit-warren-$r.txt" 2>/dev/null &
  JSTAT=$!
  perftest "amqp://guest:guest@127.0.0.1:$PORT" "w$r" "$SECS" > "$OUT/cold-warren-$r.txt" 2>&1 || true
  l1="$(load)"
  kill "$JSTAT" 2>/dev/null || true; wait "$JSTAT" 2>/dev/null || true
  perftest "amqp://guest:guest@127.0.0.1:$PORT" "w$r-again" 10 > "$OUT/client-warren-$r.txt" 2>&1 || true
  started="$(grep -o 'Started [0-9]* ms after the JVM did, using [0-9]* ms of CPU time' "$OUT/warren-$r.log" | head -1 || true)"
  report_run "warren run $r" "$up ms, CPU $upcpu ms when the port was seen open; log: ${started:-no start line}" "$OUT/cold-warren-$r.txt" "$OUT/client-warren-$r.txt" "$l0" "$l1" "$OUT/jit-warren-$r.txt" | tee -a "$OUT/summary.txt"
  stop
  sleep 2
done

if [[ $RABBIT == 1 ]]; then
  RDIR="$(mktemp -d -t warren-cold-rabbit-XXXXXX)"
  l0="$(load)"
  t0=$(now_ms)
  rabbit start > "$OUT/rabbitmq-start.log" 2>&1
  wait_port "$PORT" 120 || { echo "RabbitMQ did not start" >&2; exit 1; }
  up=$(( $(now_ms) - t0 ))
  perftest "amqp://guest:guest@127.0.0.1:$PORT" r1 "$SECS" > "$OUT/cold-rabbitmq.txt" 2>&1 || true
  l1="$(load)"
  perftest "amqp://guest:guest@127.0.0.1:$PORT" r1-again 10 > "$OUT/client-rabbitmq.txt" 2>&1 || true
  report_run "rabbitmq" "$up ms" "$OUT/cold-rabbitmq.txt" "$OUT/client-rabbitmq.txt" "$l0" "$l1" | tee -a "$OUT/summary.txt"
  stop
fi
echo "Raw output: $OUT/"
