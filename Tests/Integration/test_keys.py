"""frames-admin keys and roles against a real PostgreSQL: tokens printed once and stored only as hashes,
listing, revocation, rotation with grace, and the database roles the service runs under. Checks that
go through the worker's path (frames_key_lookup, frames_key_used) log in as the reader role."""
import base64
import hashlib
import json
import re
import subprocess
import zlib

import pytest

from conftest import stack

TOKEN = re.compile(r"frames_[a-z2-7]{16}_[a-z2-7]{59}")


def as_role(postgres, role):
    return postgres.conninfo.replace("user=postgres", f"user={role}")


def keys(bin_dir, conninfo, *args, stdin=None):
    return subprocess.run([str(bin_dir / "frames-admin"), "keys", *args, "--database", conninfo],
                          capture_output=True, text=True, input=stdin, timeout=60)


def psql_as(postgres, role, sql):
    return subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", as_role(postgres, role),
                           "-c", sql], capture_output=True, text=True)


@pytest.fixture(scope="module")
def roles(bin_dir, postgres):
    """The roles from `frames-admin roles sql`, run as the superuser once the schema exists."""
    subprocess.run([str(bin_dir / "frames-admin"), "datasets", "list", "--database", postgres.conninfo],
                   check=True, capture_output=True)
    sql = subprocess.run([str(bin_dir / "frames-admin"), "roles", "sql"], check=True, capture_output=True,
                         text=True).stdout
    for _ in range(2):  # idempotent: a second run after an upgrade must succeed too
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", postgres.conninfo], input=sql,
                       check=True, capture_output=True, text=True)
    return {role: as_role(postgres, role) for role in ("frames_admin", "frames_ingest", "frames_reader")}


@pytest.fixture(scope="module")
def tokens():
    """Every token the tests were given, for the final search of logs and tables."""
    return []


def create(bin_dir, roles, tokens, name, *options):
    result = keys(bin_dir, roles["frames_admin"], "create", *options, name)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and result.stdout.endswith("\n"), result.stdout
    tokens.append(lines[0])
    return lines[0]


def decode(token):
    """(key id, secret bytes), checking the format as documented, independently of the Swift code."""
    assert TOKEN.fullmatch(token), token
    _, key_id, rest = token.split("_")
    secret_text, checksum_text = rest[:52], rest[52:]
    secret = base64.b32decode(secret_text.upper() + "====")
    checksum = base64.b32decode(checksum_text.upper() + "=")
    assert int.from_bytes(checksum, "big") == zlib.crc32(token[:-7].encode())
    assert len(secret) == 32
    return key_id, secret


def lookup(roles, key_id):
    """What a worker sees for a key id: (name, secret hash, previous hash, previous valid until) or None."""
    out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", roles["frames_reader"],
                          "-c", f"SELECT name, encode(secret_hash, 'hex'), encode(previous_secret_hash, 'hex'), "
                                f"previous_valid_until - extract(epoch FROM now()) FROM frames_key_lookup('{key_id}')"],
                         check=True, capture_output=True, text=True).stdout.strip()
    if not out:
        return None
    name, current, previous, remaining = out.split("|")
    return name, current, previous or None, float(remaining) if remaining else None


def this_or_last_minute(postgres):
    """The database's clock now, and a minute ago (the minute may have turned since), as keys list shows them."""
    return set(postgres.psql("SELECT to_char((now() - m) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI\"Z\"') "
                             "FROM unnest(ARRAY[interval '0', interval '1 minute']) AS m").split())


def verify(bin_dir, roles, token):
    return keys(bin_dir, roles["frames_reader"], "verify", stdin=token + "\n")


def listed(bin_dir, roles, name):
    result = keys(bin_dir, roles["frames_admin"], "list", "--json")
    assert result.returncode == 0, result.stderr
    return next(entry for entry in json.loads(result.stdout) if entry["name"] == name)


def test_create_prints_the_token_once_and_stores_only_its_hash(bin_dir, roles, tokens):
    result = keys(bin_dir, roles["frames_admin"], "create", "keys_once")
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    tokens.append(token)
    assert result.stdout == token + "\n"
    key_id, secret = decode(token)
    assert token not in result.stderr and key_id in result.stderr
    name, stored, previous, _ = lookup(roles, key_id)
    assert name == "keys_once" and stored == hashlib.sha256(secret).hexdigest() and previous is None
    assert verify(bin_dir, roles, token).stdout == "valid: API key keys_once\n"
    other = create(bin_dir, roles, tokens, "keys_once_2")
    assert decode(other)[0] != key_id and decode(other)[1] != secret


def test_list_shows_every_field_and_never_a_token_or_hash(bin_dir, roles, tokens, postgres):
    token = create(bin_dir, roles, tokens, "keys_listed", "--datasets", "well_a,well_b", "--rate", "2.5",
                   "--burst", "7", "--expires", "2031-05-04T10:20Z")
    key_id, secret = decode(token)
    plain = create(bin_dir, roles, tokens, "keys_plain")
    entry = listed(bin_dir, roles, "keys_listed")
    created = postgres.psql("SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI\"Z\"') "
                            "FROM api_keys WHERE name = 'keys_listed'")
    assert entry == {"name": "keys_listed", "key_id": key_id, "datasets": ["well_a", "well_b"], "rate": 2.5,
                     "burst": 7, "created_at": created, "expires_at": "2031-05-04T10:20Z", "revoked_at": None,
                     "last_used_at": None, "previous_valid_until": None}
    assert listed(bin_dir, roles, "keys_plain")["datasets"] is None
    table = keys(bin_dir, roles["frames_admin"], "list")
    header, *rows = table.stdout.splitlines()
    assert header.split() == ["NAME", "KEY_ID", "DATASETS", "RATE", "BURST", "CREATED", "EXPIRES", "REVOKED",
                              "LAST_USED"]
    assert next(r.split() for r in rows if r.startswith("keys_listed ")) == [
        "keys_listed", key_id, "well_a,well_b", "2.5", "7", created, "2031-05-04T10:20Z", "-", "never"]
    assert next(r.split() for r in rows if r.startswith("keys_plain "))[2:5] == ["all", "default", "default"]
    hashes = [hashlib.sha256(decode(t)[1]).hexdigest() for t in (token, plain)]
    for output in (table.stdout, json.dumps(listed(bin_dir, roles, "keys_listed"))):
        assert not TOKEN.search(output) and not any(h in output for h in hashes)


def test_bad_arguments_exit_64_and_create_nothing(bin_dir, roles):
    cases = [["--expires", "2020-01-01"], ["--expires", "2031-02-30"], ["--expires", "tomorrow"], ["--rate", "0"],
             ["--burst", "0"], ["--datasets", "a,,b"]]
    for options in cases:
        result = keys(bin_dir, roles["frames_admin"], "create", *options, "keys_refused")
        assert result.returncode == 64 and result.stdout == "", (options, result)
    assert keys(bin_dir, roles["frames_admin"], "create", "two words").returncode == 64
    assert "keys_refused" not in keys(bin_dir, roles["frames_admin"], "list").stdout


def test_a_taken_name_exits_73_and_prints_no_token(bin_dir, roles, tokens):
    create(bin_dir, roles, tokens, "keys_taken")
    result = keys(bin_dir, roles["frames_admin"], "create", "keys_taken")
    assert result.returncode == 73 and result.stdout == "" and "already exists" in result.stderr


def test_revoke(bin_dir, roles, tokens, postgres):
    token = create(bin_dir, roles, tokens, "keys_revoked")
    result = keys(bin_dir, roles["frames_admin"], "revoke", "keys_revoked")
    assert result.returncode == 0 and "revoked API key keys_revoked" in result.stdout
    entry = listed(bin_dir, roles, "keys_revoked")
    assert entry["revoked_at"] in this_or_last_minute(postgres)
    refused = verify(bin_dir, roles, token)
    assert refused.returncode == 65 and "revoked" in refused.stderr and token not in refused.stderr
    again = keys(bin_dir, roles["frames_admin"], "revoke", "keys_revoked")
    assert again.returncode == 0 and "already revoked" in again.stdout
    assert listed(bin_dir, roles, "keys_revoked")["revoked_at"] == entry["revoked_at"]
    rotate = keys(bin_dir, roles["frames_admin"], "rotate", "keys_revoked")
    assert rotate.returncode == 65 and rotate.stdout == ""
    for args in (["revoke", "keys_nobody"], ["rotate", "keys_nobody"]):
        assert keys(bin_dir, roles["frames_admin"], *args).returncode == 66


def test_rotate_with_grace_keeps_both_tokens_working(bin_dir, roles, tokens):
    old = create(bin_dir, roles, tokens, "keys_rotated", "--datasets", "well_a")
    result = keys(bin_dir, roles["frames_admin"], "rotate", "--grace", "2h", "keys_rotated")
    assert result.returncode == 0, result.stderr
    new = result.stdout.strip()
    tokens.append(new)
    assert result.stdout == new + "\n" and new != old and new not in result.stderr
    (old_id, old_secret), (new_id, new_secret) = decode(old), decode(new)
    assert old_id == new_id
    _, current, previous, remaining = lookup(roles, new_id)
    assert current == hashlib.sha256(new_secret).hexdigest() and previous == hashlib.sha256(old_secret).hexdigest()
    assert 2 * 3600 - 60 < remaining <= 2 * 3600
    assert verify(bin_dir, roles, old).returncode == 0 and verify(bin_dir, roles, new).returncode == 0
    entry = listed(bin_dir, roles, "keys_rotated")
    assert entry["datasets"] == ["well_a"] and entry["previous_valid_until"] is not None

    # Rotating again ends the first token's grace at once; --grace 0 gives the second none.
    newest = keys(bin_dir, roles["frames_admin"], "rotate", "--grace", "0", "keys_rotated").stdout.strip()
    tokens.append(newest)
    assert verify(bin_dir, roles, newest).returncode == 0
    for stale in (old, new):
        refused = verify(bin_dir, roles, stale)
        assert refused.returncode == 65 and "not valid" in refused.stderr
    assert lookup(roles, new_id)[2] is None and listed(bin_dir, roles, "keys_rotated")["previous_valid_until"] is None


def test_the_grace_period_ends(bin_dir, roles, tokens, postgres):
    old = create(bin_dir, roles, tokens, "keys_grace_ends")
    new = keys(bin_dir, roles["frames_admin"], "rotate", "--grace", "1h", "keys_grace_ends").stdout.strip()
    tokens.append(new)
    assert verify(bin_dir, roles, old).returncode == 0
    # An hour later, as far as the row knows.
    postgres.psql("UPDATE api_keys SET previous_valid_until = now() - interval '1 second' "
                  "WHERE name = 'keys_grace_ends'")
    assert verify(bin_dir, roles, old).returncode == 65 and verify(bin_dir, roles, new).returncode == 0


def test_verify_refuses_typos_unknown_ids_and_expired_keys(bin_dir, roles, tokens, postgres):
    token = create(bin_dir, roles, tokens, "keys_verified")
    typo = token[:40] + ("a" if token[40] != "a" else "b") + token[41:]
    refused = verify(bin_dir, roles, typo)
    assert refused.returncode == 65 and "checksum" in refused.stderr and typo not in refused.stderr
    assert "no API token" in verify(bin_dir, roles, "").stderr
    assert "malformed" in verify(bin_dir, roles, "Bearer " + token).stderr
    # A well-formed token for a key id nobody has, and one for a real id with a forged secret, get the
    # same answer.
    key_id, _ = decode(token)
    other = create(bin_dir, roles, tokens, "keys_verified_other")
    forged_body = f"frames_{key_id}_{other.split('_')[2][:52]}"
    forged = forged_body + base64.b32encode(zlib.crc32(forged_body.encode()).to_bytes(4, "big")).decode().lower().rstrip("=")
    unknown_body = f"frames_{'a' * 16}_{other.split('_')[2][:52]}"
    unknown = unknown_body + base64.b32encode(zlib.crc32(unknown_body.encode()).to_bytes(4, "big")).decode().lower().rstrip("=")
    answers = {verify(bin_dir, roles, t).stderr for t in (forged, unknown)}
    assert answers == {"frames-admin: refused: the API token is not valid\n"}
    postgres.psql("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE name = 'keys_verified'")
    assert "expired" in verify(bin_dir, roles, token).stderr


def test_the_reader_role_looks_up_one_key_and_records_use_only(bin_dir, roles, tokens, postgres):
    token = create(bin_dir, roles, tokens, "keys_reader")
    key_id, _ = decode(token)
    for sql in ("SELECT secret_hash FROM api_keys",
                f"UPDATE api_keys SET revoked_at = NULL WHERE key_id = '{key_id}'",
                "INSERT INTO api_keys (key_id, name, secret_hash) VALUES ('aaaaaaaaaaaaaaaa', 'x', '\\x00')",
                "DELETE FROM datasets", "INSERT INTO schema_migrations (version) VALUES (99)"):
        result = psql_as(postgres, "frames_reader", sql)
        assert result.returncode != 0 and "permission denied" in result.stderr, sql
    assert psql_as(postgres, "frames_reader", "SELECT count(*) FROM datasets").returncode == 0
    assert psql_as(postgres, "frames_reader", "SELECT count(*) FROM frames").returncode == 0
    assert lookup(roles, "aaaaaaaaaaaaaaaa") is None
    created = keys(bin_dir, roles["frames_reader"], "create", "keys_by_reader")
    assert created.returncode == 70 and created.stdout == "" and "permission denied" in created.stderr

    used = psql_as(postgres, "frames_reader", f"SELECT frames_key_used('{key_id}')")
    assert used.returncode == 0, used.stderr
    assert listed(bin_dir, roles, "keys_reader")["last_used_at"] in this_or_last_minute(postgres)


def test_a_temporary_table_cannot_stand_in_for_the_keys(bin_dir, roles, tokens, postgres):
    """The functions run with the owner's rights, so their search_path is pinned with pg_temp last."""
    token = create(bin_dir, roles, tokens, "keys_shadowed")
    key_id, _ = decode(token)
    result = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", roles["frames_reader"]],
                            input=f"""
        CREATE TEMPORARY TABLE api_keys (key_id text, name text, secret_hash bytea, previous_secret_hash bytea,
            previous_valid_until timestamptz, datasets text[], rate float8, burst int, expires_at timestamptz,
            revoked_at timestamptz, last_used_at timestamptz);
        INSERT INTO api_keys (key_id, name, secret_hash) VALUES ('{key_id}', 'forged', '\\x00');
        SELECT name FROM frames_key_lookup('{key_id}');
        """, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["keys_shadowed"]


def test_the_ingest_role_loads_data_but_not_keys(bin_dir, roles, postgres, sample_csv):
    loaded = stack.ingest(bin_dir, roles["frames_ingest"], sample_csv, "--dataset", "keys_ingested_by_role")
    assert loaded.returncode == 0, loaded.stderr
    assert int(postgres.psql("SELECT count(*) FROM frames WHERE dataset = 'keys_ingested_by_role'")) > 0
    for sql in ("SELECT * FROM api_keys", "SELECT * FROM frames_key_lookup('aaaaaaaaaaaaaaaa')"):
        result = psql_as(postgres, "frames_ingest", sql)
        assert result.returncode != 0 and "permission denied" in result.stderr, sql
    assert keys(bin_dir, roles["frames_ingest"], "list").returncode == 70


def test_no_token_in_any_table_or_log(bin_dir, roles, tokens, postgres, scratch):
    """Last in this file: every token the tests were given, searched for in a dump of the database and in
    every file under the session's scratch folder (PostgreSQL's log among them)."""
    assert len(tokens) >= 10
    dump = subprocess.run(["pg_dump", "--data-only", "-d", postgres.conninfo], check=True, capture_output=True,
                          text=True).stdout
    assert "keys_rotated" in dump  # the dump does hold the keys table
    secrets = [t.split("_")[2][:52] for t in tokens]
    assert not TOKEN.search(dump) and not any(s in dump for s in secrets)
    searched = 0
    for path in scratch.rglob("*"):
        if path.is_file() and not path.is_symlink():
            text = path.read_bytes().decode("latin-1")
            assert not TOKEN.search(text) and not any(s in text for s in secrets), path
            searched += 1
    assert searched > 0
