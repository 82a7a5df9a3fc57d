#!/usr/bin/env python3
"""Management API cost for one broker (Warren, or RabbitMQ with its management and prometheus plugins).

Run by bench/management.sh; see bench/README.md "Management API and metrics". Phases:
  listing  declares N queues over HTTP, then times GET /api/queues?page=P&page_size=500 (first, middle and last page),
           a name-filtered page, /api/overview with chart history, /metrics and /metrics/per-object, REPEAT times each,
           on an idle broker and again while a PerfTest flow runs;
  flow     transient throughput (PerfTest: 1 producer, 1 consumer, auto-ack, 1000-byte messages) in ROUNDS pairs of
           runs, alternately quiet and with the web UI's requests (the overview and queues pages open, refreshing
           every 2 s) plus a Prometheus scrape of /metrics every 1 s; for each run the broker's receive rate, its CPU
           time and context switches (all its threads, from /proc) per message;
  declare  only declares the N queues (for a flow phase among them without the listing);
  cleanup  deletes the queues.
Prints every figure and writes them as TSV to OUT/LABEL.tsv.
"""
import argparse
import base64
import concurrent.futures
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

CLK_TCK = os.sysconf("SC_CLK_TCK")


class Api:
    """One keep-alive HTTP connection with Basic auth (not thread-safe: one per thread)."""

    def __init__(self, base, user, password, timeout=120):
        u = urllib.parse.urlparse(base)
        self.host, self.port, self.timeout = u.hostname, u.port, timeout
        self.auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        self.conn = None

    def call(self, method, path, body=None):
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=None if body is None else json.dumps(body),
                                  headers={"Authorization": self.auth, "Content-Type": "application/json"})
                r = self.conn.getresponse()
                return r.status, r.read()
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise

    def timed_get(self, path):
        t = time.perf_counter()
        status, data = self.call("GET", path)
        return status, data, time.perf_counter() - t


def proc_counters(pid):
    """(cpu seconds, context switches) of every thread of the process, the machine's context switches, and the cpu
    seconds of Warren's management thread ("warren-http-*"; 0 for a broker without one)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime of the whole process
    switches = 0
    management = 0.0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/status") as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        switches += int(line.split()[1])
            with open(f"/proc/{pid}/task/{task}/stat") as f:
                name, rest = f.read().rsplit(")", 1)
                if name.split("(", 1)[1].startswith("warren-http"):
                    t = rest.split()
                    management += (int(t[11]) + int(t[12])) / CLK_TCK
        except FileNotFoundError:
            pass  # a thread that ended meanwhile
    with open("/proc/stat") as f:
        machine = next(int(line.split()[1]) for line in f if line.startswith("ctxt "))
    return cpu, switches, machine, management


def out(args, rows, *fields):
    rows.append("\t".join(str(x) for x in fields))


def declare(args, rows):
    names = [f"mgmt-bench-{i:05d}" for i in range(args.queues)]

    def work(chunk):
        api = Api(args.http, args.user, args.password)
        for n in chunk:
            s, d = api.call("PUT", f"/api/queues/%2F/{n}", {"durable": False, "auto_delete": False})
            if s not in (201, 204):
                raise SystemExit(f"PUT queue {n}: {s} {d[:200]!r}")

    t = time.time()
    chunks = [names[i::4] for i in range(4)]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        list(pool.map(work, chunks))
    took = time.time() - t
    print(f"declared {args.queues} queues over HTTP (4 connections) in {took:.1f} s")
    out(args, rows, "declare_seconds", f"{took:.1f}")


def listing(args, rows, phase):
    api = Api(args.http, args.user, args.password)
    metrics = Api(args.metrics, args.user, args.password)
    pages = max(1, (args.queues + 499) // 500)
    calls = [(f"GET /api/queues?page={p}&page_size=500", api, f"/api/queues?page={p}&page_size=500")
             for p in sorted({1, (pages + 1) // 2, pages})]
    calls += [("GET /api/queues?page=1&page_size=500&name=99", api, "/api/queues?page=1&page_size=500&name=99"),
              ("GET /api/overview (chart history)", api,
               "/api/overview?lengths_age=600&lengths_incr=5&msg_rates_age=600&msg_rates_incr=5"),
              ("GET /metrics", metrics, "/metrics"),
              ("GET /metrics/per-object", metrics, "/metrics/per-object")]
    print(f"--- listing, {phase} ({args.repeat} times each)")
    for label, conn, path in calls:
        times, size = [], 0
        s, d, cold = conn.timed_get(path)  # the first call of a path warms it up: shown, not averaged
        if s != 200:
            raise SystemExit(f"{path}: {s} {d[:200]!r}")
        for _ in range(args.repeat):
            s, d, e = conn.timed_get(path)
            if s != 200:
                raise SystemExit(f"{path}: {s} {d[:200]!r}")
            times.append(e)
            size = len(d)
        print(f"{label:46s} first {cold*1000:8.1f} ms  then best {min(times)*1000:8.1f} ms  mean "
              f"{statistics.mean(times)*1000:8.1f} ms  worst {max(times)*1000:8.1f} ms  {size/1024:6.0f} KiB")
        out(args, rows, "listing", phase, label, f"{cold*1000:.1f}", f"{min(times)*1000:.1f}",
            f"{statistics.mean(times)*1000:.1f}", f"{max(times)*1000:.1f}", size)


def perftest(args, seconds, queue):
    cmd = ["java", "-cp", os.path.join(args.lib, "*"), "com.rabbitmq.perf.PerfTest", "-h", args.amqp,
           "-x", "1", "-y", "1", "-a", "-s", "1000", "-u", queue, "-ad", "false", "-z", str(seconds)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def received(output):
    m = re.search(r"receiving rate avg: (\d+)", output)
    return int(m.group(1)) if m else None


class Poller(threading.Thread):
    """What an open web UI asks (the overview and queues pages, every 2 s) and a Prometheus scrape every 1 s."""

    def __init__(self, args):
        super().__init__(daemon=True)
        self.args, self.stop, self.requests, self.errors = args, threading.Event(), 0, 0

    def run(self):
        ui = Api(self.args.http, self.args.user, self.args.password, timeout=30)
        scrape = Api(self.args.metrics, self.args.user, self.args.password, timeout=30)
        ui.call("GET", "/api/overview?lengths_age=600&lengths_incr=5&msg_rates_age=600&msg_rates_incr=5")
        tick = 0
        while not self.stop.is_set():
            t = time.time()
            try:
                if tick % 2 == 0:
                    for path in ("/api/overview", "/api/queues?page=1&page_size=100&name=&use_regex=false"
                                 "&pagination=true", "/api/vhosts?columns=name"):
                        s, _ = ui.call("GET", path)
                        self.requests += 1
                        self.errors += s != 200
                s, _ = scrape.call("GET", "/metrics")
                self.requests += 1
                self.errors += s != 200
            except Exception:  # counted, the run goes on
                self.errors += 1
            tick += 1
            self.stop.wait(max(0.0, 1.0 - (time.time() - t)))


def flow(args, rows):
    results = {"quiet": [], "ui+scrape": []}
    print(f"--- transient throughput, {args.rounds} rounds of {args.seconds} s quiet / {args.seconds} s with the UI's "
          f"requests and a /metrics scrape every 1 s (broker pid {args.pid})")
    for r in range(args.rounds):
        for kind in ("quiet", "ui+scrape"):
            poller = Poller(args) if kind != "quiet" else None
            if poller:
                poller.start()
            before, t0 = proc_counters(args.pid), time.time()
            p = perftest(args, args.seconds, "mgmt-bench-flow")
            output = p.communicate()[0]
            after, t1 = proc_counters(args.pid), time.time()
            if poller:
                poller.stop.set()
                poller.join()
            with open(os.path.join(args.out, f"{args.label}-flow-{r}-{kind}.log"), "w") as f:
                f.write(output)
            rate = received(output)
            if not rate:
                print(f"round {r} {kind}: PerfTest gave no summary, see {args.out}")
                continue
            messages = rate * args.seconds
            cpu_us = (after[0] - before[0]) / messages * 1e6
            switches = (after[1] - before[1]) / messages
            machine = (after[2] - before[2]) / messages
            management_ms = (after[3] - before[3]) / (t1 - t0) * 1000  # ms of CPU per second of the run
            results[kind].append((rate, cpu_us, switches, machine, management_ms))
            extra = f", {poller.requests} HTTP requests ({poller.errors} failed)" if poller else ""
            own = f"  management thread {management_ms:5.1f} ms/s" if after[3] else ""
            print(f"round {r} {kind:9s} {rate:7d} msg/s  broker CPU {cpu_us:6.2f} us/msg  broker context switches "
                  f"{switches:6.3f}/msg  machine {machine:6.3f}/msg{own}  ({t1 - t0:.0f} s{extra}; load "
                  f"{os.getloadavg()[0]:.1f})")
            out(args, rows, "flow", r, kind, rate, f"{cpu_us:.2f}", f"{switches:.3f}", f"{machine:.3f}",
                f"{management_ms:.1f}", f"{os.getloadavg()[0]:.1f}")
            time.sleep(2)
    if results["quiet"] and results["ui+scrape"]:
        q = statistics.mean(x[0] for x in results["quiet"])
        p = statistics.mean(x[0] for x in results["ui+scrape"])
        cq = statistics.mean(x[1] for x in results["quiet"])
        cp = statistics.mean(x[1] for x in results["ui+scrape"])
        mq = statistics.mean(x[4] for x in results["quiet"])
        mp = statistics.mean(x[4] for x in results["ui+scrape"])
        own = f"; management thread {mq:.1f} -> {mp:.1f} ms of CPU per s" if mp else ""
        print(f"mean receive rate quiet {q:.0f} msg/s, with UI + scrape {p:.0f} msg/s: {100.0 * (p - q) / q:+.1f}% "
              f"(target: within 2%); broker CPU {cq:.2f} -> {cp:.2f} us/msg{own}")
        out(args, rows, "flow_summary", f"{q:.0f}", f"{p:.0f}", f"{100.0 * (p - q) / q:+.2f}", f"{cq:.2f}",
            f"{cp:.2f}")


def listing_under_load(args, rows):
    p = perftest(args, 900, "mgmt-bench-load")  # stopped as soon as the listing is done
    time.sleep(5)  # past its start-up
    listing(args, rows, "while PerfTest runs")
    p.terminate()
    output = p.communicate()[0]
    per_second = [int(x) for x in re.findall(r"received: (\d+) msg/s", output)]
    if per_second:
        print(f"(PerfTest meanwhile: {statistics.mean(per_second):.0f} msg/s received on average)")


def cleanup(args, listed):
    api = Api(args.http, args.user, args.password)
    if listed:
        for i in range(args.queues):
            api.call("DELETE", f"/api/queues/%2F/mgmt-bench-{i:05d}")
        print(f"deleted the {args.queues} queues")
    for q in ("mgmt-bench-flow", "mgmt-bench-load"):
        api.call("DELETE", f"/api/queues/%2F/{q}")


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--label", required=True)
    a.add_argument("--http", required=True)
    a.add_argument("--metrics", required=True)
    a.add_argument("--amqp", required=True)
    a.add_argument("--pid", type=int, required=True)
    a.add_argument("--user", default="guest")
    a.add_argument("--password", default="guest")
    a.add_argument("--queues", type=int, default=10000)
    a.add_argument("--repeat", type=int, default=5)
    a.add_argument("--seconds", type=int, default=30)
    a.add_argument("--rounds", type=int, default=2)
    a.add_argument("--phases", default="listing,flow")
    a.add_argument("--lib", required=True)
    a.add_argument("--out", required=True)
    args = a.parse_args()
    rows = []
    phases = set(args.phases.split(","))
    try:
        if "listing" in phases or "declare" in phases:
            declare(args, rows)
            time.sleep(6)  # a statistics interval (RabbitMQ refreshes its queue stats every 5 s)
        if "listing" in phases:
            listing(args, rows, "idle")
            listing_under_load(args, rows)
        if "flow" in phases:
            flow(args, rows)
    finally:
        cleanup(args, "listing" in phases or "declare" in phases)
        with open(os.path.join(args.out, f"{args.label}.tsv"), "w") as f:
            f.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    sys.exit(main())
