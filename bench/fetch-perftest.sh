#!/usr/bin/env bash
# Puts RabbitMQ PerfTest (com.rabbitmq:perf-test:2.22.1) plus its runtime
# dependencies into bench/lib/ so that
#     java -cp 'bench/lib/*' com.rabbitmq.perf.PerfTest --help
# works. Idempotent: does nothing if the jars are already there and PerfTest
# starts (pass --force to re-fetch).
#
# PerfTest's uber jar is not published with a classifier on Maven Central (it is
# only a GitHub release asset), so we resolve the plain jar + dependencies with
# `mvn dependency:copy-dependencies` on the throwaway bench/perftest-pom.xml.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LIB="$BENCH_DIR/lib"
VERSION="2.22.1"
JAR="$LIB/perf-test-$VERSION.jar"
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1

check() {
  java -cp "$LIB/*" com.rabbitmq.perf.PerfTest --help >/dev/null 2>&1
}

if [[ $FORCE -eq 0 && -f "$JAR" ]] && check; then
  echo "PerfTest $VERSION already present in $LIB"
  exit 0
fi

command -v mvn >/dev/null || { echo "mvn not found on PATH" >&2; exit 1; }
mkdir -p "$LIB"
# Remove stale perf-test jars of other versions so the classpath is unambiguous.
find "$LIB" -maxdepth 1 -name 'perf-test-*.jar' ! -name "perf-test-$VERSION.jar" -delete

echo "Resolving com.rabbitmq:perf-test:$VERSION and dependencies into $LIB ..."
mvn -B -q -f "$BENCH_DIR/perftest-pom.xml" \
  -Dperftest.version="$VERSION" \
  dependency:copy-dependencies \
  -DincludeScope=runtime \
  -DoutputDirectory="$LIB" \
  -DoverWriteReleases=false -DoverWriteSnapshots=false -DoverWriteIfNewer=true

if check; then
  echo "OK: java -cp '$LIB/*' com.rabbitmq.perf.PerfTest --help works ($(ls "$LIB"/*.jar | wc -l) jars)"
else
  echo "PerfTest does not start from $LIB" >&2
  java -cp "$LIB/*" com.rabbitmq.perf.PerfTest --help | head -20 >&2 || true
  exit 1
fi
