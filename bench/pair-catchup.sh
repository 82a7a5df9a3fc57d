#!/usr/bin/env bash
# Catch-up of a backup that missed COUNT messages (default 1,000,000 persistent 1000-byte messages), then promotion
# with that backlog, on a local mirrored pair (haproxy/pair.sh):
#   1. start the pair, kill -9 the backup, publish COUNT messages with confirms through HAProxy (PerfTest, no
#      consumer, one durable queue), so the primary confirms them alone;
#   2. restart the backup and time it until it is back in the in-sync set: from the restart, and from its
#      connection (GET /api/ha's replication lag on the primary, polled every 100 ms), in messages/s and MB/s;
#   3. kill -9 the primary: the backup (now holding the backlog) is promoted; its log says how long its broker took
#      to recover the backlog ("serving clients N ms after the promotion was committed"); the time from the kill to
#      its 200 on /ha/primary is printed too.
#   bench/pair-catchup.sh [COUNT]      (PAIR_PORT_BASE, default 25700; state in a temporary folder)
# Run it niced like anything else on a shared machine: nice -n 19 bench/pair-catchup.sh (children inherit it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count=${1:-1000000}
export PAIR_PORT_BASE=${PAIR_PORT_BASE:-25700}
# the members reach each other directly, as in a real deployment (PAIR_DIRECT_LINKS=0: through pair.sh's link proxies)
export PAIR_DIRECT_LINKS=${PAIR_DIRECT_LINKS:-1}
BASE=$PAIR_PORT_BASE
export PAIR_JAVA_OPTS="${BENCH_BROKER_JAVA_OPTS:--Xms256m -Xmx1g}"
[ -n "$(ls "$here"/bench/lib/perf-test-*.jar 2>/dev/null)" ] || "$here/bench/fetch-perftest.sh"
dir="$(mktemp -d /tmp/warren-catchup.XXXXXX)"
trap '"$here/haproxy/pair.sh" stop "$dir" || true' EXIT
http_of() { [ "$1" = a ] && echo $((BASE + 11)) || echo $((BASE + 12)); }
status() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(http_of "$1")/ha/primary" || true; }
ha() { curl -s "http://127.0.0.1:$(http_of "$1")/api/ha" || true; }
field() { python3 -c 'import json,sys
d=json.loads(sys.stdin.read() or "{}")
for k in sys.argv[1].split("."):
    d = d.get(k) if isinstance(d, dict) else None
print("" if d is None else d)' "$1"; }
now_ms() { date +%s%3N; }

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores); state in $dir"
"$here/haproxy/pair.sh" start "$dir" >&2
p=""
for _ in $(seq 1 1200); do
  if [ "$(status a)" = 200 ]; then p=a; elif [ "$(status b)" = 200 ]; then p=b; fi
  [ -n "$p" ] && [ "$(ha "$p" | field in_sync)" = "['a', 'b']" ] && break
  p=""; sleep 0.1
done
[ -n "$p" ] || { echo "no primary with both nodes in sync" >&2; exit 1; }
b=$([ "$p" = a ] && echo b || echo a)
kill -9 "$(cat "$dir/$b.pid")"
echo "killed backup $b; publishing $count persistent 1000-byte messages with confirms through HAProxy"
t0=$(now_ms)
timeout 3600 java -Xms256m -Xmx1g -cp "$here/bench/lib/*" com.rabbitmq.perf.PerfTest \
  -h "amqp://guest:guest@127.0.0.1:$BASE" -x 1 -y 0 -s 1000 -f persistent -c 500 -C "$count" -u catchup.q -ad false \
  > "$dir/publish.txt" 2>&1
t1=$(now_ms)
echo "published in $(( (t1 - t0) / 1000 )) s; primary's log: $(ha "$p" | field log.written_position) bytes written"
echo "load average before catch-up: $(cut -d' ' -f1-3 /proc/loadavg)"
"$here/haproxy/pair.sh" start-node "$dir" "$b"
t2=$(now_ms)
connected=""; lag_records=""; lag_bytes=""
while true; do
  doc=$(ha "$p")
  if [ -z "$connected" ] && [ "$(field backup.connected <<< "$doc")" = True ]; then
    connected=$(now_ms)
    lag_records=$(field replication_lag.records <<< "$doc")
    lag_bytes=$(field replication_lag.bytes <<< "$doc")
    echo "backup $b connected $(( connected - t2 )) ms after its restart, behind by $lag_records records, $lag_bytes bytes"
  fi
  [ -n "$connected" ] && [ "$(field in_sync <<< "$doc")" = "['a', 'b']" ] && break
  [ $(( $(now_ms) - t2 )) -gt 1800000 ] && { echo "backup not in sync after 30 min" >&2; exit 1; }
  sleep 0.1
done
t3=$(now_ms)
python3 - "$count" "$t2" "$connected" "$t3" "$lag_records" "$lag_bytes" <<'PY'
import sys
count, t2, tc, t3 = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
recs, nbytes = int(sys.argv[5] or 0), int(sys.argv[6] or 0)
stream = (t3 - tc) / 1000
total = (t3 - t2) / 1000
print(f"in sync {total:.1f} s after the restart, {stream:.1f} s after connecting")
print(f"catch-up rate (from connecting): {recs / stream:,.0f} records/s, {count / stream:,.0f} messages/s, "
      f"{nbytes / stream / 1e6:.1f} MB/s ({recs:,} records, {nbytes / 1e6:.1f} MB)")
PY
echo "load average after catch-up: $(cut -d' ' -f1-3 /proc/loadavg)"
sleep 2
echo "killing primary $p: $b is promoted with the backlog in its log"
t4=$(now_ms)
kill -9 "$(cat "$dir/$p.pid")"
until [ "$(status "$b")" = 200 ]; do
  [ $(( $(now_ms) - t4 )) -gt 600000 ] && { echo "$b not primary after 10 min" >&2; exit 1; }
  sleep 0.05
done
t5=$(now_ms)
echo "$b answers 200 on /ha/primary $(( t5 - t4 )) ms after the kill"
grep -h "serving clients" "$dir/$b.log" | tail -1
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
