"""OAuth2 access tokens (FRAMES_OAUTH_*) beside API keys, through real nginx, a 2-worker spawn-fcgi pool
(logged in as frames_reader, every statement logged) and PostgreSQL. The identity provider is played by
the test: its keys are made with `cryptography`, its JWKS file written into the runtime folder, its
tokens signed here. Every refusal is a 401 or 403 as RFC 6750 says, and no refused token sends a
statement; a key rotation in the file is picked up without a restart."""
import base64
import hashlib
import hmac
import json
import os
import subprocess
import time

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from conftest import stack
from test_auth import STATEMENT, create, get
from test_keys import roles  # noqa: F401 (a fixture)
from test_metrics import scrape_after_publish

ISSUER = "https://idp.example.test/realms/frames"
AUDIENCE = "frames-api"
FRAMES = "/frames?dataset=oauth_a&depth_min=9000.1&depth_max=9001"
RATE = 3  # FRAMES_RATE_DEFAULT of this pool, per subject; the burst is twice that
# The routine re-check of the JWKS file (KeySetReloadSchedule's default), and a margin for a slow machine.
RECHECK_SECONDS = 15 + 3


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def integer(value):
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


class Key:
    """One of the provider's signing keys: its JWK, and tokens signed with it."""

    def __init__(self, kind, kid):
        self.kind, self.kid = kind, kid
        if kind == "RS256":
            self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            numbers = self.private.public_key().public_numbers()
            self.jwk = {"kty": "RSA", "n": integer(numbers.n), "e": integer(numbers.e)}
        elif kind == "ES256":
            self.private = ec.generate_private_key(ec.SECP256R1())
            numbers = self.private.public_key().public_numbers()
            self.jwk = {"kty": "EC", "crv": "P-256", "x": b64url(numbers.x.to_bytes(32, "big")),
                        "y": b64url(numbers.y.to_bytes(32, "big"))}
        else:
            self.private = ed25519.Ed25519PrivateKey.generate()
            raw = self.private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            self.jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}
        self.jwk = dict(self.jwk, kid=kid, use="sig")

    def sign(self, data):
        if self.kind == "RS256":
            return self.private.sign(data, padding.PKCS1v15(), hashes.SHA256())
        if self.kind == "ES256":
            r, s = decode_dss_signature(self.private.sign(data, ec.ECDSA(hashes.SHA256())))
            return r.to_bytes(32, "big") + s.to_bytes(32, "big")
        return self.private.sign(data)

    def public_pem(self):
        return self.private.public_key().public_bytes(serialization.Encoding.PEM,
                                                      serialization.PublicFormat.SubjectPublicKeyInfo)

    def token(self, alg=None, **claims):
        header = {"alg": alg or ("EdDSA" if self.kind == "EdDSA" else self.kind), "typ": "at+jwt", "kid": self.kid}
        signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(good_claims(**claims)).encode())
        return signing_input + "." + b64url(self.sign(signing_input.encode()))


def good_claims(**replacing):
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": [AUDIENCE, "account"], "exp": now + 300, "iat": now - 5, "nbf": now - 5,
              "sub": "alice", "scope": "openid frames:read"}
    claims.update(replacing)
    return {name: value for name, value in claims.items() if value is not None}


def write_key_set(path, keys):
    """Atomically, as the fetch does: a reader sees the old file or the new one, never half of one."""
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps({"keys": [key.jwk for key in keys]}))
    os.replace(partial, path)


@pytest.fixture(scope="module")
def provider():
    return {"rsa": Key("RS256", "rsa-1"), "ec": Key("ES256", "ec-1"), "ed": Key("EdDSA", "ed-1")}


@pytest.fixture(scope="module")
def site(bin_dir, postgres, roles, sample_csv, provider, scratch):  # noqa: F811
    for name in ("oauth_a", "oauth_b"):
        result = stack.ingest(bin_dir, postgres.conninfo, sample_csv, "--dataset", name)
        assert result.returncode == 0, result.stderr
    postgres.psql("ALTER ROLE frames_reader SET log_statement = 'all'")
    key_set = scratch / "oauth-jwks.json"
    write_key_set(key_set, provider.values())
    web = stack.Stack(bin_dir, postgres=postgres, workers=2,
                      env={"FRAMES_AUTH": "required", "FRAMES_DATABASE_URL": roles["frames_reader"],
                           "FRAMES_RATE_DEFAULT": str(RATE), "FRAMES_OAUTH_ISSUER": ISSUER,
                           "FRAMES_OAUTH_AUDIENCE": AUDIENCE, "FRAMES_OAUTH_JWKS": str(key_set)}).start()
    web.key_set = key_set
    web.tokens = []
    yield web
    web.stop()
    postgres.psql("ALTER ROLE frames_reader RESET log_statement")


def send(site, path, token):
    site.tokens.append(token)
    return get(site, path, token)


def statements_while(postgres, action):
    start = postgres.log.stat().st_size
    action()
    time.sleep(0.5)
    with open(postgres.log, errors="replace") as log:
        log.seek(start)
        return STATEMENT.findall(log.read())


@pytest.mark.parametrize("given", [["FRAMES_OAUTH_ISSUER"], ["FRAMES_OAUTH_ISSUER", "FRAMES_OAUTH_JWKS"],
                                   ["FRAMES_OAUTH_AUDIENCE"]])
def test_some_but_not_all_oauth_settings_exit_64_naming_the_missing(bin_dir, given):
    values = {"FRAMES_OAUTH_ISSUER": ISSUER, "FRAMES_OAUTH_AUDIENCE": AUDIENCE, "FRAMES_OAUTH_JWKS": "/nonexistent.json"}
    env = stack.base_environment({name: values[name] for name in given} | {"FRAMES_AUTH": "required"})
    env["FRAMES_DATABASE_URL"] = "host=/nonexistent dbname=frames"
    result = subprocess.run([str(bin_dir / "frames-fcgi")], env=env, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=30)
    assert result.returncode == 64, result.stderr
    missing = [name for name in values if name not in given]
    assert "missing: " + ", ".join(missing) in result.stderr, result.stderr


def test_oauth_settings_with_auth_off_exit_64(bin_dir):
    env = stack.base_environment({"FRAMES_AUTH": "off", "FRAMES_OAUTH_ISSUER": ISSUER, "FRAMES_OAUTH_AUDIENCE": AUDIENCE,
                                  "FRAMES_OAUTH_JWKS": "/nonexistent.json"})
    env["FRAMES_DATABASE_URL"] = "host=/nonexistent dbname=frames"
    result = subprocess.run([str(bin_dir / "frames-fcgi")], env=env, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=30)
    assert result.returncode == 64 and "FRAMES_AUTH is off" in result.stderr, result.stderr


def test_a_good_token_of_each_algorithm_reads_and_api_keys_still_work(site, provider, roles):  # noqa: F811
    for key in provider.values():
        status, head, body, problem = send(site, FRAMES, key.token(sub=f"reader-{key.kid}"))
        assert status == 200, (key.kind, problem)
        assert len(json.loads(body)) == 10 and head["Cache-Control"].startswith("private")
    assert get(site, FRAMES, create(site, roles, "oauth_beside"))[0] == 200


def refused_tokens(provider):
    rsa_key, ec_key = provider["rsa"], provider["ec"]
    now = int(time.time())
    good = ec_key.token(sub="mallory")
    header, payload, signature = good.split(".")
    hs256_input = b64url(json.dumps({"alg": "HS256", "kid": rsa_key.kid}).encode()) + "." + b64url(
        json.dumps(good_claims()).encode())
    stranger = Key("ES256", "ec-unknown")
    return {
        "expired": (ec_key.token(exp=now - 3600), "has expired"),
        "not yet valid": (ec_key.token(nbf=now + 3600), "not valid yet"),
        "wrong iss": (ec_key.token(iss="https://evil.example.test"), "another issuer"),
        "wrong aud": (ec_key.token(aud="another-service"), "not meant for this service"),
        "no exp": (ec_key.token(exp=None), "no expiry"),
        "alg none": (b64url(b'{"alg":"none","kid":"ec-1"}') + "." + payload + ".", "algorithm is not accepted"),
        "HS256 with the public key": (hs256_input + "." + b64url(
            hmac.new(rsa_key.public_pem(), hs256_input.encode(), hashlib.sha256).digest()), "algorithm is not accepted"),
        "tampered payload": (header + "." + b64url(json.dumps(good_claims(sub="admin")).encode()) + "." + signature,
                             "signature is not valid"),
        "stripped signature": (header + "." + payload + ".", "it has no signature"),
        "unknown kid": (stranger.token(), "is not one of the identity provider's keys"),
        "header not JSON": (b64url(b"not json at all") + "." + payload + "." + signature, "malformed"),
    }


def test_each_bad_token_is_401_invalid_token_and_sends_no_statement(site, provider, postgres):
    answers = {}

    def send_all():
        for name, (token, _) in refused_tokens(provider).items():
            answers[name] = send(site, FRAMES, token)

    assert statements_while(postgres, send_all) == []
    for name, (_, description) in refused_tokens(provider).items():
        status, head, _, problem = answers[name]
        assert status == 401, (name, status, problem)
        challenge = head["WWW-Authenticate"]
        assert challenge.startswith('Bearer realm="frames", error="invalid_token", error_description="'), (name, challenge)
        assert description in challenge and description in problem["detail"], (name, challenge, problem)
        assert head["Content-Type"] == "application/problem+json" and problem["status"] == 401
    # The control: the same log shows the statements of a good token's request.
    assert statements_while(postgres, lambda: send(site, FRAMES, provider["ed"].token(sub="control"))) != []


def test_a_64_kb_token_is_refused_before_the_pool_and_sends_no_statement(site, provider, postgres):
    # nginx takes request headers up to 8 KB (large_client_header_buffers), and the worker's own bound is the
    # same: the token never reaches a worker, let alone PostgreSQL.
    huge = provider["ec"].token(sub="huge", padding="x" * 65536)
    assert len(huge) > 64 * 1024
    answers = []
    assert statements_while(postgres, lambda: answers.append(send(site, FRAMES, huge))) == []
    # nginx's own refusal, 494 sent as 431 (headers too large), in the one error shape.
    status, head, _, problem = answers[0]
    assert status == 431 and head["Content-Type"] == "application/problem+json" and problem["status"] == 431, answers[0][:2]


def test_scopes_limit_the_datasets_like_a_keys_list(site, provider):
    narrow = provider["rsa"].token(sub="narrow", scope="openid frames:read:oauth_b")
    status, head, _, problem = send(site, FRAMES, narrow)
    assert status == 403 and problem["status"] == 403, problem
    assert head["WWW-Authenticate"] == ('Bearer realm="frames", error="insufficient_scope", error_description="the '
                                        'access token lacks the scope frames:read:oauth_a", scope="frames:read:oauth_a"')
    assert send(site, FRAMES.replace("oauth_a", "oauth_b"), narrow)[0] == 200
    status, _, body, _ = send(site, "/datasets", narrow)
    assert status == 200 and [entry["name"] for entry in json.loads(body)] == ["oauth_b"]
    status, _, _, problem = send(site, "/statistics", narrow)
    assert status == 400 and problem["detail"].endswith("name one with dataset=: oauth_b"), problem
    assert send(site, FRAMES, provider["rsa"].token(sub="nobody", scope="openid"))[0] == 403


def test_each_subject_has_the_default_rate_limit_shared_by_the_pool(site, provider):
    token = provider["ed"].token(sub="hasty")
    answers = [send(site, "/datasets", token) for _ in range(4 * RATE)]
    refused = [head for status, head, _, _ in answers if status == 429]
    # A burst of 2 x RATE at once, and about RATE more a second while the requests run.
    assert 0 < len(refused) <= 2 * RATE and all(int(head["Retry-After"]) >= 1 for head in refused), [a[0] for a in answers]
    assert send(site, "/datasets", provider["ed"].token(sub="patient"))[0] == 200


def test_a_rotated_key_set_is_picked_up_without_a_restart(site, provider):
    old = provider["ec"].token(sub="rotation-old")
    assert send(site, FRAMES, old)[0] == 200
    new_key = Key("ES256", "ec-2")
    write_key_set(site.key_set, [new_key, provider["rsa"], provider["ed"]])
    rotated = time.monotonic()
    new = new_key.token(sub="rotation")
    # A token of a kid a worker does not know makes it re-read the file (at most once every 10 s).
    while send(site, FRAMES, new)[0] != 200:
        assert time.monotonic() - rotated < RECHECK_SECONDS, "the new key was not picked up"
        time.sleep(0.5)
    # Past the routine re-check every worker has the new set, and a removed key's tokens are refused,
    # cached or not.
    time.sleep(max(0.0, RECHECK_SECONDS - (time.monotonic() - rotated)))
    for _ in range(6):
        assert send(site, FRAMES, new)[0] == 200
        status, head, _, _ = send(site, FRAMES, old)
        assert status == 401 and 'error="invalid_token"' in head["WWW-Authenticate"]


def test_metrics_count_refused_tokens_by_outcome_and_requests_by_subject(site, provider):
    before = scrape_after_publish(site)
    assert send(site, FRAMES, provider["rsa"].token(sub="metered"))[0] == 200
    assert send(site, FRAMES, provider["rsa"].token(sub="metered", exp=int(time.time()) - 3600))[0] == 401
    assert send(site, FRAMES, provider["rsa"].token(sub="metered", scope="frames:read:oauth_b"))[0] == 403
    after = scrape_after_publish(site)

    def grown(outcome, code="4xx"):
        name = f'frames_http_requests_total{{code="{code}",outcome="{outcome}",route="/frames"}}'
        return after.get(name, 0) - before.get(name, 0)
    assert (grown("invalid_token"), grown("insufficient_scope"), grown("answered", "2xx")) == (1, 1, 1)
    # The 403 was admitted (its token is good), then refused for its scope.
    assert after['frames_key_requests_total{key="sub:metered",outcome="admitted"}'] == 2


def test_logs_name_subject_and_issuer_and_hold_no_token(site):
    log = (site.runtime / "frames-fcgi.log").read_text()
    assert any(f'"iss":"{spelled}"' in log for spelled in (ISSUER, ISSUER.replace("/", "\\/"))) and '"sub":"narrow"' in log
    texts = [log, (site.runtime / "nginx-access.log").read_text(errors="replace")]
    assert len(site.tokens) >= 20
    # A signature part is what only the token has (a header or a payload can recur in a refusal's detail).
    leaked = [token for token in site.tokens if token.split(".")[-1] and any(token in text for text in texts)]
    assert leaked == []
