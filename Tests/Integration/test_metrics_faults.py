"""A metrics folder that cannot be written (a full, size-limited tmpfs): the pool keeps serving, no
partial .prom file is ever visible to node_exporter, and the problem is logged once for the whole pool,
then once more when it recovers. The ingest's metrics fail the same way without failing the ingest."""
import os
import subprocess
import threading
import time

import pytest

from conftest import stack


@pytest.fixture
def full_metrics_site(bin_dir, postgres, scratch, sample_csv):
    assert stack.ingest(bin_dir, postgres.conninfo, sample_csv).returncode == 0
    site = stack.Stack(bin_dir, scratch / "full-metrics-web", postgres=postgres, workers=2)
    site.metrics_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(site.metrics_dir)], check=True)
    try:
        site.start()
        yield site
    finally:
        site.stop()
        subprocess.run(["umount", "-l", str(site.metrics_dir)], check=False)


def fill(folder):
    """Writes until the file system refuses: every later write fails with ENOSPC."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)


def log_lines(site, text):
    return [line for line in (site.runtime / "frames-fcgi.log").read_text().splitlines() if text in line]


def test_full_metrics_folder_keeps_serving_and_logs_once(full_metrics_site):
    site = full_metrics_site
    time.sleep(1.2)  # the first publish, with room
    prom = site.metrics_dir / "frames_pool.prom"
    assert prom.exists()
    fill(site.metrics_dir)

    seen = []
    stop = threading.Event()

    def watch():
        # node_exporter's view of the folder while it is full: a .prom file is whole or absent.
        while not stop.is_set():
            if prom.exists():
                text = prom.read_text()
                seen.append(text.endswith("\n") and "frames_http_requests_total" in text)
            time.sleep(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        statuses = []
        for _ in range(300):
            statuses.append(site.get("/frames?dataset=sample&depth_min=9000&depth_max=9010")[0])
            time.sleep(0.01)
    finally:
        stop.set()
        watcher.join()
    assert set(statuses) == {200}
    assert seen and all(seen), "a partial frames_pool.prom was visible"
    assert len(log_lines(site, "cannot write pool metrics")) == 1
    status, _, body = site.get("", base=site.metrics_url)
    assert status == 200 and b"node_textfile_scrape_error 0" in body

    (site.metrics_dir / "filler").unlink()
    time.sleep(1.5)
    site.get("/health")
    time.sleep(1.5)
    site.get("/health")
    assert len(log_lines(site, "pool metrics are written again")) == 1
    assert len(log_lines(site, "cannot write pool metrics")) == 1
    assert "frames_http_requests_total" in prom.read_text()


def test_full_metrics_folder_does_not_fail_an_ingest(full_metrics_site, sample_csv):
    site = full_metrics_site
    fill(site.metrics_dir)
    result = site.ingest(sample_csv)
    assert result.returncode == 0, result.stderr
    assert "cannot write metrics" in result.stderr
    assert not (site.metrics_dir / "frames_ingest.prom").exists()
    assert not list(site.metrics_dir.glob("*.part")), "no partial file left behind"
