"""Metrics as node_exporter serves them from the textfile folder: values match the traffic sent,
counters survive a killed worker, the ingest's file says when it last succeeded, and promtool accepts
the exposition."""
import os
import re
import signal
import subprocess
import time

import pytest

from conftest import stack


def samples(text):
    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            key, value = line.rsplit(" ", 1)
            values[key] = float(value)
    return values


def scrape_after_publish(web):
    """Workers publish at most once a second, after a request: wait, then make one more request. The
    worker writes the file after it has answered, so wait for the file to change before scraping."""
    prom = web.metrics_dir / "frames_pool.prom"
    written = prom.stat().st_mtime_ns if prom.exists() else 0
    time.sleep(1.2)
    assert web.get("/health")[0] == 200
    stack.wait_for(lambda: prom.exists() and prom.stat().st_mtime_ns != written, 5, "frames_pool.prom rewritten")
    return samples(web.node_exporter.scrape())


def requests(values, route, code):
    """Requests answered by their endpoint (those refused for a key have their own outcomes)."""
    return values.get(f'frames_http_requests_total{{code="{code}",outcome="answered",route="{route}"}}', 0)


@pytest.fixture(scope="module")
def loaded(web):
    sample = web.runtime / "metrics.csv"
    subprocess.run([str(web.bin_dir / "frames-ingest"), "--generate-sample", str(sample), "--rows", "300"], check=True)
    result = web.ingest(sample)
    assert result.returncode == 0, result.stderr
    return web


def test_pool_metrics_match_the_traffic_sent(loaded):
    web = loaded
    before = scrape_after_publish(web)
    for _ in range(7):
        assert web.get("/health")[0] == 200
    for _ in range(5):  # past nginx's cache, which would answer the repeats itself
        assert web.get("/frames?dataset=metrics&depth_min=9000.1&depth_max=9010", base=web.direct_url)[0] == 200
    for _ in range(3):
        assert web.get("/frames?dataset=nope&depth_min=1&depth_max=2")[0] == 404
    after = scrape_after_publish(web)
    assert requests(after, "/health", "2xx") - requests(before, "/health", "2xx") == 7 + 1
    assert requests(after, "/frames", "2xx") - requests(before, "/frames", "2xx") == 5
    assert requests(after, "/frames", "4xx") - requests(before, "/frames", "4xx") == 3
    assert after["frames_frames_served_total"] - before["frames_frames_served_total"] == 500
    count = after["frames_http_request_duration_seconds_count"] - before["frames_http_request_duration_seconds_count"]
    assert count == 16
    assert after['frames_http_request_duration_seconds_bucket{le="+Inf"}'] == after["frames_http_request_duration_seconds_count"]
    assert after["frames_http_response_body_bytes_total"] > before["frames_http_response_body_bytes_total"]
    assert after["frames_pool_workers_alive"] == len(web.pool.worker_pids())
    assert after["node_textfile_scrape_error"] == 0


def test_counters_stay_monotonic_when_a_worker_is_killed(loaded):
    web = loaded
    before = scrape_after_publish(web)
    victim = web.pool.worker_pids()[0]
    os.kill(victim, signal.SIGKILL)
    stack.wait_for(lambda: victim not in web.pool.worker_pids() and len(web.pool.worker_pids()) == web.workers,
                   what="a replacement worker")
    after = scrape_after_publish(web)
    total = lambda values: sum(v for k, v in values.items() if k.startswith("frames_http_requests_total"))
    assert total(after) >= total(before) + 1
    assert after["frames_pool_worker_restarts_total"] == before["frames_pool_worker_restarts_total"] + 1
    assert after["frames_pool_workers_alive"] == web.workers


def test_ingest_metrics_count_rows_files_and_success(loaded):
    web = loaded
    before = samples(web.node_exporter.scrape())
    sample = web.runtime / "metrics2.csv"
    subprocess.run([str(web.bin_dir / "frames-ingest"), "--generate-sample", str(sample), "--rows", "120"], check=True)
    started = time.time()
    assert web.ingest(sample).returncode == 0
    bad = web.runtime / "bad-metrics.csv"
    bad.write_text("depth,c1\n1,999\n")
    assert web.ingest(bad).returncode == 65
    after = samples(web.node_exporter.scrape())
    assert after["frames_ingest_rows_loaded_total"] - before["frames_ingest_rows_loaded_total"] == 120
    assert after['frames_ingest_files_total{result="done"}'] - before['frames_ingest_files_total{result="done"}'] == 1
    assert after['frames_ingest_files_total{result="failed"}'] - before['frames_ingest_files_total{result="failed"}'] == 1
    assert started - 1 <= after["frames_ingest_last_success_timestamp_seconds"] <= time.time()
    assert after["frames_ingest_last_run_timestamp_seconds"] >= after["frames_ingest_last_success_timestamp_seconds"]
    assert after["node_textfile_scrape_error"] == 0


def test_promtool_accepts_the_exposition(loaded):
    text = loaded.node_exporter.scrape()
    ours = "\n".join(line for line in text.splitlines() if re.match(r"(# (HELP|TYPE) )?frames_", line)) + "\n"
    assert "frames_ingest_rows_loaded_total" in ours and "frames_http_request_duration_seconds_bucket" in ours
    for exposition in (text, ours):
        check = subprocess.run(["promtool", "check", "metrics"], input=exposition, capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
    for name in ("frames_pool.prom", "frames_ingest.prom"):
        check = subprocess.run(["promtool", "check", "metrics"], input=(loaded.metrics_dir / name).read_text(),
                               capture_output=True, text=True)
        assert check.returncode == 0 and not check.stdout.strip() and not check.stderr.strip(), check.stdout + check.stderr
