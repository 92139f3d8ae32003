"""The README's run command (`make run` → tools/run_stack.py): the key and the curl lines it prints
work as pasted into a shell, the URLs answer, and Ctrl-C stops everything it started."""
import contextlib
import re
import shlex
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import documented_requests
from conftest import stack


def processes_mentioning(text):
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if text in (proc / "cmdline").read_bytes().decode(errors="replace"):
                    found.append(int(proc.name))
            except OSError:
                pass
    return found


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.headers.get("Content-Type"), response.read()


def curl_line(text, label):
    return re.search(label + r"\s+(curl .*)", text).group(1)


def pasted(line, cwd):
    """The stdout of a printed curl line run in a shell, as a user pasting it would."""
    done = subprocess.run(["bash", "-c", line], cwd=cwd, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_run_command_prints_urls_that_answer_and_stops_on_ctrl_c(bin_dir, scratch):
    runtime = scratch / "run-command"
    command = [sys.executable, str(stack.REPO / "tools" / "run_stack.py"), "--runtime", str(runtime),
               "--workers", "2", "--no-shared", "--bin-dir", str(bin_dir)]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    printed = []
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            line = run.stdout.readline()
            if not line:
                break
            printed.append(line)
            if "Ctrl-C stops everything" in line:
                break
        text = "".join(printed)
        assert "Ctrl-C stops everything" in text, text
        url = lambda label: re.search(label + r"\s+(http\S+)", text).group(1)
        token = re.search(r"API key\s+(frames_\S+)", text).group(1)

        printed_urls = [url for url in re.findall(r"curl .*?'(http[^']+)'", text) if "/metrics" not in url]
        assert len(printed_urls) >= 3 and [p for url in printed_urls for p in documented_requests.problems(url)] == []
        line = curl_line(text, "frames as JSON")
        body = pasted(line, scratch)
        assert body.startswith(b'[{"depth":9000.1') and len(body) > 1000
        json_url = shlex.split(line)[-1]
        assert token not in json_url  # the key goes in the header, never in a URL
        # The key is what lets it through.
        try:
            fetch(json_url)
            raise AssertionError("answered without the key")
        except urllib.error.HTTPError as refused:
            assert refused.code == 401
        only_dataset = line.replace("dataset=sample&", "")
        assert "dataset=" not in only_dataset and pasted(only_dataset, scratch).startswith(b'[{"depth":9000.1')
        pasted(curl_line(text, "the log as PNG"), scratch)
        assert (scratch / "sample.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert b'"name":"sample"' in pasted(curl_line(text, "datasets"), scratch)
        assert url("the viewer").endswith(f"#dataset=sample&key={token}")
        # The pool publishes its file at most about once a second, after a request: ask until it has.
        def metrics():
            status, _, body = fetch(url("metrics"))
            return status == 200 and b"frames_ingest_rows_loaded_total 5460" in body and b"frames_pool_workers_alive 2" in body
        def published():
            if metrics():
                return True
            fetch(url("health, ready"))
            return False
        with contextlib.suppress(TimeoutError):
            stack.wait_for(published, timeout=5, what="the metrics")
        assert metrics()
        https = re.search(r"curl --cacert (\S+) (https://\S+)", text)
        done = subprocess.run(["curl", "-sS", "--cacert", https.group(1), https.group(2)], capture_output=True, text=True)
        assert '"status":"healthy"' in done.stdout, done.stderr
        assert processes_mentioning(str(runtime))
    finally:
        run.send_signal(signal.SIGINT)
        rest, _ = run.communicate(timeout=60)
    assert run.returncode == 0, rest
    assert "stopped." in rest
    assert processes_mentioning(str(runtime)) == []


def test_run_command_with_a_replica_reads_from_the_standby(bin_dir, scratch):
    """`make run REPLICA=1`: a primary and a standby; the pool reads from the standby."""
    runtime = scratch / "run-replica"
    command = [sys.executable, str(stack.REPO / "tools" / "run_stack.py"), "--runtime", str(runtime), "--replica",
               "--workers", "2", "--no-shared", "--bin-dir", str(bin_dir)]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    printed = []
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and (line := run.stdout.readline()):
            printed.append(line)
            if "Ctrl-C stops everything" in line:
                break
        text = "".join(printed)
        assert "pool reads with" in text and "target_session_attrs=prefer-standby" in text, text
        # The standby replays the ingest and the key a moment after their commits; a worker that looked
        # the key up before then remembers it as unknown for FRAMES_KEY_CACHE_SECONDS (30).
        deadline = time.monotonic() + 60
        while not (body := pasted(curl_line(text, "frames as JSON"), scratch)).startswith(b"["):
            assert time.monotonic() < deadline, f"the standby never served the loaded log: {body[:200]}"
            time.sleep(0.2)
        assert body.startswith(b'[{"depth":9000.1')
        # The pool's connections are on the standby, which is in recovery.
        standby_port = re.search(r"pool reads with .*port=(\d+),", text).group(1)
        on_standby = subprocess.run(
            ["psql", "-X", "-A", "-t", "-h", str(runtime / "pg-standby" / "pgsock"), "-p", standby_port, "-U",
             "postgres", "-d", "frames", "-c", "SELECT pg_is_in_recovery(), count(*) FROM pg_stat_activity "
             "WHERE datname = 'frames' AND pid <> pg_backend_pid()"], capture_output=True, text=True, check=True)
        in_recovery, pool_connections = on_standby.stdout.strip().split("|")
        assert in_recovery == "t" and int(pool_connections) >= 1
    finally:
        run.send_signal(signal.SIGINT)
        rest, _ = run.communicate(timeout=60)
    assert run.returncode == 0, rest
    assert processes_mentioning(str(runtime)) == []
