#!/usr/bin/env bash
# Persistent, confirmed publishing with manual-ack consumers (PerfTest 2.22.1) against, one at a time and each alone
# on the machine: the mirrored pair through HAProxy (haproxy/pair.sh), a single Warren node, and RabbitMQ 3.10.8
# (bench/rabbitmq.sh). Each gets the same warm-up run, then the measured run; the brokers get the same JVM options.
# Prints each run's sending and receiving rates and confirm latency, with the load average before and after, and for
# the measured run the CPU time and context switches per message received of every broker process (each pair member,
# HAProxy; context switches of the threads alive at the end), of PerfTest's own JVM, and of the whole machine, with its
# idle share: on a 2-core machine the pair, its HAProxy and PerfTest share two cores, and these say where they went.
#   bench/pair-throughput.sh [--seconds N] [--warmup N] [--only pair,single,rabbitmq] [--flags "PERFTEST FLAGS"]
# Ports: the pair from PAIR_PORT_BASE (default 25700); the single node AMQP BENCH_SINGLE_PORT (default 20620) and
# HTTP +1; RabbitMQ BENCH_RABBIT_PORT (default 25729), distribution port BENCH_RABBIT_DIST_PORT (default 25728).
# Run it niced like anything else on a shared machine: nice -n 19 bench/pair-throughput.sh (children inherit it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds=30
warmup=15
only="pair,single,rabbitmq"
flags="-x 2 -y 2 -s 1000 -f persistent -c 200 -q 200 -ad false"
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --flags) flags="$2"; shift 2 ;;
    *) sed -n '2,9p' "$0" >&2; exit 2 ;;
  esac
done
export PAIR_PORT_BASE=${PAIR_PORT_BASE:-25700}
# the members reach each other directly, as in a real deployment (PAIR_DIRECT_LINKS=0: through pair.sh's link proxies)
export PAIR_DIRECT_LINKS=${PAIR_DIRECT_LINKS:-1}
single=${BENCH_SINGLE_PORT:-20620}
export BENCH_RABBIT_PORT=${BENCH_RABBIT_PORT:-25729}
export BENCH_RABBIT_DIST_PORT=${BENCH_RABBIT_DIST_PORT:-25728}
export BENCH_RABBIT_NODENAME=${BENCH_RABBIT_NODENAME:-warrenpairbench@localhost}
jvm="${BENCH_BROKER_JAVA_OPTS:--Xms256m -Xmx1g}"
export PAIR_JAVA_OPTS="$jvm"
[ -n "$(ls "$here"/bench/lib/perf-test-*.jar 2>/dev/null)" ] || "$here/bench/fetch-perftest.sh"
work="$(mktemp -d /tmp/warren-pair-throughput.XXXXXX)"
running=""
single_pid=""
stop_running() {
  case "$running" in
    pair) "$here/haproxy/pair.sh" stop "$work/pair" || true ;;
    single) [ -n "$single_pid" ] && { kill "$single_pid" 2>/dev/null || true; wait "$single_pid" 2>/dev/null || true; } ;;
    rabbitmq) "$here/bench/rabbitmq.sh" stop || true ;;
  esac
  running=""
}
trap stop_running EXIT
jar=("$here"/broker-server/target/broker-server-*.jar)
[ -f "${jar[0]}" ] || { echo "build Warren first (mvn -B -ntp -DskipTests package)" >&2; exit 1; }

start_single() {
  mkdir -p "$work/single"
  cat > "$work/single/warren.conf" <<CONF
warren {
  amqp { bind-address = "127.0.0.1", port = $single }
  http { bind-address = "127.0.0.1", port = $((single + 1)) }
  data-dir = "$work/single/data"
}
CONF
  # shellcheck disable=SC2086
  java $jvm -Dlogback.configurationFile="$here/conf/logback.xml" -cp "${jar[0]}:$here/broker-server/target/lib/*" \
    io.warren.server.Main --config "$work/single/warren.conf" > "$work/single/warren.log" 2>&1 &
  single_pid=$!
  for _ in $(seq 1 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$single") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "single node did not start; see $work/single/warren.log" >&2
  exit 1
}

perftest() {  # label port seconds
  # The subshell reaps PerfTest's JVM, so its own children's CPU time (/proc stat fields 16-17) is that JVM's whole
  # run, its start included.
  (
    # shellcheck disable=SC2086
    timeout --kill-after=10 $(($3 + 120)) java -Xms256m -Xmx1g -cp "$here/bench/lib/*" com.rabbitmq.perf.PerfTest \
      -h "amqp://guest:guest@127.0.0.1:$2" $flags -u "pair-throughput-$1" -z "$3" -id "$1" > "$work/$1.txt" 2>&1 || true
    awk '{print $16+$17}' "/proc/$BASHPID/stat" > "$work/$1.client-ticks"
  )
}

tick=$(getconf CLK_TCK)
ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# "tid switches" (voluntary + involuntary) of each live thread of the process
switches() {
  for t in /proc/"$1"/task/*; do
    awk -v t="${t##*/}" '/^(voluntary|nonvoluntary)_ctxt_switches/ {n+=$2} END {print t, n+0}' "$t/status" 2>/dev/null || true
  done
}
# context switches between two snapshots: threads born meanwhile count from 0; those that ended are not counted
switched() { awk 'NR==FNR {b[$1]=$2; next} {n+=$2-b[$1]} END {print n+0}' "$1" "$2"; }
machine() { awk '/^cpu / {t=0; for (i=2;i<=NF;i++) t+=$i; print t, $5+$6} /^ctxt/ {print $2}' /proc/stat | paste -sd' '; }

# "name pid" lines of the processes serving the measured target
processes() {
  case "$1" in
    pair) for m in a b witness haproxy; do echo "$m $(cat "$work/pair/$m.pid")"; done ;;
    single) echo "warren $single_pid" ;;
    rabbitmq) echo "beam $(tr -dc '0-9' < "${BENCH_RABBIT_DIR:-${TMPDIR:-/tmp}/warren-bench-rabbitmq-$BENCH_RABBIT_PORT}/rabbitmq.pid")" ;;
  esac
}

# Runs the measured PerfTest with CPU and context switches sampled around it; prints them per message received.
measured() {  # target port
  local procs; procs="$(processes "$1")"
  local before; before="$(while read -r n p; do switches "$p" > "$work/$1.$n.cs0"; echo "$n $p $(ticks "$p")"; done <<< "$procs")"
  local m0; m0="$(machine)"
  perftest "$1" "$2" "$seconds"
  local m1; m1="$(machine)"
  local received; received=$(grep -o 'receiving rate avg: [0-9]*' "$work/$1.txt" | grep -o '[0-9]*$' || echo 0)
  local msgs=$(( ${received:-0} * seconds ))
  echo "   measured: $(summary "$work/$1.txt")"
  [ "$msgs" -gt 0 ] || return 0
  while read -r n p t0; do
    switches "$p" > "$work/$1.$n.cs1"
    awk -v n="$n" -v t=$(( $(ticks "$p") - t0 )) -v c="$(switched "$work/$1.$n.cs0" "$work/$1.$n.cs1")" -v m="$msgs" -v tk="$tick" -v s="$seconds" \
      'BEGIN { printf "   %-8s CPU %6.1f s (%3.0f%% of a core), %5.1f us/msg; context switches %5.2f/msg\n", n, t/tk, 100*t/tk/s, t/tk*1e6/m, c/m }'
  done <<< "$before"
  awk -v t="$(cat "$work/$1.client-ticks" 2>/dev/null || echo 0)" -v m="$msgs" -v tk="$tick" \
    'BEGIN { printf "   %-8s CPU %6.1f s (its whole run, JVM start included), %5.1f us/msg\n", "PerfTest", t/tk, t/tk*1e6/m }'
  read -r tt0 ti0 cs0 <<< "$m0"; read -r tt1 ti1 cs1 <<< "$m1"
  awk -v tt=$((tt1 - tt0)) -v ti=$((ti1 - ti0)) -v cs=$((cs1 - cs0)) -v m="$msgs" -v s="$seconds" \
    'BEGIN { printf "   machine  idle+iowait %.0f%%; context switches %.0f/s, %.2f/msg\n", (tt>0 ? 100*ti/tt : 0), cs/s, cs/m }'
}

summary() {  # file
  local s r c
  s=$(grep -o 'sending rate avg: [0-9]*' "$1" | grep -o '[0-9]*$' || echo -)
  r=$(grep -o 'receiving rate avg: [0-9]*' "$1" | grep -o '[0-9]*$' || echo -)
  c=$(grep 'confirm latency min/median' "$1" | tail -1 | awk '{print $(NF-1), $NF}' || echo -)
  echo "sent ${s:--} msg/s, received ${r:--} msg/s, confirm latency min/median/75th/95th/99th ${c:--}"
}

echo "PerfTest $flags; warm-up ${warmup} s, measured ${seconds} s; broker JVM options: $jvm; $(nproc) cores"
for target in pair single rabbitmq; do
  [[ ",$only," == *",$target,"* ]] || continue
  echo "== $target: load average before start $(cut -d' ' -f1-3 /proc/loadavg)"
  case "$target" in
    pair) "$here/haproxy/pair.sh" start "$work/pair" >&2; port=$PAIR_PORT_BASE ;;
    single) start_single; port=$single ;;
    rabbitmq) "$here/bench/rabbitmq.sh" start; port=$BENCH_RABBIT_PORT ;;
  esac
  running=$target
  perftest "$target-warmup" "$port" "$warmup"
  echo "   warm-up:  $(summary "$work/$target-warmup.txt")"
  echo "   load average before the measured run $(cut -d' ' -f1-3 /proc/loadavg)"
  measured "$target" "$port"
  echo "   load average after $(cut -d' ' -f1-3 /proc/loadavg)"
  stop_running
done
echo "raw PerfTest output in $work"
