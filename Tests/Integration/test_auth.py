"""FRAMES_AUTH=required through real nginx, the spawn-fcgi pool (logged in as frames_reader) and
PostgreSQL, with keys made by the frames-admin binary: 401s and their reasons, 403 for a dataset outside
a key's list, the 400 for a token in a URL, revocation and expiry within the (1 s) key cache, rotation's
grace, no database statement for a malformed token, answers kept out of nginx's cache, no token in logs."""
import base64
import datetime
import json
import os
import re
import secrets
import subprocess
import time
import zlib

import pytest

from conftest import stack
from test_keys import TOKEN, keys, listed, roles, this_or_last_minute  # noqa: F401 (roles is a fixture)

FRAMES = "/frames?dataset=auth_a&depth_min=9000.1&depth_max=9001"
STATEMENT = re.compile(r"LOG:\s+(statement|execute [^:]*):")


@pytest.fixture(scope="module")
def site(bin_dir, postgres, roles, sample_csv):  # noqa: F811
    for name in ("auth_a", "auth_b"):
        result = stack.ingest(bin_dir, postgres.conninfo, sample_csv, "--dataset", name)
        assert result.returncode == 0, result.stderr
    # Every statement the workers send is logged, so that a test can count them.
    postgres.psql("ALTER ROLE frames_reader SET log_statement = 'all'")
    web = stack.Stack(bin_dir, postgres=postgres, workers=2,
                      env={"FRAMES_AUTH": "required", "FRAMES_KEY_CACHE_SECONDS": "1",
                           "FRAMES_DATABASE_URL": roles["frames_reader"]}).start()
    web.tokens = []
    yield web
    web.stop()
    postgres.psql("ALTER ROLE frames_reader RESET log_statement")


def create(site, roles, name, *options):  # noqa: F811
    result = keys(site.bin_dir, roles["frames_admin"], "create", *options, name)
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    site.tokens.append(token)
    return token


def get(site, path, token=None, via_cache=False):
    headers = {"Authorization": "Bearer " + token} if token is not None else {}
    status, head, body = site.get(path, base=None if via_cache else site.direct_url, headers=headers)
    problem = json.loads(body) if head.get("Content-Type") == "application/problem+json" else None
    return status, head, body, problem


def assert_401(site, path, token, detail_part):
    status, head, _, problem = get(site, path, token)
    assert status == 401, (status, problem)
    assert head["WWW-Authenticate"] == 'Bearer realm="frames"'
    assert problem["status"] == 401 and detail_part in problem["detail"], problem
    return problem["detail"]


def mistype(token):
    """The token with one letter of its secret changed, as a typo would."""
    return token[:40] + ("a" if token[40] != "a" else "b") + token[41:]


def forged(key_id=None):
    """A well-formed token (right length, alphabet and checksum) that no key issued."""
    key_id = key_id or base64.b32encode(secrets.token_bytes(10)).decode().lower()
    body = f"frames_{key_id}_" + base64.b32encode(secrets.token_bytes(32)).decode().lower().rstrip("=")
    checksum = base64.b32encode(zlib.crc32(body.encode()).to_bytes(4, "big")).decode().lower().rstrip("=")
    token = body + checksum
    assert TOKEN.fullmatch(token)
    return token


@pytest.mark.parametrize("variable, flag", [({"FRAMES_AUTH": "yes"}, []), ({}, ["--auth", "Required"]),
                                            ({"FRAMES_KEY_CACHE_SECONDS": "-1"}, [])])
def test_an_unknown_auth_mode_or_cache_time_exits_64_naming_it(bin_dir, variable, flag):
    env = dict(stack.base_environment(variable), FRAMES_DATABASE_URL="host=/nonexistent dbname=frames")
    result = subprocess.run([str(bin_dir / "frames-fcgi"), *flag], env=env, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=30)
    named = flag[0] if flag else next(iter(variable))
    assert result.returncode == 64 and named in result.stderr, result.stderr


def test_health_ready_and_the_index_are_open_and_everything_else_needs_a_key(site, roles):  # noqa: F811
    assert get(site, "/health")[0] == 200 and get(site, "/ready")[0] == 200
    status, _, body, _ = get(site, "/")
    assert status == 200 and {"name", "version", "docs", "health"} <= json.loads(body).keys()
    for path in ("/datasets", "/colormaps", FRAMES, "/colormaps/viridis.png"):
        assert_401(site, path, None, "no API token")
    token = create(site, roles, "auth_full")
    status, head, body, _ = get(site, FRAMES, token)
    assert status == 200 and len(json.loads(body)) == 10 and head["Cache-Control"].startswith("private, max-age=")
    # PNG, which nginx does not gzip: its own `Vary: Accept-Encoding` would hide this one from urllib's dict.
    status, head, _, _ = get(site, FRAMES + "&format=png", token)
    assert status == 200 and head["Vary"] == "Authorization", head


def test_malformed_unknown_and_wrong_secret_are_401_saying_which(site, roles):  # noqa: F811
    token = create(site, roles, "auth_reasons")
    assert_401(site, FRAMES, "nonsense", "malformed")
    mistyped = mistype(token)
    assert_401(site, FRAMES, mistyped, "checksum")
    unknown = assert_401(site, FRAMES, forged(), "not valid")
    real_id = token.split("_")[1]
    # A guessed id with a wrong secret gets the very answer of an id that has no key.
    assert assert_401(site, FRAMES, forged(real_id), "not valid") == unknown
    status, head, _, problem = get(site, FRAMES, token.upper())
    assert status == 401


def test_a_token_in_the_query_string_is_400_saying_why_in_every_mode(site, web, roles):  # noqa: F811
    token = create(site, roles, "auth_query")
    for name in ("token", "api_key", "key"):
        status, _, _, problem = get(site, f"{FRAMES}&{name}=leaked", token)
        assert status == 400 and "access logs" in problem["detail"] and name in problem["detail"], problem
    status, _, _, problem = get(web, "/health?api_key=leaked")
    assert status == 400 and "access logs" in problem["detail"], problem


def test_a_key_reads_only_its_datasets(site, roles):  # noqa: F811
    scoped = create(site, roles, "auth_scoped", "--datasets", "auth_a")
    full = create(site, roles, "auth_all")
    assert get(site, FRAMES, scoped)[0] == 200
    other = FRAMES.replace("auth_a", "auth_b")
    status, _, _, problem = get(site, other, scoped)
    assert status == 403 and "auth_b" in problem["detail"], problem
    status, _, _, problem = get(site, "/frames?dataset=no_such_set&depth_min=1&depth_max=2", scoped)
    assert status == 403, problem  # not 404: the key's holder learns nothing about other datasets
    assert get(site, other, full)[0] == 200
    assert get(site, "/statistics?dataset=auth_b", scoped)[0] == 403
    assert get(site, "/statistics?dataset=auth_a", scoped)[0] == 200
    names = lambda token: {d["name"] for d in json.loads(get(site, "/datasets", token)[2])}  # noqa: E731
    assert names(scoped) == {"auth_a"}
    assert {"auth_a", "auth_b"} <= names(full)
    # A dataset named in the path (its versions) is scoped the same way.
    for path in ("/datasets/auth_b", "/datasets/auth_b/generations", "/datasets/auth_b/changes?from=1&to=2"):
        assert get(site, path, scoped)[0] == 403, path
    status, headers, _, _ = get(site, "/datasets/auth_a/generations", scoped)
    assert status == 200 and headers["Cache-Control"].startswith("private")


def test_revocation_takes_effect_within_the_key_cache_lifetime(site, roles):  # noqa: F811
    token = create(site, roles, "auth_revoked")
    for _ in range(4):  # both workers cache it
        assert get(site, FRAMES, token)[0] == 200
    result = keys(site.bin_dir, roles["frames_admin"], "revoke", "auth_revoked")
    assert result.returncode == 0, result.stderr
    time.sleep(1.2)
    for _ in range(4):
        assert_401(site, FRAMES, token, "revoked")


def test_an_expired_key_is_401(site, roles):  # noqa: F811
    expiry = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=4)
    token = create(site, roles, "auth_expiring", "--expires", expiry.strftime("%Y-%m-%dT%H:%M:%SZ"))
    assert get(site, FRAMES, token)[0] == 200
    time.sleep(max(0.0, (expiry - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) + 1.2)
    assert_401(site, FRAMES, token, "expired")


def test_during_a_rotation_grace_old_and_new_tokens_both_work(site, roles):  # noqa: F811
    old = create(site, roles, "auth_rotated")
    assert get(site, FRAMES, old)[0] == 200
    result = keys(site.bin_dir, roles["frames_admin"], "rotate", "auth_rotated", "--grace", "1h")
    assert result.returncode == 0, result.stderr
    new = result.stdout.strip()
    site.tokens.append(new)
    time.sleep(1.2)
    for _ in range(4):
        assert get(site, FRAMES, new)[0] == 200 and get(site, FRAMES, old)[0] == 200
    result = keys(site.bin_dir, roles["frames_admin"], "rotate", "auth_rotated", "--grace", "0")
    assert result.returncode == 0, result.stderr
    site.tokens.append(result.stdout.strip())
    time.sleep(1.2)
    assert_401(site, FRAMES, old, "not valid")


def test_a_worker_records_the_key_last_use(site, roles, postgres):  # noqa: F811
    token = create(site, roles, "auth_used")
    assert listed(site.bin_dir, roles, "auth_used")["last_used_at"] is None
    assert get(site, FRAMES, token)[0] == 200
    assert listed(site.bin_dir, roles, "auth_used")["last_used_at"] in this_or_last_minute(postgres)


def test_malformed_tokens_cost_no_database_statement(site, postgres, roles):  # noqa: F811
    token = create(site, roles, "auth_statements")
    mistyped = mistype(token)
    start = postgres.log.stat().st_size
    for bad in ("nonsense", mistyped, token[:-5], "", token + "x") * 20:
        assert get(site, FRAMES, bad)[0] == 401
    # The control: a well-formed unknown token is looked up, and that statement shows in the same log.
    assert_401(site, FRAMES, forged(), "not valid")
    time.sleep(0.5)
    with open(postgres.log, errors="replace") as log:
        log.seek(start)
        logged = log.read()
    # A statement can span lines: count the lines that start one, then look at the whole text.
    assert len(STATEMENT.findall(logged)) == 1 and "frames_key_lookup" in logged, logged


def test_answers_to_keyed_requests_stay_out_of_nginx_cache(site, roles):  # noqa: F811
    token = create(site, roles, "auth_cached")
    path = FRAMES + "&format=png"
    for _ in range(2):
        status, head, _, _ = get(site, path, token, via_cache=True)
        assert status == 200 and head["X-Cache-Status"] != "HIT" and head["Cache-Control"].startswith("private")
    status, head, _, _ = get(site, path, None, via_cache=True)
    assert status == 401 and head["WWW-Authenticate"] == 'Bearer realm="frames"'


def test_log_lines_name_the_key_and_no_log_holds_a_token(site, postgres):
    log = (site.runtime / "frames-fcgi.log").read_text()
    assert '"key":"auth_full"' in log
    texts = [postgres.log.read_text(errors="replace")]
    for folder, _, files in os.walk(site.runtime):
        for name in files:
            path = os.path.join(folder, name)
            if os.path.isfile(path) and not os.path.islink(path):
                with open(path, "rb") as handle:
                    texts.append(handle.read().decode(errors="replace"))
    assert len(site.tokens) >= 10
    leaked = [token for token in site.tokens if any(token in text for text in texts)]
    assert leaked == []
