#!/usr/bin/env bash
# The hot-path table: Warren and RabbitMQ from a cold start, one broker alive at a time, the same
# warm-up and the same PerfTest scenarios, with the broker process's CPU time and context switches
# per message next to throughput and latency.
#
#   bench/hotpath.sh [--seconds N] [--warmup N] [--only a,b] [--brokers warren,rabbitmq]
#                    [--strace N] [--no-build] [--list]
#   BENCH_WARREN_HOME=DIR measures the Warren built in another checkout (e.g. the previous commit), for before/after.
#
# Warren is started as a new user would (bin/warren, default config) on a fresh data directory;
# RabbitMQ 3.10.8 from the Debian package through bench/rabbitmq.sh on a fresh state directory.
# Per scenario and broker it prints: PerfTest's rates and consumer latency, the broker's CPU
# time (user+system, all threads) per message, its context switches (voluntary + involuntary,
# all threads) per message, machine-wide context switches per second and the load average.
# With --strace N it also re-runs each scenario briefly with strace attached to every broker
# thread for N seconds and prints syscalls per message (strace slows the broker: those runs
# are only for the syscall count).
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
# shellcheck source=bench/common.sh
. "$BENCH_DIR/common.sh"

SECONDS_PER_RUN=15
WARMUP_RUN=10
WARMUP=2            # seconds skipped by parse_summary's steady figures
ONLY=""
BROKER_LIST="warren,rabbitmq"
STRACE_SECONDS=0
BUILD=1
REPORT_DIR=""
PAUSE="${BENCH_PAUSE:-2}"
JAVA_OPTS_PT="${BENCH_PERFTEST_JAVA_OPTS:--Xmx1g}"
WARREN_PORT="${BENCH_WARREN_PORT:-5672}"
WARREN_HTTP="${BENCH_WARREN_HTTP_PORT:-15672}"
RABBIT_PORT="${BENCH_RABBIT_PORT:-5673}"

# name | PerfTest flags (queue flags are added per run)
SCENARIOS=(
  "transient|-x 1 -y 1 -a -s 1000"
  "persistent|-x 1 -y 1 -s 1000 -f persistent -c 200 -q 200 -ad false"
  "fanout5|-x 1 -y 5 -a -s 1000 -t fanout"
  "conn40|-x 40 -y 40 -r 200 -s 100 -a"
  "1MB|-x 1 -y 1 -a -s 1000000"
  "publish-only|-x 1 -y 0 -s 1000"
)

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; echo; for s in "${SCENARIOS[@]}"; do echo "  ${s%%|*}: ${s#*|}"; done; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) SECONDS_PER_RUN="$2"; shift 2 ;;
    --warmup) WARMUP_RUN="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    --brokers) BROKER_LIST="$2"; shift 2 ;;
    --strace) STRACE_SECONDS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --report) REPORT_DIR="$2"; shift 2 ;;   # print the tables of an earlier run's output directory
    --list|-h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

if [[ -z "$REPORT_DIR" ]]; then
need_jar 'perf-test-*.jar' "PerfTest not found in $LIB, fetching it"
new_run
RESULTS="$OUT/results.tsv"
printf 'scenario\tbroker\tsent\trecv\tcons_med_us\tcons_p99_us\tconf_med_us\tmsgs\tcpu_s\tcpu_us_per_msg\tcs\tcs_per_msg\tsys_cs_per_s\tidle_pct\tload1\tsyscalls_per_msg\tclient_cpu_us_per_msg\n' > "$RESULTS"
{
  meta_head hotpath
  echo "perftest    : $(ls "$LIB"/perf-test-*.jar | xargs -n1 basename), $JAVA_OPTS_PT"
  echo "seconds/run : $SECONDS_PER_RUN after a ${WARMUP_RUN} s warm-up; brokers: $BROKER_LIST"
  echo "load before : $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/meta.txt"
fi

# ---------------------------------------------------------------- process figures
# CPU ticks (utime+stime of the whole process) and context switches summed over its live threads.
proc_cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
proc_cs() {
  cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^(voluntary|nonvoluntary)_ctxt_switches/ {s+=$2} END {print s+0}'
}
sys_cs() { awk '/^ctxt/ {print $2}' /proc/stat; }
sys_cpu() { awk '/^cpu / {t=0; for (i=2;i<=NF;i++) t+=$i; print t, $5}' /proc/stat; }  # total idle
TICK=$(getconf CLK_TCK)

# messages received (or, with no consumer, sent) in PerfTest's per-second lines for FROM < t <= TO
received_between() {
  awk -v a="$2" -v b="$3" '/ time [0-9.]+ s, / { t=""; r=""; x=""
      for (i=1;i<=NF;i++) { if ($i=="time") t=$(i+1); if ($i=="received:") { r=$(i+1); gsub(/[^0-9.]/,"",r) }
                            if ($i=="sent:") { x=$(i+1); gsub(/[^0-9.]/,"",x) } }
      if (t+0 > a && t+0 <= b+0.5) { s+=r; q+=x } } END { printf "%.0f", (s > 0 ? s : q) + 0 }' "$1"
}

# cold start: the warm-up run's received rate per second
cold_series() {
  awk '/ time [0-9.]+ s, / { for (i=1;i<=NF;i++) if ($i=="received:") { r=$(i+1); gsub(/[^0-9.]/,"",r); printf "%s%d", (n++ ? " " : ""), r/1000 } }' "$1"
}

perftest() {  # uri id seconds flags... (output to stdout)
  local uri="$1" id="$2" secs="$3"; shift 3
  # shellcheck disable=SC2086
  timeout --kill-after=10 $((secs + 90)) java $JAVA_OPTS_PT -cp "$LIB/*" com.rabbitmq.perf.PerfTest \
    -h "$uri" "$@" -z "$secs" -id "$id"
}

queue_flags() {  # scenario broker -> sets QFLAGS and CLEAN
  QFLAGS=(); CLEAN=()
  case "$1" in
    fanout5) QFLAGS=(-e "bench-fan-$RUN_ID"); CLEAN=("exchange:bench-fan-$RUN_ID") ;;
    conn40) QFLAGS=(--queue-pattern "bench-many-$RUN_ID-%d" --queue-pattern-from 1 --queue-pattern-to 40)
            for i in $(seq 1 40); do CLEAN+=("queue:bench-many-$RUN_ID-$i"); done ;;
    *) QFLAGS=(-u "bench-$1-$RUN_ID"); CLEAN=("queue:bench-$1-$RUN_ID") ;;
  esac
}

measure() {  # scenario flags broker uri pid
  local name="$1" flags="$2" broker="$3" uri="$4" pid="$5" file="$OUT/$1-$3.txt"
  queue_flags "$name" "$broker"
  local c0 cs0 s0 st0 si0 c1 cs1 s1 st1 si1 rc=0
  c0=$(proc_cpu_ticks "$pid"); cs0=$(proc_cs "$pid"); s0=$(sys_cs); read -r st0 si0 <<< "$(sys_cpu)"
  local t0; t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  # the subshell reaps PerfTest's JVM: its children's CPU time (stat fields 16-17) is that JVM's whole run
  (
    rc=0
    # shellcheck disable=SC2086
    perftest "$uri" "$name-$broker" "$SECONDS_PER_RUN" $flags "${QFLAGS[@]}" > "$file" 2>&1 || rc=$?
    awk '{print $16+$17}' "/proc/$BASHPID/stat" > "$file.client-ticks"
    exit $rc
  ) || rc=$?
  local t1; t1=$(date +%s.%N)
  c1=$(proc_cpu_ticks "$pid"); cs1=$(proc_cs "$pid"); s1=$(sys_cs); read -r st1 si1 <<< "$(sys_cpu)"
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  timeout 60 java -cp "$LIB/*" "$BENCH_DIR/tools/Cleanup.java" "$uri" "${CLEAN[@]}" > "$OUT/$name-$broker.cleanup.log" 2>&1 || true
  local p; p="$(parse_summary "$file")"
  local sent recv cmed cp99 fmed fp99 unit ssr ssm ssp
  read -r sent recv cmed cp99 fmed fp99 unit ssr ssm ssp <<< "$p"
  [[ "$recv" != "0" && "$recv" != "-" ]] || recv="$sent"   # publish-only: the rate is the publish rate
  local msgs; msgs=$(received_between "$file" 0 100000)
  local sysc="-"
  if [[ "$STRACE_SECONDS" != 0 ]]; then sysc=$(strace_run "$name" "$flags" "$broker" "$uri" "$pid"); fi
  awk -v n="$name" -v b="$broker" -v s="$sent" -v r="$recv" -v cm="$cmed" -v cp="$cp99" -v fm="$fmed" -v m="$msgs" \
      -v c=$((c1 - c0)) -v tk="$TICK" -v cs=$((cs1 - cs0)) -v scs=$((s1 - s0)) -v dt="$(echo "$t1 - $t0" | bc)" \
      -v tt=$((st1 - st0)) -v ti=$((si1 - si0)) -v load="$load" -v sc="$sysc" \
      -v ct="$(cat "$file.client-ticks" 2>/dev/null || echo 0)" 'BEGIN {
        cpu=c/tk; printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%.1f\t%.2f\t%d\t%.2f\t%.0f\t%.0f\t%s\t%s\t%.1f\n",
          n, b, s, r, cm, cp, fm, m, cpu, (m>0 ? cpu*1e6/m : 0), cs, (m>0 ? cs/m : 0), scs/dt,
          (tt>0 ? 100*ti/tt : 0), load, sc, (m>0 ? ct/tk*1e6/m : 0) }' >> "$RESULTS"
  [[ $rc == 0 ]] || log "  PerfTest exited with $rc (see $file)"
  log "$name on $broker: $(tail -1 "$RESULTS" | cut -f3-17 | tr '\t' ' ')"
}

# Re-runs the scenario for STRACE_SECONDS+4 s with strace -c attached to every thread of the
# broker from second 2 for STRACE_SECONDS; prints syscalls per received message in that window.
strace_run() {
  local name="$1" flags="$2" broker="$3" uri="$4" pid="$5" file="$OUT/$1-$3.strace-perftest.txt"
  queue_flags "$name" "$broker"
  # shellcheck disable=SC2086
  perftest "$uri" "$name-$broker-strace" $((STRACE_SECONDS + 4)) $flags "${QFLAGS[@]}" > "$file" 2>&1 &
  local ptpid=$!
  sleep 2
  local tids; tids=$(ls "/proc/$pid/task" | paste -sd, -)
  timeout --signal=INT "$STRACE_SECONDS" strace -c -f -p "$tids" -o "$OUT/$name-$broker.strace.txt" 2>/dev/null || true
  wait "$ptpid" || true
  timeout 60 java -cp "$LIB/*" "$BENCH_DIR/tools/Cleanup.java" "$uri" "${CLEAN[@]}" > /dev/null 2>&1 || true
  local calls msgs
  calls=$(awk '$NF=="total" {print $(NF-2)}' "$OUT/$name-$broker.strace.txt" 2>/dev/null || echo 0)
  msgs=$(received_between "$file" 2 $((2 + STRACE_SECONDS)))
  awk -v c="${calls:-0}" -v m="$msgs" 'BEGIN { if (m>0) printf "%.2f", c/m; else print "-" }'
}

run_broker() {  # broker uri pid
  log "warm-up on $1: ${WARMUP_RUN} s transient"
  perftest "$2" "warmup-$1" "$WARMUP_RUN" -x 1 -y 1 -a -s 1000 -u "bench-warmup-$RUN_ID" > "$OUT/warmup-$1.txt" 2>&1 || true
  timeout 60 java -cp "$LIB/*" "$BENCH_DIR/tools/Cleanup.java" "$2" "queue:bench-warmup-$RUN_ID" > /dev/null 2>&1 || true
  for s in "${SCENARIOS[@]}"; do
    local name="${s%%|*}" flags="${s#*|}"
    [[ -z "$ONLY" || ",$ONLY," == *",$name,"* ]] || continue
    sleep "$PAUSE"
    measure "$name" "$flags" "$1" "$2" "$3"
  done
}

# ---------------------------------------------------------------- report
report() {
{
  echo
  echo "load after  : $(cut -d' ' -f1-3 /proc/loadavg)"
  awk -F'\t' 'NR==1 {next}
    { k=$1; if (!(k in seen)) { seen[k]=1; order[++n]=k } R[k,$2]=$4; M[k,$2]=$5; P[k,$2]=$6; F[k,$2]=$7
      C[k,$2]=$10; X[k,$2]=$12; SC[k,$2]=$13; I[k,$2]=$14; L[k,$2]=$15; Y[k,$2]=$16; PT[k,$2]=$17 }
    function ms(v) { return (v=="-" || v=="") ? "-" : sprintf("%.2f", v/1000) }
    function g(a, k, b) { return ((k,b) in a) ? a[k,b] : "n/a" }
    END {
      f="| %-10s | %-8s | %9s | %7s | %17s | %11s | %8s | %9s | %8s | %6s | %5s | %11s |\n"
      printf f, "scenario", "broker", "recv/s", "ratio", "cons lat ms p50/p99", "CPU us/msg", "cs/msg", "sys cs/s", "sysc/msg", "idle%", "load", "client us/msg"
      print "|------------|----------|-----------|---------|-------------------|-------------|----------|-----------|----------|--------|-------|-------------|"
      for (i=1;i<=n;i++) { k=order[i]
        split("warren rabbitmq", bs, " ")
        for (j=1;j<=2;j++) { b=bs[j]; if (!((k,b) in R)) continue
          ratio = (b=="warren" && ((k,"rabbitmq") in R) && R[k,"rabbitmq"]+0>0) ? sprintf("%.2fx", R[k,"warren"]/R[k,"rabbitmq"]) : ""
          printf f, k, b, R[k,b], ratio, ms(M[k,b]) "/" ms(P[k,b]), C[k,b], X[k,b], SC[k,b], Y[k,b], I[k,b], L[k,b], PT[k,b] }
      }
      print "recv/s: PerfTest whole-run average of messages received (fanout5 counts each of the 5 copies;"
      print "        publish-only: messages published, into a queue with no consumer)."
      print "CPU us/msg, cs/msg: the broker process only (all threads), per message received."
      print "sys cs/s, idle%: the whole machine during the run (PerfTest included); load: 1-min load average at the end."
      print "client us/msg: the PerfTest JVM (its whole run, JVM start included), per message received."
    }' "$RESULTS"
  echo
  echo "Cold start: messages received per second (thousands) in the ${WARMUP_RUN} s warm-up right after the broker started,"
  echo "and the first second reaching 90% of the broker's transient average:"
  for b in warren rabbitmq; do
    [[ -f "$OUT/warmup-$b.txt" ]] || continue
    series="$(cold_series "$OUT/warmup-$b.txt")"
    avg=$(awk -F'\t' -v b="$b" '$1=="transient" && $2==b {print $4}' "$RESULTS")
    first=$(echo "$series" | awk -v avg="${avg:-0}" '{ for (i=1;i<=NF;i++) if (avg > 0 && $i*1000 >= 0.9*avg) { print i " s"; exit } print "not within the warm-up" }')
    printf '  %-8s %s  -> %s\n' "$b" "$series" "$first"
  done
} | tee "$OUT/summary.txt"
echo "Raw output: $OUT/"
}


if [[ -n "$REPORT_DIR" ]]; then OUT="$REPORT_DIR"; RESULTS="$OUT/results.tsv"; report; exit 0; fi

# ---------------------------------------------------------------- Warren
WARREN_PID=""; WARREN_DATA=""
stop_warren() {
  if [[ -n "$WARREN_PID" ]] && kill -0 "$WARREN_PID" 2>/dev/null; then
    kill "$WARREN_PID"; for _ in $(seq 1 100); do kill -0 "$WARREN_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$WARREN_PID" 2>/dev/null || true
  fi
  WARREN_PID=""
  [[ -z "$WARREN_DATA" ]] || rm -rf "$WARREN_DATA"
}
RABBIT_DIR=""
stop_all() { stop_warren; if [[ -n "$RABBIT_DIR" ]]; then BENCH_RABBIT_DIR="$RABBIT_DIR" BENCH_RABBIT_PORT="$RABBIT_PORT" "$BENCH_DIR/rabbitmq.sh" stop || true; rm -rf "$RABBIT_DIR"; RABBIT_DIR=""; fi; }
trap stop_all EXIT

wait_port() { local deadline=$((SECONDS + $2)); until port_open 127.0.0.1 "$1"; do (( SECONDS < deadline )) || return 1; sleep 0.2; done; }

if [[ ",$BROKER_LIST," == *",warren,"* ]]; then
  port_open 127.0.0.1 "$WARREN_PORT" && { echo "port $WARREN_PORT is taken: stop what listens there" >&2; exit 1; }
  if [[ $BUILD == 1 ]]; then log "building Warren"; (cd "$ROOT" && mvn -q -B -ntp -DskipTests package >&2); fi
  WARREN_DATA="$(mktemp -d -t warren-hotpath-XXXXXX)"
  # BENCH_WARREN_HOME: another checkout's build to measure instead of this one (for before/after comparisons)
  (cd "${BENCH_WARREN_HOME:-$ROOT}" && WARREN_DATA_DIR="$WARREN_DATA" WARREN_AMQP_PORT="$WARREN_PORT" \
     WARREN_HTTP_PORT="$WARREN_HTTP" exec bin/warren > "$OUT/warren.log" 2>&1) &
  WARREN_PID=$!
  wait_port "$WARREN_PORT" 120 || { echo "Warren did not start; see $OUT/warren.log" >&2; exit 1; }
  log "Warren up (pid $WARREN_PID)"
  run_broker warren "amqp://guest:guest@127.0.0.1:$WARREN_PORT" "$WARREN_PID"
  stop_warren
fi

# ---------------------------------------------------------------- RabbitMQ
if [[ ",$BROKER_LIST," == *",rabbitmq,"* ]]; then
  RABBIT_DIR="$(mktemp -d -t warren-hotpath-rabbit-XXXXXX)"
  BENCH_RABBIT_DIR="$RABBIT_DIR" BENCH_RABBIT_PORT="$RABBIT_PORT" "$BENCH_DIR/rabbitmq.sh" start
  RPID="$(tr -dc '0-9' < "$RABBIT_DIR/rabbitmq.pid")"
  run_broker rabbitmq "amqp://guest:guest@127.0.0.1:$RABBIT_PORT" "$RPID"
  stop_all
fi


report
