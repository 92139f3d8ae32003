"""nginx's response cache in front of the pool, as nginx/frames-cache.conf sets it up, in a stack of its own
(its own PostgreSQL, one worker, FRAMES_CACHE_MAX_AGE=2): a repeated request is nginx's alone, an expired
entry costs the app one 304, a re-ingest reaches clients within the max-age and never mixed with the old
data, errors are never kept, HSTS is on every HTTPS answer, and an If-None-Match 304 reads no frame."""
import json
import re
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest

from conftest import stack

MAX_AGE = 2
# nginx keeps time in whole seconds: an entry stored at t is fresh while the clock's second is at most
# int(t) + max-age, so it may be served up to one second past t + max-age.
CLOCK_GRAIN = 1.0


@pytest.fixture(scope="module")
def site(bin_dir, scratch, sample_csv):
    web = stack.Stack(bin_dir, scratch / "cache", workers=1, env={"FRAMES_CACHE_MAX_AGE": str(MAX_AGE)}).start()
    try:
        assert web.ingest(sample_csv, "--dataset", "well").returncode == 0
        yield web
    finally:
        web.stop()


def app_requests(site):
    """The app's own log of the requests it answered (one JSON line each)."""
    lines = (site.runtime / "frames-fcgi.log").read_text().splitlines()
    records = [json.loads(line) for line in lines if line.startswith("{")]
    return [r for r in records if r["message"] == "request"]


def answered_by_app(site, count_before, expected):
    """Waits for the app to log `expected` more requests (it logs after sending), then returns them."""
    stack.wait_for(lambda: len(app_requests(site)) >= count_before + expected, 10, "the app's request log")
    return app_requests(site)[count_before:]


def generation(etag):
    return int(re.search(r'"g(\d+)-', etag).group(1))


def test_a_repeated_request_is_answered_by_nginx_alone(site):
    path = "/frames?dataset=well&depth_min=9000&depth_max=9003"
    count = len(app_requests(site))
    status, first, body = site.get(path)
    assert status == 200 and first["X-Cache-Status"] == "MISS"
    answered_by_app(site, count, 1)  # the miss's own line, which the app writes after answering
    before = len(app_requests(site))
    for _ in range(3):
        status, headers, again = site.get(path)
        assert status == 200 and headers["X-Cache-Status"] == "HIT"
        assert again == body and headers["ETag"] == first["ETag"]
    time.sleep(0.5)  # the app logs after answering: give a stray line time to appear
    assert len(app_requests(site)) == before


def test_a_cached_head_never_answers_a_get(site):
    path = "/frames?dataset=well&depth_min=9000&depth_max=9002"
    for _ in range(2):
        status, head, empty = site.get(path, method="HEAD")
        assert status == 200 and empty == b""
    assert head["X-Cache-Status"] == "HIT"
    for _ in range(2):
        status, headers, body = site.get(path)
        assert status == 200 and len(body) == int(headers["Content-Length"]) == int(head["Content-Length"])
        assert len(json.loads(body)) == 20
    assert headers["X-Cache-Status"] == "HIT"


@pytest.mark.parametrize("path", ["/frames?dataset=well&depth_min=9005&depth_max=9006",
                                  "/frames?dataset=well&depth_min=9005&depth_max=9006&format=png",
                                  "/frames?dataset=well&depth_min=9005&depth_max=9006&format=ndjson",
                                  "/frames?dataset=well&depth_min=1&depth_max=2&format=png",
                                  "/frames?dataset=nope&depth_min=1&depth_max=2", "/datasets", "/health"])
def test_head_through_the_cache_is_get_without_the_body(site, path):
    """As the app's own HEAD (test_frames_api.py), through nginx's cache; X-Cache-Status is the cache's."""
    got, get_headers, _ = site.get(path)
    status, head_headers, empty = site.get(path, method="HEAD")
    assert status == got and empty == b""
    framing = {"Date", "Transfer-Encoding", "X-Cache-Status"}
    assert ({k: v for k, v in head_headers.items() if k not in framing}
            == {k: v for k, v in get_headers.items() if k not in framing})


def test_an_expired_entry_costs_the_app_one_304(site):
    path = "/frames?dataset=well&depth_min=9001&depth_max=9004&format=png"
    status, headers, body = site.get(path)
    assert status == 200 and headers["X-Cache-Status"] == "MISS"
    time.sleep(MAX_AGE + CLOCK_GRAIN + 0.2)
    before = len(app_requests(site))
    status, again, same = site.get(path)
    assert status == 200 and again["X-Cache-Status"] == "REVALIDATED" and same == body
    [revalidation] = answered_by_app(site, before, 1)
    assert revalidation["path"] == "/frames" and revalidation["status"] == 304
    assert revalidation["frames"] == 0 and revalidation["bytes"] == 0
    assert site.get(path)[1]["X-Cache-Status"] == "HIT"


def inverted(csv, target):
    """The same rows with every pixel value v turned into 255 - v: same depths, other frames."""
    lines = csv.read_text().splitlines()
    rows = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        rows.append(",".join([cells[0]] + [str(255 - int(c)) if c.isdigit() else c for c in cells[1:]]))
    target.write_text("\n".join(rows) + "\n")
    return target


def test_a_reingest_reaches_clients_within_max_age_and_never_mixed(site, sample_csv, scratch):
    path = "/frames?dataset=fresh&depth_min=9000&depth_max=9005"
    assert site.ingest(sample_csv, "--dataset", "fresh").returncode == 0
    _, old_headers, old_body = site.get(path, base=site.direct_url)
    assert site.get(path)[0] == 200  # now in nginx's cache
    seen, stop = [], threading.Event()

    def poll():
        while not stop.is_set():
            sent = time.monotonic()
            status, headers, body = site.get(path)
            seen.append((sent, status, headers["ETag"], body))
            time.sleep(0.05)

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        time.sleep(0.3)
        assert site.ingest(inverted(sample_csv, scratch / "inverted.csv"), "--dataset", "fresh").returncode == 0
        committed = time.monotonic()
        _, new_headers, new_body = site.get(path, base=site.direct_url)
        time.sleep(MAX_AGE + CLOCK_GRAIN + 1.0)
    finally:
        stop.set()
        poller.join()
    assert new_body != old_body and generation(new_headers["ETag"]) > generation(old_headers["ETag"])
    versions = {old_headers["ETag"]: old_body, new_headers["ETag"]: new_body}
    for sent, status, etag, body in seen:
        assert status == 200 and versions.get(etag) == body, f"a mixture at {sent - committed:+.2f} s"
    late = [etag for sent, _, etag, _ in seen if sent > committed + MAX_AGE + CLOCK_GRAIN]
    assert late and set(late) == {new_headers["ETag"]}


def test_errors_are_never_cached(site, sample_csv):
    path = "/frames?dataset=later&depth_min=9000&depth_max=9001"
    for _ in range(2):
        status, headers, _ = site.get(path)
        assert status == 404 and headers["Cache-Control"] == "no-store" and headers["X-Cache-Status"] == "MISS"
    assert site.ingest(sample_csv, "--dataset", "later").returncode == 0
    status, headers, body = site.get(path)
    assert status == 200 and len(json.loads(body)) == 10


def test_a_503_is_not_kept(site):
    path = "/frames?dataset=well&depth_min=9002&depth_max=9003"
    site.postgres.stop()
    try:
        status, headers, _ = site.get(path)
        assert status == 503 and headers["Cache-Control"] == "no-store"
    finally:
        site.postgres.start()
    stack.wait_for(lambda: site.get(path)[0] == 200, 20, "the answer after the database is back")


def https_get(site, path):
    context = ssl.create_default_context(cafile=str(site.cacert))
    request = urllib.request.Request(site.https_url + path)
    try:
        with urllib.request.urlopen(request, context=context, timeout=20) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers


def test_hsts_on_cached_answers_and_errors(site):
    path = "/frames?dataset=well&depth_min=9003&depth_max=9004"
    answers = [https_get(site, path), https_get(site, path), https_get(site, "/frames?depth_min=x"),
               https_get(site, "/nowhere")]
    assert [status for status, _ in answers] == [200, 200, 400, 404]
    assert answers[1][1]["X-Cache-Status"] == "HIT"
    for _, headers in answers:
        assert headers["Strict-Transport-Security"] == "max-age=63072000"


def test_if_none_match_is_answered_before_any_frame_is_read(site):
    """With the frames table locked by another session, a matching If-None-Match still gets its 304 (it
    reads only the dataset's row), while the same request without it waits for the lock."""
    path = "/frames?dataset=well&depth_min=9004&depth_max=9006"
    count = len(app_requests(site))
    status, headers, _ = site.get(path, base=site.direct_url)
    assert status == 200
    answered_by_app(site, count, 1)
    pg = site.postgres
    locker = subprocess.Popen(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", str(pg.sockets), "-p", str(pg.port),
                               "-U", "postgres", "-d", "frames"], stdin=subprocess.PIPE, text=True)
    try:
        locker.stdin.write("BEGIN;\nLOCK TABLE frames IN ACCESS EXCLUSIVE MODE;\n")
        locker.stdin.flush()
        stack.wait_for(lambda: pg.psql("SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                                       "WHERE c.relname = 'frames' AND l.mode = 'AccessExclusiveLock' "
                                       "AND l.granted") == "1", 10, "the lock on frames")
        before = len(app_requests(site))
        started = time.monotonic()
        status, unchanged, body = site.get(path, base=site.direct_url, headers={"If-None-Match": headers["ETag"]})
        assert status == 304 and body == b"" and unchanged["ETag"] == headers["ETag"]
        assert time.monotonic() - started < 2
        [logged] = answered_by_app(site, before, 1)
        assert logged["status"] == 304 and logged["frames"] == 0
        with pytest.raises(OSError):  # a timeout: the unconditional request needs the frames
            urllib.request.urlopen(site.direct_url + path, timeout=1.5)
    finally:
        locker.stdin.write("ROLLBACK;\n")
        locker.stdin.close()
        locker.wait(timeout=20)
    stack.wait_for(lambda: site.get(path, base=site.direct_url)[0] == 200, 20, "the answer after the lock")
