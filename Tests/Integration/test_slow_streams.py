"""Slow NDJSON readers, through nginx (the direct port, past the response cache). nginx does not buffer
a stream, so a client that reads slowly keeps its worker writing: FRAMES_STREAM_TIMEOUT bounds how long,
and FRAMES_MAX_STREAMS bounds how many workers the streams may hold at once."""
import json
import re
import socket
import subprocess
import time

import pytest

from conftest import stack

# 15,000 frames make an NDJSON body of about 8 MB: more than the socket buffers between the worker and
# a stalled client hold (nginx's send buffer to the client alone grows to 4 MB), so the worker really waits.
STREAM_ROWS = 15_000
STREAM = "/frames?dataset=long&depth_min=0&depth_max=100000&format=ndjson"
JSON = "/frames?dataset=sample&depth_min=9000&depth_max=9010"
PNG = JSON + "&format=png"
STREAM_TIMEOUT = 3


class SlowReader:
    """An HTTP/1.1 client with a tiny receive buffer that reads the head and a few bytes of its answer,
    then stalls until `finish` reads the rest."""

    def __init__(self, site, path):
        self.started = time.monotonic()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.connect(("127.0.0.1", site.nginx.direct_port))
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
        self.received = b""
        while b"\r\n\r\n" not in self.received:
            self.received += self.sock.recv(512)
        self.status = int(self.received.split(b" ", 2)[1])

    @property
    def head(self):
        return self.received.split(b"\r\n\r\n", 1)[0].decode()

    def finish(self, timeout=30):
        """Reads to the end; the whole answer and whether its chunked body was complete."""
        self.sock.settimeout(timeout)
        while chunk := self.sock.recv(65536):
            self.received += chunk
        self.sock.close()
        body = self.received.split(b"\r\n\r\n", 1)[1]
        return body, body.endswith(b"\r\n0\r\n\r\n")


def timed(site, path):
    started = time.monotonic()
    status, headers, body = site.get(path, base=site.direct_url)
    return status, headers, body, time.monotonic() - started


def log_lines(site, message):
    lines = (site.runtime / "frames-fcgi.log").read_text().splitlines()
    return [json.loads(line) for line in lines if line.startswith("{") and message in line]


@pytest.fixture(scope="module")
def long_log(bin_dir, scratch):
    path = scratch / "long.csv"
    subprocess.run([str(bin_dir / "frames-ingest"), "--generate-sample", str(path), "--rows", str(STREAM_ROWS)], check=True)
    return path


@pytest.fixture
def streams_site(bin_dir, postgres, scratch, sample_csv, long_log, request):
    assert stack.ingest(bin_dir, postgres.conninfo, sample_csv).returncode == 0
    assert stack.ingest(bin_dir, postgres.conninfo, "--dataset", "long", long_log).returncode == 0
    env = {"FRAMES_STREAM_TIMEOUT": str(STREAM_TIMEOUT), **getattr(request, "param", {})}
    site = stack.Stack(bin_dir, scratch / f"streams-{request.node.name[5:30]}", postgres=postgres, workers=4, env=env).start()
    yield site
    site.stop()


def test_as_many_slow_stream_readers_as_workers_leave_workers_for_json_and_png(streams_site):
    """Four workers, so by default two places for streams: of four slow readers two stream and two are
    told to come back; JSON and PNG are answered at once all along; the two streams are cut after
    FRAMES_STREAM_TIMEOUT, and the workers go on serving."""
    site = streams_site
    full = site.get(STREAM, base=site.direct_url)[2]
    workers = set(site.pool.worker_pids())
    readers = [SlowReader(site, STREAM) for _ in range(4)]
    streaming = [r for r in readers if r.status == 200]
    refused = [r for r in readers if r.status == 503]
    answers = [timed(site, path) for path in (JSON, PNG) * 5]
    slowest = max(a[3] for a in answers)
    ends = []
    for reader in streaming:
        time.sleep(max(0.0, reader.started + STREAM_TIMEOUT + 1 - time.monotonic()))
        ends.append((reader, *reader.finish()))
    for reader in refused:
        reader.finish()
    cuts = log_lines(site, "stream cut: the client read too slowly")
    print(f"4 slow NDJSON readers on 4 workers: {len(streaming)} streaming, {len(refused)} x 503; "
          f"JSON/PNG slowest {slowest * 1000:.0f} ms; streams cut after {STREAM_TIMEOUT} s at "
          f"{[c['bytes'] for c in cuts]} bytes of {len(full)}")
    assert len(streaming) == 2 and len(refused) == 2
    for reader in refused:
        assert "application/problem+json" in reader.head and re.search(r"Retry-After: \d+", reader.head)
    assert [a[0] for a in answers] == [200] * 10 and slowest < 1.0
    for reader, body, complete in ends:
        assert not complete, "the client sees the stream end without its last chunk"
        assert len(body) < len(full)
    assert len(cuts) == 2 and {c["dataset"] for c in cuts} == {"long"} and all(c["bytes"] > 0 for c in cuts)
    # How the worker makes nginx drop the client's connection rather than end the body cleanly.
    assert (site.runtime / "nginx-error.log").read_text().count("upstream sent unsupported FastCGI protocol version") == 2
    assert set(site.pool.worker_pids()) == workers, "no worker exited"
    assert timed(site, STREAM)[0] == 200, "the places are free again"


@pytest.mark.parametrize("streams_site", [{"FRAMES_MAX_STREAMS": "0"}], indirect=True)
def test_without_a_cap_slow_readers_hold_the_workers_only_for_the_stream_timeout(streams_site):
    site = streams_site
    workers = set(site.pool.worker_pids())
    readers = [SlowReader(site, STREAM) for _ in range(4)]
    assert [r.status for r in readers] == [200] * 4
    status, _, _, seconds = timed(site, JSON)
    print(f"4 slow NDJSON readers holding 4 workers: a JSON request answered after {seconds:.1f} s "
          f"(FRAMES_STREAM_TIMEOUT={STREAM_TIMEOUT})")
    assert status == 200 and seconds < STREAM_TIMEOUT + 1.5
    for reader in readers:
        assert not reader.finish()[1]
    assert set(site.pool.worker_pids()) == workers


@pytest.mark.parametrize("streams_site", [{"FRAMES_STREAM_TIMEOUT": "0", "FRAMES_MAX_STREAMS": "0"}], indirect=True)
def test_a_stream_whose_database_connection_dies_ends_cut_not_complete(streams_site, postgres):
    """The statement's backend is killed while the stream waits on its client: the rows already read
    reach the client, then nginx drops the connection, so the client cannot take the body for whole."""
    site = streams_site
    reader = SlowReader(site, STREAM)
    assert reader.status == 200
    killed = postgres.psql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                           "WHERE query LIKE '%frames%' AND state = 'active' AND pid <> pg_backend_pid()")
    body, complete = reader.finish()
    print(f"backends killed mid-stream: {killed}; the client got {len(body)} bytes, complete: {complete}")
    assert killed == "1" and not complete
    assert log_lines(site, "stream ended early")
