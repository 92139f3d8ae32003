"""The HTTP contract, through real nginx → spawn-fcgi pool → PostgreSQL loaded by frames-ingest.
Colours are checked against the matplotlib tables committed in Tests/FramesCoreTests/Fixtures
(made by tools/fixtures/make_colormaps.py)."""
import base64
import io
import json
import os
import random
import urllib.parse
import signal

import numpy as np
import pytest
from PIL import Image

from conftest import stack

FIXTURES = stack.REPO / "Tests" / "FramesCoreTests" / "Fixtures"
TABLES = json.loads((FIXTURES / "colormaps.json").read_text())


def table(name):
    return np.frombuffer(bytes.fromhex(TABLES["named"][name]), dtype=np.uint8).reshape(256, 3)


@pytest.fixture(scope="module")
def api(web, bin_dir, postgres, sample_csv):
    result = stack.ingest(bin_dir, postgres.conninfo, sample_csv, "--dataset", "api")
    assert result.returncode == 0, result.stderr
    return web


def stored_resized(postgres, lo, hi):
    out = postgres.psql(f"SELECT depth, encode(resized, 'hex') FROM frames WHERE dataset = 'api' "
                        f"AND depth BETWEEN {lo} AND {hi} ORDER BY depth")
    return [(float(d), np.frombuffer(bytes.fromhex(h), dtype=np.uint8)) for d, h in
            (line.split("|") for line in out.splitlines())]


@pytest.mark.parametrize("colormap", ["viridis", "gray", "jet_r", "YlOrBr_r", "turbo"])
def test_json_frames_are_the_stored_rows_through_the_matplotlib_table(api, postgres, colormap):
    status, headers, body = api.get(f"/frames?dataset=api&depth_min=9000.1&depth_max=9010&colormap={colormap}")
    assert status == 200 and headers["Content-Type"] == "application/json"
    frames = json.loads(body)
    expected = stored_resized(postgres, 9000.1, 9010)
    assert [f["depth"] for f in frames] == [d for d, _ in expected] and len(frames) == 100
    for frame, (_, pixels) in zip(frames, expected):
        rgb = np.frombuffer(base64.b64decode(frame["data"]), dtype=np.uint8).reshape(150, 3)
        assert (rgb == table(colormap)[pixels]).all()
        assert set(frame["metadata"]) == {"min", "max", "mean", "std", "compression_ratio_original",
                                          "compression_ratio_resized"}


def test_png_pixels_match_and_headers_say_what_is_in_it(api, postgres):
    status, headers, body = api.get("/frames?dataset=api&depth_min=9000.1&depth_max=9010&format=png&colormap=magma")
    assert status == 200 and headers["Content-Type"] == "image/png"
    assert headers["X-Frame-Count"] == "100" and headers["X-Depth-Min"] == "9000.1" and headers["X-Depth-Max"] == "9010.0"
    image = Image.open(io.BytesIO(body))
    assert image.size == (150, 100)
    rgb = np.asarray(image.convert("RGB"))
    expected = np.stack([table("magma")[p] for _, p in stored_resized(postgres, 9000.1, 9010)])
    assert (rgb == expected).all()


def test_accept_header_picks_png_and_ndjson(api):
    status, headers, _ = api.get("/frames?dataset=api&depth_min=9000&depth_max=9001", headers={"Accept": "image/png"})
    assert status == 200 and headers["Content-Type"] == "image/png"
    status, headers, body = api.get("/frames?dataset=api&depth_min=9000&depth_max=9001",
                                    headers={"Accept": "application/x-ndjson"})
    assert status == 200 and headers["Content-Type"].startswith("application/x-ndjson")
    lines = body.decode().splitlines()
    assert len(lines) == 10 and all(json.loads(line)["depth"] for line in lines)


def test_ndjson_streams_the_whole_dataset(api):
    status, _, body = api.get("/frames?dataset=api&depth_min=0&depth_max=100000&format=ndjson")
    assert status == 200
    depths = [json.loads(line)["depth"] for line in body.decode().splitlines()]
    assert len(depths) == 2000 and depths == sorted(depths)


def test_vmin_vmax_and_custom_colors_follow_matplotlib(api, postgres):
    case = next(c for c in TABLES["normalized"] if c["name"] == "viridis" and c["vmin"] == 50 and c["vmax"] == 200)
    palette = np.frombuffer(bytes.fromhex(case["rgb"]), dtype=np.uint8).reshape(256, 3)
    _, _, body = api.get("/frames?dataset=api&depth_min=9000.1&depth_max=9000.5&vmin=50&vmax=200")
    for frame, (_, pixels) in zip(json.loads(body), stored_resized(postgres, 9000.1, 9000.5)):
        assert (np.frombuffer(base64.b64decode(frame["data"]), dtype=np.uint8).reshape(150, 3) == palette[pixels]).all()
    custom = TABLES["custom"][0]
    _, _, body = api.get(f"/frames?dataset=api&depth_min=9000.1&depth_max=9000.5&colors={custom['spec']}")
    palette = np.frombuffer(bytes.fromhex(custom["rgb"]), dtype=np.uint8).reshape(256, 3)
    for frame, (_, pixels) in zip(json.loads(body), stored_resized(postgres, 9000.1, 9000.5)):
        assert (np.frombuffer(base64.b64decode(frame["data"]), dtype=np.uint8).reshape(150, 3) == palette[pixels]).all()


def test_empty_range_and_limit(api):
    status, _, body = api.get("/frames?dataset=api&depth_min=1&depth_max=2")
    assert status == 200 and json.loads(body) == []
    status, headers, body = api.get("/frames?dataset=api&depth_min=1&depth_max=2&format=png")
    assert status == 204 and headers["X-Frame-Count"] == "0" and body == b""
    _, _, body = api.get("/frames?dataset=api&depth_min=0&depth_max=99999&limit=7")
    assert len(json.loads(body)) == 7


ERRORS = [
    ("/frames?dataset=api&depth_max=5", 400, "depth_min"),
    ("/frames?dataset=api&depth_min=5&depth_max=1", 400, "depth_min"),
    ("/frames?dataset=api&depth_min=-1&depth_max=1", 400, "depth_min"),
    ("/frames?dataset=api&depth_min=nan&depth_max=1", 400, "depth_min"),
    ("/frames?dataset=api&depth_min=1&depth_max=inf", 400, "depth_max"),
    ("/frames?dataset=api&depth_min=1&depth_max=2&limit=0", 400, "limit"),
    ("/frames?dataset=api&depth_min=1&depth_max=2&limit=10001", 400, "limit"),
    ("/frames?dataset=api&depth_min=1&depth_max=2&colormap=nope", 400, "viridis"),
    ("/frames?dataset=api&depth_min=1&depth_max=2&colors=zzzzzz,000000", 400, "colors"),
    ("/frames?dataset=api&depth_min=1&depth_max=2&format=gif", 400, "format"),
    ("/frames?dataset=api&depth_min=1&depth_max=2&depthmin=3", 400, "depthmin"),
    ("/frames?dataset=nope&depth_min=1&depth_max=2", 404, "nope"),
    ("/frames?dataset=nope&depth_min=1&depth_max=2&format=ndjson", 404, "nope"),
    ("/frames?dataset=x%27;DROP%20TABLE%20frames;--&depth_min=1&depth_max=2", 404, "DROP"),
    ("/nowhere", 404, "/nowhere"),
]


@pytest.mark.parametrize("path,status,mentions", ERRORS)
def test_errors_are_problem_json(api, path, status, mentions):
    got, headers, body = api.get(path)
    assert got == status and headers["Content-Type"] == "application/problem+json"
    problem = json.loads(body)
    assert problem["status"] == status and mentions in problem["detail"] and problem["title"]


def test_dataset_may_be_left_out_only_while_one_exists(api, bin_dir, postgres, scratch):
    second = scratch / "second.csv"
    second.write_text("depth,c1,c2\n1.0,1,2\n")
    assert stack.ingest(bin_dir, postgres.conninfo, second).returncode == 0
    status, _, body = api.get("/frames?depth_min=1&depth_max=2")
    assert status == 400 and "several datasets exist" in json.loads(body)["detail"]
    assert "api" in json.loads(body)["detail"] and "second" in json.loads(body)["detail"]


def test_other_methods_get_405(api):
    status, headers, body = api.get("/frames?dataset=api&depth_min=1&depth_max=2", method="DELETE")
    assert status == 405 and "GET" in headers["Allow"] and json.loads(body)["status"] == 405


def test_etag_and_if_none_match(api, bin_dir, postgres, sample_csv):
    """The app's own validators, past nginx's cache (the direct port): a re-ingest changes the tag at once."""
    path = "/frames?dataset=api&depth_min=9000&depth_max=9002"
    status, headers, _ = api.get(path, base=api.direct_url)
    tag = headers["ETag"]
    assert status == 200 and "max-age" in headers["Cache-Control"]
    assert api.get(path, base=api.direct_url, headers={"If-None-Match": tag})[0] == 304
    assert api.get(path + "&colormap=gray", base=api.direct_url, headers={"If-None-Match": tag})[0] == 200
    assert stack.ingest(bin_dir, postgres.conninfo, sample_csv, "--dataset", "api").returncode == 0
    status, headers, _ = api.get(path, base=api.direct_url, headers={"If-None-Match": tag})
    assert status == 200 and headers["ETag"] != tag


def test_service_endpoints(api):
    status, _, body = api.get("/health")
    assert status == 200 and json.loads(body)["status"] == "healthy"
    status, _, body = api.get("/ready")
    ready = json.loads(body)
    assert status == 200 and ready["status"] == "ready" and ready["tables_exist"] and ready["connected"]
    datasets = {d["name"]: d for d in json.loads(api.get("/datasets")[2])}
    assert datasets["api"]["frame_count"] == 2000 and datasets["api"]["resized_width"] == 150
    names = json.loads(api.get("/colormaps")[2])["colormaps"]
    for name in ["viridis", "plasma", "inferno", "magma", "cividis", "turbo", "hot", "cool", "gray", "jet",
                 "rainbow", "bone", "copper", "afmhot", "YlOrBr", "seismic", "coolwarm", "terrain"]:
        assert name in names and name + "_r" in names
    assert api.get("/")[0] == 200


def test_a_killed_worker_is_replaced_and_the_pool_keeps_answering(api, web):
    before = web.pool.worker_pids()
    victim = before[0]
    os.kill(victim, signal.SIGKILL)
    stack.wait_for(lambda: len(web.pool.worker_pids()) == len(before) and victim not in web.pool.worker_pids(),
                   what="a replacement worker")
    for _ in range(20):
        assert api.get("/health")[0] == 200


def test_database_restart_gives_503_then_200_without_touching_the_pool(api, web, postgres):
    workers = web.pool.worker_pids()
    postgres.stop()
    try:
        status, headers, body = api.get("/datasets")
        assert status == 503 and "Retry-After" in headers and json.loads(body)["status"] == 503
        status, _, body = api.get("/ready")
        assert status == 503 and json.loads(body)["status"] == "not_ready" and not json.loads(body)["connected"]
    finally:
        postgres.start()
    stack.wait_for(lambda: api.get("/datasets")[0] == 200, what="recovery after the restart")
    for _ in range(10):
        assert api.get("/frames?dataset=api&depth_min=9000&depth_max=9001")[0] == 200
    assert web.pool.worker_pids() == workers


def test_hostile_input_never_crashes_a_worker(api):
    """Odd query strings, escapes, huge and non-UTF-8 values: every answer is a clean status, and the
    workers that answered are the ones that started."""
    workers = api.pool.worker_pids()
    rng = random.Random(20261126)
    pieces = ["depth_min=", "depth_max=", "limit=", "dataset=", "format=", "colormap=", "colors=", "vmin=",
              "vmax=", "%", "%zz", "%00", "%ff%fe", "&", "=", "+", "1e308", "-0", "nan", "9" * 400, "api",
              "png", "ndjson", "0:00ff00,1:ff0000", "#", "viridis_r", "%E2%82%AC", ";", "'", "\\", "0x10"]
    for _ in range(300):
        query = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        status, headers, body = api.get("/frames?" + urllib.parse.quote(query, safe="=&%+:,;'\\#"))
        assert status in (200, 204, 400, 404), (query, status, body[:200])
        if status >= 400:
            assert headers["Content-Type"] == "application/problem+json" and json.loads(body)["status"] == status
    values = ["0", "9000.1", "1e308", "-1", "4.9e-324", "9" * 60, "", "api", "api'--", "ap%00i", "%C3%A9", "1,2"]
    for _ in range(150):
        fields = {name: rng.choice(values) for name in ("depth_min", "depth_max", "limit", "dataset", "vmin")}
        fields["format"] = rng.choice(["json", "png", "ndjson"])
        status, headers, body = api.get("/frames?" + "&".join(f"{k}={v}" for k, v in fields.items()))
        assert status in (200, 204, 400, 404), (fields, status, body[:200])
        if status >= 400:
            assert headers["Content-Type"] == "application/problem+json" and json.loads(body)["status"] == status
    assert api.pool.worker_pids() == workers


EVERY_ROUTE = ["/", "/health", "/ready", "/datasets", "/colormaps",
               "/frames?dataset=api&depth_min=9000&depth_max=9001",
               "/frames?dataset=api&depth_min=9000&depth_max=9001&format=png",
               "/frames?dataset=api&depth_min=9000&depth_max=9001&format=ndjson",
               "/frames?dataset=api&depth_min=1&depth_max=2&format=png",  # 204
               "/frames?dataset=api&depth_min=x&depth_max=1", "/frames?dataset=nope&depth_min=1&depth_max=2",
               "/nowhere", "/health?verbose=1"]


@pytest.mark.parametrize("path", EVERY_ROUTE)
def test_head_is_get_without_the_body(api, path):
    """The app's answer to HEAD (past nginx's cache): GET's status and headers, no body. Date differs
    between the two requests, and nginx frames a streamed GET body as chunked (there is none for HEAD).
    test_cache.py checks the same through the cache."""
    got, get_headers, body = api.get(path, base=api.direct_url)
    status, head_headers, empty = api.get(path, base=api.direct_url, method="HEAD")
    assert status == got and empty == b""
    framing = {"Date", "Transfer-Encoding"}
    assert ({k: v for k, v in head_headers.items() if k not in framing}
            == {k: v for k, v in get_headers.items() if k not in framing})
    if "Content-Length" in get_headers:
        assert int(get_headers["Content-Length"]) == len(body)
