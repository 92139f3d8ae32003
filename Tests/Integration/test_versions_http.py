"""Versions over HTTP, against the pool (nginx's direct port): /frames?generation=G (display options
too) and /statistics?generation=G answer as of G and are immutable, /datasets/NAME[?generation=G],
/datasets/NAME/generations and /changes, and 404s that name the generations there are."""
import json
import subprocess

from conftest import stack

QUERY = "/frames?dataset=hist&depth_min=9000&depth_max=9003"


def inverted(csv, target, rows=20):
    """The same log with its first `rows` rows' pixels inverted: a re-ingest that changes those depths."""
    lines = csv.read_text().splitlines()
    out = [lines[0]]
    for index, line in enumerate(lines[1:]):
        cells = line.split(",")
        if index < rows:
            cells = [cells[0]] + [str(255 - int(c)) for c in cells[1:]]
        out.append(",".join(cells))
    target.write_text("\n".join(out) + "\n")
    return target


def get(web, path, **headers):
    return web.get(path, base=web.direct_url, headers=headers)


def test_past_generations_over_http(web, bin_dir, sample_csv, scratch):
    assert web.ingest(sample_csv, "--dataset", "hist").returncode == 0
    status, headers, first_body = get(web, QUERY)
    assert status == 200 and "immutable" not in headers["Cache-Control"]
    status, _, body = get(web, "/datasets/hist/generations")
    [first] = json.loads(body)
    g1 = first["generation"]

    assert web.ingest(inverted(sample_csv, scratch / "hist-changed.csv"), "--dataset", "hist").returncode == 0
    status, _, body = get(web, "/datasets/hist/generations")
    generations = json.loads(body)
    assert [g["generation"] for g in generations][1] == g1 and generations[0]["generation"] > g1
    latest = generations[0]
    assert (latest["command"], latest["frames_changed"], latest["frames_added"], latest["frames_removed"]) == \
        ("ingest", 20, 0, 0)
    assert latest["source_file"].endswith("hist-changed.csv") and len(latest["source_sha256"]) == 64

    # As of G1: the same frames as were served while G1 was current, and immutable.
    status, headers, old_body = get(web, QUERY + f"&generation={g1}")
    assert status == 200 and json.loads(old_body) == json.loads(first_body)
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert get(web, QUERY + f"&generation={g1}", **{"If-None-Match": headers["ETag"]})[0] == 304
    assert json.loads(get(web, QUERY)[2]) != json.loads(first_body), "the current generation changed"
    status, _, png = get(web, QUERY + f"&generation={g1}&format=png")
    assert status == 200 and png[:8] == b"\x89PNG\r\n\x1a\n"

    status, headers, body = get(web, f"/datasets/hist?generation={g1}")
    assert status == 200 and json.loads(body)["generation"] == g1 and "immutable" in headers["Cache-Control"]
    assert json.loads(get(web, "/datasets/hist")[2])["generation"] == latest["generation"]

    status, headers, body = get(web, f"/datasets/hist/changes?from={g1}&to={latest['generation']}")
    lines = [json.loads(line) for line in body.decode().splitlines()]
    assert status == 200 and headers["Content-Type"] == "application/x-ndjson"
    assert len(lines) == 20 and {line["change"] for line in lines} == {"changed"}
    diff = subprocess.run([str(bin_dir / "frames-admin"), "datasets", "diff", "--json", "--database",
                           web.postgres.conninfo, "hist", str(g1), str(latest["generation"])],
                          capture_output=True, text=True)
    assert diff.returncode == 0, diff.stderr
    assert [json.loads(line) for line in diff.stdout.splitlines()] == lines

    for path in (QUERY + "&generation=999999", f"/datasets/hist?generation=999999",
                 QUERY + "&generation=999999&height=10", "/statistics?dataset=hist&generation=999999",
                 f"/datasets/hist/changes?from={g1}&to=999999"):
        status, headers, body = get(web, path)
        problem = json.loads(body)
        assert status == 404 and headers["Content-Type"] == "application/problem+json", path
        assert str(g1) in problem["detail"] and str(latest["generation"]) in problem["detail"]
    assert get(web, "/datasets/nosuch/generations")[0] == 404
    # Display options and /statistics read G's rows too, and are as immutable.
    for path in (QUERY + f"&generation={g1}&height=10&norm=static", f"/statistics?dataset=hist&generation={g1}"):
        status, headers, body = get(web, path)
        assert status == 200 and headers["Cache-Control"] == "public, max-age=31536000, immutable", path
        assert get(web, path, **{"If-None-Match": headers["ETag"]})[0] == 304
    assert json.loads(body)["generation"] == g1
    assert json.loads(body)["histogram"] != json.loads(get(web, "/statistics?dataset=hist")[2])["histogram"]
    assert get(web, QUERY + "&generation=zero")[0] == 400
