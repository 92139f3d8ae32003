"""frames-ingest under faults, against a PostgreSQL of its own (these tests kill its backends):
kill -9 of the ingest at random points, the database failing at row k (disk full, a rejected row),
and PostgreSQL's backend killed mid-COPY. After each fault the dataset is exactly its state before
or after the file, the spool file is never lost, and the next run finishes the job.

FRAMES_FAULT_POINTS sets how many kill points each kill test spreads over a run (`make soak`: 50; the
test command: 2); a last run is let finish before its kill. Both outcomes must be seen."""
import os
import random
import signal
import subprocess
import time

import pytest

from conftest import stack

# Long enough a run for kills to land in its parts (the COPY, the comparison, the commit); `make soak`
# loads a longer log.
ROWS = 100_000 if os.environ.get("FRAMES_SOAK") == "1" else 30_000
POINTS = int(os.environ.get("FRAMES_FAULT_POINTS", "2"))
DATASET = "faulty"


@pytest.fixture(scope="module")
def pg(scratch, bin_dir, sample_csv):
    cluster = stack.Postgres(scratch / "pg-faults").init().start().create_database()
    # A neighbour dataset, so the schema exists and each fault shows it touches only its own dataset.
    stack.ingest(bin_dir, cluster.conninfo, sample_csv, check=True)
    yield cluster
    cluster.stop()


@pytest.fixture(scope="module")
def logs(bin_dir, scratch):
    """Two versions of one log: `long` (ROWS rows) and `short` (its first 90 %), so a re-ingest rewrites
    90 % of the rows and removes the rest."""
    paths = {}
    for name, rows in (("long", ROWS), ("short", ROWS * 9 // 10)):
        path = scratch / f"faults-{name}.csv"
        subprocess.run([str(bin_dir / "frames-ingest"), "--generate-sample", str(path), "--rows", str(rows)],
                       check=True, capture_output=True)
        paths[name] = path
    return paths


def state(pg):
    """Every column of the dataset's rows and record, as one digest. The generation and the ingest time
    differ between two loads of the same file, so they are checked apart: no row, current or retired,
    belongs to a generation later than the dataset's, and the dataset's generation is recorded."""
    frames = pg.psql(f"""SELECT md5(coalesce(string_agg(concat_ws('|', depth, pixel_min, pixel_max, pixel_mean,
        pixel_std, md5(original_gz), md5(resized_gz), md5(resized), compression_ratio_original,
        compression_ratio_resized), ',' ORDER BY depth), '')) FROM frames WHERE dataset = '{DATASET}'""")
    record = pg.psql(f"""SELECT concat_ws('|', original_width, resized_width, depth_min, depth_max, frame_count)
        FROM datasets WHERE name = '{DATASET}'""")
    mixed = pg.psql(f"""SELECT (SELECT count(*) FROM frames f JOIN datasets d ON d.name = f.dataset
            WHERE f.dataset = '{DATASET}' AND f.generation_from > d.generation)
        + (SELECT count(*) FROM frame_history h JOIN datasets d ON d.name = h.dataset
            WHERE h.dataset = '{DATASET}' AND h.generation_to > d.generation)
        + (SELECT count(*) FROM datasets d WHERE d.name = '{DATASET}' AND NOT EXISTS
            (SELECT 1 FROM generations g WHERE g.dataset = d.name AND g.generation = d.generation))""")
    assert mixed == "0", "rows of an uncommitted generation, or a generation without provenance"
    return frames + "/" + record


class Spool:
    def __init__(self, root, bin_dir, pg):
        self.root = root
        self.command = [str(bin_dir / "frames-ingest"), "--database", pg.conninfo, "--spool", str(root)]
        for folder in ("incoming", "done", "failed"):
            (root / folder).mkdir(parents=True, exist_ok=True)

    def deliver(self, source):
        """As a sender would: written under a temporary name, then renamed into place."""
        part = self.root / "incoming" / f"{DATASET}.csv.part"
        os.link(source, part)
        part.rename(self.root / "incoming" / f"{DATASET}.csv")

    def where(self):
        return {folder: sorted(p.name for p in (self.root / folder).iterdir())
                for folder in ("incoming", "done", "failed")}

    def run(self, **kw):
        return subprocess.run(self.command, capture_output=True, text=True, **kw)

    def clear_done(self):
        for path in (self.root / "done").iterdir():
            path.unlink()


@pytest.fixture
def spool(scratch, bin_dir, pg, request):
    root = scratch / f"spool-{request.node.name}"
    pg.psql(f"DELETE FROM datasets WHERE name = '{DATASET}'")
    return Spool(root, bin_dir, pg)


def kill_delays(duration, points, rng):
    """One random delay in each of `points` equal slices of a run, so that the first kill comes early
    (before the commit); then None: that run is killed only once it has finished (after the commit)."""
    return [duration * (point + rng.random()) / points for point in range(points)] + [None]


def kill_at_random_points(spool, pg, files, points, reset=None):
    """Delivers each file in turn and kills the ingest at each of `kill_delays`. Returns what was seen."""
    rng = random.Random(7)
    # How long a whole run takes, to spread the kill points over it.
    spool.deliver(files[0][1])
    started = time.monotonic()
    assert spool.run().returncode == 0
    duration = time.monotonic() - started
    expected = {name: None for name, _ in files}
    expected[files[0][0]] = state(pg)
    spool.clear_done()
    outcomes = {"before": 0, "after": 0}
    for point, delay in enumerate(kill_delays(duration, points, rng)):
        after_name, after_path = files[(point + 1) % len(files)]
        if reset:
            reset()
        before = state(pg)
        spool.deliver(after_path)
        process = subprocess.Popen(spool.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if delay is None:
            process.wait(timeout=120)
        else:
            time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = state(pg)
        where = spool.where()
        assert not where["failed"], where
        if now == before:
            outcomes["before"] += 1
            # Not done yet: the file waits in incoming/ for the next run.
            assert where["incoming"] == [f"{DATASET}.csv"], where
        else:
            outcomes["after"] += 1
            if expected[after_name] is not None:
                assert now == expected[after_name], f"killed at point {point}: a state that is neither before nor after"
            # Committed; the file was moved, or the kill came between the commit and the move.
            assert where["incoming"] + where["done"] == [f"{DATASET}.csv"], where
        # The next timer run finishes the job, and no lock of the killed run stands in its way.
        finished = spool.run(timeout=120)
        assert finished.returncode == 0, finished.stderr
        assert "another run holds the spool lock" not in finished.stderr
        after = state(pg)
        if expected[after_name] is None:
            expected[after_name] = after
        assert after == expected[after_name]
        assert spool.where()["incoming"] == []
        spool.clear_done()
    assert pg.psql("SELECT count(*) FROM frames WHERE dataset = 'sample'") == "2000", "the neighbour is untouched"
    return outcomes, duration


def test_kill_9_during_reingest_leaves_the_before_or_the_after_state(spool, pg, logs):
    outcomes, duration = kill_at_random_points(spool, pg, [("long", logs["long"]), ("short", logs["short"])],
                                               POINTS)
    print(f"re-ingest of {ROWS} rows ({duration:.1f} s), {POINTS} kill points and one after: {outcomes}")
    assert outcomes["before"] and outcomes["after"], outcomes


def test_kill_9_during_a_first_ingest_leaves_no_dataset_or_all_of_it(spool, pg, logs):
    def drop():
        pg.psql(f"DELETE FROM datasets WHERE name = '{DATASET}'")
    outcomes, duration = kill_at_random_points(spool, pg, [("long", logs["long"])], POINTS, reset=drop)
    print(f"first ingest of {ROWS} rows ({duration:.1f} s), {POINTS} kill points and one after: {outcomes}")
    assert outcomes["before"] and outcomes["after"], outcomes


def failing_at_row(pg, k, errcode):
    """A test-only trigger that makes the k-th row written to `frames` fail with `errcode`."""
    pg.psql(f"""
        DROP TRIGGER IF EXISTS fail_at_row ON frames;
        DROP SEQUENCE IF EXISTS rows_written;
        CREATE SEQUENCE rows_written;
        CREATE OR REPLACE FUNCTION fail_at_row() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF nextval('rows_written') = {k} THEN
                RAISE EXCEPTION 'test fault at row {k}' USING ERRCODE = '{errcode}';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER fail_at_row BEFORE INSERT ON frames FOR EACH ROW EXECUTE FUNCTION fail_at_row();""")


@pytest.fixture
def fault_trigger(pg):
    yield lambda k, errcode: failing_at_row(pg, k, errcode)
    pg.psql("DROP TRIGGER IF EXISTS fail_at_row ON frames")


@pytest.mark.parametrize("reingest", [False, True], ids=["first-ingest", "re-ingest"])
def test_disk_full_at_row_k_exits_75_keeps_the_file_and_changes_nothing(spool, pg, sample_csv, fault_trigger,
                                                                         reingest):
    if reingest:
        # An earlier version of the log, every pixel different: a re-ingest writes only the rows that
        # changed, and here that is all of them, so row k is written whatever k is.
        header, *rows = sample_csv.read_text().splitlines()
        earlier = spool.root / "earlier.csv"
        earlier.write_text("\n".join([header] + [
            ",".join([cells[0]] + [str((int(c) + 1) % 256) for c in cells[1:]])
            for cells in (line.split(",") for line in rows)]) + "\n")
        spool.deliver(earlier)
        assert spool.run().returncode == 0
        spool.clear_done()
    for k in (1, 777, 1999, 2000):
        before = state(pg)
        fault_trigger(k, "disk_full")
        spool.deliver(sample_csv)
        result = spool.run()
        assert result.returncode == 75, result.stderr
        assert "53100" in result.stderr
        assert state(pg) == before
        assert spool.where()["incoming"] == [f"{DATASET}.csv"], "kept for the next run"
        (spool.root / "incoming" / f"{DATASET}.csv").unlink()


def test_a_rejected_row_exits_with_the_error_and_moves_the_file_to_failed(spool, pg, sample_csv, fault_trigger):
    before = state(pg)
    fault_trigger(1000, "check_violation")
    spool.deliver(sample_csv)
    result = spool.run()
    assert result.returncode == 65, result.stderr
    assert state(pg) == before
    where = spool.where()
    assert where["failed"] == [f"{DATASET}.csv", f"{DATASET}.csv.error"], where
    assert "23514" in (spool.root / "failed" / f"{DATASET}.csv.error").read_text()


def test_postgres_backend_killed_mid_copy_exits_75_and_the_next_run_loads(spool, pg, logs):
    spool.deliver(logs["long"])
    process = subprocess.Popen(spool.command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    backend = ""
    while not backend and time.monotonic() < deadline:
        backend = pg.psql("SELECT pid FROM pg_stat_activity WHERE query LIKE 'COPY%' AND state = 'active'")
        time.sleep(0.05)
    assert backend, "the ingest never reached its COPY"
    os.kill(int(backend.splitlines()[0]), signal.SIGKILL)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 75, stderr
    # The postmaster restarts every backend after one is killed; wait until it takes connections again.
    deadline = time.monotonic() + 30
    while True:
        try:
            assert pg.psql(f"SELECT count(*) FROM datasets WHERE name = '{DATASET}'") == "0"
            break
        except subprocess.CalledProcessError:
            assert time.monotonic() < deadline, "PostgreSQL did not come back"
            time.sleep(0.2)
    assert spool.where()["incoming"] == [f"{DATASET}.csv"]
    finished = spool.run(timeout=120)
    assert finished.returncode == 0, finished.stderr
    assert pg.psql(f"SELECT frame_count FROM datasets WHERE name = '{DATASET}'") == str(ROWS)
