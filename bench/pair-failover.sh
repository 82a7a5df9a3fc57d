#!/usr/bin/env bash
# Failover time of a local mirrored pair (haproxy/pair.sh): kills the primary with kill -9 ROUNDS times (default 20).
# Each round measures from the kill until a fresh client publishes with confirms through HAProxy again (so the figure
# includes that client's JVM start and connection, about half a second), then restarts the killed node, which rejoins
# as backup, and waits until both are in sync. Prints every round, then the median and the maximum.
#   bench/pair-failover.sh [ROUNDS]       (PAIR_PORT_BASE, default 20600; the pair's state in a temporary folder)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=${1:-20}
export PAIR_PORT_BASE=${PAIR_PORT_BASE:-20600}
BASE=$PAIR_PORT_BASE
dir="$(mktemp -d /tmp/warren-failover.XXXXXX)"
trap '"$here/haproxy/pair.sh" stop "$dir"' EXIT
"$here/haproxy/pair.sh" start "$dir" >&2
jar=("$here"/broker-server/target/broker-server-*.jar)
cp="${jar[0]}:$here/broker-server/target/probe-lib/*:$here/broker-server/target/lib/*"
probe() {
  java -Xmx64m -XX:TieredStopAtLevel=1 -Dlogback.configurationFile="$here/conf/logback.xml" -cp "$cp" \
    io.warren.server.tools.PublishProbe 127.0.0.1 "$BASE" > /dev/null 2>&1
}
status() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/ha/primary" || true; }
primary() {
  if [ "$(status $((BASE + 11)))" = 200 ]; then echo a; elif [ "$(status $((BASE + 12)))" = 200 ]; then echo b; fi
}
both_in_sync() { curl -s "http://127.0.0.1:$((BASE + ${1}))/ha/primary" | grep -q '"in_sync":\["a","b"\]'; }
times=()
for i in $(seq 1 "$rounds"); do
  for _ in $(seq 1 600); do
    p=$(primary)
    if [ -n "$p" ]; then
      off=$([ "$p" = a ] && echo 11 || echo 12)
      both_in_sync "$off" && break
    fi
    sleep 0.1
  done
  [ -n "$p" ] || { echo "no primary before round $i" >&2; exit 1; }
  t0=$(date +%s%N)
  kill -9 "$(cat "$dir/$p.pid")"
  until probe; do sleep 0.05; done
  t1=$(date +%s%N)
  ms=$(( (t1 - t0) / 1000000 ))
  times+=("$ms")
  echo "round $i: killed primary $p, publishing with confirms again after $ms ms"
  "$here/haproxy/pair.sh" start-node "$dir" "$p"
done
sorted=($(printf '%s\n' "${times[@]}" | sort -n))
n=${#sorted[@]}
echo "failover over $n kill -9s of the primary: median ${sorted[$((n / 2))]} ms, max ${sorted[$((n - 1))]} ms"
