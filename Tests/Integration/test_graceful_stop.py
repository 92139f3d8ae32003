"""SIGTERM to the pool lets the request in flight finish: a long NDJSON stream started before the
signal arrives whole, and then the pool exits."""
import json
import signal
import socket
import subprocess
import time
from urllib.parse import urlparse

from conftest import stack


def test_sigterm_lets_the_request_in_flight_finish(bin_dir, postgres, scratch):
    sample = scratch / "graceful.csv"
    subprocess.run([str(bin_dir / "frames-ingest"), "--generate-sample", str(sample), "--rows", "20000"], check=True)
    assert stack.ingest(bin_dir, postgres.conninfo, sample).returncode == 0
    site = stack.Stack(bin_dir, scratch / "graceful-web", postgres=postgres, workers=1).start()
    try:
        address = urlparse(site.plain_url)
        client = socket.create_connection((address.hostname, address.port), timeout=30)
        client.sendall(b"GET /frames?dataset=graceful&depth_min=0&depth_max=99999&format=ndjson HTTP/1.1\r\n"
                       b"Host: localhost\r\nConnection: close\r\n\r\n")
        received = client.recv(65536)
        assert received.startswith(b"HTTP/1.1 200"), received[:200]
        site.pool.process.send_signal(signal.SIGTERM)  # as systemctl stop does: multiwatch tells the worker
        time.sleep(0.5)
        while chunk := client.recv(1 << 20):
            received += chunk
        client.close()
        site.pool.process.wait(timeout=30)
    finally:
        site.stop()
    head, _, body = received.partition(b"\r\n\r\n")
    assert b"chunked" in head.lower()
    text = b"".join(_dechunk(body)).decode()
    lines = text.splitlines()
    # The default limit (10,000 frames) caps the range: all of them arrive, the last one whole.
    assert len(lines) == 10000 and json.loads(lines[-1])["depth"] == 10000.0


def _dechunk(body):
    while body:
        size, _, rest = body.partition(b"\r\n")
        length = int(size, 16)
        if length == 0:
            return
        yield rest[:length]
        body = rest[length + 2:]
