"""Versions against a real PostgreSQL: every ingest, merge, range deletion and rollback is a generation
that stays readable; unchanged frames are stored once; provenance says what made each generation.

Oracles come from the source files written here: the depths and statistics each generation must have,
and the digest of every stored column taken while a generation was current, compared with the same
digest read as of that generation later (frames whose span of generations covers it)."""
import base64
import hashlib
import json
import random
import re
import socket
import subprocess
import threading

import numpy as np
import pytest
from PIL import Image

from conftest import stack

GRAY = np.frombuffer(bytes.fromhex(json.loads(
    (stack.REPO / "Tests/FramesCoreTests/Fixtures/colormaps.json").read_text())["named"]["gray"]), dtype=np.uint8).reshape(256, 3)
HEADER = "depth," + ",".join(f"col{i}" for i in range(1, 201))
CONTENT = """depth, pixel_min, pixel_max, pixel_mean, pixel_std, original_gz, resized_gz, resized,
    compression_ratio_original, compression_ratio_resized"""
DIGEST = """md5(coalesce(string_agg(concat_ws('|', depth, pixel_min, pixel_max, pixel_mean, pixel_std, md5(original_gz),
    md5(resized_gz), md5(resized), compression_ratio_original, compression_ratio_resized), ',' ORDER BY depth), ''))"""


def pixels(seed):
    rng = random.Random(seed)
    return [rng.randrange(256) for _ in range(200)]


def depth(i):
    return round(1000 + i / 10, 1)


def write_csv(path, rows):
    """rows: {depth: [200 pixels]}, written in depth order."""
    lines = [HEADER] + [f"{d}," + ",".join(map(str, p)) for d, p in sorted(rows.items())]
    path.write_text("\n".join(lines) + "\n")
    return path


def admin(bin_dir, postgres, *args):
    return subprocess.run([str(bin_dir / "frames-admin"), *map(str, args), "--database", postgres.conninfo],
                          capture_output=True, text=True, timeout=120)


def ingest(bin_dir, postgres, path, name, *args, env=None):
    result = stack.ingest(bin_dir, postgres.conninfo, path, "--dataset", name, *args, env=env)
    assert result.returncode == 0, result.stderr
    return result


def generation(postgres, name):
    return int(postgres.psql(f"SELECT generation FROM datasets WHERE name = '{name}'"))


def current_state(postgres, name):
    """The digest of every column of the current rows, read from `frames` as the API reads it."""
    return postgres.psql(f"SELECT {DIGEST} FROM frames WHERE dataset = '{name}'")


def as_of(name, g):
    return f"""SELECT {CONTENT} FROM frames WHERE dataset = '{name}' AND generation_from <= {g}
        UNION ALL SELECT {CONTENT} FROM frame_history
        WHERE dataset = '{name}' AND generation_from <= {g} AND generation_to > {g}"""


def state_as_of(postgres, name, g):
    return postgres.psql(f"SELECT {DIGEST} FROM ({as_of(name, g)}) v")


def statistics_as_of(postgres, name, g):
    out = postgres.psql(f"SELECT depth, pixel_min, pixel_max, pixel_mean FROM ({as_of(name, g)}) v ORDER BY depth")
    return [(float(d), int(lo), int(hi), float(mean)) for d, lo, hi, mean in (l.split("|") for l in out.splitlines())]


def oracle(rows):
    """What a generation built from `rows` must hold, computed from the source rows."""
    return [(d, min(p), max(p), pytest.approx(sum(p) / len(p), rel=1e-12)) for d, p in sorted(rows.items())]


def exported(bin_dir, postgres, name, g=None):
    """What `frames export` (the as-of read the API will use) prints: per depth, the statistics and the
    resized row (the gray colormap's RGB repeats each palette index three times)."""
    result = admin(bin_dir, postgres, "frames", "export", name, *(["--generation", g] if g else []))
    assert result.returncode == 0, result.stderr
    frames = [json.loads(line) for line in result.stdout.splitlines()]
    return [(f["depth"], f["metadata"]["min"], f["metadata"]["max"], f["metadata"]["mean"], f["metadata"]["std"],
             base64.b64decode(f["data"])[::3].hex()) for f in frames]


def stored_as_of(postgres, name, g):
    out = postgres.psql(f"SELECT depth, pixel_min, pixel_max, pixel_mean, pixel_std, encode(resized, 'hex') "
                        f"FROM ({as_of(name, g)}) v ORDER BY depth")
    return [(float(d), int(lo), int(hi), float(mean), float(std), resized)
            for d, lo, hi, mean, std, resized in (line.split("|") for line in out.splitlines())]


def stored_rows(postgres, name):
    """All rows the dataset occupies: current plus history."""
    return int(postgres.psql(f"""SELECT (SELECT count(*) FROM frames WHERE dataset = '{name}')
        + (SELECT count(*) FROM frame_history WHERE dataset = '{name}')"""))


def history(bin_dir, postgres, name):
    result = admin(bin_dir, postgres, "datasets", "history", "--json", name)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def diff(bin_dir, postgres, name, g1, g2):
    result = admin(bin_dir, postgres, "datasets", "diff", "--json", name, g1, g2)
    assert result.returncode == 0, result.stderr
    return {(line["change"], line["depth"]) for line in map(json.loads, result.stdout.splitlines())}


@pytest.fixture(scope="module")
def log_a():
    return {depth(i): pixels(i) for i in range(2000)}


def test_identical_reingest_adds_no_rows_but_a_generation(bin_dir, postgres, scratch, log_a):
    path = write_csv(scratch / "same.csv", log_a)
    ingest(bin_dir, postgres, path, "v_same")
    first, rows, state = generation(postgres, "v_same"), stored_rows(postgres, "v_same"), current_state(postgres, "v_same")
    result = ingest(bin_dir, postgres, path, "v_same")
    assert "0 added, 0 changed, 0 removed" in result.stdout
    assert stored_rows(postgres, "v_same") == rows == 2000
    assert generation(postgres, "v_same") > first and current_state(postgres, "v_same") == state
    newest, older = history(bin_dir, postgres, "v_same")[:2]
    assert (newest["frames_added"], newest["frames_changed"], newest["frames_removed"]) == (0, 0, 0)
    assert (older["frames_added"], older["generation"]) == (2000, first)
    assert state_as_of(postgres, "v_same", first) == state


class Oracle:
    """What the API must answer for a generation made of `rows` ({depth: [200 pixels]}), computed from
    the source rows: numpy for the statistics, Pillow's LANCZOS for the resized rows (which the resizer
    matches exactly on noise like these rows, see resize_lanczos.json) through matplotlib's gray table."""

    def __init__(self, rows):
        self.rows = rows
        self.depths = sorted(rows)
        self.original = np.array([rows[d] for d in self.depths], dtype=np.uint8)

    def signature(self):
        """Per frame what /frames' metadata says, rounded where floats may differ in the last place."""
        return [(d, int(p.min()), int(p.max()), round(float(p.mean()), 9), round(float(p.std()), 9))
                for d, p in zip(self.depths, self.original)]

    def check_frames(self, frames):
        assert frame_signature(frames) == self.signature()
        rgb = np.stack([np.frombuffer(base64.b64decode(f["data"]), dtype=np.uint8) for f in frames])
        resized = np.stack([np.asarray(Image.fromarray(p.reshape(1, -1), "L").resize((150, 1), Image.LANCZOS)).ravel()
                            for p in self.original])
        assert (rgb == GRAY[resized].reshape(len(frames), -1)).all()

    def check_statistics(self, answer):
        pixels = self.original.ravel()
        assert (answer["frames"], answer["pixels"]) == (len(self.depths), pixels.size)
        assert answer["histogram"] == np.histogram(pixels, bins=256, range=(0, 256))[0].tolist()
        assert (answer["min"], answer["max"]) == (pixels.min(), pixels.max())
        assert answer["mean"] == pytest.approx(pixels.mean(), rel=1e-12)
        assert answer["std"] == pytest.approx(pixels.std(), rel=1e-9)
        for key, value in answer["percentiles"].items():
            assert value == pytest.approx(np.percentile(pixels, float(key)), abs=1e-9)


def frame_signature(frames):
    return [(f["depth"], f["metadata"]["min"], f["metadata"]["max"], round(f["metadata"]["mean"], 9),
             round(f["metadata"]["std"], 9)) for f in frames]


def digest(signature):
    return hashlib.sha256(repr(signature).encode()).hexdigest()


def changes(before, after):
    """What /changes must list between two generations' rows."""
    return sorted([{"depth": d, "change": "added"} for d in after.keys() - before.keys()]
                  + [{"depth": d, "change": "removed"} for d in before.keys() - after.keys()]
                  + [{"depth": d, "change": "changed"} for d in before.keys() & after.keys() if before[d] != after[d]],
                  key=lambda c: c["depth"])


EVERYTHING = "/frames?dataset=v_steps&depth_min=0&depth_max=99999&limit=10000&colormap=gray"
STATISTICS = "/statistics?dataset=v_steps"
DISPLAYED = ["&height=40&norm=static", "&height=33&norm=dynamic&window=2", "&height=70&vmin=p2&vmax=p98",
             "&norm=dynamic&window=1"]


def test_a_generation_sequence_reads_back_exactly_at_every_step(bin_dir, postgres, web, scratch, log_a):
    """A; B (1 % changed, a few removed and added); merge C; delete a range; roll back to A. At every
    step, every generation so far reads back through the pool (/frames, /statistics) as the oracle of its
    source rows says, while a reader hammering the current generation sees only whole generations."""
    name = "v_steps"
    captured, expected, displayed, stored = {}, {}, {}, []

    def get(path, **headers):
        status, headers, body = web.get(path, base=web.direct_url, headers=headers)
        assert status == 200, (path, body)
        return headers, json.loads(body) if "ndjson" not in headers["Content-Type"] else \
            [json.loads(line) for line in body.decode().splitlines()]

    def step(rows):
        g = generation(postgres, name)
        captured[g], expected[g] = current_state(postgres, name), rows
        assert statistics_as_of(postgres, name, g) == oracle(rows)
        # What the current generation's display reads answer (packs and stored histograms), to compare
        # with the same reads of G from the kept rows later.
        displayed[g] = [get(EVERYTHING + extra)[1] for extra in DISPLAYED]
        # The rows this step stored: one per depth added or changed, none for the others.
        new_rows = stored_rows(postgres, name)
        if stored:
            previous = expected[list(expected)[-2]]
            edits = changes(previous, rows)
            assert new_rows - stored[-1] == sum(c["change"] != "removed" for c in edits)
            _, listed = get(f"/datasets/{name}/changes?from={list(expected)[-2]}&to={g}")
            assert listed == edits
        stored.append(new_rows)
        for known, known_rows in expected.items():
            truth = Oracle(known_rows)
            headers, frames = get(EVERYTHING + f"&generation={known}")
            assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
            truth.check_frames(frames)
            headers, answer = get(STATISTICS + f"&generation={known}")
            assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
            assert answer["generation"] == known
            truth.check_statistics(answer)
            assert [get(EVERYTHING + f"&generation={known}" + extra)[1] for extra in DISPLAYED] == displayed[known]
        truth = Oracle(rows)
        truth.check_frames(get(EVERYTHING)[1])
        truth.check_statistics(get(STATISTICS)[1])
        return g

    seen, failures, done = [], [], threading.Event()

    def hammer():
        """The current generation, over and over: each answer is one generation's rows, all of them."""
        while not done.is_set():
            for path in (EVERYTHING, STATISTICS):
                status, headers, body = web.get(path, base=web.direct_url)
                if status != 200:
                    if seen:  # else it is before the first ingest
                        failures.append((path, status, body))
                    continue
                answer = json.loads(body)
                # Only a digest of each /frames answer is kept: thousands of whole answers would not fit.
                seen.append((path, headers["ETag"], digest(frame_signature(answer)) if path == EVERYTHING else answer))

    reader = threading.Thread(target=hammer)
    reader.start()
    try:
        ingest(bin_dir, postgres, write_csv(scratch / "a.csv", log_a), name)
        g_a = step(log_a)

        log_b = dict(log_a)
        changed = [depth(i) for i in range(0, 2000, 100)]  # 20 rows, 1 %
        removed = [depth(i) for i in (7, 8, 9)]
        added = [depth(i) for i in (5000, 5001)]
        for d in changed:
            log_b[d] = pixels(f"b{d}")
        for d in removed:
            del log_b[d]
        for d in added:
            log_b[d] = pixels(f"b{d}")
        result = ingest(bin_dir, postgres, write_csv(scratch / "b.csv", log_b), name)
        assert "2 added, 20 changed, 3 removed" in result.stdout
        g_b = step(log_b)
        assert diff(bin_dir, postgres, name, g_a, g_b) == \
            {("changed", d) for d in changed} | {("removed", d) for d in removed} | {("added", d) for d in added}

        # The same file again: a generation, and not one row more.
        ingest(bin_dir, postgres, scratch / "b.csv", name)
        g_b2 = step(log_b)
        assert stored[-1] == stored[-2] and g_b2 > g_b

        merged = {depth(i): pixels(f"c{i}") for i in (100, 101, 6000)}
        # A row the dataset already holds as it is: the merge compares it at commit and leaves it alone.
        merged[depth(102)] = log_b[depth(102)]
        result = ingest(bin_dir, postgres, write_csv(scratch / "c.csv", merged), name, "--merge")
        assert "1 added, 2 changed, 0 removed" in result.stdout
        log_c = {**log_b, **merged}
        g_c = step(log_c)
        assert diff(bin_dir, postgres, name, g_b, g_c) == \
            {("changed", depth(100)), ("changed", depth(101)), ("added", depth(6000))}

        deleted = admin(bin_dir, postgres, "frames", "delete", name, "--depth-min", 1010, "--depth-max", 1019.95)
        assert deleted.returncode == 0, deleted.stderr
        assert "removed 100 frames" in deleted.stdout
        log_d = {d: p for d, p in log_c.items() if not 1010 <= d <= 1019.95}
        g_d = step(log_d)
        assert diff(bin_dir, postgres, name, g_c, g_d) == {("removed", depth(i)) for i in range(100, 200)}

        rolled = admin(bin_dir, postgres, "datasets", "rollback", name, g_a)
        assert rolled.returncode == 0, rolled.stderr
        g_e = generation(postgres, name)
        assert g_e > g_d and current_state(postgres, name) == captured[g_a]
        step(log_a)
    finally:
        done.set()
        reader.join()
    # Equal content stored again is no change; the rollback's own diff is B's, C's and D's undone.
    assert diff(bin_dir, postgres, name, g_a, g_e) == set()
    assert get(f"/datasets/{name}/changes?from={g_a}&to={g_e}")[1] == []
    assert ("added", depth(100)) in diff(bin_dir, postgres, name, g_d, g_e)

    # Every generation still reads back as it was when it was current.
    for g, state in captured.items():
        assert state_as_of(postgres, name, g) == state, g
        assert statistics_as_of(postgres, name, g) == oracle(expected[g])
        assert exported(bin_dir, postgres, name, g) == stored_as_of(postgres, name, g), g
    assert exported(bin_dir, postgres, name) == exported(bin_dir, postgres, name, g_e)
    commands = [(h["generation"], h["command"]) for h in history(bin_dir, postgres, name)]
    assert commands == [(g_e, "rollback"), (g_d, "delete-range"), (g_c, "merge"), (g_b2, "ingest"), (g_b, "ingest"),
                        (g_a, "ingest")]
    shapes = {h["generation"]: (h["frame_count"], h["depth_min"], h["depth_max"]) for h in history(bin_dir, postgres, name)}
    for g, rows in expected.items():
        assert shapes[g] == (len(rows), min(rows), max(rows))

    # The reader's answers: each one generation whole, the one its ETag (and /statistics' body) names.
    assert failures == []
    signatures = {g: digest(Oracle(rows).signature()) for g, rows in expected.items()}
    frames_seen = statistics_seen = 0
    for path, etag, answer in seen:
        g = int(re.match(r'"g(\d+)-', etag).group(1))
        assert g in expected, etag
        if path == EVERYTHING:
            frames_seen += 1
            assert answer == signatures[g], g
        else:
            statistics_seen += 1
            assert answer["generation"] == g
            Oracle(expected[g]).check_statistics(answer)
    assert frames_seen > len(expected) and statistics_seen > len(expected)
    assert len({etag for _, etag, _ in seen}) > 2, "the reader saw the generations change"

    # Pruning to the last two frees exactly the rows that only older generations used.
    kept = sorted(expected)[-2:]
    before = stored_rows(postgres, name)
    pruned = admin(bin_dir, postgres, "datasets", "prune", name, "--keep", 2)
    assert pruned.returncode == 0, pruned.stderr
    after = stored_rows(postgres, name)
    # A row is stored once for its span of generations: the older kept generation's rows, plus the
    # rows the newer one added or changed.
    older, newer = (expected[g] for g in kept)
    assert after == len(older) + sum(c["change"] != "removed" for c in changes(older, newer))
    assert f"freeing {before - after} frame rows" in pruned.stdout
    for g in kept:
        Oracle(expected[g]).check_frames(get(EVERYTHING + f"&generation={g}")[1])
        Oracle(expected[g]).check_statistics(get(STATISTICS + f"&generation={g}")[1])
    # ...and nothing else: every stored row is one the kept generations read.
    remaining = postgres.psql(f"""SELECT count(*) FROM (SELECT generation_from, generation_to FROM frame_history
        WHERE dataset = '{name}' UNION ALL SELECT generation_from, NULL FROM frames WHERE dataset = '{name}') r
        WHERE NOT (coalesce(generation_to, 9223372036854775807) > {kept[0]})""")
    assert remaining == "0"
    for g in sorted(expected)[:-2]:
        status, _, body = web.get(STATISTICS + f"&generation={g}", base=web.direct_url)
        assert status == 404 and f"generation {g} of {name} was pruned" in json.loads(body)["detail"]


def test_provenance_names_the_file_its_sha256_the_host_and_the_command(bin_dir, postgres, scratch, log_a):
    path = write_csv(scratch / "provenance.csv", log_a)
    ingest(bin_dir, postgres, path, "v_provenance")
    newest = history(bin_dir, postgres, "v_provenance")[0]
    sha256sum = subprocess.run(["sha256sum", str(path)], capture_output=True, text=True, check=True).stdout.split()[0]
    assert newest["source_file"] == str(path) and newest["source_sha256"] == sha256sum
    assert newest["source_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert newest["host"] == socket.gethostname() and newest["command"] == "ingest"
    assert newest["generation"] == generation(postgres, "v_provenance") and newest["pruned"] is False
    assert newest["created_at"].endswith("Z")
    table = admin(bin_dir, postgres, "datasets", "history", "v_provenance")
    assert table.stdout.splitlines()[0].split() == \
        ["GENERATION", "CREATED_AT", "COMMAND", "ADDED", "CHANGED", "REMOVED", "FRAMES", "HOST", "SOURCE"]
    assert f"sha256:{sha256sum}" in table.stdout

    renamed = admin(bin_dir, postgres, "datasets", "rename", "v_provenance", "v_provenance2")
    assert renamed.returncode == 0, renamed.stderr
    newest = history(bin_dir, postgres, "v_provenance2")[0]
    assert (newest["command"], newest["note"], newest["frames_added"]) == ("rename", "renamed from v_provenance", 0)
    assert len(history(bin_dir, postgres, "v_provenance2")) == 2


def test_prune_frees_the_rows_only_old_generations_use_and_nothing_more(bin_dir, postgres, scratch, log_a):
    name = "v_prune"
    generations, states, rows = [], {}, dict(log_a)
    for round_ in range(4):
        # Each round changes 10 more rows.
        for i in range(round_ * 10, round_ * 10 + 10):
            rows[depth(i)] = pixels(f"p{round_}-{i}")
        ingest(bin_dir, postgres, write_csv(scratch / "prune.csv", rows), name)
        generations.append(generation(postgres, name))
        states[generations[-1]] = current_state(postgres, name)
    before = stored_rows(postgres, name)
    # Rounds 1-3 each replaced 10 rows of the first generation: 30 history rows.
    assert int(postgres.psql(f"SELECT count(*) FROM frame_history WHERE dataset = '{name}'")) == 30
    result = admin(bin_dir, postgres, "datasets", "prune", name, "--keep", 2)
    assert result.returncode == 0, result.stderr
    # Kept: the last two. Generation 3 still needs the rows generation 4 replaced; the 20 rows that only
    # generations 1 and 2 used are freed.
    assert "pruned 2 generations" in result.stdout and "freeing 20 frame rows" in result.stdout
    assert stored_rows(postgres, name) == before - 20
    for g in generations[2:]:
        assert state_as_of(postgres, name, g) == states[g]
    listed = history(bin_dir, postgres, name)
    assert [h["pruned"] for h in listed] == [False, False, True, True]
    refused = admin(bin_dir, postgres, "datasets", "diff", name, generations[0], generations[3])
    assert refused.returncode == 66
    assert f"generation {generations[0]} of {name} was pruned" in refused.stderr
    assert f"{generations[3]}, {generations[2]}" in refused.stderr
    assert admin(bin_dir, postgres, "frames", "export", name, "--generation", generations[1]).returncode == 66
    unknown = admin(bin_dir, postgres, "datasets", "rollback", name, 1)
    assert unknown.returncode == 66 and f"dataset {name} has no generation 1" in unknown.stderr


def test_frames_keep_generations_prunes_after_each_ingest(bin_dir, postgres, scratch, log_a):
    name = "v_keep"
    for round_ in range(3):
        rows = {**log_a, depth(0): pixels(f"k{round_}")}
        ingest(bin_dir, postgres, write_csv(scratch / "keep.csv", rows), name,
               env={"FRAMES_KEEP_GENERATIONS": "1"})
    assert [h["pruned"] for h in history(bin_dir, postgres, name)] == [False, True, True]
    assert int(postgres.psql(f"SELECT count(*) FROM frame_history WHERE dataset = '{name}'")) == 0
    bad = stack.ingest(bin_dir, postgres.conninfo, scratch / "keep.csv", env={"FRAMES_KEEP_GENERATIONS": "none"})
    assert bad.returncode == 64 and "FRAMES_KEEP_GENERATIONS" in bad.stderr


def test_merge_and_delete_refuse_what_would_not_fit(bin_dir, postgres, scratch, log_a):
    name = "v_refuse"
    ingest(bin_dir, postgres, write_csv(scratch / "refuse.csv", log_a), name)
    before = current_state(postgres, name), len(history(bin_dir, postgres, name))
    narrow = stack.ingest(bin_dir, postgres.conninfo, write_csv(scratch / "narrow.csv", {1.0: pixels(1)}),
                          "--dataset", name, "--merge", "--width", 100)
    assert narrow.returncode == 65 and "cannot merge 200 pixels resized to 100" in narrow.stderr
    everything = admin(bin_dir, postgres, "frames", "delete", name, "--depth-min", 0, "--depth-max", 99999)
    assert everything.returncode == 65 and "every frame" in everything.stderr
    nothing = admin(bin_dir, postgres, "frames", "delete", name, "--depth-min", 1, "--depth-max", 2)
    assert nothing.returncode == 0 and "nothing changed" in nothing.stdout
    assert (current_state(postgres, name), len(history(bin_dir, postgres, name))) == before


def test_concurrent_ingests_serialize_and_readers_see_whole_generations(bin_dir, postgres, scratch):
    """Two files with the same depths, every pixel 11 in one and 22 in the other, loaded at once while
    a reader polls: each read sees one file's rows, all of them."""
    name, count = "v_race", 20000
    files = [write_csv(scratch / f"race{v}.csv", {depth(i): [v] * 200 for i in range(count)}) for v in (11, 22)]
    ingest(bin_dir, postgres, files[0], name)
    seen, failures, done = [], [], threading.Event()

    def read():
        while not done.is_set():
            seen.append(postgres.psql(f"SELECT count(*), count(DISTINCT pixel_min), min(pixel_min) FROM frames "
                                      f"WHERE dataset = '{name}'"))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        runs = [subprocess.Popen([str(bin_dir / "frames-ingest"), "--database", postgres.conninfo, "--dataset", name,
                                  str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for path in (files[1], files[0], files[1])]
        codes = [run.wait(timeout=300) for run in runs]
    finally:
        done.set()
        reader.join()
    assert codes == [0, 0, 0]
    assert seen and set(seen) <= {f"{count}|1|11", f"{count}|1|22"}, set(seen)
    listed = history(bin_dir, postgres, name)
    assert len(listed) == 4
    # Serialized: each load was compared with the one committed just before it, so it changed all rows
    # or none, and the value flipped once per load that changed them.
    assert all(h["frames_changed"] in (0, count) and h["frames_added"] == 0 for h in listed[:3])
    flips = sum(h["frames_changed"] == count for h in listed[:3])
    assert flips >= 1
    final = "22" if flips % 2 else "11"
    assert postgres.psql(f"SELECT min(pixel_min), max(pixel_min) FROM frames WHERE dataset = '{name}'") == \
        f"{final}|{final}"


def test_migration_converts_a_database_of_the_previous_schema(bin_dir, postgres, sample_csv):
    """Frames loaded before versions become the first generation of their dataset."""
    postgres.psql("DROP DATABASE IF EXISTS legacy", dbname="postgres")
    postgres.psql("CREATE DATABASE legacy", dbname="postgres")
    conninfo = postgres.conninfo.replace("dbname=frames", "dbname=legacy")
    assert "dbname=legacy" in conninfo
    # The schema as version 2 left it, with one dataset in it.
    postgres.psql("""
        CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
        INSERT INTO schema_migrations (version) VALUES (1), (2);
        CREATE SEQUENCE dataset_generation;
        CREATE TABLE datasets (name text PRIMARY KEY, original_width integer NOT NULL, resized_width integer NOT NULL,
            depth_min double precision NOT NULL, depth_max double precision NOT NULL, frame_count integer NOT NULL,
            generation bigint NOT NULL, source_file text, ingested_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE frames (dataset text NOT NULL REFERENCES datasets(name) ON DELETE CASCADE ON UPDATE CASCADE,
            depth double precision NOT NULL, pixel_min smallint NOT NULL, pixel_max smallint NOT NULL,
            pixel_mean double precision NOT NULL, pixel_std double precision NOT NULL, original_gz bytea NOT NULL,
            resized_gz bytea NOT NULL, resized bytea NOT NULL, compression_ratio_original double precision NOT NULL,
            compression_ratio_resized double precision NOT NULL, generation bigint NOT NULL,
            PRIMARY KEY (dataset, depth));
        SELECT setval('dataset_generation', 41);
        INSERT INTO datasets VALUES ('old', 200, 150, 1, 2, 2, 41, 'old.csv', '2026-01-02T03:04:05Z');
        INSERT INTO frames VALUES ('old', 1, 5, 9, 7, 1, 'a', 'b', 'c', 1, 1, 41), ('old', 2, 5, 9, 7, 1, 'a', 'b', 'c', 1, 1, 41);
        """, dbname="legacy")
    listed = subprocess.run([str(bin_dir / "frames-admin"), "datasets", "history", "--json", "old",
                             "--database", conninfo], capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    [first] = json.loads(listed.stdout)
    assert (first["generation"], first["command"], first["source_file"], first["frames_added"],
            first["frame_count"], first["created_at"]) == (41, "ingest", "old.csv", 2, 2, "2026-01-02T03:04:05Z")
    assert postgres.psql("SELECT generation_from, row_hash IS NULL FROM frames ORDER BY depth", dbname="legacy") == \
        "41|t\n41|t"
    # Rows without a hash are stored again by the next load, which then shares them.
    assert stack.ingest(bin_dir, conninfo, sample_csv, "--dataset", "old").returncode == 0
    assert stack.ingest(bin_dir, conninfo, sample_csv, "--dataset", "old").returncode == 0
    newest, middle = json.loads(subprocess.run(
        [str(bin_dir / "frames-admin"), "datasets", "history", "--json", "old", "--database", conninfo],
        capture_output=True, text=True, timeout=60).stdout)[:2]
    assert (middle["frames_added"], middle["frames_removed"]) == (2000, 2)
    assert (newest["frames_added"], newest["frames_changed"], newest["frames_removed"]) == (0, 0, 0)
