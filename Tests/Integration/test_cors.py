"""CORS (FRAMES_CORS_ORIGINS) through real nginx, the spawn-fcgi pool and PostgreSQL: preflights without a
key, the headers of answers and errors for a listed origin and none for others, nginx's cache keeping
one origin's answer from another, and Debian's chromium, headless, calling the API from a page on
another origin with a Bearer token: allowed when the page's origin is listed, blocked when it is not."""
import functools
import http.server
import json
import subprocess
import threading

import pytest

from conftest import stack
import stack.browser as browser
from test_keys import keys, roles  # noqa: F401 (roles is a fixture)

FRAMES = "/frames?dataset=cors_a&depth_min=9000.1&depth_max=9001"
ELSEWHERE = "https://app.example.org"


@pytest.fixture(scope="module")
def pages(scratch):
    """A static page server on a loopback port of its own: the other site whose pages call the API.
    The same server under two names is two origins: 127.0.0.1 is listed, localhost is not."""
    folder = scratch / "cors-pages"
    folder.mkdir(exist_ok=True)
    (folder / "page.html").write_text("<!doctype html><title>another site</title><p>calls the API</p>\n")
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    yield {"allowed": f"http://127.0.0.1:{port}", "refused": f"http://localhost:{port}"}
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def start_site(bin_dir, postgres, env):
    return stack.Stack(bin_dir, postgres=postgres, workers=2, env=env).start()


@pytest.fixture(scope="module")
def keyed(bin_dir, postgres, roles, sample_csv, pages):  # noqa: F811
    """FRAMES_AUTH=required, the page server's 127.0.0.1 origin and one more listed."""
    result = stack.ingest(bin_dir, postgres.conninfo, sample_csv, "--dataset", "cors_a")
    assert result.returncode == 0, result.stderr
    site = start_site(bin_dir, postgres, {"FRAMES_AUTH": "required", "FRAMES_DATABASE_URL": roles["frames_reader"],
                                          "FRAMES_CORS_ORIGINS": f"{ELSEWHERE}, {pages['allowed']}"})
    made = keys(bin_dir, roles["frames_admin"], "create", "--rate", "1000", "cors_page")
    assert made.returncode == 0, made.stderr
    site.token = made.stdout.strip()
    yield site
    site.stop()


@pytest.fixture(scope="module")
def public(bin_dir, postgres, keyed, pages):
    """FRAMES_AUTH=off, the same origins: answers are public, so nginx's cache keeps them."""
    site = start_site(bin_dir, postgres, {"FRAMES_CORS_ORIGINS": f"{ELSEWHERE} {pages['allowed']}"})
    yield site
    site.stop()


def request(site, path, origin=None, token=None, method="GET", base=None, headers=None):
    sent = dict(headers or {})
    if origin:
        sent["Origin"] = origin
    if token:
        sent["Authorization"] = "Bearer " + token
    return site.get(path, base=base or site.direct_url, headers=sent, method=method)


def cors_headers(head):
    return {name: value for name, value in head.items() if name.lower().startswith("access-control-")}


def test_a_preflight_from_a_listed_origin_is_204_without_a_key(keyed, pages):
    status, head, body = request(keyed, FRAMES, pages["allowed"], method="OPTIONS",
                                 headers={"Access-Control-Request-Method": "GET",
                                          "Access-Control-Request-Headers": "authorization"})
    assert status == 204 and body == b"", (status, body)
    assert head["Access-Control-Allow-Origin"] == pages["allowed"]
    assert head["Access-Control-Allow-Methods"] == "GET, HEAD"
    assert head["Access-Control-Allow-Headers"] == "Authorization, If-None-Match"
    assert head["Access-Control-Max-Age"] == "86400"
    assert "Origin" in head["Vary"]


def test_a_preflight_from_another_origin_gets_no_cors_header(keyed, pages):
    for origin in (pages["refused"], "https://evil.example.org", None):
        status, head, _ = request(keyed, FRAMES, origin, method="OPTIONS",
                                  headers={"Access-Control-Request-Method": "GET"})
        assert status == 204 and cors_headers(head) == {}, (origin, head)
        assert head["Allow"] == "GET, HEAD, OPTIONS"


def test_answers_to_a_listed_origin_name_it_and_expose_the_frame_headers(keyed):
    status, head, body = request(keyed, FRAMES, ELSEWHERE, keyed.token)
    assert status == 200 and len(json.loads(body)) == 10
    assert head["Access-Control-Allow-Origin"] == ELSEWHERE
    exposed = {name.strip() for name in head["Access-Control-Expose-Headers"].split(",")}
    # Every header of the service's own that a page would want, as the service really sends them.
    own = {name for name in head if name.startswith("X-") and name != "X-Cache-Status"} | {"ETag"}
    assert own >= {"X-Frame-Count", "X-Depth-Min", "X-Depth-Max", "ETag"} and own <= exposed, (own, exposed)
    # PNG, which nginx does not gzip: its own `Vary: Accept-Encoding` line would hide this one from the dict.
    status, head, _ = request(keyed, FRAMES + "&format=png", ELSEWHERE, keyed.token)
    assert status == 200 and head["Vary"] == "Authorization, Origin"


@pytest.mark.parametrize("path, token, expected", [
    (FRAMES, None, 401), (FRAMES, "frames_malformed", 401),
    ("/frames?dataset=nowhere&depth_min=1&depth_max=2", "token", 404), ("/no/such/path", None, 404)])
def test_errors_carry_the_cors_headers_for_a_listed_origin_only(keyed, path, token, expected):
    token = keyed.token if token == "token" else token
    status, head, body = request(keyed, path, ELSEWHERE, token)
    assert status == expected and json.loads(body)["status"] == expected
    assert head["Access-Control-Allow-Origin"] == ELSEWHERE
    assert "Retry-After" in head["Access-Control-Expose-Headers"]
    status, head, _ = request(keyed, path, "https://evil.example.org", token)
    assert status == expected and cors_headers(head) == {} and head["Vary"].endswith("Origin")


def test_a_key_outside_its_datasets_is_403_readable_by_a_listed_origin(keyed, roles):  # noqa: F811
    made = keys(keyed.bin_dir, roles["frames_admin"], "create", "--datasets", "elsewhere", "cors_scoped")
    assert made.returncode == 0, made.stderr
    status, head, _ = request(keyed, FRAMES, ELSEWHERE, made.stdout.strip())
    assert status == 403 and head["Access-Control-Allow-Origin"] == ELSEWHERE


def test_a_keys_429_is_readable_by_a_listed_origin(keyed, roles):  # noqa: F811
    made = keys(keyed.bin_dir, roles["frames_admin"], "create", "--rate", "0.01", "--burst", "1", "cors_slow")
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert request(keyed, FRAMES, ELSEWHERE, token)[0] == 200
    status, head, body = request(keyed, FRAMES, ELSEWHERE, token)
    assert status == 429 and json.loads(body)["status"] == 429
    assert head["Access-Control-Allow-Origin"] == ELSEWHERE and "Retry-After" in head["Access-Control-Expose-Headers"]


def test_nginx_cache_never_hands_one_origins_answer_to_another(public, pages):
    path = "/frames?dataset=cors_a&depth_min=9000.1&depth_max=9000.5&format=png"
    plain = public.plain_url
    status, head, _ = request(public, path, ELSEWHERE, base=plain)
    assert status == 200 and head["X-Cache-Status"] == "MISS" and head["Access-Control-Allow-Origin"] == ELSEWHERE
    for origin in ("https://evil.example.org", None, pages["allowed"]):
        status, head, _ = request(public, path, origin, base=plain)
        assert status == 200 and head.get("Access-Control-Allow-Origin") == (origin if origin == pages["allowed"] else None)
    status, head, _ = request(public, path, ELSEWHERE, base=plain)
    assert head["X-Cache-Status"] == "HIT" and head["Access-Control-Allow-Origin"] == ELSEWHERE
    status, head, _ = request(public, path, None, base=plain)
    assert head["X-Cache-Status"] == "HIT" and "Access-Control-Allow-Origin" not in head


@pytest.mark.parametrize("value", ["https://app.example.org/", "null", "app.example.org", "* https://a.example.org"])
def test_a_value_that_is_no_origin_stops_the_worker_with_64(bin_dir, value):
    env = dict(stack.base_environment({"FRAMES_CORS_ORIGINS": value}),
               FRAMES_DATABASE_URL="host=/nonexistent dbname=frames")
    result = subprocess.run([str(bin_dir / "frames-fcgi")], env=env, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=30)
    assert result.returncode == 64 and "FRAMES_CORS_ORIGINS" in result.stderr and value.split()[0] in result.stderr


# In the browser: a page on `origin` fetches the API with a Bearer token, as a web app would.
FETCH = """
const [url, token, done] = arguments;
fetch(url, token === null ? {} : {headers: {Authorization: 'Bearer ' + token}})
  .then(async (answer) => done({status: answer.status, frames: answer.headers.get('X-Frame-Count'),
                                body: await answer.text()}))
  .catch((error) => done({error: error.name + ': ' + error.message}));
"""


@pytest.fixture(scope="module")
def driver():
    chromium = browser.chromium(width=800, height=600)
    chromium.set_script_timeout(30)
    yield chromium
    chromium.quit()


def fetch_from(driver, origin, url, token):
    driver.get(f"{origin}/page.html")
    assert driver.execute_script("return location.origin") == origin
    return driver.execute_async_script(FETCH, url, token)


def test_a_page_on_a_listed_origin_reads_frames_with_its_key(keyed, pages, driver):
    answer = fetch_from(driver, pages["allowed"], keyed.direct_url + FRAMES, keyed.token)
    assert answer.get("status") == 200, answer
    assert answer["frames"] == "10" and len(json.loads(answer["body"])) == 10


def test_a_page_on_a_listed_origin_reads_the_401_problem(keyed, pages, driver):
    for token in (None, "frames_mistyped"):
        answer = fetch_from(driver, pages["allowed"], keyed.direct_url + FRAMES, token)
        assert answer.get("status") == 401, answer
        problem = json.loads(answer["body"])
        assert problem["status"] == 401 and "Bearer" in problem["detail"]


def test_the_browser_blocks_a_page_on_an_origin_not_listed(keyed, pages, driver):
    answer = fetch_from(driver, pages["refused"], keyed.direct_url + FRAMES, keyed.token)
    assert answer.get("error", "").startswith("TypeError"), answer
    # The control: the same call from the listed origin, in the same browser, goes through.
    assert fetch_from(driver, pages["allowed"], keyed.direct_url + FRAMES, keyed.token).get("status") == 200
