#!/usr/bin/env bash
# Runs the functional and server test suites of RabbitMQ's Java client (FunctionalTestSuite + ServerTestSuite: the
# classes that talk to a broker over AMQP only) against a broker already running on 127.0.0.1:PORT.
# A manual check, like the benchmarks: not part of `mvn verify`.
#
#   compat/java-client-suite.sh JAVA_CLIENT_SNAPSHOT CODEGEN_SNAPSHOT PORT [TEST_CLASSES]
#
# JAVA_CLIENT_SNAPSHOT, CODEGEN_SNAPSHOT: local copies of the rabbitmq-java-client and rabbitmq-codegen
#   repositories, either work trees or bare git directories (they are cloned into the work folder, never changed).
# PORT: the broker's AMQP port (guest/guest, vhost "/"). The broker should advertise version 3.10.8
#   (Warren: WARREN_ADVERTISED_VERSION=3.10.8 or -Dwarren.server.version=3.10.8): tests are selected by version.
# TEST_CLASSES: optional comma-separated test classes or suites (default FunctionalTestSuite,ServerTestSuite).
#
# Environment: WORK (work folder, default /tmp/warren-java-client-suite); RABBITMQCTL and NODENAME, the command the
# tests shell out to for operations (close connections, add users and vhosts, set permissions and policies...) and
# its -n node name: default this repository's bin/warrenctl with node warren@127.0.0.1, which takes the management
# API's port from WARREN_HTTP_PORT (default 15672); for a reference RabbitMQ its own rabbitmqctl and node name.
# JAVA_CLIENT_REF (git ref to test, default the snapshot's HEAD).
# Prints the per-class counts and the totals; the surefire XML reports stay in $WORK/client/target/failsafe-reports.
set -euo pipefail

if [ $# -lt 3 ]; then
  sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
CLIENT_SRC=$(cd "$1" && pwd)
CODEGEN_SRC=$(cd "$2" && pwd)
PORT=$3
CLASSES=${4:-FunctionalTestSuite,ServerTestSuite}
WORK=${WORK:-/tmp/warren-java-client-suite}
REPO=$(cd "$(dirname "$0")/.." && pwd)
NODENAME=${NODENAME:-warren@127.0.0.1}
RABBITMQCTL=${RABBITMQCTL:-$REPO/bin/warrenctl}
export WARREN_HTTP_PORT=${WARREN_HTTP_PORT:-15672}

case "$WORK" in
  "$(git -C "$(dirname "$0")" rev-parse --show-toplevel 2>/dev/null || echo /nonexistent)"*)
    echo "WORK must be outside the repository" >&2; exit 2 ;;
esac
if ! (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  echo "no broker listening on 127.0.0.1:$PORT" >&2
  exit 1
fi

# builds warrenctl now if needed, rather than inside the first test that calls it
"$RABBITMQCTL" --help >/dev/null 2>&1 || true

mkdir -p "$WORK"
rm -rf "$WORK/client" "$WORK/codegen"
git clone -q "$CLIENT_SRC" "$WORK/client"
git clone -q "$CODEGEN_SRC" "$WORK/codegen"
if [ -n "${JAVA_CLIENT_REF:-}" ]; then
  git -C "$WORK/client" checkout -q "$JAVA_CLIENT_REF"
fi
echo "java client $(git -C "$WORK/client" log -1 --format='%h %cs'), codegen $(git -C "$WORK/codegen" log -1 --format='%h %cs')"

# The client's default port comes from the generated AMQP.PROTOCOL.PORT: generating it with PORT makes every
# ConnectionFactory of the tests (TestUtils' and the ones they build themselves) connect to the broker under test.
python3 - "$WORK/codegen/amqp-rabbitmq-0.9.1.json" "$PORT" <<'PY'
import json, sys
path, port = sys.argv[1], int(sys.argv[2])
with open(path) as f:
    spec = json.load(f)
spec["port"] = port
with open(path, "w") as f:
    json.dump(spec, f, indent=2)
PY

# A few tests name port 5672 themselves (waiting for a restarted node, a list of addresses to recover to): they get
# PORT too, or they would wait for, or recover to, whatever listens on 5672.
sed -i "s/tryConnectFor(timeoutInMs, 5672)/tryConnectFor(timeoutInMs, $PORT)/" \
  "$WORK/client/src/test/java/com/rabbitmq/tools/Host.java"
sed -i "s/new Address(\"127.0.0.1\", 5672)/new Address(\"127.0.0.1\", $PORT)/" \
  "$WORK/client/src/test/java/com/rabbitmq/client/test/functional/ConnectionRecovery.java"

# Test dependencies that Maven Central does not serve here (tracing test kits) are dropped, with the one test class
# that needs them (it checks the client's micrometer observations, not the broker).
python3 - "$WORK/client/pom.xml" <<'PY'
import re, sys
path = sys.argv[1]
pom = open(path).read()
for artifact in ("micrometer-tracing-integration-test",):
    pom = re.sub(r"<dependency>\s*<groupId>[^<]*</groupId>\s*<artifactId>" + artifact
                 + r"</artifactId>.*?</dependency>", "", pom, flags=re.S)
open(path, "w").write(pom)
PY
grep -rl "io.micrometer.tracing" "$WORK/client/src/test/java" | while read -r f; do
  rm -f "$f"
  sed -i "/$(basename "$f" .java)\.class,/d" "$WORK"/client/src/test/java/com/rabbitmq/client/test/*/*Suite.java
done

cd "$WORK/client"
set +e
PYTHON_BIN=python3 mvn -B -ntp verify \
  -Dcodegen.dir="$WORK/codegen" \
  -Dit.test="$CLASSES" -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
  -Drabbitmqctl.bin="$RABBITMQCTL" -Dtest-broker.A.nodename="$NODENAME" -Dtest-broker.A.node_port="$PORT" \
  -Dmaven.javadoc.skip=true -Dspotless.check.skip=true -Dspotless.apply.skip=true \
  > "$WORK/mvn.log" 2>&1
status=$?
set -e

python3 - "$WORK/client/target/failsafe-reports" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
totals = dict(tests=0, failures=0, errors=0, skipped=0)
failed = []
for path in sorted(glob.glob(sys.argv[1] + "/TEST-*.xml")):
    suite = ET.parse(path).getroot()
    for case in suite.iter("testcase"):
        totals["tests"] += 1
        kind = next((c.tag for c in case if c.tag in ("failure", "error", "skipped")), None)
        if kind == "skipped":
            totals["skipped"] += 1
        elif kind:
            totals["failures" if kind == "failure" else "errors"] += 1
            node = case.find(kind)
            msg = (node.get("message") or node.get("type") or "").strip().splitlines()
            failed.append("%s.%s: %s" % (case.get("classname").split(".")[-1], case.get("name"),
                                        msg[0][:160] if msg else kind))
for line in failed:
    print("FAILED " + line)
run = totals["tests"] - totals["skipped"]
bad = totals["failures"] + totals["errors"]
print("tests run: %d, passed: %d, failed: %d, skipped: %d" % (run, run - bad, bad, totals["skipped"]))
print("%d passed, %d failed" % (run - bad, bad))
PY
echo "maven log: $WORK/mvn.log (maven exit status $status)"
