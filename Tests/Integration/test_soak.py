"""The soak: FRAMES_SOAK_REQUESTS requests through nginx (past its cache) to a pool of 4 workers that
recycle, with no failure and each worker's resident memory flat over the run.

`make soak` runs 1,000,000 with the default FRAMES_MAX_REQUESTS (10,000); the test command runs a short
form (10,000 requests, workers recycling every ~1,000) so that CI exercises the same path."""
import json
import os
import re
import signal
import statistics
import subprocess
import threading
import time

from conftest import stack
from test_slow_clients import wrk_failures

SOAKING = os.environ.get("FRAMES_SOAK") == "1"
REQUESTS = int(os.environ.get("FRAMES_SOAK_REQUESTS", "1000000" if SOAKING else "10000"))
WORKERS = 4
QUERY = "/frames?dataset=sample&depth_min=9000&depth_max=9005"

def resident_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            return int(re.search(r"^VmRSS:\s+(\d+) kB", status.read(), re.M).group(1))
    except (OSError, AttributeError):
        return None  # the worker just exited


def answered(site):
    try:
        text = (site.metrics_dir / "frames_pool.prom").read_text()
    except OSError:
        return 0
    return sum(float(v) for v in re.findall(r'^frames_http_requests_total\{[^}]*\} (\S+)$', text, re.M))


class MemoryWatch:
    """Every second: how many requests the pool has answered, and each live worker's VmRSS."""

    def __init__(self, site):
        self.site, self.samples, self.stop = site, [], threading.Event()
        self.thread = threading.Thread(target=self._run)

    def _run(self):
        tenth = 1
        while not self.stop.wait(1.0):
            rss = {pid: kb for pid in self.site.pool.worker_pids() if (kb := resident_kb(pid))}
            self.samples.append((answered(self.site), rss))
            # Progress for a long run, in case it has to be stopped before its summary.
            if rss and self.samples[-1][0] >= tenth * REQUESTS / 10:
                print(f"{tenth * 10}%: {self.samples[-1][0]:.0f} answered, RSS MB of the workers "
                      f"{sorted(round(kb / 1024, 1) for kb in rss.values())}", flush=True)
                tenth = int(self.samples[-1][0] * 10 / REQUESTS) + 1

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()

    def at(self, fraction):
        """min, median and max RSS (MB) over the workers at the first sample past `fraction` of the run."""
        done = fraction * REQUESTS
        _, rss = next((s for s in self.samples if s[0] >= done and s[1]), self.samples[-1])
        values = sorted(kb / 1024 for kb in rss.values())
        return values[0], statistics.median(values), values[-1]


def test_soak_answers_every_request_with_flat_worker_memory(bin_dir, postgres, scratch, sample_csv):
    assert stack.ingest(bin_dir, postgres.conninfo, sample_csv).returncode == 0
    # The default limit for the long run; the short one recycles each worker a few times too.
    max_requests = min(10_000, REQUESTS // 10)
    site = stack.Stack(bin_dir, scratch / "soak", postgres=postgres, workers=WORKERS,
                       env={"FRAMES_MAX_REQUESTS": str(max_requests)}).start()
    try:
        started = time.monotonic()
        with MemoryWatch(site) as watch:
            # wrk runs for a time, not a count: it is stopped (SIGINT, after which it prints its summary)
            # once the pool has answered the requests asked for.
            load = subprocess.Popen(["wrk", "-t2", "-c8", "-d10000s", site.direct_url + QUERY], stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
            stack.wait_for(lambda: answered(site) >= REQUESTS or load.poll() is not None, REQUESTS / 100 + 120,
                           f"{REQUESTS} answers")
            load.send_signal(signal.SIGINT)
            out = load.communicate(timeout=60)[0]
            time.sleep(1.2)
            site.get("/health", base=site.direct_url)  # one more publish, with the last counts
            time.sleep(1.2)
        seconds = time.monotonic() - started
        sent = int(re.search(r"(\d+) requests in", out).group(1))
        failures = wrk_failures(out)
        text = (site.metrics_dir / "frames_pool.prom").read_text()
        restarts = int(float(re.search(r"^frames_pool_worker_restarts_total (\S+)$", text, re.M).group(1)))
        not_ok = sum(float(v) for v in re.findall(r'^frames_http_requests_total\{[^}]*code="[^2]xx"[^}]*\} (\S+)$', text, re.M))
        recycles = sum('"worker recycled"' in line for line in (site.runtime / "frames-fcgi.log").read_text().splitlines())
        figures = {f"{int(p * 100)}%": [round(v, 1) for v in watch.at(p)] for p in (0.1, 0.5, 1.0)}
        print(json.dumps({"requests": sent, "seconds": round(seconds), "wrk failures": failures,
                          "pool answers not 2xx": not_ok, "recycles logged": recycles, "worker restarts": restarts,
                          "FRAMES_MAX_REQUESTS": max_requests, "RSS MB min/median/max": figures}))
        assert sent >= REQUESTS * 0.99
        assert failures == 0 and not_ok == 0
        # Every worker is replaced about every FRAMES_MAX_REQUESTS requests (but lives at least 1 s), and
        # only by recycling.
        assert recycles >= min(sent // max_requests, WORKERS * int(seconds)) // 2
        assert recycles - WORKERS <= restarts <= recycles
        early, late = figures["10%"], figures["100%"]
        assert late[2] <= early[2] * 1.2 + 2, "the largest worker at the end is no larger than early in the run"
    finally:
        site.stop()
