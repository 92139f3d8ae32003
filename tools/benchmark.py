#!/usr/bin/env python3
"""The benchmark (`make bench`): ingest and HTTP speed, each figure beside a baseline measured in the
same run, because this machine is shared and noisy.

  Ingest  frames-ingest against `psql \\copy` of the same rows (CSV text: depth + the 200 values) into a
          plain table `depth float8, col1 .. col200 smallint` with no index, emptied before each copy;
          then re-ingests of the large file with 1 % of its rows changed and unchanged.
  HTTP    wrk through nginx's direct loopback port (past the response cache), without Accept-Encoding
          (gzip is a separate row), against the pool's /health and against nginx sending the same
          response bytes from a file (/static-baseline/). Every response must be a 200.
  Cache   the app's 304 to a revalidation (If-None-Match) against /health, and a repeated query
          answered from nginx's response cache against nginx sending its bytes from a file.
  Auth    the 100-frame query with FRAMES_AUTH=required and a key against the same query in a pool with
          auth off, runs alternating; and 10,000 malformed tokens, counting the statements PostgreSQL
          logs for the pool's sessions (log_statement=all on their connections only).

Starts its own PostgreSQL, pool, nginx and node_exporter in a scratch folder (tools/stack/) and stops
them by PID. Prints a Markdown section and writes it to .run/benchmark.md, in the shape of the "Latest run"
section of docs/BENCHMARKS.md: recording a run is pasting it there. Needs `make build` first.
"""
import argparse
import contextlib
import datetime
import json
import os
import platform
import random
import re
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import stack  # noqa: E402

SHARED_CSV = stack.REPO.parent / "shared" / "data" / "img_standin.csv"
SAMPLE_ROWS = 5460
REPORT = stack.REPO / ".run" / "benchmark.md"
NPROC = len(os.sched_getaffinity(0))
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
COPY_TABLE = "bench_copy"
GNU_TIME = Path("/usr/bin/time")

# wrk's summary as one JSON line (latencies in microseconds), so nothing is parsed out of its prose.
WRK_SUMMARY_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('wrk-summary {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p99_us":%d,'
    .. '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin-dir", type=Path, help="where frames-fcgi and frames-ingest are "
                        "(default: swift build -c release --show-bin-path)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of the small ingest and its baseline")
    parser.add_argument("--large-rows", type=int, default=500_000, help="rows of the generated large file")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    return parser.parse_args()


def progress(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def run_measured(argv, env=None, timeout=600):
    """Runs argv to completion: (wall seconds, its rusage, stdout). Killed after `timeout`; fails on a
    non-zero exit. os.wait4 gives this one child's CPU time (RUSAGE_CHILDREN would sum all of them)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        killer = threading.Timer(timeout, process.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.monotonic() - started
            process.returncode = os.waitstatus_to_exitcode(status)
        except BaseException:
            process.kill()
            process.wait()
            raise
        finally:
            killer.cancel()
        out.seek(0)
        err.seek(0)
        output = out.read().decode(errors="replace")
        if process.returncode != 0:
            raise RuntimeError(f"{shlex.join(map(str, argv))} exited with {process.returncode}:\n"
                               f"{output}{err.read().decode(errors='replace')}")
    return seconds, usage, output


def median_seconds(argv, runs, env=None, before_each=None):
    def once():
        if before_each:
            before_each()
        return run_measured(argv, env)[0]
    once()  # untimed: warms the page cache, and makes every timed ingest a re-ingest
    return statistics.median(once() for _ in range(runs))


def with_peak_rss(argv, report):
    """argv under GNU time, which writes the command's peak RSS (KiB) to `report`. Our own wait4 would
    not do: a child forked from this Python process inherits its RSS as the starting high-water mark."""
    return [str(GNU_TIME), "-f", "%M", "-o", str(report), *argv] if GNU_TIME.exists() else argv


def peak_rss(report):
    if not report.exists():
        return "n/a (needs /usr/bin/time: apt-get install time)", None
    megabytes = int(report.read_text().split()[-1]) * 1024 / 1e6
    return f"{megabytes:.1f} MB", megabytes


def met(ok):
    return "yes" if ok else "**no**"


# ---------------------------------------------------------------------------------------------------
# Ingest: frames-ingest against psql \copy of the same rows.

class Ingest:
    def __init__(self, bin_dir, postgres, scratch):
        self.binary = str(bin_dir / "frames-ingest")
        self.postgres = postgres
        self.scratch = scratch
        self.env = stack.base_environment({"FRAMES_METRICS_DIR": scratch / "metrics"})
        (scratch / "metrics").mkdir(exist_ok=True)
        columns = ", ".join(f"col{i} smallint" for i in range(1, 201))
        postgres.psql(f"CREATE TABLE {COPY_TABLE} (depth float8, {columns})")

    def argv(self, csv, dataset):
        return [self.binary, "--database", self.postgres.conninfo, "--dataset", dataset, str(csv)]

    def copy_argv(self, csv):
        pg = self.postgres
        return ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", str(pg.sockets), "-p", str(pg.port),
                "-U", "postgres", "-d", "frames",
                "-c", f"\\copy {COPY_TABLE} FROM '{csv}' WITH (FORMAT csv, HEADER true)"]

    def empty_copy_table(self):
        self.postgres.psql(f"TRUNCATE {COPY_TABLE}")

    def generate(self, rows, name):
        path = self.scratch / name
        seconds = run_measured([self.binary, "--generate-sample", str(path), "--rows", str(rows)])[0]
        return path, seconds

    def valid_rows(self, csv):
        """A copy of `csv` with the rows frames-ingest loads (the header, then every row without an
        empty cell), for \\copy; returns (path, row count)."""
        path, count = self.scratch / f"copy-{csv.name}", 0
        with open(csv, "rb") as source, open(path, "wb") as target:
            target.write(source.readline())
            for line in source:
                cells = line.rstrip(b"\r\n")
                if cells and b",," not in cells and not cells.startswith(b",") and not cells.endswith(b","):
                    target.write(line)
                    count += 1
        return path, count

    def check_counts(self, dataset, rows):
        """Both sides must have loaded the same rows, or the comparison means nothing."""
        loaded = int(self.postgres.psql(f"SELECT frame_count FROM datasets WHERE name = '{dataset}'"))
        copied = int(self.postgres.psql(f"SELECT count(*) FROM {COPY_TABLE}"))
        if loaded != rows or copied != rows:
            raise RuntimeError(f"{dataset}: frames-ingest loaded {loaded} rows, \\copy {copied}, expected {rows}")


def measure_small_ingest(ingest, csv, dataset, runs):
    """Wall time of re-ingesting `csv` into one dataset, and of \\copy of the same rows: medians."""
    copy_csv, rows = ingest.valid_rows(csv)
    progress(f"ingest: {rows:,} rows of {csv.name}, {runs} re-ingests and {runs} \\copy runs")
    seconds = median_seconds(ingest.argv(csv, dataset), runs, ingest.env)
    baseline = median_seconds(ingest.copy_argv(copy_csv), runs, before_each=ingest.empty_copy_table)
    ingest.check_counts(dataset, rows)
    return [[f"{rows:,} rows ({csv.name}): wall time, median of {runs}", f"{seconds:.3f} s",
             f"{baseline:.3f} s", f"{seconds / baseline:.2f}", "≤ 0.3 s", met(seconds <= 0.3)]]


def measure_large_ingest(ingest, rows):
    """Rows/s and peak RSS of one ingest of a generated file into a new dataset, and one \\copy."""
    progress(f"ingest: generating {rows:,} rows")
    csv, generated = ingest.generate(rows, f"generated_{rows}.csv")
    copy_csv, valid = ingest.valid_rows(csv)
    progress(f"ingest: {valid:,} rows, one ingest and one \\copy")
    ingest_rss, copy_rss = ingest.scratch / "ingest.rss", ingest.scratch / "copy.rss"
    seconds = run_measured(with_peak_rss(ingest.argv(csv, csv.stem), ingest_rss), ingest.env, timeout=900)[0]
    ingest.empty_copy_table()
    baseline = run_measured(with_peak_rss(ingest.copy_argv(copy_csv), copy_rss), timeout=900)[0]
    ingest.check_counts(csv.stem, valid)
    reingest_rows = measure_reingest(ingest, csv, valid, seconds, baseline)
    for path in (csv, copy_csv):
        path.unlink()
    rate, copy_rate = valid / seconds, valid / baseline
    (rss_text, rss), (copy_rss_text, _) = peak_rss(ingest_rss), peak_rss(copy_rss)
    rows_out = [
        [f"{valid:,} generated rows: throughput", f"{rate:,.0f} rows/s ({seconds:.1f} s)",
         f"{copy_rate:,.0f} rows/s ({baseline:.1f} s)", f"{seconds / baseline:.2f}", "≥ 100,000 rows/s",
         met(rate >= 100_000)],
        [f"{valid:,} generated rows: peak RSS", rss_text, f"{copy_rss_text} (the psql client)", "—", "≤ 64 MB",
         met(rss <= 64) if rss is not None else "—"],
    ]
    return rows_out, generated, reingest_rows


def one_percent_changed(csv, target):
    """`csv` with every 100th row's pixels inverted (255 - v): 1 % of the rows change, at the same depths."""
    changed = 0
    with open(csv, "rb") as source, open(target, "wb") as out:
        out.write(source.readline())
        for index, line in enumerate(source):
            if index % 100 == 0:
                depth, _, cells = line.rstrip(b"\r\n").partition(b",")
                if cells and b",," not in cells and not cells.endswith(b","):
                    line = depth + b"," + b",".join(b"%d" % (255 - int(float(c))) for c in cells.split(b",")) + b"\n"
                    changed += 1
            out.write(line)
    return target, changed


def measure_reingest(ingest, csv, rows, full_seconds, baseline):
    """After the large file's first ingest (`full_seconds`): a re-ingest of the file with 1 % of its rows
    changed, then of the same file again; each beside the \copy of the same rows and the full ingest."""
    changed_csv, changed = one_percent_changed(csv, ingest.scratch / f"changed-{csv.name}")
    progress(f"ingest: re-ingest of {rows:,} rows with {changed:,} changed, then an identical one")
    timed = []
    for label, expected in ((f"{changed:,} rows (1 %) changed", f"0 added, {changed} changed, 0 removed"),
                            ("identical", "0 added, 0 changed, 0 removed")):
        seconds, _, output = run_measured(ingest.argv(changed_csv, csv.stem), ingest.env, timeout=900)
        if expected not in output:
            raise RuntimeError(f"re-ingest of {changed_csv.name}: expected '{expected}' in: {output}")
        timed.append((label, seconds))
    changed_csv.unlink()
    table_rows = [[f"{rows:,} rows, first ingest (a new dataset)", f"{full_seconds:.1f} s", f"{baseline:.1f} s",
                   f"{full_seconds / baseline:.2f}", "1", "—", "—"]]
    for label, seconds in timed:
        table_rows.append([f"{rows:,} rows, re-ingest, {label}", f"{seconds:.1f} s", f"{baseline:.1f} s",
                           f"{seconds / baseline:.2f}", f"{seconds / full_seconds:.2f}", "< 1",
                           met(seconds < full_seconds)])
    return table_rows


# ---------------------------------------------------------------------------------------------------
# HTTP: wrk through nginx's plain port, against /health and against nginx sending the same bytes.

class Query:
    def __init__(self, label, path, frames, static_name, goal=None, gzip=False):
        self.label, self.path, self.frames, self.goal = label, path, frames, goal
        self.static_path = "/static-baseline/" + static_name
        self.headers = {"Accept-Encoding": "gzip"} if gzip else {}


def queries(postgres, dataset):
    depths = postgres.psql(f"SELECT depth FROM frames WHERE dataset = '{dataset}' ORDER BY depth LIMIT 100").split()
    low, high, count = postgres.psql(f"SELECT depth_min, depth_max, frame_count FROM datasets "
                                     f"WHERE name = '{dataset}'").split("|")
    window = f"/frames?dataset={dataset}&depth_min={depths[0]}&depth_max={depths[-1]}"
    whole, count = f"/frames?dataset={dataset}&depth_min={low}&depth_max={high}", int(count)
    return [
        Query("100 frames, JSON", window, 100, "100.json", goal=2000),
        Query("100 frames, PNG", window + "&format=png", 100, "100.png", goal=4000),
        Query(f"{count:,} frames, JSON", whole, count, "all.json", goal=100),
        Query(f"{count:,} frames, PNG", whole + "&format=png", count, "all.png", goal=100),
        Query(f"{count:,} frames, NDJSON", whole + "&format=ndjson", count, "all.ndjson", goal=100),
        Query("100 frames, JSON, gzip", window, 100, "100.json", gzip=True),
        Query(f"{count:,} frames binned to height=1000, PNG", whole + "&format=png&height=1000", min(count, 1000),
              "binned.png", goal=200),
        Query(f"{count:,} frames, norm=dynamic&window=1, height=1000, PNG",
              whole + "&format=png&height=1000&norm=dynamic&window=1", min(count, 1000), "dynamic.png", goal=100),
        Query(f"/statistics of all {count:,} frames", f"/statistics?dataset={dataset}", count, "statistics.json",
              goal=500),
    ]


def frames_in(body):
    """How many frames a response body holds: PNG rows (one per frame), NDJSON lines or JSON items."""
    if body.startswith(b"\x89PNG"):
        return int.from_bytes(body[20:24], "big")  # IHDR's height
    if body.startswith(b"["):
        return len(json.loads(body))
    if body.startswith(b'{"dataset"'):
        return json.loads(body)["frames"]  # /statistics: the frames it summarizes
    return len(body.splitlines())


def save_static_copy(site, query):
    """Fetches the query once (it must be a 200 with all its frames) and puts its exact body where
    /static-baseline/ serves it; returns the body's size."""
    status, _, body = site.get(query.path, base=site.direct_url)
    if status != 200 or frames_in(body) != query.frames:
        raise RuntimeError(f"GET {query.path}: status {status}, {frames_in(body)} frames; "
                           f"expected 200 and {query.frames}")
    (site.static_dir / query.static_path.rsplit("/", 1)[1]).write_bytes(body)
    if site.get(query.static_path, base=site.direct_url)[2] != body:
        raise RuntimeError(f"GET {query.static_path} does not return the saved body")
    return len(body)


def _process_ticks(pid):
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    return sum(map(int, stat[stat.rindex(")") + 2:].split()[11:15]))  # utime stime cutime cstime


def cpu_snapshot(site):
    groups = {"nginx": [site.nginx.pid, *stack.children_of(site.nginx.pid)],
              "workers": site.pool.worker_pids(),
              "postgres": [site.postgres.pid, *stack.children_of(site.postgres.pid)]}
    machine = list(map(int, Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]))
    return {name: {pid: _process_ticks(pid) for pid in pids} for name, pids in groups.items()}, machine


def cpu_split(before, after, wrk_usage):
    """Percent of all cores' time during a run: wrk, nginx, workers, postgres, the rest of the machine
    (other tenants, steal) and idle."""
    (groups_before, machine_before), (groups_after, machine_after) = before, after
    total = sum(machine_after) - sum(machine_before)
    idle = sum(machine_after[3:5]) - sum(machine_before[3:5])  # idle + iowait
    used = {"wrk": (wrk_usage.ru_utime + wrk_usage.ru_stime) * CLOCK_TICKS}
    for name, ticks in groups_after.items():
        used[name] = sum(now - groups_before[name].get(pid, 0) for pid, now in ticks.items())
    used["other"] = max(0, total - idle - sum(used.values()))
    used["idle"] = idle
    return {name: 100 * ticks / total for name, ticks in used.items()}


class Load:
    """Bounded wrk runs with this benchmark's settings."""

    def __init__(self, args, scratch):
        self.threads, self.connections, self.duration = args.threads, args.connections, args.duration
        self.script = scratch / "wrk-summary.lua"
        self.script.write_text(WRK_SUMMARY_LUA)

    def argv(self, url, headers=None, duration=None):
        extra = [option for name, value in (headers or {}).items() for option in ("-H", f"{name}: {value}")]
        return ["wrk", f"-t{self.threads}", f"-c{self.connections}", f"-d{duration or self.duration}s",
                "--latency", "--timeout", "10s", "-s", str(self.script), *extra, url]

    def run(self, site, path, headers=None, duration=None, cached=False, connections=None):
        """req/s, p50 and p99 (ms) and the CPU split of one run; fails on any error or non-2xx/3xx answer.
        Through nginx's direct port (past the response cache) unless `cached`."""
        url = (site.plain_url if cached else site.direct_url) + path
        time.sleep(1)  # lets the workers finish what the previous run left in flight
        before = cpu_snapshot(site)
        argv = self.argv(url, headers, duration)
        if connections:
            argv = [f"-c{connections}" if part.startswith("-c") else part for part in argv]
        _, usage, output = run_measured(argv, timeout=(duration or self.duration) + 60)
        split = cpu_split(before, cpu_snapshot(site), usage)
        summary = json.loads(output.split("wrk-summary ", 1)[1].splitlines()[0])
        errors = {kind: summary[kind] for kind in ("connect", "read", "write", "status", "timeout") if summary[kind]}
        if errors or not summary["requests"]:
            raise RuntimeError(f"wrk {url}: {summary['requests']} requests, errors {errors}\n{output}")
        return {"rps": summary["requests"] / summary["duration_us"] * 1e6, "p50": summary["p50_us"] / 1000,
                "p99": summary["p99_us"] / 1000, "cpu": split}


@contextlib.contextmanager
def running_stack(bin_dir, postgres, scratch, workers, env=None, name=None):
    # Every worker may stream: the NDJSON rows measure throughput, and the pool's default cap (half the
    # workers) would answer most of wrk's 16 connections with 503 by design.
    env = {"FRAMES_MAX_STREAMS": str(workers), **(env or {})}
    site = stack.Stack(bin_dir, scratch / (name or f"web-{workers}"), postgres=postgres, workers=workers,
                       env=env).start()
    try:
        yield site
    finally:
        site.stop()


def choose_pool_size(bin_dir, postgres, scratch, load, probe):
    """4 workers or 2 × nproc, whichever serves the probe query faster in a short run."""
    sizes = sorted({4, 2 * NPROC})
    if len(sizes) == 1:
        return sizes[0], f"{sizes[0]} workers (4 and 2 × nproc are the same here)"
    rates = {}
    for workers in sizes:
        progress(f"http: probing {workers} workers")
        with running_stack(bin_dir, postgres, scratch, workers) as site:
            rates[workers] = load.run(site, probe.path, duration=3)["rps"]
    best = max(rates, key=rates.get)
    tried = ", ".join(f"{workers}: {rate:,.0f} req/s" for workers, rate in rates.items())
    return best, f"{best} workers, the faster in a 3 s run of “{probe.label}” ({tried})"


def ms(value):
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def measure_http(bin_dir, postgres, dataset, scratch, load):
    """Each query against /health (baseline A) and nginx sending its bytes from a file (baseline B)."""
    measured = queries(postgres, dataset)
    workers, pool_note = choose_pool_size(bin_dir, postgres, scratch, load, measured[0])
    auth_rows = measure_auth(bin_dir, postgres, scratch, load, measured[0], workers)
    rows, cpu_rows = [], []
    with running_stack(bin_dir, postgres, scratch, workers) as site:
        sizes = [save_static_copy(site, query) for query in measured]
        progress("http: /health")
        health = load.run(site, "/health")
        cpu_rows.append(["/health", health["cpu"]])
        cache_rows = measure_cache(site, load, measured[0], health, cpu_rows)
        for query, size in zip(measured, sizes):
            progress(f"http: {query.label}")
            app = load.run(site, query.path, query.headers)
            static = load.run(site, query.static_path, query.headers)
            cpu_rows += [[query.label, app["cpu"]], [f"{query.label}, static file", static["cpu"]]]
            goal = f"≥ {query.goal:,}" if query.goal else "—"
            rows.append([query.label, f"{size:,}", f"{app['rps']:,.0f}", ms(app["p50"]), ms(app["p99"]),
                         f"{static['rps']:,.0f}", ms(static["p50"]), ms(static["p99"]),
                         f"{app['rps'] / static['rps']:.3f}", f"{app['rps'] / health['rps']:.3f}", goal,
                         met(app["rps"] >= query.goal) if query.goal else "—"])
    health_line = (f"Baseline A, the pool's `/health`: {health['rps']:,.0f} req/s, p50 {ms(health['p50'])} ms, "
                   f"p99 {ms(health['p99'])} ms.")
    cpu_table = [[label] + [f"{split[name]:.0f}" for name in CPU_GROUPS] for label, split in cpu_rows]
    return pool_note, health_line, rows, cache_rows, auth_rows, cpu_table


def measure_cache(site, load, query, health, cpu_rows):
    """The 100-frame query twice more: as the app's 304 to the If-None-Match nginx sends when a cache
    entry has expired (against /health), and answered from nginx's cache (against the static file, on
    the same cached port)."""
    tag = site.get(query.path, base=site.direct_url)[1]["ETag"]
    if site.get(query.path, base=site.direct_url, headers={"If-None-Match": tag})[0] != 304:
        raise RuntimeError(f"GET {query.path} with If-None-Match: {tag} is not a 304")
    progress(f"cache: {query.label}, 304 revalidation")
    revalidation = load.run(site, query.path, {"If-None-Match": tag})
    site.get(query.path)
    status, headers, _ = site.get(query.path)
    if status != 200 or headers.get("X-Cache-Status") != "HIT":
        raise RuntimeError(f"GET {query.path} twice: status {status}, X-Cache-Status {headers.get('X-Cache-Status')}")
    progress(f"cache: {query.label}, from nginx's cache")
    cached = load.run(site, query.path, cached=True)
    static = load.run(site, query.static_path, cached=True)
    cpu_rows += [[f"{query.label}, 304 revalidation", revalidation["cpu"]],
                 [f"{query.label}, from the cache", cached["cpu"]],
                 [f"{query.label}, static file (cached port)", static["cpu"]]]

    def row(label, measured, baseline_label, baseline, goal):
        ratio = measured["rps"] / baseline["rps"]
        return [label, f"{measured['rps']:,.0f}", ms(measured["p50"]), ms(measured["p99"]), baseline_label,
                f"{baseline['rps']:,.0f}", f"{ratio:.3f}", f"≥ {goal}", met(ratio >= goal)]
    return [row(f"{query.label}: 304 to If-None-Match (the app, past the cache)", revalidation,
                "the pool's `/health`", health, 0.8),
            row(f"{query.label}: repeated, from nginx's cache (HIT)", cached,
                "nginx sending the same bytes from a file", static, 0.5)]


CPU_GROUPS = ("wrk", "nginx", "workers", "postgres", "other", "idle")


# ---------------------------------------------------------------------------------------------------
# Auth: what checking a key costs, and that a malformed token costs PostgreSQL nothing.

STATEMENT = re.compile(r"LOG:\s+(statement|execute [^:]*):")
MALFORMED = 10_000


def create_key(bin_dir, postgres, name):
    # A rate far above what wrk can send: the pool still charges the shared bucket on every request, so its
    # cost is in the figure, but no answer is a 429.
    made = subprocess.run([str(bin_dir / "frames-admin"), "keys", "create", name, "--rate", "1000000",
                           "--database", postgres.conninfo], capture_output=True, text=True, check=True)
    return made.stdout.strip()


def malformed_tokens(valid, count):
    """`count` distinct tokens that the pool must refuse on sight, four kinds in turn: random text, the
    right shape with a wrong checksum, the valid token with one symbol changed, and the valid token cut
    short or with a symbol more (of which there are few: the other kinds fill the count)."""
    rng, alphabet = random.Random(11), "abcdefghijklmnopqrstuvwxyz234567"
    symbols = lambda n: "".join(rng.choice(alphabet) for _ in range(n))  # noqa: E731
    tokens, attempt = set(), 0
    while len(tokens) < count:
        kind, attempt = attempt % 4, attempt + 1
        if kind == 0:
            token = symbols(rng.randrange(1, 120))
        elif kind == 1:
            token = f"frames_{symbols(16)}_{symbols(59)}"  # a right checksum by chance: 1 in 2^35
        elif kind == 2:
            at = rng.randrange(len("frames_") + 17, len(valid))
            token = valid[:at] + rng.choice(alphabet.replace(valid[at], "")) + valid[at + 1:]
        else:
            token = valid[:rng.randrange(20, len(valid))] if rng.random() < 0.5 else valid + symbols(1)
        tokens.add(token)
    return sorted(tokens, key=lambda _: rng.random())


def send_all(site, path, tokens, threads=4):
    """GETs `path` once per token (None: no Authorization) from `threads` keep-alive connections:
    ({status: count}, req/s)."""
    import collections
    import http.client
    counts, lock = collections.Counter(), threading.Lock()

    def worker(share):
        connection = http.client.HTTPConnection("127.0.0.1", site.nginx.direct_port, timeout=30)
        seen = collections.Counter()
        for token in share:
            connection.request("GET", path, headers={"Authorization": f"Bearer {token}"} if token else {})
            response = connection.getresponse()
            response.read()
            seen[response.status] += 1
        connection.close()
        with lock:
            counts.update(seen)
    started = time.monotonic()
    running = [threading.Thread(target=worker, args=(tokens[i::threads],)) for i in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    return dict(counts), len(tokens) / (time.monotonic() - started)


def statements_logged(postgres, since):
    time.sleep(0.5)  # the log is written by the backends as they go
    with open(postgres.log, errors="replace") as log:
        log.seek(since)
        return len(STATEMENT.findall(log.read()))


def measure_auth(bin_dir, postgres, scratch, load, query, workers):
    """The query with a key against auth off (two pools side by side, runs alternating, req/s summed),
    then the malformed tokens against a pool whose sessions log every statement."""
    token = create_key(bin_dir, postgres, "bench")
    rounds, on, off = 2, [], []
    with running_stack(bin_dir, postgres, scratch, workers, name="auth-off") as open_site, \
            running_stack(bin_dir, postgres, scratch, workers, {"FRAMES_AUTH": "required"}, "auth-on") as keyed:
        if keyed.get(query.path, base=keyed.direct_url)[0] != 401 or \
                keyed.get(query.path, base=keyed.direct_url, headers={"Authorization": f"Bearer {token}"})[0] != 200:
            raise RuntimeError(f"GET {query.path}: the keyed pool does not answer 401 without and 200 with the key")
        for round_ in range(rounds):
            progress(f"auth: {query.label}, round {round_ + 1} of {rounds}, auth off and required")
            off.append(load.run(open_site, query.path))
            on.append(load.run(keyed, query.path, {"Authorization": f"Bearer {token}"}))
    rps_on, rps_off = sum(r["rps"] for r in on) / rounds, sum(r["rps"] for r in off) / rounds
    ratio = rps_on / rps_off
    rows = [[f"{query.label}, FRAMES_AUTH=required with a valid key", f"{rps_on:,.0f}", ms(statistics.mean(r["p50"] for r in on)),
             ms(statistics.mean(r["p99"] for r in on)), "the same with FRAMES_AUTH=off", f"{rps_off:,.0f}",
             f"{ratio:.3f}", "≥ 0.9", met(ratio >= 0.9)]]

    logging = {"FRAMES_AUTH": "required",
               "FRAMES_DATABASE_URL": postgres.conninfo + " options='-c log_statement=all'"}
    tokens = malformed_tokens(token, MALFORMED)
    with running_stack(bin_dir, postgres, scratch, workers, logging, "auth-logged") as site:
        progress("auth: /health with the same client, for scale")
        _, health_rps = send_all(site, "/health", [None] * MALFORMED)
        progress(f"auth: {MALFORMED:,} malformed tokens")
        since = postgres.log.stat().st_size
        counts, rps = send_all(site, query.path, tokens)
        statements = statements_logged(postgres, since)
        # The control: the valid key's first request in this pool is looked up, and that shows in the log.
        since = postgres.log.stat().st_size
        control = send_all(site, query.path, [token], threads=1)[0]
        control_statements = statements_logged(postgres, since)
    if control != {200: 1} or control_statements == 0:
        raise RuntimeError(f"the control request got {control} and logged {control_statements} statements")
    refused = counts.get(401, 0)
    rows.append([f"{MALFORMED:,} malformed tokens: {refused:,} × 401"
                 + (f", others {dict((k, v) for k, v in counts.items() if k != 401)}" if refused != MALFORMED else "")
                 + f"; statements PostgreSQL logged: {statements} (the control, one valid key's first request: "
                 f"{control_statements})", f"{rps:,.0f}", "—", "—", "`/health`, the same Python client",
                 f"{health_rps:,.0f}", f"{rps / health_rps:.3f}", "all 401, 0 statements",
                 met(refused == MALFORMED and statements == 0)])
    return rows


def measure_large_display(bin_dir, postgres, dataset, scratch, load):
    """The whole of the large generated dataset binned to 1000 rows as PNG, against /health, with few
    connections: every request reads every row of the log (there is no precomputed pyramid)."""
    count, width = postgres.psql(f"SELECT frame_count, resized_width FROM datasets WHERE name = '{dataset}'").split("|")
    count, width = int(count), int(width)
    low, high = postgres.psql(f"SELECT depth_min, depth_max FROM datasets WHERE name = '{dataset}'").split("|")
    path = f"/frames?dataset={dataset}&depth_min={low}&depth_max={high}&format=png&height=1000"
    with running_stack(bin_dir, postgres, scratch, 4) as site:
        status, _, body = site.get(path, base=site.direct_url)
        if status != 200 or frames_in(body) != 1000:
            raise RuntimeError(f"GET {path}: status {status}, {frames_in(body)} rows")
        progress(f"http: {count:,} frames binned to 1000 rows")
        app = load.run(site, path, connections=2, duration=max(load.duration, 15))
        health = load.run(site, "/health", connections=2)
    return [[f"{count:,} frames binned to height=1000, PNG (2 connections)", f"{app['rps']:,.1f}", ms(app["p50"]),
             ms(app["p99"]), f"{health['rps']:,.0f}", f"{app['rps'] / health['rps']:.4f}",
             f"every frame: {count:,} rows × ({width} resized bytes + statistics) from PostgreSQL"]]


# ---------------------------------------------------------------------------------------------------

def sample_csv(ingest):
    if SHARED_CSV.is_file():
        return SHARED_CSV
    return ingest.generate(SAMPLE_ROWS, "sample.csv")[0]


def first_line(argv):
    done = subprocess.run(argv, capture_output=True, text=True)
    return (done.stdout + done.stderr).strip().splitlines()[0]


def machine_lines(postgres, load_before):
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    commit = subprocess.run(["git", "-C", str(stack.REPO), "describe", "--always", "--dirty"],
                            capture_output=True, text=True).stdout.strip() or "unknown"
    return [f"- Machine: nproc {NPROC}, {cpu}, Linux {platform.release()}; load average "
            f"{' / '.join(f'{x:.2f}' for x in load_before)} at the start, "
            f"{' / '.join(f'{x:.2f}' for x in os.getloadavg())} at the end (1/5/15 min)",
            f"- Software: commit {commit}; PostgreSQL {postgres.psql('SHOW server_version')} (fsync off); "
            f"{first_line(['nginx', '-v'])}; {first_line(['wrk', '-v'])}"]


def main():
    args = arguments()
    bin_dir = stack.built_binaries(args.bin_dir)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwinds through every finally below
    started, clock = datetime.datetime.now(datetime.timezone.utc), time.monotonic()
    load_before = os.getloadavg()
    scratch = stack.scratch_dir("frames-bench-")
    postgres = None
    try:
        postgres = stack.Postgres(scratch / "pg").init().start().create_database()
        ingest, load = Ingest(bin_dir, postgres, scratch), Load(args, scratch)
        csv = sample_csv(ingest)
        ingest_rows = measure_small_ingest(ingest, csv, csv.stem, args.runs)
        pool_note, health_line, http_rows, cache_rows, auth_rows, cpu_rows = measure_http(bin_dir, postgres, csv.stem,
                                                                                           scratch, load)
        large_rows, generated, reingest_rows = measure_large_ingest(ingest, args.large_rows)
        large_display_rows = measure_large_display(bin_dir, postgres, f"generated_{args.large_rows}", scratch, load)
        machine = machine_lines(postgres, load_before)
    finally:
        if postgres:
            postgres.stop()
        stack.remove_tree(scratch)
    command = shlex.join(["python3", "tools/benchmark.py", *sys.argv[1:]])
    report = "\n".join([
        f"## Latest run: {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"- Command: `{command}` (what `make bench` runs), from the repository root; took "
        f"{time.monotonic() - clock:.0f} s",
        *machine,
        f"- Each HTTP figure: `{shlex.join(load.argv('URL')).replace(str(load.script), 'summary.lua')}` "
        f"(summary.lua prints wrk's summary as JSON), no Accept-Encoding unless the row says gzip",
        "",
        "### Ingest",
        "",
        "Baseline: `psql -c \"\\copy ... FROM FILE WITH (FORMAT csv, HEADER true)\"` of the same rows (header "
        "plus every row without an empty cell) into a logged table `depth float8, col1 .. col200 smallint` "
        "with no index, emptied (untimed) before each copy; one psql process per copy, as one frames-ingest "
        "process per ingest. Ratio: frames-ingest's time ÷ the baseline's (1 = as fast as a bare copy). "
        "Timed ingests re-ingest into the same dataset (after one untimed first load); the large file goes "
        "into a new dataset.",
        "",
        table(["measurement", "frames-ingest", "baseline: psql \\copy", "time ÷ baseline", "goal", "met?"],
              ingest_rows + large_rows),
        "",
        f"The Python original took about 1.9 s for the 5,460 rows. Generating the {args.large_rows:,}-row file "
        f"(`frames-ingest --generate-sample`) took {generated:.1f} s (not a goal).",
        "",
        "### Re-ingest of the large file",
        "",
        "Versions: a re-ingest compares each row's hash with the one stored at its depth, and only changed "
        "and new rows are compressed and sent. The same dataset as the throughput row: its first ingest, "
        "then the file with every 100th row's pixels inverted, then that file again. Baseline: the \\copy of "
        "the same rows from the throughput row.",
        "",
        table(["measurement", "frames-ingest", "baseline: psql \\copy", "time ÷ baseline", "time ÷ first ingest",
               "goal", "met?"], reingest_rows),
        "",
        "### HTTP through nginx (direct loopback port, past the response cache)",
        "",
        f"Pool: {pool_note}, `FRAMES_MAX_STREAMS` set to the pool's size. Dataset `{csv.stem}`. {health_line} Baseline B, the static file: nginx serving "
        "the query's exact response body from a file (`/static-baseline/`). Ratios are the query's req/s ÷ "
        "the baseline's. Latencies in ms. The gzip row sends `Accept-Encoding: gzip` to both (nginx "
        "compresses the app's answer and the file alike, at gzip_comp_level 5).",
        "",
        table(["request", "body bytes (uncompressed)", "req/s", "p50", "p99", "static req/s", "static p50", "static p99",
               "÷ static", "÷ /health", "goal req/s", "met?"], http_rows),
        "",
        "The Python original: 63 req/s for 100 frames (JSON), 1.2 req/s for the whole range.",
        "",
        "### The response cache",
        "",
        "The first row is what an expired cache entry costs the app: its 304 to nginx's If-None-Match "
        "(one lookup of the dataset's row, no frame read), through the direct port. The second is a "
        "repeated query answered by nginx from its cache (checked to be a HIT first), against nginx "
        "sending the same bytes from a file, both through the cached plain port.",
        "",
        table(["request", "req/s", "p50", "p99", "baseline", "baseline req/s", "÷ baseline", "goal", "met?"],
              cache_rows),
        "",
        "### API keys",
        "",
        "The first row: the 100-frame query with `FRAMES_AUTH=required` and a valid key against the same query in "
        "a pool with auth off, both pools up side by side, wrk runs alternating (off, on, twice), req/s averaged. "
        "The second: distinct malformed tokens (random text, a wrong checksum, a mistyped or truncated valid "
        "token) sent by 4 Python threads on keep-alive connections to the direct port, against `/health` sent "
        "the same way; statements counted in PostgreSQL's log, with `log_statement=all` set on the pool's "
        "connections only (`options` in its conninfo).",
        "",
        table(["request", "req/s", "p50", "p99", "baseline", "baseline req/s", "÷ baseline", "goal", "met?"],
              auth_rows),
        "",
        "### A large log binned to a screen",
        "",
        "The generated large dataset (from the ingest section), whole, `height=1000` as PNG, against the pool's "
        "`/health` with the same 2 connections. No goal: the issue asks for the figure and what it reads.",
        "",
        table(["request", "req/s", "p50", "p99", "/health req/s", "÷ /health", "reads per request"],
              large_display_rows),
        "",
        f"CPU during each run, % of all {NPROC} cores' time (from /proc; other = the rest of the machine):",
        "",
        table(["run", *CPU_GROUPS], cpu_rows),
        "",
    ])
    print(report)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
