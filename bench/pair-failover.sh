#!/usr/bin/env bash
# Failover of a local mirrored pair (haproxy/pair.sh) under load: bench/tools/FailoverLoad.java publishes with confirms
# (persistent, 2 producers, everything unconfirmed published again after a reconnect) and consumes with manual acks,
# all through HAProxy, while this script kills the primary with kill -9 ROUNDS times (default 20). Each round waits
# until both nodes are in sync and the load has run a few seconds, kills the primary, waits until the other node
# answers 200 on /ha/primary and confirms flow again, then restarts the killed node (it rejoins as backup).
# Prints, per round, the time from the kill to the publisher's next confirm; then the median and the maximum, and
# lost = confirmed but never consumed (must be 0). The machine's load average is printed before and after.
#   bench/pair-failover.sh [ROUNDS]       (PAIR_PORT_BASE, default 25700; the pair's state in a temporary folder)
#   PAIR_LEASE=3s bench/pair-failover.sh 10   runs the pair with another lease than the default 2 s (haproxy/pair.sh).
# Run it niced like anything else on a shared machine: nice -n 19 bench/pair-failover.sh (its children inherit it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=${1:-20}
export PAIR_PORT_BASE=${PAIR_PORT_BASE:-25700}
# the members reach each other directly, as in a real deployment (PAIR_DIRECT_LINKS=0: through pair.sh's link proxies)
export PAIR_DIRECT_LINKS=${PAIR_DIRECT_LINKS:-1}
BASE=$PAIR_PORT_BASE
[ -n "$(ls "$here"/bench/lib/amqp-client-*.jar 2>/dev/null)" ] || "$here/bench/fetch-perftest.sh"
dir="$(mktemp -d /tmp/warren-failover.XXXXXX)"
load_pid=""
cleanup() {
  [ -n "$load_pid" ] && kill "$load_pid" 2>/dev/null || true
  "$here/haproxy/pair.sh" stop "$dir" || true
}
trap cleanup EXIT
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores); state in $dir"
"$here/haproxy/pair.sh" start "$dir" >&2
status() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/ha/primary" || true; }
primary() {
  if [ "$(status $((BASE + 11)))" = 200 ]; then echo a; elif [ "$(status $((BASE + 12)))" = 200 ]; then echo b; fi
}
http_of() { [ "$1" = a ] && echo $((BASE + 11)) || echo $((BASE + 12)); }
both_in_sync() { curl -s "http://127.0.0.1:$(http_of "$1")/api/ha" | grep -q '"in_sync":\["a","b"\]'; }
confirmed() { cut -d' ' -f1 "$dir/progress" 2>/dev/null || echo 0; }
: > "$dir/kills"
# the checker keeps every confirmed and every consumed message id: about 250 bytes a message, 4 million in 20 quiet rounds
java -Xmx3g -cp "$here/bench/lib/*" "$here/bench/tools/FailoverLoad.java" 127.0.0.1 "$BASE" failover.q 2 \
  "$dir/kills" "$dir/STOP" "$dir/progress" > "$dir/load.out" 2> "$dir/load.err" &
load_pid=$!
until [ "$(confirmed)" -ge 1000 ] 2>/dev/null; do
  kill -0 "$load_pid" || { cat "$dir/load.err" >&2; exit 1; }
  sleep 0.5
done
for i in $(seq 1 "$rounds"); do
  p=""
  for _ in $(seq 1 1200); do
    p=$(primary)
    [ -n "$p" ] && both_in_sync "$p" && break
    p=""
    sleep 0.1
  done
  [ -n "$p" ] || { echo "round $i: no primary with both nodes in sync after 120 s" >&2; exit 1; }
  sleep 3
  other=$([ "$p" = a ] && echo b || echo a)
  date +%s%3N >> "$dir/kills"
  kill -9 "$(cat "$dir/$p.pid")"
  sleep 1 # the progress file lags: what it says now may still count confirms from before the kill
  before=$(confirmed)
  for _ in $(seq 1 1200); do
    [ "$(status "$(http_of "$other")")" = 200 ] && [ "$(confirmed)" -gt "$before" ] && break
    sleep 0.05
  done
  echo "round $i: killed primary $p; $other is primary, confirms flowing (confirmed so far: $(confirmed))"
  "$here/haproxy/pair.sh" start-node "$dir" "$p"
done
touch "$dir/STOP"
rc=0
wait "$load_pid" || rc=$?
load_pid=""
cat "$dir/load.out"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $rc
