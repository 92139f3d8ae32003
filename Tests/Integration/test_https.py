"""The front end as nginx/local.conf.in and nginx/frames-fastcgi.conf set it up (the same TLS and app
settings as the site nginx/frames.conf): HTTPS with the self-signed localhost certificate and HTTP/2,
TLS 1.2+ only, HSTS, the plain port's 301 to HTTPS, gzip for JSON but not PNG, the request id, the
static baseline and nginx -t on the rendered file."""
import gzip
import json
import re
import socket
import ssl
import subprocess
import warnings

import pytest

from conftest import stack


def curl(*args):
    result = subprocess.run(["curl", "-sS", "--max-time", "20", *map(str, args)], capture_output=True, text=True)
    return result


def head(result):
    """Status code and lower-cased headers of `curl -i`/`-D -` output (the last response)."""
    blocks = [b for b in re.split(r"\r?\n\r?\n", result.stdout) if b.startswith("HTTP/")]
    lines = blocks[-1].splitlines()
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


def https_port(web):
    return web.nginx.https_port


def test_rendered_config_passes_nginx_t(web):
    checked = web.nginx.test_config()
    assert checked.returncode == 0, checked.stderr
    text = web.nginx.conf.read_text()
    assert "@" not in re.sub(r"#.*", "", text), "an unreplaced @MARKER@ is left"
    assert str(stack.REPO / "nginx" / "frames-fastcgi.conf") in text


def test_health_over_https_with_the_cacert_on_http2(web):
    result = curl("--cacert", web.nginx.cacert, "-o", "/dev/null", "-w", "%{http_code} %{http_version}",
                  f"{web.nginx.https_url}/health")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "200 2"


def test_https_by_ip_matches_the_certificate_san(web):
    result = curl("--cacert", web.nginx.cacert, "-o", "/dev/null", "-w", "%{http_code}",
                  f"https://127.0.0.1:{https_port(web)}/health")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "200"


def test_https_without_the_cacert_is_not_trusted(web):
    result = curl("-o", "/dev/null", f"{web.nginx.https_url}/health")
    assert result.returncode == 60, (result.returncode, result.stderr)  # peer certificate cannot be authenticated


def handshake(port, version, ciphers="DEFAULT"):
    """Negotiated protocol of a handshake limited to exactly `version`; raises ssl.SSLError if refused."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    # SECLEVEL=0 lets this client offer TLS 1.0/1.1 (Debian's OpenSSL refuses them at level 2 itself),
    # so a failure below is the server's refusal, not the client's.
    context.set_ciphers(f"{ciphers}:@SECLEVEL=0")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # ssl.TLSVersion.TLSv1/TLSv1_1: on purpose
        context.minimum_version = version
        context.maximum_version = version
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            return tls.version()


@pytest.mark.parametrize("version", [ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1])
def test_old_tls_is_refused_by_the_server(web, version):
    with pytest.raises(ssl.SSLError) as refused:
        handshake(https_port(web), version)
    # The server's alert, not a client-side "no protocols available".
    assert "PROTOCOL_VERSION" in str(refused.value).upper() or "UNSUPPORTED_PROTOCOL" in str(refused.value).upper()
    assert "NO_PROTOCOLS_AVAILABLE" not in str(refused.value).upper()


def test_the_same_client_gets_tls_1_2_and_1_3(web):
    assert handshake(https_port(web), ssl.TLSVersion.TLSv1_2) == "TLSv1.2"
    assert handshake(https_port(web), ssl.TLSVersion.TLSv1_3) == "TLSv1.3"


def test_curl_tls_1_1_is_refused(web):
    result = curl("--cacert", web.nginx.cacert, "--tlsv1.1", "--tls-max", "1.1", "--ciphers", "DEFAULT:@SECLEVEL=0",
                  f"{web.nginx.https_url}/health")
    assert result.returncode != 0
    assert "200" not in result.stdout


@pytest.mark.parametrize("path", ["/health", "/no-such-route"])
def test_hsts_header_on_https_answers(web, path):
    status, headers = head(curl("--cacert", web.nginx.cacert, "-o", "/dev/null", "-D", "-",
                                f"{web.nginx.https_url}{path}"))
    assert status == (200 if path == "/health" else 404)
    hsts = headers.get("strict-transport-security", "")
    max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))
    assert max_age >= 31536000


@pytest.mark.parametrize("path", ["/health", "/frames?dataset=x&depth_min=1&depth_max=2", "/"])
def test_plain_http_gets_a_301_to_https(web, path):
    status, headers = head(curl("-o", "/dev/null", "-D", "-", f"{web.nginx.http_url}{path}"))
    assert status == 301
    assert headers["location"] == f"{web.nginx.https_url}{path}"


def test_following_the_redirect_reaches_the_app(web):
    result = curl("-L", "--cacert", web.nginx.cacert, "-o", "/dev/null", "-w", "%{http_code} %{url_effective}",
                  f"{web.nginx.http_url}/health")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"200 {web.nginx.https_url}/health"


def test_the_plain_port_serves_the_app(web):
    status, _, body = web.get("/health")
    assert status == 200, body


def test_json_is_gzipped_png_is_not(web, sample_csv):
    web.ingest(sample_csv, check=True)
    status, headers, body = web.get("/datasets", headers={"Accept-Encoding": "gzip"})
    assert status == 200
    if len(gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body) >= 256:
        assert headers.get("Content-Encoding") == "gzip"
        json.loads(gzip.decompress(body))
    query = "/frames?dataset=sample&depth_min=9000&depth_max=9010&format=png"
    status, headers, body = web.get(query, headers={"Accept-Encoding": "gzip"})
    assert status == 200, body[:300]
    assert headers["Content-Type"] == "image/png"
    assert "Content-Encoding" not in headers
    assert body.startswith(b"\x89PNG")


def test_ndjson_streams_gzipped(web, sample_csv):
    web.ingest(sample_csv, check=True)
    status, headers, body = web.get("/frames?dataset=sample&depth_min=9000&depth_max=9010&format=ndjson",
                                    headers={"Accept-Encoding": "gzip"})
    assert status == 200, body[:300]
    assert headers["Content-Type"].startswith("application/x-ndjson")
    assert headers.get("Content-Encoding") == "gzip"
    lines = gzip.decompress(body).decode().splitlines()
    assert len(lines) >= 2 and all(json.loads(line) is not None for line in lines)


def logged(path, marker, timeout=5.0):
    """The last line of a log file that contains `marker`, waiting for it: nginx writes its access log line
    after the response has gone out, the app may log after answering."""
    found = []

    def look():
        if path.exists():
            found[:] = [line for line in path.read_text().splitlines() if marker in line][-1:]
        return bool(found)
    stack.wait_for(look, timeout, f"'{marker}' in {path.name}")
    return found[0]


def test_request_id_is_in_the_access_log_as_json(web):
    status, _, _ = web.get("/health", headers={"User-Agent": "probe-request-id"})
    assert status == 200
    record = json.loads(logged(web.runtime / "nginx-access.log", "probe-request-id"))
    assert re.fullmatch(r"[0-9a-f]{32}", record["request_id"])
    assert record["status"] == 200 and record["upstream_status"] == "200"


def test_the_app_gets_nginx_request_id_not_the_clients(web):
    """The app logs the id it got as HTTP_X_REQUEST_ID: nginx's own, whatever the client sent."""
    web.get("/no-such-route", headers={"X-Request-Id": "forged-by-the-client", "User-Agent": "probe-forged-id"})
    record = json.loads(logged(web.runtime / "nginx-access.log", "probe-forged-id"))
    logged(web.runtime / "frames-fcgi.log", record["request_id"])
    assert "forged-by-the-client" not in (web.runtime / "frames-fcgi.log").read_text()


def test_static_baseline_serves_runtime_static(web):
    payload = bytes(range(256)) * 64
    (web.runtime / "static" / "frame.png").write_bytes(payload)
    status, headers, body = web.get("/static-baseline/frame.png")
    assert status == 200 and body == payload
    assert headers["Content-Type"] == "image/png"
