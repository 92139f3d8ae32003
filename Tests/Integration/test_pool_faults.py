"""The pool under faults, through nginx (the direct port, past the response cache, so every request
reaches a worker): workers killed under load, and a binary replaced and reloaded under load."""
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import threading
import time

import pytest

from conftest import stack

# How long workers are killed under load: 40 kills in the test command, 240 in `make soak` (60 s).
KILL_SECONDS = float(os.environ.get("FRAMES_KILL_SECONDS", "10"))


class Load:
    """About `rate` requests a second from a few client threads, each request's status kept. `site` is a
    stack.Stack (requests go to its direct port) or an Nginx in front of pools started by the test."""

    def __init__(self, site, rate=200, clients=8):
        self.fetch = lambda path: stack.Stack.get(None, path, base=site.direct_url)[0]
        self.rate, self.clients = rate, clients
        self.statuses, self.stop = [], threading.Event()
        self.threads = [threading.Thread(target=self._client, args=(n,)) for n in range(clients)]

    def _client(self, n):
        interval = self.clients / self.rate
        rng = random.Random(n)
        next_at = time.monotonic()
        while not self.stop.is_set():
            low = 9000 + rng.randrange(0, 190)
            try:
                status = self.fetch(f"/frames?dataset=sample&depth_min={low}&depth_max={low + 5}")
            except (OSError, http.client.HTTPException) as error:  # a body cut short is a failure too
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


def pool_metrics(site):
    text = (site.metrics_dir / "frames_pool.prom").read_text()
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"^(\w+) (\S+)$", text, re.M)}


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
        # One worker resumes alone for a moment, so that its first accept meets the queue as the storm left
        # it, full; two resuming at once could each take a connection before either looks at the queue.
        first, *others = workers
        os.kill(first, signal.SIGCONT)
        resumed = time.monotonic()
        time.sleep(0.2)
        for pid in others:
            os.kill(pid, signal.SIGCONT)
        # The first try may still meet the full queue (a 503 from nginx): serving means a 200 within 1 s.
        health = site.get("/health", base=site.direct_url)[0]
        while health != 200 and time.monotonic() - resumed < 1.0:
            time.sleep(0.01)
            health = site.get("/health", base=site.direct_url)[0]
        serving_after = time.monotonic() - resumed
        for thread in clients:
            thread.join(timeout=90)
        statuses = {s: [r[0] for r in results].count(s) for s in {r[0] for r in results}}
        slowest = max(r[3] for r in results)
        # The metrics after the storm: a worker publishes after a request, at most once a second.
        # A worker skips its turn when another holds the publishing lock, so ask again until one has
        # written the file.
        time.sleep(1.1)
        asked = time.time()
        prom = site.metrics_dir / "frames_pool.prom"

        def published():
            site.get("/health", base=site.direct_url)
            time.sleep(0.25)
            # File times come from the kernel's coarse clock, a few ms behind time.time().
            return prom.stat().st_mtime > asked - 0.05

        stack.wait_for(published, 5, "frames_pool.prom written after the storm")
        metrics = pool_metrics(site)
        refused = (site.runtime / "nginx-error.log").read_text().count("(11: Resource temporarily unavailable)")
        print(f"{len(results)} requests against 2 stopped workers and a backlog of {backlog}: {statuses}; "
              f"slowest answer {slowest:.1f} s; serving {serving_after * 1000:.0f} ms after SIGCONT; "
              f"frames_pool_queue_full_total {metrics['frames_pool_queue_full_total']:.0f}, nginx refused "
              f"{refused} connection attempts; queue {metrics['frames_pool_queue_length']:.0f} of "
              f"{metrics['frames_pool_queue_capacity']:.0f} afterwards")
        assert len(results) == len(clients)
        assert set(statuses) <= {200, 503} and 503 in statuses, statuses
        for status, headers, body, _ in results:
            if status == 503:
                assert headers["Content-Type"] == "application/problem+json"
                assert int(headers["Retry-After"]) > 0
                assert json.loads(body)["status"] == 503
        assert slowest < 30
        assert health == 200 and serving_after < 1.0
        assert metrics["frames_pool_queue_capacity"] == backlog
        assert metrics["frames_pool_queue_full_total"] > 0 and refused > 0
        assert metrics["frames_pool_queue_length"] == 0
    finally:
        site.stop()


class FramesLock:
    """`LOCK TABLE frames IN ACCESS EXCLUSIVE MODE` held by another session: every frame read hangs."""

    def __init__(self, pg):
        self.pg = pg

    def __enter__(self):
        pg = self.pg
        self.session = subprocess.Popen(["psql", "-X", "-q", "-h", str(pg.sockets), "-p", str(pg.port), "-U",
                                         "postgres", "-d", "frames"], stdin=subprocess.PIPE, text=True)
        self.session.stdin.write("BEGIN;\nLOCK TABLE frames IN ACCESS EXCLUSIVE MODE;\n")
        self.session.stdin.flush()
        stack.wait_for(lambda: pg.psql("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                                       "WHERE c.relname = 'frames' AND l.mode = 'AccessExclusiveLock' "
                                       "AND l.granted") == "1", 10, "the lock on frames")
        return self

    def __exit__(self, *exc):
        self.session.stdin.write("ROLLBACK;\n")
        self.session.stdin.close()
        self.session.wait(timeout=20)


def timed_get(site, path):
    started = time.monotonic()
    status, headers, body = site.get(path, base=site.direct_url)
    return status, headers, body, time.monotonic() - started


QUERY = "/frames?dataset=sample&depth_min=9000&depth_max=9010"


@pytest.mark.parametrize("env, bound", [({"FRAMES_STATEMENT_TIMEOUT": "1"}, 3.0),
                                        ({"FRAMES_STATEMENT_TIMEOUT": "0", "FRAMES_REQUEST_TIMEOUT": "2"}, 4.0)],
                         ids=["statement-timeout", "request-timeout"])
def test_a_hanging_query_answers_503_within_the_bound(bin_dir, postgres, scratch, sample_csv, env, bound):
    assert stack.ingest(bin_dir, postgres.conninfo, sample_csv).returncode == 0
    name = "-".join(env)
    site = stack.Stack(bin_dir, scratch / f"hang-{name}", postgres=postgres, workers=1, env=env).start()
    try:
        assert timed_get(site, QUERY)[0] == 200
        worker = site.pool.worker_pids()
        with FramesLock(postgres):
            status, headers, body, seconds = timed_get(site, QUERY)
        print(f"{env}: {status} after {seconds:.2f} s")
        assert status == 503 and int(headers["Retry-After"]) > 0 and json.loads(body)["status"] == 503
        assert seconds < bound
        if "FRAMES_REQUEST_TIMEOUT" in env:
            log = (site.runtime / "frames-fcgi.log").read_text()
            assert "ran past FRAMES_REQUEST_TIMEOUT" in log
            stack.wait_for(lambda: site.pool.worker_pids() and site.pool.worker_pids() != worker, 5,
                           "a fresh worker")
        assert timed_get(site, QUERY)[0] == 200
    finally:
        site.stop()


def test_a_database_host_that_never_answers_costs_a_bounded_503(bin_dir, postgres, scratch):
    """A host that accepts TCP connections and then says nothing (a hung server, a black hole behind a
    load balancer): libpq's connect_timeout, which the worker sets unless the conninfo does, bounds it."""
    silent = __import__("socket").socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)  # never accepted: the handshake completes in the kernel, no byte ever comes back
    port = silent.getsockname()[1]
    env = {"FRAMES_DATABASE_URL": f"host=127.0.0.1 port={port} dbname=frames user=postgres"}
    site = stack.Stack(bin_dir, scratch / "silent-db", postgres=postgres, workers=1, env=env).start()
    try:
        status, headers, _, seconds = timed_get(site, QUERY)
        print(f"silent database host: {status} after {seconds:.2f} s")
        # Three connection attempts of 2 s each, and a 100 ms pause.
        assert status == 503 and "Retry-After" in headers and seconds < 8
    finally:
        site.stop()
        silent.close()


def served_by(pool):
    return sum('"message":"request"' in line for line in pool.log.read_text().splitlines())


def test_two_pools_behind_one_upstream_survive_one_stopping_under_load(bin_dir, postgres, scratch, sample_csv):
    """Two pools (two hosts' worth, on two sockets) in one upstream: stopping one entirely under load fails
    no request, and once it is back, traffic returns to it."""
    assert stack.ingest(bin_dir, postgres.conninfo, sample_csv).returncode == 0
    runtime = scratch / "two-pools"
    runtime.mkdir()

    def pool(name):
        env = {"FRAMES_DATABASE_URL": postgres.conninfo, "FRAMES_STATE_DIR": str(runtime / f"state-{name}")}
        return stack.Pool(bin_dir, runtime / f"pool-{name}.sock", env, workers=2, log=runtime / f"pool-{name}.log")

    pools = {name: pool(name).start() for name in "ab"}
    nginx = stack.Nginx(runtime, [p.socket for p in pools.values()]).start()
    try:
        with Load(nginx) as load:
            time.sleep(3)
            pools["a"].stop()
            stopped_at = served_by(pools["a"])
            time.sleep(3)
            pools["a"] = pool("a").start()
            time.sleep(3)
        summary = load.summary()
        returned = served_by(pools["a"])
        print(f"two pools, one stopped for 3 s and started again: {summary}; pool a served {stopped_at} before "
              f"its stop and {returned} after its restart, pool b {served_by(pools['b'])}")
        assert set(summary) == {200}, summary
        assert returned > 50, "traffic came back to the restarted pool"
    finally:
        nginx.stop()
        for running in pools.values():
            running.stop()
