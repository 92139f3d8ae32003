"""Issue 11 through the real stack (nginx → pool → PostgreSQL loaded by frames-ingest): depth binning,
static and dynamic normalization, percentile stretches, /statistics and colour bars, each compared
with an oracle computed here from the source CSV: numpy from the issue's definitions, skimage's
rank.equalize, numpy.percentile/histogram, and matplotlib's colormaps.

The stored rows are the CSV's rows Lanczos-resized to 150 pixels; Pillow's LANCZOS gives the same
bytes (checked below against the database), so the /frames oracles resize the CSV with Pillow."""
import base64
import subprocess
import io
import json
import math

import matplotlib
import numpy as np
import pytest
from matplotlib.colors import Normalize
from PIL import Image
from skimage.filters import rank

from conftest import shared_file, stack

WIDTH = 150


def read_csv(path):
    """(depths, original rows as uint8) of the frames an ingest keeps (rows with no pixel are skipped)."""
    table = np.genfromtxt(path, delimiter=",", skip_header=1)
    table = table[~np.isnan(table[:, 1:]).all(axis=1)]
    return table[:, 0], table[:, 1:].astype(np.uint8)


def resized(original):
    return np.array(Image.fromarray(original).resize((WIDTH, len(original)), Image.LANCZOS))


def irregular_log(path):
    """A log with irregular depth steps and a 12 m gap, written here."""
    rng = np.random.default_rng(11)
    steps = rng.uniform(0.04, 0.35, 700)
    depths = 500 + np.round(np.cumsum(steps), 3)
    depths[400:] += 12.0
    columns = np.arange(200)
    rows = [np.clip(120 + 80 * np.sin(columns / 9 + d / 3) + rng.normal(0, 25, 200), 0, 255).astype(int)
            for d in depths]
    with open(path, "w") as out:
        out.write("depth," + ",".join(f"c{i}" for i in range(200)) + "\n")
        for depth, row in zip(depths, rows):
            out.write(f"{depth:.3f}," + ",".join(map(str, row)) + "\n")
    return path


class Log:
    """A CSV ingested as a dataset, with everything the oracles need."""

    def __init__(self, web, name, path):
        result = web.ingest(str(path), "--dataset", name)
        assert result.returncode == 0, result.stderr
        self.web, self.name = web, name
        self.depths, self.original = read_csv(path)
        self.resized = resized(self.original)

    def get(self, query, **kw):
        joined = f"{query}&dataset={self.name}" if "?" in query else f"{query}?dataset={self.name}"
        return self.web.get(joined, base=self.web.direct_url, **kw)

    def frames(self, query):
        status, headers, body = self.get("/frames?" + query)
        assert status == 200, body
        return headers, json.loads(body)

    def in_range(self, lo, hi):
        return (self.depths >= lo) & (self.depths <= hi)


@pytest.fixture(scope="module")
def irregular(web, scratch):
    return Log(web, "irregular", irregular_log(scratch / "irregular.csv"))


@pytest.fixture(scope="module")
def standin(web):
    return Log(web, "standin", shared_file("img_standin.csv"))


@pytest.fixture(scope="module")
def brick(web):
    return Log(web, "brick", shared_file("brick.csv"))


def colors(pixels, colormap="viridis", vmin=0.0, vmax=255.0):
    return matplotlib.colormaps[colormap](Normalize(vmin, vmax)(np.asarray(pixels, dtype=float)), bytes=True)[..., :3]


def rgb(frame):
    return np.frombuffer(base64.b64decode(frame["data"]), dtype=np.uint8).reshape(-1, 3)


def equalized(rows, window_rows):
    """floor(255 · C(v) / n) over the pixels of window_rows, applied to rows (the issue's definition)."""
    counts = np.bincount(window_rows.ravel(), minlength=256)
    table = (255 * np.cumsum(counts)) // counts.sum()
    return table[rows]


def bins_oracle(log, lo, hi, height, rows):
    """The issue's bins over [a, b] = the range clipped to the log: (top, bottom, indices) per bin."""
    a, b = max(lo, log.depths.min()), min(hi, log.depths.max())
    inside = np.flatnonzero(log.in_range(a, b))
    k = np.minimum(height - 1, np.floor((log.depths[inside] - a) * height / (b - a))).astype(int)
    out = []
    for index in range(height):
        members = inside[k == index]
        top = a + ((b - a) * index) / height
        bottom = b if index == height - 1 else a + ((b - a) * (index + 1)) / height
        pixels = np.floor(rows[members].mean(axis=0) + 0.5).astype(np.uint8) if len(members) else None
        out.append((top, bottom, members, pixels))
    return out


def test_stored_rows_are_pillows_lanczos(irregular, postgres):
    out = postgres.psql("SELECT encode(resized, 'hex') FROM frames WHERE dataset = 'irregular' ORDER BY depth")
    stored = np.array([np.frombuffer(bytes.fromhex(h), dtype=np.uint8) for h in out.split()])
    assert (stored == irregular.resized).all()


@pytest.mark.parametrize("lo,hi,height,gap", [(0, 99999, 90, True), (560, 600, 61, True), (540, 545, 7, False)])
def test_json_bins_match_numpy(irregular, lo, hi, height, gap):
    headers, frames = irregular.frames(f"depth_min={lo}&depth_max={hi}&height={height}&colormap=magma")
    expected = [b for b in bins_oracle(irregular, lo, hi, height, irregular.resized) if len(b[2])]
    assert (len(expected) < height) == gap, "the gap leaves empty bins, and only the gap"
    assert len(frames) == len(expected) == int(headers["X-Frame-Count"])
    for frame, (top, bottom, members, pixels) in zip(frames, expected):
        assert (frame["depth_top"], frame["depth_bottom"], frame["frames"]) == (top, bottom, len(members))
        assert frame["depth"] == (top + bottom) / 2
        assert (rgb(frame) == colors(pixels, "magma")).all()
        original = irregular.original[members]
        meta = frame["metadata"]
        assert (meta["min"], meta["max"]) == (original.min(), original.max())
        assert meta["mean"] == pytest.approx(original.mean(), rel=1e-12)
        assert meta["std"] == pytest.approx(original.std(), rel=1e-9)


def test_height_at_least_the_frame_count_changes_nothing(irregular):
    _, plain = irregular.frames("depth_min=520&depth_max=530")
    _, tall = irregular.frames(f"depth_min=520&depth_max=530&height={len(plain)}")
    assert plain == tall and "depth_top" not in plain[0]


def test_png_bins_leave_empty_bins_transparent(irregular):
    status, headers, body = irregular.get("/frames?depth_min=0&depth_max=99999&height=90&format=png&colormap=jet")
    assert status == 200 and headers["Content-Type"] == "image/png"
    image = np.asarray(Image.open(io.BytesIO(body)).convert("RGBA"))
    assert image.shape == (90, WIDTH, 4)
    for row, (_, _, members, pixels) in zip(image, bins_oracle(irregular, 0, 99999, 90, irregular.resized)):
        if pixels is None:
            assert (row[:, 3] == 0).all()
        else:
            assert (row[:, 3] == 255).all() and (row[:, :3] == colors(pixels, "jet")).all()


def test_png_bins_using_every_value_fall_back_to_rgba(web, scratch):
    """All 256 values in the rows leave no palette index to make transparent."""
    path = scratch / "every_value.csv"
    with open(path, "w") as out:
        out.write("depth," + ",".join(f"c{i}" for i in range(WIDTH)) + "\n")
        for row in range(40):
            depth = row if row < 20 else row + 30
            out.write(f"{depth}," + ",".join(str((row * WIDTH + c) % 256) for c in range(WIDTH)) + "\n")
    log = Log(web, "every_value", path)
    status, _, body = log.get("/frames?depth_min=0&depth_max=100&height=30&format=png")
    image = Image.open(io.BytesIO(body))
    assert status == 200 and image.mode == "RGBA"
    pixels = np.asarray(image)
    expected = bins_oracle(log, 0, 100, 30, log.resized)
    assert len({v for _, _, _, p in expected if p is not None for v in p}) == 256
    for row, (_, _, _, values) in zip(pixels, expected):
        assert (row[:, 3] == 0).all() if values is None else (row[:, :3] == colors(values)).all()


def test_ndjson_bins_are_the_json_bins(irregular):
    query = "/frames?depth_min=0&depth_max=99999&height=90"
    _, whole = irregular.frames(query[len("/frames?"):])
    status, headers, body = irregular.get(query + "&format=ndjson")
    assert status == 200 and headers["Content-Type"] == "application/x-ndjson"
    assert [json.loads(line) for line in body.decode().splitlines()] == whole


def test_whole_log_at_1000_rows(standin):
    headers, frames = standin.frames("depth_min=0&depth_max=99999&height=1000")
    expected = [b for b in bins_oracle(standin, 0, 99999, 1000, standin.resized) if len(b[2])]
    assert len(frames) == len(expected) and sum(f["frames"] for f in frames) == len(standin.depths)
    for frame, (_, _, _, pixels) in zip(frames, expected):
        assert (rgb(frame) == colors(pixels)).all()


def test_static_normalization_uses_every_frame_of_the_dataset(irregular):
    _, frames = irregular.frames("depth_min=530&depth_max=540&norm=static&colormap=gray")
    inside = irregular.in_range(530, 540)
    expected = equalized(irregular.resized[inside], irregular.resized)
    assert len(frames) == inside.sum()
    for frame, pixels in zip(frames, expected):
        assert (rgb(frame) == colors(pixels, "gray")).all()


def test_static_normalization_comes_before_binning(irregular):
    _, frames = irregular.frames("depth_min=0&depth_max=99999&norm=static&height=90")
    rows = equalized(irregular.resized, irregular.resized)
    expected = [b for b in bins_oracle(irregular, 0, 99999, 90, rows) if len(b[2])]
    for frame, (_, _, _, pixels) in zip(frames, expected):
        assert (rgb(frame) == colors(pixels)).all()


def dynamic_oracle(log, lo, hi, window):
    inside = np.flatnonzero(log.in_range(lo, hi))
    return inside, np.array([equalized(log.resized[i], log.resized[np.abs(log.depths - log.depths[i]) <= window / 2])
                             for i in inside])


@pytest.mark.parametrize("window", [0.5, 1.7, 13.0])
def test_dynamic_normalization_from_the_definition(irregular, window):
    _, frames = irregular.frames(f"depth_min=540&depth_max=575&norm=dynamic&window={window}")
    inside, expected = dynamic_oracle(irregular, 540, 575, window)
    assert [f["depth"] for f in frames] == list(irregular.depths[inside])
    for frame, pixels in zip(frames, expected):
        assert (rgb(frame) == colors(pixels)).all()


def test_dynamic_tiles_are_seamless_and_binned_after(irregular):
    """A depth looks the same whichever range asks for it: windows read rows outside the range."""
    _, whole = irregular.frames("depth_min=540&depth_max=560&norm=dynamic&window=2")
    _, upper = irregular.frames("depth_min=540&depth_max=550&norm=dynamic&window=2")
    _, lower = irregular.frames("depth_min=550.0001&depth_max=560&norm=dynamic&window=2")
    assert upper + lower == whole
    _, binned = irregular.frames("depth_min=0&depth_max=99999&norm=dynamic&window=2&height=90")
    _, rows = dynamic_oracle(irregular, 0, 99999, 2)
    expected = [b for b in bins_oracle(irregular, 0, 99999, 90, rows) if len(b[2])]
    for frame, (_, _, _, pixels) in zip(binned, expected):
        assert (rgb(frame) == colors(pixels)).all()


def test_dynamic_equals_skimage_rank_equalize_on_a_regular_log(brick):
    """brick.csv steps by 0.25 m: window 1.0 is k = 2 rows each side."""
    k = 2
    footprint = np.ones((2 * k + 1, 2 * WIDTH - 1), dtype=bool)
    expected = rank.equalize(brick.resized, footprint=footprint)
    lo, hi = brick.depths[100], brick.depths[200]
    _, frames = brick.frames(f"depth_min={lo}&depth_max={hi}&norm=dynamic&window=1.0&colormap=gray")
    assert len(frames) == 101
    for frame, pixels in zip(frames, expected[100:201]):
        assert (rgb(frame) == colors(pixels, "gray")).all()


def test_percentile_stretch_is_numpy_percentile_then_normalize(irregular):
    _, frames = irregular.frames("depth_min=510&depth_max=530&vmin=p5&vmax=p95&colormap=turbo")
    rows = irregular.resized[irregular.in_range(510, 530)]
    vmin, vmax = np.percentile(rows, 5), np.percentile(rows, 95)
    assert vmin != 0 and vmax != 255
    for frame, pixels in zip(frames, rows):
        assert (rgb(frame) == colors(pixels, "turbo", vmin, vmax)).all()
    _, frames = irregular.frames("depth_min=510&depth_max=530&vmax=p50&height=5")
    vmax = np.percentile(rows, 50)
    for frame, (_, _, _, pixels) in zip(frames, bins_oracle(irregular, 510, 530, 5, irregular.resized)):
        assert (rgb(frame) == colors(pixels, "viridis", 0, vmax)).all()


@pytest.mark.parametrize("query,parameter", [
    ("norm=static&vmin=10", "norm"), ("norm=dynamic&window=1&vmax=p90", "norm"), ("norm=dynamic", "window"),
    ("norm=dynamic&window=0", "window"), ("norm=sideways", "norm"), ("height=0", "height"),
    ("height=10001", "height"), ("vmin=p101", "vmin"), ("vmin=p60&vmax=p40", "vmax"), ("vmin=p5&vmax=200", "vmax"),
])
def test_bad_display_parameters_are_400s_naming_them(irregular, query, parameter):
    status, headers, body = irregular.get(f"/frames?depth_min=500&depth_max=600&{query}")
    assert status == 400 and headers["Content-Type"] == "application/problem+json"
    assert parameter in json.loads(body)["detail"]


def test_etags_cover_the_display_parameters(irregular):
    tags = set()
    for extra in ["", "&height=50", "&height=51", "&norm=static", "&norm=dynamic&window=1",
                  "&norm=dynamic&window=2", "&vmin=p1", "&vmax=p99"]:
        status, headers, _ = irregular.get(f"/frames?depth_min=500&depth_max=600{extra}")
        assert status == 200
        tags.add(headers["ETag"])
        again, _, _ = irregular.get(f"/frames?depth_min=500&depth_max=600{extra}",
                                    headers={"If-None-Match": headers["ETag"]})
        assert again == 304
    assert len(tags) == 8


def statistics_oracle(log, lo, hi):
    pixels = log.original[log.in_range(lo, hi)].ravel()
    return pixels, np.histogram(pixels, bins=256, range=(0, 256))[0]


@pytest.mark.parametrize("lo,hi", [(0, 99999), (503.3, 571.9), (530, 530.4), (700, 800)])
def test_statistics_are_numpys_on_the_original_rows(irregular, lo, hi):
    status, headers, body = irregular.get(f"/statistics?depth_min={lo}&depth_max={hi}")
    assert status == 200 and headers["Content-Type"] == "application/json" and headers["ETag"]
    answer = json.loads(body)
    pixels, histogram = statistics_oracle(irregular, lo, hi)
    assert (answer["dataset"], answer["depth_min"], answer["depth_max"]) == ("irregular", lo, hi)
    assert answer["frames"] == irregular.in_range(lo, hi).sum() and answer["pixels"] == pixels.size
    assert answer["histogram"] == histogram.tolist()
    assert list(answer["percentiles"]) == ["1", "5", "25", "50", "75", "95", "99"]
    if pixels.size == 0:
        assert answer["mean"] is None and answer["percentiles"]["50"] is None
        return
    assert (answer["min"], answer["max"]) == (pixels.min(), pixels.max())
    assert answer["mean"] == pytest.approx(pixels.mean(), rel=1e-12)
    assert answer["std"] == pytest.approx(pixels.std(), rel=1e-9)
    for key, value in answer["percentiles"].items():
        assert value == pytest.approx(np.percentile(pixels, float(key)), abs=1e-9)


def test_statistics_of_a_real_log_and_chosen_percentiles(standin, postgres):
    lo, hi = standin.depths[1000], standin.depths[4321]
    status, _, body = standin.get(f"/statistics?depth_min={lo}&depth_max={hi}&p=0&p=12.5&p=99.9&p=100")
    answer = json.loads(body)
    pixels, histogram = statistics_oracle(standin, lo, hi)
    assert status == 200 and answer["histogram"] == histogram.tolist() and answer["frames"] == 3322
    assert list(answer["percentiles"]) == ["0", "12.5", "99.9", "100"]
    for key, value in answer["percentiles"].items():
        assert value == pytest.approx(np.percentile(pixels, float(key)), abs=1e-9)
    # Cheap because the ingest kept the blocks' histograms: only the range's ends are inflated.
    blocks = postgres.psql("SELECT count(*) FROM block_histograms WHERE dataset = 'standin'")
    assert int(blocks) == math.ceil(len(standin.depths) / 64)
    _, _, whole = standin.get("/statistics")
    assert json.loads(whole)["histogram"] == statistics_oracle(standin, 0, 99999)[1].tolist()


def test_an_unsorted_file_is_shown_and_summarized_as_the_sorted_one(web, scratch, irregular, postgres):
    """Rows out of depth order keep no histogram blocks (the rows themselves are counted instead); the
    frame packs are built by the server in depth order."""
    path = scratch / "shuffled.csv"
    lines = (scratch / "irregular.csv").read_text().splitlines()
    body = lines[1:]
    np.random.default_rng(3).shuffle(body)
    path.write_text("\n".join([lines[0]] + body) + "\n")
    log = Log(web, "shuffled", path)
    _, _, answer = log.get("/statistics?depth_min=503.3&depth_max=571.9")
    assert json.loads(answer)["histogram"] == statistics_oracle(irregular, 503.3, 571.9)[1].tolist()
    assert postgres.psql("SELECT count(*) FROM block_histograms WHERE dataset = 'shuffled'") == "0"
    assert int(postgres.psql("SELECT count(*) FROM frame_blocks WHERE dataset = 'shuffled'")) == math.ceil(700 / 64)
    query = "depth_min=0&depth_max=9999&height=90&norm=dynamic&window=3"
    assert log.frames(query)[1] == irregular.frames(query)[1]


@pytest.mark.parametrize("query,status,parameter", [
    ("/statistics?p=101", 400, "p"), ("/statistics?p=abc", 400, "p"), ("/statistics?depth_min=5&depth_max=1", 400,
                                                                         "depth_min"),
    ("/statistics?colormap=gray", 400, "colormap"), ("/statistics?dataset=nope", 404, "nope"),
])
def test_bad_statistics_requests(irregular, query, status, parameter):
    got, _, body = irregular.web.get(query, base=irregular.web.direct_url)
    assert got == status and parameter in json.loads(body)["detail"]


def bar_oracle(length, colormap, vmin=0.0, vmax=255.0, colormap_object=None):
    """The value under each pixel's centre of a bar of the 256 values, through matplotlib."""
    entries = np.floor((np.arange(length) + 0.5) * 256 / length)
    cmap = colormap_object or matplotlib.colormaps[colormap]
    return cmap(Normalize(vmin, vmax)(entries), bytes=True)[..., :3]


@pytest.mark.parametrize("name,query", [("viridis", ""), ("jet_r", "?width=300&height=7"),
                                        ("gray", "?vmin=50&vmax=200&width=100")])
def test_horizontal_colour_bars_are_matplotlibs(irregular, name, query):
    status, headers, body = irregular.web.get(f"/colormaps/{name}.png{query}", base=irregular.web.direct_url)
    assert status == 200 and headers["Content-Type"] == "image/png" and headers["ETag"]
    image = np.asarray(Image.open(io.BytesIO(body)).convert("RGB"))
    args = dict(part.split("=") for part in query[1:].split("&")) if query else {}
    width, height = int(args.get("width", 256)), int(args.get("height", 16))
    assert image.shape == (height, width, 3)
    expected = bar_oracle(width, name, float(args.get("vmin", 0)), float(args.get("vmax", 255)))
    assert (image == expected[None, :, :]).all()


def test_vertical_and_custom_colour_bars(irregular):
    web = irregular.web
    _, _, body = web.get("/colormaps/magma.png?orientation=vertical&height=512&width=10", base=web.direct_url)
    image = np.asarray(Image.open(io.BytesIO(body)).convert("RGB"))
    assert image.shape == (512, 10, 3) and (image == bar_oracle(512, "magma")[::-1, None, :]).all()
    custom = matplotlib.colors.LinearSegmentedColormap.from_list("custom", ["#000000", "#ff8000", "#ffffff"], N=256)
    status, _, body = web.get("/colormaps/custom.png?colors=000000,ff8000,ffffff", base=web.direct_url)
    image = np.asarray(Image.open(io.BytesIO(body)).convert("RGB"))
    assert status == 200 and (image == bar_oracle(256, None, colormap_object=custom)[None, :, :]).all()


@pytest.mark.parametrize("path,status,mentions", [
    ("/colormaps/nope.png", 404, "nope"), ("/colormaps/custom.png", 400, "colors"),
    ("/colormaps/viridis.png?colors=000,fff", 400, "colors"), ("/colormaps/viridis.png?width=0", 400, "width"),
    ("/colormaps/viridis.png?orientation=diagonal", 400, "orientation"),
    ("/colormaps/viridis.png?vmin=9&vmax=1", 400, "vmin"),
])
def test_bad_colour_bar_requests(irregular, path, status, mentions):
    got, _, body = irregular.web.get(path, base=irregular.web.direct_url)
    assert got == status and mentions in json.loads(body)["detail"]


def test_datasets_without_stored_histograms_are_counted_from_their_rows(web, scratch, irregular, postgres):
    """A dataset ingested before the histograms were kept: static normalization and statistics read its rows."""
    legacy = Log(web, "legacy", scratch / "irregular.csv")
    postgres.psql("DELETE FROM dataset_histograms WHERE dataset = 'legacy'; "
                  "DELETE FROM block_histograms WHERE dataset = 'legacy'; "
                  "DELETE FROM frame_blocks WHERE dataset = 'legacy'")
    for query in ("depth_min=530&depth_max=540&norm=static", "depth_min=0&depth_max=9999&height=90&norm=dynamic&window=3"):
        _, expected = irregular.frames(query)
        _, frames = legacy.frames(query)
        assert frames == expected
    _, _, body = legacy.get("/statistics?depth_min=503.3&depth_max=571.9")
    assert json.loads(body)["histogram"] == statistics_oracle(irregular, 503.3, 571.9)[1].tolist()


def test_a_long_log_keeps_every_block(web, scratch, bin_dir, postgres):
    """More blocks than one statement of the ingest writes (1000): all of them arrive, and whole-log
    statistics match the frames' own."""
    path = scratch / "long.csv"
    subprocess.run([str(bin_dir / "frames-ingest"), "--generate-sample", str(path), "--rows", "70000"], check=True)
    result = web.ingest(str(path), "--dataset", "long")
    assert result.returncode == 0, result.stderr
    count, frames = postgres.psql("SELECT count(*), sum(frame_count) FROM block_histograms WHERE dataset = 'long'").split("|")
    stored = int(postgres.psql("SELECT frame_count FROM datasets WHERE name = 'long'"))
    assert int(frames) == stored and int(count) == math.ceil(stored / 64)
    _, _, body = web.get("/statistics?dataset=long", base=web.direct_url)
    _, _, first = web.get("/statistics?dataset=long&depth_max=" + postgres.psql(
        "SELECT depth FROM frames WHERE dataset = 'long' ORDER BY depth OFFSET 40000 LIMIT 1"), base=web.direct_url)
    assert json.loads(body)["frames"] == stored and json.loads(first)["frames"] == 40001
