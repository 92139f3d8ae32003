"""frames-ingest against a real PostgreSQL: loads, rejections that leave the tables as they were,
re-ingest, spool runs and an unreachable database."""
import gzip
import subprocess

import numpy as np
import pytest
from PIL import Image

from conftest import shared_file, stack

HEADER = "depth," + ",".join(f"col{i}" for i in range(1, 201))


def row(depth, value=100, cells=None):
    return f"{depth}," + ",".join(cells or [str(value)] * 200)


def snapshot(pg):
    """Everything both tables hold, as one digest: 'unchanged' means byte-for-byte."""
    return pg.psql("SELECT md5(coalesce(string_agg(f::text, '|' ORDER BY dataset, depth), '')) FROM frames f") + \
        pg.psql("SELECT md5(coalesce(string_agg(d::text, '|' ORDER BY name), '')) FROM datasets d")


def frame_count(pg, dataset):
    return int(pg.psql(f"SELECT count(*) FROM frames WHERE dataset = '{dataset}'"))


def test_generated_sample_loads(bin_dir, postgres, sample_csv):
    result = stack.ingest(bin_dir, postgres.conninfo, sample_csv)
    assert result.returncode == 0, result.stderr
    assert "loaded 2000 rows into dataset sample" in result.stdout
    assert frame_count(postgres, "sample") == 2000
    widths = postgres.psql("SELECT original_width, resized_width, frame_count FROM datasets WHERE name = 'sample'")
    assert widths == "200|150|2000"


def test_img_standin_loads_5460_frames_and_skips_the_empty_row(bin_dir, postgres):
    path = shared_file("img_standin.csv")
    result = stack.ingest(bin_dir, postgres.conninfo, path)
    assert result.returncode == 0, result.stderr
    assert "loaded 5460 rows" in result.stdout and "skipped 1 empty" in result.stdout
    assert frame_count(postgres, "img_standin") == 5460
    assert postgres.psql("SELECT depth_min, depth_max FROM datasets WHERE name = 'img_standin'") == "9000.1|9546"


def test_brick_loads_512_frames(bin_dir, postgres):
    result = stack.ingest(bin_dir, postgres.conninfo, shared_file("brick.csv"))
    assert result.returncode == 0, result.stderr
    assert frame_count(postgres, "brick") == 512


def stored_rows(pg, dataset):
    out = pg.psql(f"SELECT depth, encode(original_gz, 'hex'), encode(resized_gz, 'hex'), encode(resized, 'hex'), "
                  f"pixel_min, pixel_max, pixel_mean, pixel_std, compression_ratio_original, "
                  f"compression_ratio_resized FROM frames WHERE dataset = '{dataset}' ORDER BY depth")
    for line in out.splitlines():
        depth, original_gz, resized_gz, resized, lo, hi, mean, std, r_o, r_r = line.split("|")
        yield (float(depth), bytes.fromhex(original_gz), bytes.fromhex(resized_gz), bytes.fromhex(resized),
               int(lo), int(hi), float(mean), float(std), float(r_o), float(r_r))


def read_csv_rows(path):
    with open(path, encoding="utf-8-sig") as f:
        next(f)
        for line in f:
            cells = line.strip().split(",")
            if all(c == "" for c in cells):
                continue
            yield float(cells[0]), np.array([int(float(c)) for c in cells[1:]], dtype=np.uint8)


@pytest.mark.parametrize("source", ["img_standin.csv", "sample"])
def test_stored_rows_match_pillow_numpy_and_gzip(bin_dir, postgres, sample_csv, source):
    """Resize against Pillow's LANCZOS (±1 everywhere, exact on ≥ 99 %), stats against numpy, and real
    gzip streams of the raw bytes."""
    path = sample_csv if source == "sample" else shared_file(source)
    dataset = path.stem
    assert stack.ingest(bin_dir, postgres.conninfo, path).returncode == 0
    originals = dict(read_csv_rows(path))
    exact = total = 0
    worst = 0
    for depth, original_gz, resized_gz, resized, lo, hi, mean, std, r_o, r_r in stored_rows(postgres, dataset):
        original = originals[depth]
        assert gzip.decompress(original_gz) == original.tobytes()
        assert gzip.decompress(resized_gz) == resized
        expected = np.asarray(Image.fromarray(original.reshape(1, -1), "L").resize((150, 1), Image.LANCZOS)).ravel()
        got = np.frombuffer(resized, dtype=np.uint8)
        diff = np.abs(expected.astype(int) - got.astype(int))
        worst = max(worst, int(diff.max()))
        exact += int((diff == 0).sum())
        total += diff.size
        assert (lo, hi) == (int(original.min()), int(original.max()))
        assert mean == pytest.approx(float(original.mean()), rel=1e-12)
        assert std == pytest.approx(float(original.std()), rel=1e-9)
        assert r_o == pytest.approx(200 / len(original_gz)) and r_r == pytest.approx(150 / len(resized_gz))
    assert total == len(originals) * 150
    assert worst <= 1
    assert exact / total >= 0.99


def test_crlf_bom_and_decimal_cells_are_accepted(bin_dir, postgres, scratch):
    path = scratch / "windows.csv"
    lines = [HEADER, row(1.5, cells=["224.0"] * 200), row(2.5, 7), ",".join([""] * 201)]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n")
    result = stack.ingest(bin_dir, postgres.conninfo, path)
    assert result.returncode == 0, result.stderr
    assert postgres.psql("SELECT pixel_min, pixel_max FROM frames WHERE dataset = 'windows' ORDER BY depth") == \
        "224|224\n7|7"


BAD_INPUTS = {
    "short_row": ([row(1.0), "2.0," + ",".join(["5"] * 199)], 3, 201, "expected 201 cells, found 200"),
    "empty_cell": ([row(1.0), "2.0," + ",".join(["5"] * 99 + [""] + ["5"] * 100)], 3, 101, "empty cell"),
    "not_a_number": ([row(1.0), "2.0," + ",".join(["5"] * 9 + ["abc"] + ["5"] * 190)], 3, 11, "`abc` is not a number"),
    "out_of_range": ([row(1.0, cells=["256"] + ["5"] * 199)], 2, 2, "`256` is outside 0–255"),
    "negative_pixel": ([row(1.0, cells=["-3"] + ["5"] * 199)], 2, 2, "outside 0–255"),
    "fraction": ([row(1.0, cells=["12.5"] + ["5"] * 199)], 2, 2, "not a whole number"),
    "nan_depth": ([row("nan")], 2, 1, "not finite"),
    "inf_depth": ([row(1.0), row("inf")], 3, 1, "not finite"),
    "duplicate_depth": ([row(1.0), row(2.0), row(1.0)], 4, 1, "duplicate depth 1.0"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_rejected_whole_and_changes_nothing(bin_dir, postgres, scratch, case):
    lines, line, column, message = BAD_INPUTS[case]
    target = scratch / "victim.csv"
    target.write_text("\n".join([HEADER, row(1.0, 11), row(2.0, 22)]) + "\n")
    assert stack.ingest(bin_dir, postgres.conninfo, target).returncode == 0
    before = snapshot(postgres)
    bad = scratch / "bad" / "victim.csv"
    bad.parent.mkdir(exist_ok=True)
    bad.write_text("\n".join([HEADER, *lines]) + "\n")
    result = stack.ingest(bin_dir, postgres.conninfo, bad)
    assert result.returncode == 65, result.stderr
    assert f"{bad}:{line}:{column}:" in result.stderr and message in result.stderr
    assert snapshot(postgres) == before


def test_skip_bad_rows_loads_the_rest_and_reports_each(bin_dir, postgres, scratch):
    path = scratch / "partly.csv"
    path.write_text("\n".join([HEADER, row(1.0), "2.0,x", row(3.0, cells=["300"] * 200), row(4.0)]) + "\n")
    result = stack.ingest(bin_dir, postgres.conninfo, "--skip-bad-rows", path)
    assert result.returncode == 0, result.stderr
    assert "loaded 2 rows" in result.stdout and "2 bad" in result.stdout
    assert '"line":3' in result.stderr and '"line":4' in result.stderr
    assert frame_count(postgres, "partly") == 2


def test_reingest_replaces_rows_and_bumps_the_generation(bin_dir, postgres, sample_csv):
    assert stack.ingest(bin_dir, postgres.conninfo, sample_csv, "--dataset", "again").returncode == 0
    first = int(postgres.psql("SELECT generation FROM datasets WHERE name = 'again'"))
    assert stack.ingest(bin_dir, postgres.conninfo, sample_csv, "--dataset", "again").returncode == 0
    assert frame_count(postgres, "again") == 2000
    assert int(postgres.psql("SELECT generation FROM datasets WHERE name = 'again'")) > first


def test_reingest_of_a_shorter_file_drops_the_depths_it_no_longer_has(bin_dir, postgres, scratch):
    path = scratch / "shrinking.csv"
    path.write_text("\n".join([HEADER, row(1.0, 1), row(2.0, 2), row(3.0, 3)]) + "\n")
    assert stack.ingest(bin_dir, postgres.conninfo, path).returncode == 0
    path.write_text("\n".join([HEADER, row(2.0, 20), row(4.0, 4)]) + "\n")
    assert stack.ingest(bin_dir, postgres.conninfo, path).returncode == 0
    assert postgres.psql("SELECT depth, pixel_min FROM frames WHERE dataset = 'shrinking' ORDER BY depth") == "2|20\n4|4"
    assert postgres.psql("SELECT frame_count, depth_min, depth_max FROM datasets WHERE name = 'shrinking'") == "2|2|4"


def test_usage_and_missing_file_exit_codes(bin_dir, postgres, scratch):
    assert stack.ingest(bin_dir, postgres.conninfo, "--frobnicate").returncode == 64
    missing = stack.ingest(bin_dir, postgres.conninfo, scratch / "nope.csv")
    assert missing.returncode == 66 and "nope.csv" in missing.stderr


def test_database_down_exits_75_with_a_clear_message(bin_dir, sample_csv):
    conninfo = f"host=127.0.0.1 port={stack.free_port()} dbname=frames user=postgres connect_timeout=3"
    result = stack.ingest(bin_dir, conninfo, sample_csv)
    assert result.returncode == 75
    assert "database unavailable" in result.stderr and "Connection refused" in result.stderr


def test_multi_host_conninfo_skips_a_dead_host(bin_dir, postgres, sample_csv):
    """libpq's multi-host conninfo: the first host is down, the second takes the load."""
    conninfo = (f"host=127.0.0.1,{postgres.sockets} port={stack.free_port()},{postgres.port} dbname=frames "
                f"user=postgres target_session_attrs=read-write connect_timeout=3")
    result = stack.ingest(bin_dir, conninfo, sample_csv, "--dataset", "failover")
    assert result.returncode == 0, result.stderr
    assert frame_count(postgres, "failover") == 2000


def test_two_concurrent_spool_runs_do_not_double_load(bin_dir, postgres, scratch, sample_csv):
    spool = scratch / "spool"
    (spool / "incoming").mkdir(parents=True)
    for name in ("alpha", "beta", "gamma"):
        (spool / "incoming" / f"{name}.csv").write_bytes(sample_csv.read_bytes())
    (spool / "incoming" / "delta.csv.part").write_text(HEADER + "\n")
    (spool / "incoming" / "broken.csv").write_text(HEADER + "\n1.0,2\n")
    command = [str(bin_dir / "frames-ingest"), "--database", postgres.conninfo, "--spool", str(spool)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(r.wait(timeout=120), r.stdout.read(), r.stderr.read()) for r in runs]
    assert sorted(p.name for p in (spool / "done").iterdir()) == ["alpha.csv", "beta.csv", "gamma.csv"]
    assert sorted(p.name for p in (spool / "failed").iterdir()) == ["broken.csv", "broken.csv.error"]
    assert "broken.csv:2:" in (spool / "failed" / "broken.csv.error").read_text()
    assert [p.name for p in (spool / "incoming").iterdir()] == ["delta.csv.part"]
    for name in ("alpha", "beta", "gamma"):
        assert frame_count(postgres, name) == 2000
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 65], results
