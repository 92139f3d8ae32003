"""nginx's per-address limit (limit_req in nginx/frames-fastcgi.conf) in a stack whose rate is one request a
minute, so that the burst alone decides: from one address the first 1 + 100 (the burst) requests reach
the pool and every later one is nginx's 429 problem with Retry-After; another address, and /health,
are not held back meanwhile."""
import contextlib
import http.client
import json

import pytest

from conftest import stack

BURST = 100
ORIGIN = "https://app.example.org"


@pytest.fixture(scope="module")
def limited(bin_dir, postgres):
    site = stack.Stack(bin_dir, postgres=postgres, workers=2, rate="1r/m",
                       env={"FRAMES_CORS_ORIGINS": ORIGIN}).start()
    yield site
    site.stop()


def burst(site, path, count, source="127.0.0.1", headers=None):
    """(status, headers, body) of `count` requests in a row on one keep-alive connection from `source`."""
    connection = http.client.HTTPConnection("127.0.0.1", site.nginx.direct_port, timeout=30,
                                            source_address=(source, 0))
    answers = []
    try:
        for _ in range(count):
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            answers.append((response.status, dict(response.getheaders()), response.read()))
    finally:
        connection.close()
    return answers


def pool_answered(site):
    return (site.runtime / "frames-fcgi.log").read_text().count('"path":"/colormaps"')


def test_past_the_burst_one_address_gets_429_problems_and_another_address_none(limited):
    before = pool_answered(limited)
    answers = burst(limited, "/colormaps", BURST + 30)
    statuses = [status for status, _, _ in answers]
    assert statuses == [200] * (BURST + 1) + [429] * 29, statuses
    # Meanwhile another client address is under its own limit.
    assert [status for status, _, _ in burst(limited, "/colormaps", 50, source="127.0.0.2")] == [200] * 50
    for status, head, body in answers[BURST + 1:]:
        problem = json.loads(body)
        assert head["Content-Type"] == "application/problem+json" and head["Retry-After"] == "1"
        assert problem["status"] == 429 and problem["title"] == "Too Many Requests" and "Retry-After" in problem["detail"]
        assert head["Cache-Control"] == "no-store"
    # The pool saw only the requests that passed. A worker logs a request after its answer has left, so
    # the last lines may still be on their way; a count past the passed ones fails either way.
    passed = BURST + 1 + 50
    with contextlib.suppress(TimeoutError):
        stack.wait_for(lambda: pool_answered(limited) - before >= passed, timeout=5, what="the pool's log lines")
    assert pool_answered(limited) - before == passed


def test_health_is_not_counted_and_nginx_429_is_readable_by_a_listed_origin(limited):
    source = "127.0.0.3"
    assert [status for status, _, _ in burst(limited, "/colormaps", BURST + 1, source)] == [200] * (BURST + 1)
    assert [status for status, _, _ in burst(limited, "/health", 150, source)] == [200] * 150
    status, head, _ = burst(limited, "/colormaps", 1, source, headers={"Origin": ORIGIN})[0]
    assert status == 429
    assert head["Access-Control-Allow-Origin"] == ORIGIN and "Retry-After" in head["Access-Control-Expose-Headers"]
    status, head, _ = burst(limited, "/colormaps", 1, source, headers={"Origin": "https://evil.example.org"})[0]
    assert status == 429 and "Access-Control-Allow-Origin" not in head
