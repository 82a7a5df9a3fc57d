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
