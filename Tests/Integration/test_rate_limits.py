"""Per-key rate limits in the pool, through real nginx, a 3-worker spawn-fcgi pool (logged in as
frames_reader, every statement logged) and PostgreSQL, with keys made by frames-admin: a burst over
the limit gets the expected number of 429s, paced requests get none, forged secrets for a real key id
do not use up its budget, the limit holds across workers, a refused request sends no statement, and the
metrics count the refusals and each key's requests."""
import contextlib
import json
import math
import os
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import stack
from test_auth import STATEMENT, create, forged, get
from test_keys import roles  # noqa: F401 (a fixture)
from test_metrics import samples

FRAMES = "/frames?dataset=rate_a&depth_min=9000.1&depth_max=9001"
DEFAULT_RATE = 4  # FRAMES_RATE_DEFAULT of this pool; the default burst is twice that


@pytest.fixture(scope="module")
def site(bin_dir, postgres, roles, sample_csv):  # noqa: F811
    result = stack.ingest(bin_dir, postgres.conninfo, sample_csv, "--dataset", "rate_a")
    assert result.returncode == 0, result.stderr
    postgres.psql("ALTER ROLE frames_reader SET log_statement = 'all'")
    web = stack.Stack(bin_dir, postgres=postgres, workers=3,
                      env={"FRAMES_AUTH": "required", "FRAMES_RATE_DEFAULT": str(DEFAULT_RATE),
                           "FRAMES_DATABASE_URL": roles["frames_reader"]}).start()
    web.tokens = []
    yield web
    web.stop()
    postgres.psql("ALTER ROLE frames_reader RESET log_statement")


@contextlib.contextmanager
def only(site, worker):
    """Every worker but `worker` stopped (SIGSTOP), so that it alone accepts the requests sent meanwhile."""
    others = [pid for pid in site.pool.worker_pids() if pid != worker]
    for pid in others:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in others:
            os.kill(pid, signal.SIGCONT)


def statuses(site, token, count):
    return [get(site, FRAMES, token)[0] for _ in range(count)]


def burst(site, token, count, threads=8):
    """`count` requests at once from `threads` clients: (the answers, the seconds from first to last)."""
    started = time.monotonic()
    with ThreadPoolExecutor(threads) as clients:
        answers = list(clients.map(lambda _: get(site, FRAMES, token), range(count)))
    return answers, time.monotonic() - started


@pytest.mark.parametrize("variable", [{"FRAMES_RATE_DEFAULT": "fast"}, {"FRAMES_RATE_DEFAULT": "-1"},
                                      {"FRAMES_BURST_DEFAULT": "0"}])
def test_a_bad_default_limit_exits_64_naming_it(bin_dir, variable):
    env = dict(stack.base_environment(variable), FRAMES_DATABASE_URL="host=/nonexistent dbname=frames")
    result = subprocess.run([str(bin_dir / "frames-fcgi")], env=env, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=30)
    assert result.returncode == 64 and next(iter(variable)) in result.stderr, result.stderr


def test_a_burst_over_the_limit_gets_the_expected_number_of_429s(site, roles):  # noqa: F811
    token = create(site, roles, "rate_burst", "--rate", "1", "--burst", "5")
    answers, seconds = burst(site, token, 20)
    admitted = [status for status, *_ in answers].count(200)
    refused = [answer for answer in answers if answer[0] == 429]
    # The bucket starts full (5) and gains one token a second while the burst lasts.
    print(f"20 requests in {seconds:.3f} s: {admitted} × 200, {len(refused)} × 429")
    assert 5 <= admitted <= 5 + math.ceil(seconds * 1) and admitted + len(refused) == 20, [a[0] for a in answers]
    for _, head, _, problem in refused:
        assert head["Content-Type"] == "application/problem+json" and problem["status"] == 429
        assert head["Retry-After"] == "1" and "limited to 1/s in bursts of up to 5" in problem["detail"], (head, problem)
    # A worker logs a request after its answer has left, so the last lines may still be on their way.
    def logged_refusals():
        log = (site.runtime / "frames-fcgi.log").read_text()
        return sum('"status":429' in line and '"key":"rate_burst"' in line for line in log.splitlines())
    with contextlib.suppress(TimeoutError):
        stack.wait_for(lambda: logged_refusals() >= len(refused), timeout=5, what="the 429s in the log")
    assert logged_refusals() == len(refused)


def test_requests_under_the_limit_get_none_and_the_default_applies(site, roles):  # noqa: F811
    token = create(site, roles, "rate_default")  # no --rate: FRAMES_RATE_DEFAULT, burst twice that
    paced = []
    for _ in range(12):
        paced.append(get(site, FRAMES, token)[0])
        time.sleep(1 / (DEFAULT_RATE - 1))
    assert paced == [200] * 12
    answers, seconds = burst(site, token, 30)
    admitted = [status for status, *_ in answers].count(200)
    assert 2 * DEFAULT_RATE <= admitted <= 2 * DEFAULT_RATE + math.ceil(seconds * DEFAULT_RATE), (admitted, seconds)
    assert [status for status, *_ in answers].count(429) == 30 - admitted


def test_forged_secrets_for_a_real_key_id_do_not_use_up_its_budget(site, roles):  # noqa: F811
    token = create(site, roles, "rate_forged", "--rate", "0.001", "--burst", "3")
    real_id = token.split("_")[1]
    answers, _ = burst(site, forged(real_id), 40)
    assert {status for status, *_ in answers} == {401}
    assert statuses(site, token, 4) == [200, 200, 200, 429]
    _, head, _, _ = get(site, FRAMES, token)
    assert 990 <= int(head["Retry-After"]) <= 1000  # one token at 0.001 a second


def test_the_limit_holds_across_workers(site, roles):  # noqa: F811
    token = create(site, roles, "rate_shared", "--rate", "0.001", "--burst", "4")
    first, second, third = site.pool.worker_pids()
    with only(site, first):
        assert statuses(site, token, 2) == [200, 200]
    with only(site, second):
        assert statuses(site, token, 3) == [200, 200, 429]
    with only(site, third):
        assert statuses(site, token, 1) == [429]


def test_a_request_refused_for_rate_sends_no_statement(site, postgres, roles):  # noqa: F811
    token = create(site, roles, "rate_statements", "--rate", "0.001", "--burst", "2")
    real_id = token.split("_")[1]
    for worker in site.pool.worker_pids():
        with only(site, worker):  # each worker looks the key up (and caches it) for a forged secret
            assert get(site, FRAMES, forged(real_id))[0] == 401
    assert statuses(site, token, 2) == [200, 200]
    time.sleep(0.5)
    start = postgres.log.stat().st_size
    answers, _ = burst(site, token, 30, threads=6)
    assert {status for status, *_ in answers} == {429}
    get(site, FRAMES, forged())  # the control: an unknown id is looked up, and shows in the same log
    time.sleep(0.5)
    with open(postgres.log, errors="replace") as log:
        log.seek(start)
        logged = log.read()
    assert len(STATEMENT.findall(logged)) == 1 and "frames_key_lookup" in logged, logged


def scrape(site):
    """node_exporter's view once both pool files were rewritten: workers publish at most once a second,
    after a request."""
    files = [site.metrics_dir / name for name in ("frames_pool.prom", "frames_keys.prom")]
    written = [path.stat().st_mtime_ns if path.exists() else 0 for path in files]
    time.sleep(1.2)

    def rewritten():
        assert site.get("/health")[0] == 200
        time.sleep(0.2)
        return all(path.exists() and path.stat().st_mtime_ns != before for path, before in zip(files, written))
    stack.wait_for(rewritten, 10, "frames_pool.prom and frames_keys.prom rewritten")
    return samples(site.node_exporter.scrape())


def test_metrics_count_refusals_by_outcome_and_requests_by_key_name(site, roles):  # noqa: F811
    limited = create(site, roles, "rate_metrics", "--rate", "0.001", "--burst", "1")
    scoped = create(site, roles, "rate_scoped", "--datasets", "elsewhere")
    before = scrape(site)
    assert statuses(site, limited, 4) == [200, 429, 429, 429]
    assert get(site, FRAMES, scoped)[0] == 403
    assert get(site, FRAMES)[0] == 401
    after = scrape(site)

    def grown(outcome, code="4xx"):
        name = f'frames_http_requests_total{{code="{code}",outcome="{outcome}",route="/frames"}}'
        return after.get(name, 0) - before.get(name, 0)
    assert (grown("rate_limited"), grown("forbidden"), grown("unauthorized"), grown("answered", "2xx")) == (3, 1, 1, 1)
    assert after['frames_key_requests_total{key="rate_metrics",outcome="admitted"}'] == 1
    assert after['frames_key_requests_total{key="rate_metrics",outcome="rate_limited"}'] == 3
    assert after['frames_key_requests_total{key="rate_scoped",outcome="admitted"}'] == 1
    assert after["node_textfile_scrape_error"] == 0
    text = (site.metrics_dir / "frames_keys.prom").read_text()
    assert not any(token in text for token in site.tokens) and "frames_" not in text.replace("frames_key_requests_total", "")


def test_per_key_counts_survive_a_killed_worker(site, roles):  # noqa: F811
    token = create(site, roles, "rate_survivor", "--rate", "100")
    assert statuses(site, token, 6) == [200] * 6
    victim = site.pool.worker_pids()[0]
    os.kill(victim, signal.SIGKILL)
    stack.wait_for(lambda: victim not in site.pool.worker_pids() and len(site.pool.worker_pids()) == site.workers,
                   what="a replacement worker")
    assert scrape(site)['frames_key_requests_total{key="rate_survivor",outcome="admitted"}'] == 6
