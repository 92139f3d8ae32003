"""Worker recycling, as php-fpm's pm.max_requests: a worker exits after FRAMES_MAX_REQUESTS requests or
past FRAMES_MAX_RSS_MB, multiwatch starts its successor, and no request fails meanwhile."""
import json
import threading
import time

import pytest

from conftest import stack


def hammer(site, seconds, clients=4):
    statuses = []
    deadline = time.monotonic() + seconds

    def client():
        while time.monotonic() < deadline:
            # Past nginx's cache when the stack has one: every request must reach a worker.
            statuses.append(site.get("/frames?dataset=sample&depth_min=9000&depth_max=9005",
                                     headers={"Cache-Control": "no-cache"})[0])

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def recycled(site):
    lines = (site.runtime / "frames-fcgi.log").read_text().splitlines()
    return [json.loads(line)["reason"] for line in lines if '"worker recycled"' in line]


@pytest.mark.parametrize("limits", [{"FRAMES_MAX_REQUESTS": "60"}, {"FRAMES_MAX_RSS_MB": "1"}],
                         ids=["max-requests", "max-rss"])
def test_workers_recycle_without_a_failed_request(bin_dir, postgres, scratch, sample_csv, limits):
    assert stack.ingest(bin_dir, postgres.conninfo, sample_csv).returncode == 0
    name = next(iter(limits)).lower()
    site = stack.Stack(bin_dir, scratch / f"recycle-{name}", postgres=postgres, workers=2, env=limits).start()
    try:
        first_pids = set(site.pool.worker_pids())
        statuses = hammer(site, 8)
        reasons = recycled(site)
        assert statuses.count(200) == len(statuses) > 500, {s: statuses.count(s) for s in set(statuses)}
        # A worker lives at least a second (multiwatch would take a younger death for a failed start).
        assert len(reasons) >= 6, reasons
        if "FRAMES_MAX_REQUESTS" in limits:
            # Each worker draws its limit within 10 % of 60, and answers at least that many.
            assert min(int(reason.split()[1]) for reason in reasons) >= 54, reasons
        else:
            assert all("resident memory" in reason for reason in reasons)
        stack.wait_for(lambda: len(site.pool.worker_pids()) == 2, 5, "two workers again")
        assert not first_pids & set(site.pool.worker_pids()), "the first workers were replaced"
    finally:
        site.stop()
