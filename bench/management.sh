#!/usr/bin/env bash
# Management API and Prometheus cost, for Warren or RabbitMQ (with its management and prometheus plugins), one broker
# at a time on a quiet machine:
#   1. declares N queues (default 10,000) over HTTP, then times GET /api/queues?page=P&page_size=500 (every page,
#      REPEAT times), GET /api/overview, a /metrics scrape and a /metrics/per-object scrape;
#   2. measures transient throughput with PerfTest (1 producer, 1 consumer, auto-ack, SECONDS s) without, then with a
#      UI-like poller (overview with chart samples, the first queues page, /metrics) once a second, and prints the
#      difference;
#   3. deletes the queues again.
#
#   bench/management.sh --http http://127.0.0.1:15672 --amqp amqp://guest:guest@127.0.0.1:5672 [--metrics URL]
#                       [--queues 10000] [--seconds 30] [--repeat 3] [--user guest --password guest]
# --metrics is the base URL of /metrics (RabbitMQ serves it on its own port, 15692 by default; Warren on --http).
# Figures go to stdout; run it once against Warren and once against RabbitMQ 3.10.8 and compare.
set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$BENCH_DIR/common.sh"

HTTP=http://127.0.0.1:15672; AMQP=amqp://guest:guest@127.0.0.1:5672; METRICS=""; QUEUES=10000; SECONDS_RUN=30
REPEAT=3; USER=guest; PASS=guest
while [[ $# -gt 0 ]]; do
  case "$1" in
    --http) HTTP="$2"; shift 2 ;;
    --amqp) AMQP="$2"; shift 2 ;;
    --metrics) METRICS="$2"; shift 2 ;;
    --queues) QUEUES="$2"; shift 2 ;;
    --seconds) SECONDS_RUN="$2"; shift 2 ;;
    --repeat) REPEAT="$2"; shift 2 ;;
    --user) USER="$2"; shift 2 ;;
    --password) PASS="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 64 ;;
  esac
done
METRICS="${METRICS:-$HTTP}"
need_jar 'perf-test-*.jar' "PerfTest not found in $LIB, fetching it"
echo "machine: $(uptime)"

python3 - "$HTTP" "$METRICS" "$USER" "$PASS" "$QUEUES" "$REPEAT" <<'PY'
import base64, http.client, json, sys, time, urllib.parse
base, metrics, user, pw, n, repeat = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6])
auth = "Basic " + base64.b64encode(f"{user}:{pw}".encode()).decode()
def conn(url):
    u = urllib.parse.urlparse(url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=120)
c = conn(base)
def call(method, path, body=None, c=c):
    c.request(method, path, body=None if body is None else json.dumps(body),
              headers={"Authorization": auth, "Content-Type": "application/json"})
    r = c.getresponse(); data = r.read()
    return r.status, data
t0 = time.time()
for i in range(n):
    s, d = call("PUT", f"/api/queues/%2F/mgmt-bench-{i:05d}", {"durable": False, "auto_delete": False})
    if s not in (201, 204):
        sys.exit(f"PUT queue {i}: {s} {d[:200]}")
print(f"declared {n} queues over HTTP in {time.time() - t0:.1f} s")
time.sleep(6)  # let a statistics interval pass (RabbitMQ refreshes every 5 s)
def timed(label, path, c=c):
    best, worst, total, size = 1e9, 0, 0, 0
    for _ in range(repeat):
        t = time.time(); s, d = call("GET", path, c=c); e = time.time() - t
        if s != 200:
            sys.exit(f"{path}: {s} {d[:200]}")
        best, worst, total, size = min(best, e), max(worst, e), total + e, len(d)
    print(f"{label:42s} best {best*1000:8.1f} ms  mean {total/repeat*1000:8.1f} ms  worst {worst*1000:8.1f} ms  {size/1024:8.0f} KiB")
pages = (n + 499) // 500
for p in (1, pages // 2 or 1, pages):
    timed(f"GET /api/queues?page={p}&page_size=500", f"/api/queues?page={p}&page_size=500")
timed("GET /api/queues?page=1&page_size=500&name=99", "/api/queues?page=1&page_size=500&name=99")
timed("GET /api/overview", "/api/overview?lengths_age=600&lengths_incr=5&msg_rates_age=600&msg_rates_incr=5")
m = conn(metrics)
timed("GET /metrics", "/metrics", c=m)
timed("GET /metrics/per-object", "/metrics/per-object", c=m)
PY

perftest() {  # $1 = label
  java -cp "$LIB/*" com.rabbitmq.perf.PerfTest -h "$AMQP" -x 1 -y 1 -a -s 1000 -u mgmt-bench-flow -ad false \
    -z "$SECONDS_RUN" 2>&1 | tee "/tmp/mgmt-bench-$1.log" | grep -E "sending rate avg|receiving rate avg" || true
}
echo "--- transient throughput without polling"
perftest quiet
echo "--- transient throughput with a UI-like poller once a second"
python3 - "$HTTP" "$METRICS" "$USER" "$PASS" "$SECONDS_RUN" <<'PY' &
import base64, http.client, sys, time, urllib.parse
base, metrics, user, pw, secs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
auth = {"Authorization": "Basic " + base64.b64encode(f"{user}:{pw}".encode()).decode()}
def get(url, path):
    u = urllib.parse.urlparse(url); c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    c.request("GET", path, headers=auth); c.getresponse().read(); c.close()
end = time.time() + secs + 5
while time.time() < end:
    t = time.time()
    get(base, "/api/overview?lengths_age=60&lengths_incr=5&msg_rates_age=60&msg_rates_incr=5")
    get(base, "/api/queues?page=1&page_size=100")
    get(metrics, "/metrics")
    time.sleep(max(0, 1 - (time.time() - t)))
PY
poller=$!
perftest polled
kill "$poller" 2>/dev/null || true
wait "$poller" 2>/dev/null || true
python3 - <<'PY'
import re
def rate(f):
    m = re.search(r"receiving rate avg: (\d+)", open(f).read()); return int(m.group(1)) if m else None
q, p = rate("/tmp/mgmt-bench-quiet.log"), rate("/tmp/mgmt-bench-polled.log")
if q and p:
    print(f"receive rate without polling {q} msg/s, with polling {p} msg/s: {100.0 * (p - q) / q:+.1f}%")
PY

echo "--- deleting the queues"
python3 - "$HTTP" "$USER" "$PASS" "$QUEUES" <<'PY'
import base64, http.client, sys, urllib.parse
base, user, pw, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
u = urllib.parse.urlparse(base); c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
h = {"Authorization": "Basic " + base64.b64encode(f"{user}:{pw}".encode()).decode()}
for i in range(n):
    c.request("DELETE", f"/api/queues/%2F/mgmt-bench-{i:05d}", headers=h); c.getresponse().read()
c.request("DELETE", "/api/queues/%2F/mgmt-bench-flow", headers=h); c.getresponse().read()
PY
echo "machine: $(uptime)"
