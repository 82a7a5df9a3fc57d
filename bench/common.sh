# Helpers shared by the bench scripts (run.sh, retry-loop.sh, delayed-lateness.sh): sourced, not run.
# The sourcing script sets BENCH_DIR first. (bench/lib/ is the directory of jars, hence this name.)

LIB="$BENCH_DIR/lib"

log() { echo "[$(basename "$0")] $*" >&2; }

uri_host() { local r="${1#*://}"; r="${r#*@}"; r="${r%%/*}"; r="${r%%\?*}"; echo "${r%%:*}"; }
uri_port() {
  local r="${1#*://}"; r="${r#*@}"; r="${r%%/*}"; r="${r%%\?*}"
  if [[ "$r" == *:* ]]; then echo "${r##*:}"; elif [[ "$1" == amqps://* ]]; then echo 5671; else echo 5672; fi
}
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
uri_up() { port_open "$(uri_host "$1")" "$(uri_port "$1")"; }
redact() { sed -E 's#(://[^:/@]*:)[^@]*@#\1***@#' <<< "$1"; }

# need_jar GLOB MESSAGE: fetch PerfTest and its dependencies (amqp-client among them) into $LIB unless GLOB matches.
need_jar() {
  if ! ls "$LIB"/$1 >/dev/null 2>&1; then
    log "$2"
    "$BENCH_DIR/fetch-perftest.sh"
  fi
}

# find_brokers: sets BROKERS to those of warren/rabbitmq that are up at $WARREN_URI/$RABBIT_URI, first starting the
# private RabbitMQ (bench/rabbitmq.sh) when $RABBIT_URI is local and down and $START_RABBIT is 1; that instance is
# stopped on exit. Exits 1 when neither is up.
STARTED_RABBIT=0
cleanup_rabbit() {
  if [[ $STARTED_RABBIT == 1 ]]; then
    log "stopping the RabbitMQ instance this run started"
    "$BENCH_DIR/rabbitmq.sh" stop || true
  fi
}
find_brokers() {
  trap cleanup_rabbit EXIT
  BROKERS=()
  if uri_up "$WARREN_URI"; then
    BROKERS+=("warren")
  else
    echo "Warren is not running at $(redact "$WARREN_URI") (port $(uri_port "$WARREN_URI") closed): running RabbitMQ only."
  fi
  if ! uri_up "$RABBIT_URI"; then
    local rh rp
    rh="$(uri_host "$RABBIT_URI")"; rp="$(uri_port "$RABBIT_URI")"
    if [[ $START_RABBIT == 1 && ( "$rh" == 127.0.0.1 || "$rh" == localhost ) ]]; then
      log "RabbitMQ not listening on $rh:$rp, starting the private instance (bench/rabbitmq.sh)"
      BENCH_RABBIT_PORT="$rp" "$BENCH_DIR/rabbitmq.sh" start
      STARTED_RABBIT=1
      export BENCH_RABBIT_PORT="$rp"   # so the EXIT trap stops the same instance
    fi
  fi
  if uri_up "$RABBIT_URI"; then
    BROKERS+=("rabbitmq")
  else
    echo "RabbitMQ is not reachable at $(redact "$RABBIT_URI")."
  fi
  [[ ${#BROKERS[@]} -gt 0 ]] || { echo "No broker to benchmark." >&2; exit 1; }
}

# new_run: sets RUN_ID and OUT (bench/out/RUN_ID, created).
new_run() {
  RUN_ID="$(date +%Y%m%d-%H%M%S)"
  OUT="$BENCH_DIR/out/$RUN_ID"
  mkdir -p "$OUT"
}

# meta_head [WHAT]: the first lines of meta.txt, the same for every bench.
meta_head() {
  echo "run id      : $RUN_ID${1:+ ($1)}"
  echo "date        : $(date -Is)"
  echo "host        : $(uname -srm), $(nproc) cores"
  echo "java        : $(java -version 2>&1 | head -1)"
}

# meta_uris: which of the two brokers were up (after find_brokers).
meta_uris() {
  echo "warren uri  : $(redact "$WARREN_URI") $([[ " ${BROKERS[*]} " == *" warren "* ]] && echo '(up)' || echo '(not running)')"
  echo "rabbit uri  : $(redact "$RABBIT_URI") $([[ " ${BROKERS[*]} " == *" rabbitmq "* ]] && echo '(up)' || echo '(not reachable)')"
}

# parse_summary FILE: PerfTest summary figures (uses $WARMUP, seconds skipped for the steady figures).
# PerfTest 2.22.1 prints at the end of a run (rates are whole-run averages):
#   id: test-..., sending rate avg: 10543 msg/s
#   id: test-..., receiving rate avg: 10543 msg/s
#   id: test-..., consumer latency min/median/75th/95th/99th 109/10067/33955/246000/249069 µs
#   id: test-..., confirm latency min/median/75th/95th/99th 80/2636/6535/13688/27725 µs   (only with -c)
parse_summary() {  # file -> "sent recv cmed cp99 fmed fp99 unit ss_recv ss_cmed ss_cp99" ('-' when absent)
  # Also derives "steady-state" figures from the per-second lines
  #   id: ..., time 3.001 s, sent: 1000 msg/s, received: 999 msg/s, min/median/75th/95th/99th consumer latency: 124/196/227/337/2135 µs
  # skipping the first $WARMUP seconds (JVM/connection warm-up dominates the
  # whole-run p99 of short runs): mean received rate, mean of the per-second
  # medians and mean of the per-second 99th percentiles (indicative only:
  # percentiles do not average exactly).
  awk -v warmup="$WARMUP" '
    function num(v) { gsub(/[^0-9.]/, "", v); return v }
    / time [0-9.]+ s, / {
      t=""; rr=""; lat=""
      for (i=1;i<=NF;i++) {
        if ($i=="time") t=$(i+1)
        if ($i=="received:") rr=num($(i+1))
        if ($i=="latency:" && $(i-1)=="consumer") lat=$(i+1)
      }
      if (t+0 > warmup && rr!="") {
        n++; rsum+=rr
        if (lat!="" && rr+0>0) { split(lat,l,"/"); ln++; msum+=l[2]; psum+=l[5] }
      }
    }
    /sending rate avg:/   { for (i=1;i<=NF;i++) if ($i=="avg:") s=$(i+1) }
    /receiving rate avg:/ { for (i=1;i<=NF;i++) if ($i=="avg:") r=$(i+1) }
    /consumer latency min\/median\/75th\/95th\/99th [0-9]/ { split($(NF-1),a,"/"); cm=a[2]; cp=a[5]; u=$NF }
    /confirm latency min\/median\/75th\/95th\/99th [0-9]/  { split($(NF-1),b,"/"); fm=b[2]; fp=b[5]; u=$NF }
    END {
      if (u=="\xc2\xb5s" || u=="us" || u ~ /s$/ && u!="ms") u="us";
      ssr=(n>0 ? sprintf("%.0f", rsum/n) : "-")
      ssm=(ln>0 ? sprintf("%.0f", msum/ln) : "-")
      ssp=(ln>0 ? sprintf("%.0f", psum/ln) : "-")
      printf "%s %s %s %s %s %s %s %s %s %s\n", (s==""?"-":s), (r==""?"-":r), (cm==""?"-":cm), (cp==""?"-":cp), (fm==""?"-":fm), (fp==""?"-":fp), (u==""?"-":u), ssr, ssm, ssp
    }' "$1"
}

