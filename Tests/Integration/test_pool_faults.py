"""The pool under faults, through nginx (the direct port, past the response cache, so every request
reaches a worker): workers killed under load, and a binary replaced and reloaded under load."""
import json
import os
import random
import shutil
import signal
import subprocess
import threading
import time

import pytest

from conftest import stack

KILL_SECONDS = float(os.environ.get("FRAMES_KILL_SECONDS", "60"))


class Load:
    """About `rate` requests a second from a few client threads, each request's status kept."""

    def __init__(self, site, rate=200, clients=8):
        self.site, self.rate, self.clients = site, rate, clients
        self.statuses, self.stop = [], threading.Event()
        self.threads = [threading.Thread(target=self._client, args=(n,)) for n in range(clients)]

    def _client(self, n):
        interval = self.clients / self.rate
        rng = random.Random(n)
        next_at = time.monotonic()
        while not self.stop.is_set():
            low = 9000 + rng.randrange(0, 190)
            try:
                status = self.site.get(f"/frames?dataset=sample&depth_min={low}&depth_max={low + 5}",
                                       base=self.site.direct_url)[0]
            except OSError as error:
                status = f"{type(error).__name__}"
            self.statuses.append(status)
            next_at += interval
            time.sleep(max(0.0, next_at - time.monotonic()))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def summary(self):
        return {status: self.statuses.count(status) for status in set(self.statuses)}


@pytest.fixture
def pool_site(bin_dir, postgres, scratch, sample_csv, request):
    """A pool of 4 workers whose binary is a copy in its own folder, which a test may replace."""
    assert stack.ingest(bin_dir, postgres.conninfo, sample_csv).returncode == 0
    installed = scratch / f"bin-{request.node.name}"
    installed.mkdir()
    shutil.copy2(bin_dir / "frames-fcgi", installed / "frames-fcgi")
    site = stack.Stack(installed, scratch / f"pool-{request.node.name}", postgres=postgres, workers=4).start()
    yield site
    site.stop()


def test_killing_a_random_worker_every_250_ms_under_load_fails_no_request(pool_site):
    site = pool_site
    rng = random.Random(11)
    kills = 0
    with Load(site) as load:
        deadline = time.monotonic() + KILL_SECONDS
        while time.monotonic() < deadline:
            workers = site.pool.worker_pids()
            if workers:
                try:
                    os.kill(rng.choice(workers), signal.SIGKILL)
                    kills += 1
                except ProcessLookupError:
                    pass
            time.sleep(0.25)
        last_kill = time.monotonic()
        stack.wait_for(lambda: len(site.pool.worker_pids()) == 4, 5, "four workers again")
        back_after = time.monotonic() - last_kill
    summary = load.summary()
    rate = len(load.statuses) / (KILL_SECONDS + back_after)
    print(f"{kills} kills in {KILL_SECONDS:.0f} s at {rate:.0f} req/s: {summary}; "
          f"4 workers again {back_after * 1000:.0f} ms after the last kill")
    assert set(summary) == {200}, summary
    assert back_after < 1.0
    assert site.pool.process.poll() is None, "multiwatch is still running"


def test_replacing_the_binary_and_reloading_under_load_fails_no_request(pool_site, bin_dir, scratch):
    """A rolling deploy as the unit's ExecReload does it: the new binary is renamed into place, then every
    worker is told (SIGUSR1) to finish its request and exit, and multiwatch starts the new one."""
    site = pool_site
    installed = site.bin_dir
    binary = installed / "frames-fcgi"
    before = set(site.pool.worker_pids())
    with Load(site) as load:
        time.sleep(1)
        for _ in range(3):
            staged = installed / "frames-fcgi.new"
            shutil.copy2(bin_dir / "frames-fcgi", staged)
            os.rename(staged, binary)  # atomic: a worker starting now execs the old file or the new one
            subprocess.run(["pkill", "--signal", "USR1", "--parent", str(site.pool.pid)], check=True)
            time.sleep(1.5)
    summary = load.summary()
    print(f"3 deploys under load: {summary}")
    assert set(summary) == {200}, summary
    after = set(site.pool.worker_pids())
    assert len(after) == 4 and not before & after


def test_overload_gets_503_with_retry_after_never_502(bin_dir, postgres, scratch, sample_csv):
    """Every worker stopped (SIGSTOP) while twice the socket's backlog of requests arrive: each client
    gets its answer or a 503 problem with Retry-After, none a 502, none waits past the bound; after
    SIGCONT the pool serves normally at once."""
    assert stack.ingest(bin_dir, postgres.conninfo, sample_csv).returncode == 0
    backlog = 32
    site = stack.Stack(bin_dir, scratch / "overload", postgres=postgres, workers=2, backlog=backlog).start()
    try:
        workers = site.pool.worker_pids()
        results = []

        def client(n):
            started = time.monotonic()
            status, headers, body = site.get(f"/frames?dataset=sample&depth_min={9000 + n}&depth_max={9001 + n}",
                                             base=site.direct_url)
            results.append((status, headers, body, time.monotonic() - started))

        for pid in workers:
            os.kill(pid, signal.SIGSTOP)
        clients = [threading.Thread(target=client, args=(n,)) for n in range(2 * backlog + 8)]
        for thread in clients:
            thread.start()
        time.sleep(2)
        for pid in workers:
            os.kill(pid, signal.SIGCONT)
        resumed = time.monotonic()
        health, _, _ = site.get("/health", base=site.direct_url)
        serving_after = time.monotonic() - resumed
        for thread in clients:
            thread.join(timeout=90)
        statuses = {s: [r[0] for r in results].count(s) for s in {r[0] for r in results}}
        slowest = max(r[3] for r in results)
        print(f"{len(results)} requests against 2 stopped workers and a backlog of {backlog}: {statuses}; "
              f"slowest answer {slowest:.1f} s; serving {serving_after * 1000:.0f} ms after SIGCONT")
        assert len(results) == len(clients)
        assert set(statuses) <= {200, 503} and 503 in statuses, statuses
        for status, headers, body, _ in results:
            if status == 503:
                assert headers["Content-Type"] == "application/problem+json"
                assert int(headers["Retry-After"]) > 0
                assert json.loads(body)["status"] == 503
        assert slowest < 30
        assert health == 200 and serving_after < 1.0
    finally:
        site.stop()
