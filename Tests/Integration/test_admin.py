"""frames-admin datasets against a real PostgreSQL, and against the pool while it serves."""
import json
import os
import pty
import subprocess
import threading

import pytest

from conftest import stack


def admin(bin_dir, postgres, *args, stdin=subprocess.DEVNULL):
    return subprocess.run([str(bin_dir / "frames-admin"), "datasets", *args, "--database", postgres.conninfo],
                          capture_output=True, text=True, stdin=stdin, timeout=60)


def load(bin_dir, postgres, csv, name):
    result = stack.ingest(bin_dir, postgres.conninfo, csv, "--dataset", name)
    assert result.returncode == 0, result.stderr


def stored(postgres, name):
    """(frame rows, generation or None) as PostgreSQL has them."""
    frames = int(postgres.psql(f"SELECT count(*) FROM frames WHERE dataset = '{name}'"))
    generation = postgres.psql(f"SELECT generation FROM datasets WHERE name = '{name}'")
    return frames, int(generation) if generation else None


def shown(bin_dir, postgres, name):
    result = admin(bin_dir, postgres, "show", "--json", name)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_list_shows_what_the_database_holds(bin_dir, postgres, sample_csv):
    load(bin_dir, postgres, sample_csv, "admin_list_a")
    load(bin_dir, postgres, sample_csv, "admin_list_b")
    listed = json.loads(admin(bin_dir, postgres, "list", "--json").stdout)
    names = [entry["name"] for entry in listed]
    assert names == sorted(names) and {"admin_list_a", "admin_list_b"} <= set(names)
    entry = next(e for e in listed if e["name"] == "admin_list_b")
    frames, generation = stored(postgres, "admin_list_b")
    assert entry["frame_count"] == frames > 0 and entry["generation"] == generation
    assert entry["source_file"] == str(sample_csv) and entry["ingested_at"].endswith("Z")
    table = admin(bin_dir, postgres, "list")
    assert table.returncode == 0
    header, *rows = table.stdout.splitlines()
    assert header.split() == ["NAME", "FRAMES", "DEPTH_MIN", "DEPTH_MAX", "WIDTH", "GENERATION", "INGESTED_AT"]
    row = next(r.split() for r in rows if r.split()[0] == "admin_list_b")
    assert row[1] == str(frames) and row[4] == "200->150" and row[5] == str(generation)


def test_list_json_has_the_fields_of_the_api(web, bin_dir, postgres, sample_csv):
    load(bin_dir, postgres, sample_csv, "admin_api_fields")
    status, _, body = web.get("/datasets")
    served = next(d for d in json.loads(body) if d["name"] == "admin_api_fields")
    listed = next(e for e in json.loads(admin(bin_dir, postgres, "list", "--json").stdout)
                  if e["name"] == "admin_api_fields")
    assert status == 200 and {k: listed[k] for k in served} == served


def test_show(bin_dir, postgres, sample_csv):
    load(bin_dir, postgres, sample_csv, "admin_show")
    entry = shown(bin_dir, postgres, "admin_show")
    frames, generation = stored(postgres, "admin_show")
    assert entry["name"] == "admin_show" and entry["frame_count"] == frames and entry["generation"] == generation
    assert entry["original_width"] == 200 and entry["resized_width"] == 150
    assert entry["depth_min"] < entry["depth_max"]
    text = admin(bin_dir, postgres, "show", "admin_show")
    assert text.returncode == 0
    lines = dict(line.split(":", 1) for line in text.stdout.splitlines())
    assert lines["frames"].strip() == str(frames) and lines["generation"].strip() == str(generation)
    assert lines["source file"].strip() == str(sample_csv)


def test_an_unknown_dataset_exits_66(bin_dir, postgres):
    for args in (["show", "admin_nope"], ["delete", "--yes", "admin_nope"], ["rename", "admin_nope", "admin_x"]):
        result = admin(bin_dir, postgres, *args)
        assert result.returncode == 66, result
        assert result.stderr.strip() == "frames-admin: no dataset named admin_nope"


def test_delete_with_yes(bin_dir, postgres, sample_csv):
    load(bin_dir, postgres, sample_csv, "admin_delete")
    frames, _ = stored(postgres, "admin_delete")
    result = admin(bin_dir, postgres, "delete", "--yes", "admin_delete")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"deleted dataset admin_delete ({frames} frames)"
    assert stored(postgres, "admin_delete") == (0, None)


def test_delete_without_a_terminal_refuses_unless_told(bin_dir, postgres, sample_csv):
    load(bin_dir, postgres, sample_csv, "admin_keep")
    before = stored(postgres, "admin_keep")
    result = admin(bin_dir, postgres, "delete", "admin_keep")
    assert result.returncode == 64 and "--yes" in result.stderr.splitlines()[0]
    assert stored(postgres, "admin_keep") == before


def delete_at_a_terminal(bin_dir, postgres, name, answer):
    """Runs delete with a pseudo-terminal as stdin and stderr; returns (exit status, what the terminal showed,
    stdout)."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen([str(bin_dir / "frames-admin"), "datasets", "delete", name, "--database",
                                postgres.conninfo], stdin=terminal, stdout=subprocess.PIPE, stderr=terminal)
    os.close(terminal)
    output = b""
    while b"[y/N]" not in output:
        output += os.read(controller, 1024)
    os.write(controller, answer.encode() + b"\n")
    stdout, _ = process.communicate(timeout=30)
    try:
        while chunk := os.read(controller, 1024):
            output += chunk
    except OSError:  # the terminal's other end is closed
        pass
    os.close(controller)
    return process.returncode, output.decode(), stdout.decode()


def test_delete_at_a_terminal_asks_first(bin_dir, postgres, sample_csv):
    load(bin_dir, postgres, sample_csv, "admin_ask")
    frames, _ = stored(postgres, "admin_ask")
    status, shown, output = delete_at_a_terminal(bin_dir, postgres, "admin_ask", "n")
    assert status == 0 and f"Delete dataset admin_ask ({frames} frames)? [y/N]" in shown
    assert output == "kept admin_ask\n"
    assert stored(postgres, "admin_ask")[0] == frames
    status, _, output = delete_at_a_terminal(bin_dir, postgres, "admin_ask", "y")
    assert status == 0 and output == f"deleted dataset admin_ask ({frames} frames)\n"
    assert stored(postgres, "admin_ask") == (0, None)


def test_rename_moves_the_frames_under_a_new_generation(bin_dir, postgres, sample_csv):
    load(bin_dir, postgres, sample_csv, "admin_old")
    frames, generation = stored(postgres, "admin_old")
    depths = postgres.psql("SELECT string_agg(depth::text, ',' ORDER BY depth) FROM frames WHERE dataset = 'admin_old'")
    result = admin(bin_dir, postgres, "rename", "admin_old", "admin_new")
    assert result.returncode == 0, result.stderr
    new_frames, new_generation = stored(postgres, "admin_new")
    assert stored(postgres, "admin_old") == (0, None)
    assert new_frames == frames and new_generation > generation
    assert result.stdout.strip() == f"renamed dataset admin_old to admin_new (generation {new_generation})"
    assert depths == postgres.psql(
        "SELECT string_agg(depth::text, ',' ORDER BY depth) FROM frames WHERE dataset = 'admin_new'")


def test_rename_onto_a_taken_name_exits_73_and_changes_nothing(bin_dir, postgres, sample_csv):
    load(bin_dir, postgres, sample_csv, "admin_first")
    load(bin_dir, postgres, sample_csv, "admin_second")
    before = stored(postgres, "admin_first"), stored(postgres, "admin_second")
    result = admin(bin_dir, postgres, "rename", "admin_first", "admin_second")
    assert result.returncode == 73
    assert "a dataset named admin_second already exists" in result.stderr
    assert (stored(postgres, "admin_first"), stored(postgres, "admin_second")) == before


def test_a_database_that_is_down_exits_75(bin_dir, scratch):
    result = subprocess.run([str(bin_dir / "frames-admin"), "datasets", "list", "--database",
                             f"host={scratch} port=1 connect_timeout=2"], capture_output=True, text=True)
    assert result.returncode == 75 and result.stderr.startswith("frames-admin: database unavailable")


class Hammer(threading.Thread):
    """GETs the paths in turn until stopped; keeps every status and ETag it saw."""

    def __init__(self, web, paths):
        super().__init__(daemon=True)
        self.web, self.paths, self.seen = web, paths, []
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set() and len(self.seen) < 20000:
            for path in self.paths:
                status, headers, _ = self.web.get(path, base=self.web.direct_url)
                self.seen.append((path, status, headers.get("ETag")))

    def stop(self):
        self.done.set()
        self.join(timeout=60)
        return self.seen


def test_rename_and_delete_while_the_pool_serves(web, bin_dir, postgres, sample_csv):
    """Against the pool itself (nginx's direct port): a cache in front may serve the old name for up to
    FRAMES_CACHE_MAX_AGE, which test_cache.py covers."""
    load(bin_dir, postgres, sample_csv, "live_renamed")
    load(bin_dir, postgres, sample_csv, "live_deleted")
    query = "&depth_min=9000&depth_max=9100"
    old, new, gone = (f"/frames?dataset={name}{query}" for name in ("live_renamed", "live_after", "live_deleted"))
    status, headers, body_before = web.get(old, base=web.direct_url)
    assert status == 200
    tag_before = headers["ETag"]

    hammers = [Hammer(web, [old, new, gone]) for _ in range(2)]
    for hammer in hammers:
        hammer.start()
    try:
        while min(len(h.seen) for h in hammers) < 30:
            threading.Event().wait(0.02)
        renamed = admin(bin_dir, postgres, "rename", "live_renamed", "live_after")
        deleted = admin(bin_dir, postgres, "delete", "--yes", "live_deleted")
        seen_before_stop = sum(len(h.seen) for h in hammers)
        while sum(len(h.seen) for h in hammers) < seen_before_stop + 60:
            threading.Event().wait(0.02)
    finally:
        seen = [request for hammer in hammers for request in hammer.stop()]
    assert renamed.returncode == 0 and deleted.returncode == 0, (renamed.stderr, deleted.stderr)

    assert {status for _, status, _ in seen} <= {200, 404}, sorted({s for _, s, _ in seen})
    assert {status for path, status, _ in seen if path == old} == {200, 404}
    assert {status for path, status, _ in seen if path == new} == {200, 404}

    assert web.get(old, base=web.direct_url)[0] == 404 and web.get(gone, base=web.direct_url)[0] == 404
    status, headers, body_after = web.get(new, base=web.direct_url)
    assert status == 200 and headers["ETag"] != tag_before
    assert json.loads(body_after) == json.loads(body_before), "the same frames under the new name"
    assert web.get(new, base=web.direct_url, headers={"If-None-Match": tag_before})[0] == 200
