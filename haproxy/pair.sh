#!/usr/bin/env bash
# A local mirrored Warren pair behind HAProxy, loopback only, all state and logs under DIR.
#   haproxy/pair.sh start DIR                  witness, data nodes a and b, link proxies, HAProxy; exits 0 once a
#                                              client can publish with confirms through BASE, 1 after 180 s
#   haproxy/pair.sh start-node DIR a|b|witness start one member again on its existing data
#   haproxy/pair.sh isolate DIR a|b|witness    cut every link between that member and the other two (control plane
#                                              and replication, both ways); clients and HAProxy still reach it
#   haproxy/pair.sh heal DIR                   restore every link
#   haproxy/pair.sh stop DIR                   stop everything started, by PID
# Ports from PAIR_PORT_BASE (default 25670): HAProxy's AMQP front BASE; node a AMQP BASE+1, HTTP BASE+11;
# node b AMQP BASE+2, HTTP BASE+12; witness HTTP BASE+20; control plane BASE+21..23; replication BASE+24..25.
# HTTP is each member's management listener: GET /ha/primary (HAProxy's check), GET /api/ha (role, epoch, in-sync
# set, replication lag), /metrics, and the management API while that node is primary. DIR/a.pid, DIR/b.pid,
# DIR/witness.pid, DIR/haproxy.pid hold each member's own process id; DIR/links.pid the link proxies'. PAIR_CLASSPATH, when set, is used instead of building
# (it must hold the broker and the RabbitMQ Java client, as the test class path does). PAIR_JAVA_OPTS: the nodes' JVM options.
#
# Links: member s reaches member t by the name warren-t, which s's own hosts file (java -Djdk.net.hosts.file)
# resolves to 127.77.S.T, where a proxy for the link s->t listens and forwards to t; `isolate` cuts the proxies.
# PAIR_LEASE (e.g. 3s): warren.mirror.lease of every member instead of the default (2s).
# PAIR_ELECTION_MIN, PAIR_ELECTION_MAX (e.g. 500ms, 800ms): the Raft election timeouts of every member instead of the defaults.
# PAIR_CLOCK_RATE_a, _b, _witness: that member's clocks run this many times as fast as real time (libfaketime), e.g. 2.
# PAIR_DIRECT_LINKS=1 (for benchmarks): no link proxies, the members reach each other directly; `isolate` then fails.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE=${PAIR_PORT_BASE:-25670}
MEMBERS=(a b witness)
declare -A IDX=([a]=1 [b]=2 [witness]=3)
declare -A CONTROL=([a]=$((BASE + 21)) [b]=$((BASE + 22)) [witness]=$((BASE + 23)))
declare -A REPL=([a]=$((BASE + 24)) [b]=$((BASE + 25)))
declare -A AMQP=([a]=$((BASE + 1)) [b]=$((BASE + 2)))
declare -A HTTP=([a]=$((BASE + 11)) [b]=$((BASE + 12)) [witness]=$((BASE + 20)))

usage() {
  sed -n '2,9p' "$0" >&2
  exit 2
}

die() {
  echo "pair.sh: $*" >&2
  exit 1
}

build() {
  [ -n "${PAIR_CLASSPATH:-}" ] && return 0 # the caller (the fault suite) brings a built class path
  local jar=("$here"/broker-server/target/broker-server-*.jar)
  local newest
  newest=$(cd "$here" && find pom.xml */pom.xml */src/main conf -newer "${jar[0]}" -type f -print -quit 2>/dev/null || true)
  if [ ! -f "${jar[0]}" ] || [ ! -d "$here/broker-server/target/lib" ] || [ ! -d "$here/broker-server/target/probe-lib" ] \
      || [ -n "$newest" ]; then
    echo "Building Warren..." >&2
    (cd "$here" && mvn -q -B -ntp -DskipTests package >&2) # compiles the tests too: broker-server's tests need management's test jar
  fi
}

classpath() {
  if [ -n "${PAIR_CLASSPATH:-}" ]; then
    echo "$PAIR_CLASSPATH"
    return
  fi
  local jar=("$here"/broker-server/target/broker-server-*.jar)
  echo "${jar[0]}:$here/broker-server/target/lib/*"
}

alive() {
  local f="$1"
  [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null
}

write_config() {
  local dir="$1" m="$2"
  local peers="a = \"warren-a:${CONTROL[a]}\", b = \"warren-b:${CONTROL[b]}\", witness = \"warren-witness:${CONTROL[witness]}\""
  local repl="a = \"warren-a:${REPL[a]}\", b = \"warren-b:${REPL[b]}\""
  local amqp=${AMQP[$m]:-0} rbind=${REPL[$m]:-0}
  cat > "$dir/$m.conf" <<CONF
# written by haproxy/pair.sh
warren {
  amqp { bind-address = "127.0.0.1", port = $amqp }
  data-dir = "$dir/$m"
  http { bind-address = "127.0.0.1", port = ${HTTP[$m]} }
  mirror {
    enabled = true
    pair = "warren-pair-$BASE"
    node = "$m"
    data-nodes = ["a", "b"]
    witness = "witness"
    control-peers { $peers }
    control-bind = "127.0.0.1:${CONTROL[$m]}"
    replication-peers { $repl }
    replication-bind = "127.0.0.1:$rbind"${PAIR_LEASE:+
    lease = $PAIR_LEASE}${PAIR_ELECTION_MIN:+
    election-timeout-min = $PAIR_ELECTION_MIN}${PAIR_ELECTION_MAX:+
    election-timeout-max = $PAIR_ELECTION_MAX}
  }
}
CONF
  {
    echo "127.0.0.1 localhost"
    for t in "${MEMBERS[@]}"; do
      if [ "$t" = "$m" ] || [ "${PAIR_DIRECT_LINKS:-0}" = 1 ]; then
        echo "127.0.0.1 warren-$t"
      else
        echo "127.77.${IDX[$m]}.${IDX[$t]} warren-$t"
      fi
    done
  } > "$dir/hosts.$m"
}

start_member() {
  local dir="$1" m="$2"
  alive "$dir/$m.pid" && die "$m is already running (pid $(cat "$dir/$m.pid"))"
  local mode=() clock=()
  [ "$m" = witness ] && mode=(witness)
  local rate_var="PAIR_CLOCK_RATE_$m"
  if [ -n "${!rate_var:-}" ]; then
    # the member's clocks (wall and monotonic, sleeps and timed waits) run this many times as fast as real time
    local lib
    lib=$(ls /usr/lib/*/faketime/libfaketime.so.1 2>/dev/null | head -1)
    [ -n "$lib" ] || die "$rate_var needs libfaketime (Debian package libfaketime)"
    clock=(env LD_PRELOAD="$lib" FAKETIME="+0 x${!rate_var}")
  fi
  (
    cd "$dir"
    exec "${clock[@]}" java ${PAIR_JAVA_OPTS:--Xms32m -Xmx384m} -Djdk.net.hosts.file="$dir/hosts.$m" \
      -Dlogback.configurationFile="$here/conf/logback.xml" -cp "$(classpath)" io.warren.server.Main \
      "${mode[@]}" --config "$dir/$m.conf" >> "$dir/$m.log" 2>&1 < /dev/null
  ) &
  echo $! > "$dir/$m.pid"
}

start_links() {
  local dir="$1" links=()
  for s in "${MEMBERS[@]}"; do
    for t in "${MEMBERS[@]}"; do
      [ "$s" = "$t" ] && continue
      local ip="127.77.${IDX[$s]}.${IDX[$t]}"
      links+=("$s-$t=$ip:${CONTROL[$t]}>127.0.0.1:${CONTROL[$t]}")
      if [ -n "${REPL[$s]:-}" ] && [ -n "${REPL[$t]:-}" ]; then
        links+=("$s-$t=$ip:${REPL[$t]}>127.0.0.1:${REPL[$t]}")
      fi
    done
  done
  (exec java -Xms16m -Xmx64m -cp "$(classpath)" io.warren.server.tools.LinkProxies "$dir" "${links[@]}" \
    >> "$dir/links.log" 2>&1 < /dev/null) &
  echo $! > "$dir/links.pid"
}

start_haproxy() {
  local dir="$1"
  sed -e "s/@BASE@/$BASE/" -e "s/@A_AMQP@/${AMQP[a]}/" -e "s/@A_HTTP@/${HTTP[a]}/" \
      -e "s/@B_AMQP@/${AMQP[b]}/" -e "s/@B_HTTP@/${HTTP[b]}/" "$here/haproxy/haproxy.cfg.template" > "$dir/haproxy.cfg"
  (exec /usr/sbin/haproxy -db -f "$dir/haproxy.cfg" >> "$dir/haproxy.log" 2>&1 < /dev/null) &
  echo $! > "$dir/haproxy.pid"
}

probe() {
  local jar=("$here"/broker-server/target/broker-server-*.jar)
  local cp="${jar[0]}:$here/broker-server/target/probe-lib/*:$here/broker-server/target/lib/*"
  [ -n "${PAIR_CLASSPATH:-}" ] && cp="$PAIR_CLASSPATH"
  java -Xmx64m -Dlogback.configurationFile="$here/conf/logback.xml" -cp "$cp" \
    io.warren.server.tools.PublishProbe 127.0.0.1 "$BASE" >> "$1/probe.log" 2>&1
}

cmd_start() {
  local dir="$1"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  command -v /usr/sbin/haproxy >/dev/null || die "HAProxy is not installed (/usr/sbin/haproxy)"
  build
  rm -rf "$dir/cut"
  for m in "${MEMBERS[@]}"; do
    write_config "$dir" "$m"
  done
  [ "${PAIR_DIRECT_LINKS:-0}" = 1 ] || start_links "$dir"
  for m in witness a b; do
    start_member "$dir" "$m"
  done
  start_haproxy "$dir"
  local deadline=$((SECONDS + 180))
  while [ $SECONDS -lt $deadline ]; do
    if probe "$dir"; then
      echo "pair up: AMQP through HAProxy on 127.0.0.1:$BASE (DIR $dir)"
      exit 0
    fi
    sleep 1
  done
  echo "pair.sh: no confirmed publish through 127.0.0.1:$BASE after 180 s; see $dir/*.log" >&2
  exit 1
}

cmd_start_node() {
  local dir m="$2"
  dir="$(cd "$1" && pwd)"
  [ -n "${IDX[$m]:-}" ] || usage
  [ -f "$dir/$m.conf" ] || die "$dir/$m.conf missing: run 'pair.sh start $dir' first"
  build
  start_member "$dir" "$m"
}

cmd_isolate() {
  local dir="$1" m="$2"
  [ -n "${IDX[$m]:-}" ] || usage
  alive "$dir/links.pid" || die "no link proxies running in $dir (started with PAIR_DIRECT_LINKS=1?): cannot isolate"
  mkdir -p "$dir/cut"
  for o in "${MEMBERS[@]}"; do
    [ "$o" = "$m" ] && continue
    touch "$dir/cut/$m-$o" "$dir/cut/$o-$m"
  done
  sleep 0.2 # the proxies look every 50 ms
}

cmd_heal() {
  rm -rf "$1/cut"
  sleep 0.2
}

cmd_stop() {
  local dir="$1"
  for p in haproxy a b witness links; do
    if alive "$dir/$p.pid"; then
      kill "$(cat "$dir/$p.pid")" 2>/dev/null || true
    fi
  done
  for p in haproxy a b witness links; do
    local f="$dir/$p.pid"
    for _ in $(seq 1 100); do
      alive "$f" || break
      sleep 0.1
    done
    if alive "$f"; then
      kill -9 "$(cat "$f")" 2>/dev/null || true
    fi
  done
}

[ $# -ge 2 ] || usage
case "$1" in
  start) [ $# -eq 2 ] || usage; cmd_start "$2" ;;
  start-node) [ $# -eq 3 ] || usage; cmd_start_node "$2" "$3" ;;
  isolate) [ $# -eq 3 ] || usage; cmd_isolate "$2" "$3" ;;
  heal) [ $# -eq 2 ] || usage; cmd_heal "$2" ;;
  stop) [ $# -eq 2 ] || usage; cmd_stop "$2" ;;
  *) usage ;;
esac
