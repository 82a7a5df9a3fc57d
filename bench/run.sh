#!/usr/bin/env bash
# Runs RabbitMQ PerfTest scenarios against Warren and RabbitMQ and prints a
# comparison table. See bench/README.md.
#
#   bench/run.sh [--warren-uri URI] [--rabbit-uri URI] [--seconds N]
#                [--only NAME[,NAME...]] [--all] [--warmup N] [--no-start-rabbit] [--list]
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=bench/common.sh
. "$BENCH_DIR/common.sh"

WARREN_URI="amqp://guest:guest@127.0.0.1:5672"
RABBIT_URI="amqp://guest:guest@127.0.0.1:${BENCH_RABBIT_PORT:-5673}"
SECONDS_PER_RUN=20
ONLY=""
ALL=0
START_RABBIT=1
WARMUP=2                                  # seconds ignored for "steady-state" figures
PAUSE="${BENCH_PAUSE:-2}"                  # seconds between PerfTest runs
JAVA_OPTS_PT="${BENCH_PERFTEST_JAVA_OPTS:--Xms512m -Xmx2g}"

# name | PerfTest flags | default? (1 = part of the default set, 0 = only with --only/--all)
# Queue (-u) flags are added per run: bench-q-<scenario>-<runid>-<broker>.
SCENARIOS=(
  "transient|-x 1 -y 1 -a -s 1000|1"
  "confirms-acks|-x 1 -y 1 -s 1000 -c 200 -q 200|1"
  "fanout5|-x 1 -y 5 -a -s 1000 -t fanout -e bench-fan|1"
  "latency1k|-x 1 -y 1 -a -s 1000 -r 1000|1"
  "1MB|-x 1 -y 1 -a -s 1000000|1"
  "persistent|-x 1 -y 1 -s 1000 -f persistent -c 200 -q 200 -ad false|0"
  "persistent-4x4|-x 4 -y 4 -s 1000 -f persistent -c 200 -q 200 -ad false|0"
)

usage() {
  sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
  echo
  echo "Scenarios (* = default set):"
  for s in "${SCENARIOS[@]}"; do
    IFS='|' read -r n f d <<< "$s"
    printf '  %s %-15s %s\n' "$([[ $d == 1 ]] && echo '*' || echo ' ')" "$n" "$f"
  done
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --warren-uri) WARREN_URI="$2"; shift 2 ;;
    --rabbit-uri) RABBIT_URI="$2"; shift 2 ;;
    --seconds) SECONDS_PER_RUN="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    --all) ALL=1; shift ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --no-start-rabbit) START_RABBIT=0; shift ;;
    --list|-l) usage; exit 0 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$SECONDS_PER_RUN" =~ ^[0-9]+$ && "$SECONDS_PER_RUN" -gt 0 ]] || { echo "--seconds must be a positive integer" >&2; exit 2; }
[[ "$WARMUP" =~ ^[0-9]+$ ]] || { echo "--warmup must be a non-negative integer" >&2; exit 2; }

# Selected scenarios
SELECTED=()
for s in "${SCENARIOS[@]}"; do
  IFS='|' read -r n f d <<< "$s"
  if [[ -n "$ONLY" ]]; then
    [[ ",$ONLY," == *",$n,"* ]] && SELECTED+=("$s")
  elif [[ $ALL == 1 || $d == 1 ]]; then
    SELECTED+=("$s")
  fi
done
if [[ ${#SELECTED[@]} -eq 0 ]]; then echo "no scenario matches --only '$ONLY'" >&2; usage >&2; exit 2; fi

# ---------------------------------------------------------------- prerequisites
need_jar 'perf-test-*.jar' "PerfTest not found in $LIB, fetching it"
find_brokers
new_run
RESULTS="$OUT/results.tsv"
printf 'scenario\tbroker\tsent_rate\trecv_rate\tcons_median\tcons_p99\tconf_median\tconf_p99\tlat_unit\texit\tsteady_recv_rate\tsteady_cons_median\tsteady_cons_p99\n' > "$RESULTS"

{
  meta_head
  echo "perftest    : $(ls "$LIB"/perf-test-*.jar | xargs -n1 basename)"
  meta_uris
  echo "seconds/run : $SECONDS_PER_RUN (steady-state figures skip the first $WARMUP s)"
} | tee "$OUT/meta.txt"
echo

# ---------------------------------------------------------------- running
run_one() {  # scenario flags broker uri
  local name="$1" flags="$2" broker="$3" uri="$4"
  local file="$OUT/$name-$broker.txt"
  local qflags=() cleanup=()
  if [[ "$name" == fanout* ]]; then
    # No -u: every consumer declares its own server-named, exclusive, auto-delete
    # queue bound to the fanout exchange, so each message is delivered 5 times.
    cleanup=("exchange:bench-fan")
  else
    local q="bench-q-$name-$RUN_ID-$broker"
    qflags=(-u "$q")
    cleanup=("queue:$q")
  fi
  # shellcheck disable=SC2206
  local args=(-h "$uri" $flags "${qflags[@]}" -z "$SECONDS_PER_RUN" -id "$name-$broker")
  echo "# java -cp 'bench/lib/*' com.rabbitmq.perf.PerfTest ${args[*]}" | sed -E 's#(://[^:/@]*:)[^@]*@#\1***@#' > "$file"
  log "$name on $broker: PerfTest $flags ${qflags[*]} -z $SECONDS_PER_RUN"
  local rc=0
  # shellcheck disable=SC2086
  timeout --kill-after=10 $((SECONDS_PER_RUN + 90)) \
    java $JAVA_OPTS_PT -cp "$LIB/*" com.rabbitmq.perf.PerfTest "${args[@]}" >> "$file" 2>&1 || rc=$?
  # Remove what this run left behind (durable/non-auto-delete queue, fanout exchange).
  timeout 60 java -cp "$LIB/*" "$BENCH_DIR/tools/Cleanup.java" "$uri" "${cleanup[@]}" > "$OUT/$name-$broker.cleanup.log" 2>&1 || true
  local p; p="$(parse_summary "$file")"
  read -r sent recv cmed cp99 fmed fp99 unit ssrecv sscmed sscp99 <<< "$p"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$broker" "$sent" "$recv" "$cmed" "$cp99" "$fmed" "$fp99" "$unit" "$rc" "$ssrecv" "$sscmed" "$sscp99" >> "$RESULTS"
  if [[ $rc != 0 ]]; then log "  PerfTest exited with $rc (see $file)"; fi
  local conf=""; [[ "$fmed" != "-" ]] && conf=", confirm $fmed/$fp99 $unit"
  log "  sent $sent msg/s, received $recv msg/s, consumer latency median/p99 $cmed/$cp99 $unit$conf"
}

first=1
for s in "${SELECTED[@]}"; do
  IFS='|' read -r name flags _ <<< "$s"
  for b in "${BROKERS[@]}"; do
    [[ $first == 1 ]] || sleep "$PAUSE"
    first=0
    if [[ $b == warren ]]; then run_one "$name" "$flags" warren "$WARREN_URI"; else run_one "$name" "$flags" rabbitmq "$RABBIT_URI"; fi
  done
done

# ---------------------------------------------------------------- report
report() {
  awk -F'\t' -v warmup="$WARMUP" '
    NR==1 { next }
    { key=$1; if (!(key in seen)) { seen[key]=1; order[++n]=key }
      S[key,$2]=$3; R[key,$2]=$4; CM[key,$2]=$5; CP[key,$2]=$6; FM[key,$2]=$7; FP[key,$2]=$8; U[key,$2]=$9
      SR[key,$2]=$11; SM[key,$2]=$12; SP[key,$2]=$13 }
    function ms(v, u) { if (v=="-" || v=="") return "-"; if (u=="us") return sprintf("%.2f", v/1000.0); return sprintf("%.2f", v) }
    function rate(k, b) { if (!((k,b) in R)) return "n/a"; if (R[k,b]=="-") return "FAILED"; return S[k,b] " / " R[k,b] }
    function lat(m, p, k, b) { if (!((k,b) in R)) return "n/a"; if (m=="-" || m=="") return "-"; return ms(m,U[k,b]) " / " ms(p,U[k,b]) }
    END {
      fmt="| %-15s | %-19s | %-19s | %-6s |\n"
      printf fmt, "scenario", "Warren msg/s", "RabbitMQ msg/s", "ratio"
      printf fmt, "", "(sent / received)", "(sent / received)", "W/R"
      printf "|-----------------|---------------------|---------------------|--------|\n"
      for (i=1;i<=n;i++) { k=order[i]
        ratio="-"
        if (((k,"warren") in R) && ((k,"rabbitmq") in R) && R[k,"warren"]!="-" && R[k,"rabbitmq"]+0>0)
          ratio=sprintf("%.2fx", R[k,"warren"]/R[k,"rabbitmq"])
        printf fmt, k, rate(k,"warren"), rate(k,"rabbitmq"), ratio
      }
      print "Rates are PerfTest whole-run averages; ratio = Warren received / RabbitMQ received (>1 = Warren faster)."
      print ""
      print "Latency in ms, median / p99. \"run\" = PerfTest whole-run summary; \"steady\" = mean of the"
      print "per-second median / p99 after the first " warmup " s; confirm = publish-to-confirm (only with -c)."
      fmt2="| %-15s | %-15s | %-15s | %-15s | %-15s | %-15s | %-15s |\n"
      printf fmt2, "scenario", "Warren run", "Rabbit run", "Warren steady", "Rabbit steady", "Warren confirm", "Rabbit confirm"
      printf "|-----------------|-----------------|-----------------|-----------------|-----------------|-----------------|-----------------|\n"
      for (i=1;i<=n;i++) { k=order[i]
        printf fmt2, k (k=="latency1k" ? " *" : ""),
          lat(CM[k,"warren"],CP[k,"warren"],k,"warren"), lat(CM[k,"rabbitmq"],CP[k,"rabbitmq"],k,"rabbitmq"),
          lat(SM[k,"warren"],SP[k,"warren"],k,"warren"), lat(SM[k,"rabbitmq"],SP[k,"rabbitmq"],k,"rabbitmq"),
          lat(FM[k,"warren"],FP[k,"warren"],k,"warren"), lat(FM[k,"rabbitmq"],FP[k,"rabbitmq"],k,"rabbitmq")
      }
      print "* latency1k is rate-limited (1000 msg/s), so its latency is the meaningful one; the other"
      print "  scenarios run producers flat out, so their latency mostly measures queue build-up."
    }' "$RESULTS"
}

echo
report | tee "$OUT/summary.txt"
echo
echo "Raw PerfTest output: $OUT/"
