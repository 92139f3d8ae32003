"""Past one database host, on PostgreSQL's own streaming replication: a primary and a hot standby made
with `pg_basebackup -R`. The pool reads with a multi-host conninfo that prefers the standby; the ingest
writes with one that wants a read-write server. Stopping the standby under load costs no request, and
after the primary stops and the standby is promoted, the ingest writes to the new primary."""
import threading
import time

import pytest

from conftest import stack


@pytest.fixture
def pair(scratch):
    primary = stack.Postgres(scratch / "repl-primary").init().start().create_database()
    standby = None
    try:
        standby = primary.standby(scratch / "repl-standby")
        yield primary, standby
    finally:
        for cluster in (standby, primary):
            if cluster:
                cluster.stop()


def replayed(standby, dataset, frames, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if standby.psql(f"SELECT frame_count FROM datasets WHERE name = '{dataset}'") == str(frames):
                return True
        except Exception:  # noqa: BLE001 — the schema may not have arrived yet
            pass
        time.sleep(0.1)
    return False


def load(bin_dir, conninfo, path):
    result = stack.ingest(bin_dir, conninfo, path)
    assert result.returncode == 0, result.stderr
    return result


def test_reads_prefer_the_standby_survive_its_loss_and_writes_follow_a_promotion(bin_dir, scratch, pair, sample_csv):
    primary, standby = pair
    writes = stack.multi_host_conninfo([standby, primary], "read-write")
    reads = stack.multi_host_conninfo([standby, primary], "prefer-standby") + " application_name=frames-pool"
    load(bin_dir, writes, sample_csv)
    assert replayed(standby, "sample", 2000)
    assert standby.in_recovery and not primary.in_recovery

    site = stack.Stack(bin_dir, scratch / "repl-web", postgres=primary, workers=2,
                       env={"FRAMES_DATABASE_URL": reads}).start()
    try:
        query = "/frames?dataset=sample&depth_min=9000&depth_max=9020"
        assert site.get(query)[0] == 200
        pool_on = {name: cluster.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'frames-pool'")
                   for name, cluster in (("standby", standby), ("primary", primary))}
        assert pool_on["standby"] != "0" and pool_on["primary"] == "0", pool_on

        statuses = []
        stop = threading.Event()

        def traffic():
            while not stop.is_set():
                statuses.append(site.get(query)[0])

        clients = [threading.Thread(target=traffic) for _ in range(4)]
        for client in clients:
            client.start()
        time.sleep(1)
        standby.stop()
        time.sleep(2)
        stop.set()
        for client in clients:
            client.join()
        failed = [s for s in statuses if s != 200]
        print(f"standby stopped under load: {len(statuses)} requests, {len(failed)} not 200")
        warnings = [line for line in (site.runtime / "frames-fcgi.log").read_text().splitlines()
                    if '"warning"' in line or '"status":503' in line]
        assert len(statuses) > 50 and not failed, "\n".join(warnings)
        assert primary.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'frames-pool'") != "0"

        # The standby comes back, catches up, and is promoted once the primary is gone.
        standby.start()
        load(bin_dir, writes, sample_csv)
        generation = primary.psql("SELECT generation FROM datasets WHERE name = 'sample'")
        deadline = time.monotonic() + 30
        while standby.psql("SELECT coalesce(max(generation), 0) FROM datasets") != generation:
            assert time.monotonic() < deadline, "the standby did not catch up"
            time.sleep(0.1)
        primary.stop()
        standby.promote()
        assert not standby.in_recovery
        result = load(bin_dir, writes, sample_csv)
        assert "loaded 2000 rows" in result.stdout
        assert int(standby.psql("SELECT generation FROM datasets WHERE name = 'sample'")) > int(generation)
        status, headers, _ = site.get(query)
        assert status == 200
    finally:
        site.stop()
