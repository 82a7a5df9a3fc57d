#!/usr/bin/env bash
# Cold start: how soon a broker that has just started reaches its steady rate.
#
#   bench/coldstart.sh [--runs N] [--seconds N] [--no-build] [--rabbitmq] [--variant 'LABEL:JAVA_OPTS']...
#   (--runs 0 --rabbitmq: RabbitMQ only; each --variant is one more Warren start per round with those JAVA_OPTS, in
#   the order given, so that settings alternate back to back: --variant 'off:-Dwarren.warm-up.enabled=false')
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
# Every PerfTest line is stamped with the wall time since the broker's process was launched, so each run also prints
# when the second that first reached 90% ended, counted from the port opening and from the process launch (these
# include PerfTest's own JVM start and connection). With --rabbitmq, RabbitMQ runs after Warren in every round (one
# broker alive at a time) and the last lines give both brokers' ranges over the rounds.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
# shellcheck source=bench/common.sh
. "$BENCH_DIR/common.sh"

RUNS=1
SECS=25
BUILD=1
RABBIT=0
VARIANTS=()
PORT="${BENCH_COLD_PORT:-5672}"
HTTP="${BENCH_COLD_HTTP_PORT:-15672}"
JAVA_OPTS_PT="${BENCH_PERFTEST_JAVA_OPTS:--Xmx1g}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --seconds) SECS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --rabbitmq) RABBIT=1; shift ;;
    --variant) [[ "$2" == *:* ]] || { echo "--variant takes LABEL:JAVA_OPTS" >&2; exit 2; }; VARIANTS+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
(( SECS > 12 )) || { echo "--seconds must be more than 12 (the steady rate is taken after the 10th)" >&2; exit 2; }

need_jar 'perf-test-*.jar' "PerfTest not found in $LIB, fetching it"
new_run
HOME_DIR="${BENCH_WARREN_HOME:-$ROOT}"
load() { cut -d' ' -f1-3 /proc/loadavg; }
now_ms() { local n=${EPOCHREALTIME/./}; echo $(( n / 1000 )); }
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
# the first second (1-based) at or above 90% of the steady rate, or 0
first90() {
  awk '{ s=0; n=0; for (i=11;i<=NF;i++) { s+=$i; n++ } st=(n ? s/n : 0)
         f=0; for (i=1;i<=NF;i++) if ($i >= 0.9*st) { f=i; break }; print f }' <<< "$1"
}
# ms since launch at which PerfTest printed its Nth per-second line (file stamped by stamp())
line_ms() {
  awk -v want="$2" '/ time [0-9.]+ s, / && /received:/ { if (++n == want) { print $1; exit } }' "$1"
}
# prefixes every line with the ms elapsed since $T0 (the broker's launch), without a fork per line
stamp() {
  local line now
  while IFS= read -r line; do now=${EPOCHREALTIME/./}; printf '%d %s\n' $(( now / 1000 - T0 )) "$line"; done
}
# "ms-since-launch cpu-ms" of process $1 every 0.2 s, until it ends
cpu_sampler() {
  local now
  while [[ -r "/proc/$1/stat" ]]; do now=${EPOCHREALTIME/./}; echo "$(( now / 1000 - T0 )) $(cpu_ms "$1")"; sleep 0.2; done
}
# the broker's CPU ms used from the sample at or after $2 to the last sample at or before $3 (ms since launch)
cpu_between() {
  awk -v a="$2" -v b="$3" '$1 >= a && c0 == "" { c0=$2 } $1 <= b { c1=$2 } END { if (c0 != "" && c1 != "") print c1-c0 }' "$1"
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

report_run() {  # label start file_cold file_client load_before load_after up_ms [cpu_file jit_file]
  local s1 s2 f at
  s1="$(series "$3")"; s2="$(series "$4")"
  printf '%s: start->listening %s (load %s)\n' "$1" "$2" "$5"
  printf '  cold broker : %s\n                %s (load %s)\n' "$s1" "$(verdict "$s1")" "$6"
  f="$(first90 "$s1")"; at="$( (( f > 0 )) && line_ms "$3" "$f" || true)"
  if [[ -n "$at" ]]; then
    local c0; c0="$(awk '/starting consumer/ { print $1; exit }' "$3")"
    printf '  90%% at      : %.1f s from the port opening, %.1f s from the process launch (PerfTest started its consumer %.1f s after the port opened)\n' \
      "$(bc <<< "scale=3; ($at - $7) / 1000")" "$(bc <<< "scale=3; $at / 1000")" "$(bc <<< "scale=3; (${c0:-0} - $7) / 1000")"
    [[ ! -f "${8:-}" ]] || printf '                broker CPU from the port opening to then: %s ms\n' "$(cpu_between "$8" "$7" "$at")"
    echo "$1|$(bc <<< "scale=3; ($at - $7) / 1000")|$(bc <<< "scale=3; $at / 1000")" >> "$OUT/ninety.txt"
  else
    printf '  90%% at      : never\n'
    echo "$1|never|never" >> "$OUT/ninety.txt"
  fi
  set -- "$@" "" ""; shift 8
  [[ ! -f "${1:-}" ]] || printf '  jit         : %s (methods compiled per second from the listen on)\n' "$(jit_series "$1" | cut -d' ' -f1-"$(echo "$s1" | wc -w)")"
  printf '  warm broker, fresh client: %s (load %s)\n' "$s2" "$(load)"
}

port_open 127.0.0.1 "$PORT" && { echo "port $PORT is taken" >&2; exit 1; }
if [[ $BUILD == 1 ]]; then log "building Warren"; (cd "$HOME_DIR" && nice -n 19 mvn -q -B -ntp -DskipTests package >&2); fi
# bin/warren writes its class-data archive at the first start after a build: here, before any start is timed
if grep -q class-archive "$HOME_DIR/bin/warren"; then (cd "$HOME_DIR" && nice -n 19 bin/warren class-archive >&2); fi
{
  meta_head coldstart
  echo "warren      : $HOME_DIR ($(git -C "$HOME_DIR" rev-parse --short HEAD 2>/dev/null || echo '?')), JAVA_OPTS='${JAVA_OPTS:-}'"
  for v in ${VARIANTS[@]+"${VARIANTS[@]}"}; do echo "variant     : ${v%%:*}: JAVA_OPTS='${v#*:}'"; done
} | tee "$OUT/meta.txt"

warren_run() {  # round label java_opts
  local r=$1 label=$2 l0 l1 up upcpu started
  local f="warren${2:+-$2}-$1"   # file name stem of this run
  local JAVA_OPTS="$3"; export JAVA_OPTS
  DATA="$(mktemp -d -t warren-cold-XXXXXX)"
  l0="$(load)"
  T0=$(now_ms)
  (cd "$HOME_DIR" && WARREN_DATA_DIR="$DATA" WARREN_AMQP_PORT="$PORT" WARREN_HTTP_PORT="$HTTP" \
     exec nice -n 19 bin/warren > "$OUT/$f.log" 2>&1) &
  PID=$!
  wait_port "$PORT" 120 || { echo "Warren did not start; see $OUT/$f.log" >&2; exit 1; }
  up=$(( $(now_ms) - T0 ))
  upcpu=$(cpu_ms "$PID")
  nice -n 19 jstat -compiler "$PID" 1000 > "$OUT/jit-$f.txt" 2>/dev/null &
  JSTAT=$!
  cpu_sampler "$PID" > "$OUT/cpu-$f.txt" &
  SAMPLER=$!
  perftest "amqp://guest:guest@127.0.0.1:$PORT" "w$r" "$SECS" 2>&1 | stamp > "$OUT/cold-$f.txt" || true
  l1="$(load)"
  kill "$JSTAT" "$SAMPLER" 2>/dev/null || true; wait "$JSTAT" "$SAMPLER" 2>/dev/null || true
  perftest "amqp://guest:guest@127.0.0.1:$PORT" "w$r-again" 10 > "$OUT/client-$f.txt" 2>&1 || true
  started="$(grep -o 'Started [0-9]* ms after the JVM did, using [0-9]* ms of CPU time' "$OUT/$f.log" | head -1 || true)"
  report_run "warren${label:+ $label} run $r" "$up ms, CPU $upcpu ms when the port was seen open; log: ${started:-no start line}" \
    "$OUT/cold-$f.txt" "$OUT/client-$f.txt" "$l0" "$l1" "$up" "$OUT/cpu-$f.txt" "$OUT/jit-$f.txt" | tee -a "$OUT/summary.txt"
  stop
  sleep 2
}

rabbit_run() {  # round
  local r=$1 l0 l1 up
  RDIR="$(mktemp -d -t warren-cold-rabbit-XXXXXX)"
  l0="$(load)"
  T0=$(now_ms)
  rabbit start > "$OUT/rabbitmq-start-$r.log" 2>&1
  wait_port "$PORT" 120 || { echo "RabbitMQ did not start" >&2; exit 1; }
  up=$(( $(now_ms) - T0 ))
  local beam; beam="$(tr -dc '0-9' < "$RDIR/rabbitmq.pid" 2>/dev/null || true)"
  if [[ -n "$beam" ]]; then cpu_sampler "$beam" > "$OUT/cpu-rabbitmq-$r.txt" & SAMPLER=$!; else SAMPLER=""; fi
  perftest "amqp://guest:guest@127.0.0.1:$PORT" "r$r" "$SECS" 2>&1 | stamp > "$OUT/cold-rabbitmq-$r.txt" || true
  l1="$(load)"
  [[ -z "$SAMPLER" ]] || { kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true; }
  perftest "amqp://guest:guest@127.0.0.1:$PORT" "r$r-again" 10 > "$OUT/client-rabbitmq-$r.txt" 2>&1 || true
  report_run "rabbitmq run $r" "$up ms" "$OUT/cold-rabbitmq-$r.txt" "$OUT/client-rabbitmq-$r.txt" "$l0" "$l1" "$up" "$OUT/cpu-rabbitmq-$r.txt" \
    | tee -a "$OUT/summary.txt"
  stop
  sleep 2
}

# one round = Warren then (with --rabbitmq) RabbitMQ, so that both are measured in the same minutes
rounds=$RUNS; (( RABBIT == 0 || rounds > 0 )) || rounds=1
for r in $(seq 1 "$rounds"); do
  if (( RUNS > 0 )); then
    if (( ${#VARIANTS[@]} == 0 )); then warren_run "$r" "" "${JAVA_OPTS:-}"
    else for v in "${VARIANTS[@]}"; do warren_run "$r" "${v%%:*}" "${v#*:}"; done; fi
  fi
  (( RABBIT == 0 )) || rabbit_run "$r"
done

# seconds to 90% of the steady rate, per broker over the rounds: from the port opening / from the process launch
awk -F'|' '{ b=$1; sub(/ run [0-9]+$/, "", b); p[b]=p[b] " " $2; l[b]=l[b] " " $3 }
  END { for (b in p) printf "%-16s 90%% of steady: from the port opening%s s; from the process launch%s s\n", b, p[b], l[b] }' \
  "$OUT/ninety.txt" | sort -r | tee -a "$OUT/summary.txt"
echo "Raw output: $OUT/"
