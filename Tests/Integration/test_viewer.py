"""The viewer page (/view/) in Debian's chromium, headless, driven by selenium through Debian's
chromedriver, against the real stack: what the page draws is compared with what the API answers."""
import base64
import io
import json
import time
import urllib.parse

import numpy as np
import pytest
from PIL import Image

import documented_requests
from conftest import shared_file
import stack.browser as browser
from stack.browser import open_view, wait_until


@pytest.fixture(scope="module")
def driver():
    chromium = browser.chromium(width=1280, height=900)
    yield chromium
    chromium.quit()


@pytest.fixture(scope="module")
def sample(web, sample_csv):
    """The generated 2,000-row log as dataset viewer_sample, with its /datasets entry."""
    web.ingest("--dataset", "viewer_sample", sample_csv, check=True)
    return dataset_entry(web, "viewer_sample")


def dataset_entry(web, name):
    status, _, body = web.get("/datasets")
    assert status == 200
    return next(entry for entry in json.loads(body) if entry["name"] == name)


def canvas_pixels(driver, element_id):
    """The canvas's backing store as RGBA, through toDataURL (lossless PNG)."""
    url = driver.execute_script(f"return document.getElementById('{element_id}').toDataURL('image/png')")
    return np.array(Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))).convert("RGBA"))


def api_png(web, **parameters):
    status, headers, body = web.get("/frames?" + urllib.parse.urlencode(parameters))
    assert status == 200, body
    return Image.open(io.BytesIO(body))


def rgba(image):
    """RGBA with the colour of fully transparent pixels zeroed (a canvas keeps none for them)."""
    pixels = np.array(image.convert("RGBA"))
    pixels[pixels[..., 3] == 0] = 0
    return pixels


def overview_rows(driver):
    """The strip's height in device pixels: what the page must ask for as height=."""
    return driver.execute_script("const s = document.getElementById('overview-strip');"
                                 "return Math.round(s.clientHeight * window.devicePixelRatio)")


def whole_log(web, driver, dataset, **display):
    return api_png(web, dataset=dataset["name"], depth_min=repr(dataset["depth_min"]),
                   depth_max=repr(dataset["depth_max"]), height=overview_rows(driver), format="png", **display)


def palette_colours(image):
    palette = image.getpalette()[:768]
    return {tuple(palette[i:i + 3]) for i in range(0, 768, 3)}


def share_in(pixels, colours):
    opaque = pixels[pixels[..., 3] == 255][:, :3]
    assert len(opaque) > 1000
    return np.mean([tuple(p) in colours for p in opaque[:: max(1, len(opaque) // 20000)]])


def test_overview_is_the_apis_png_pixel_for_pixel(web, driver, sample):
    open_view(driver, web.plain_url, "dataset=viewer_sample")
    expected = whole_log(web, driver, sample, colormap="viridis")
    assert expected.height == overview_rows(driver) < sample["frame_count"]  # binned to the strip
    shown = canvas_pixels(driver, "overview")
    assert shown.shape == rgba(expected).shape
    assert np.array_equal(shown, rgba(expected))
    assert len(np.unique(shown.reshape(-1, 4), axis=0)) > 50


def test_an_unbinned_log_and_dynamic_normalization_are_the_apis_too(web, driver):
    web.ingest("--dataset", "viewer_brick", shared_file("brick.csv"), check=True)
    brick = dataset_entry(web, "viewer_brick")
    open_view(driver, web.plain_url, "dataset=viewer_brick&colormap=copper&norm=dynamic&window=20")
    expected = whole_log(web, driver, brick, colormap="copper", norm="dynamic", window="20")
    assert expected.height == brick["frame_count"] < overview_rows(driver)  # fewer frames than pixels
    assert np.array_equal(canvas_pixels(driver, "overview"), rgba(expected))
    plain = whole_log(web, driver, brick, colormap="copper")
    assert not np.array_equal(rgba(plain), rgba(expected))


def test_choosing_a_colormap_redraws_with_that_map(web, driver, sample):
    open_view(driver, web.plain_url, "dataset=viewer_sample&colormap=viridis")
    viridis = palette_colours(whole_log(web, driver, sample, colormap="viridis"))
    magma_png = whole_log(web, driver, sample, colormap="magma")
    magma = palette_colours(magma_png)
    assert share_in(canvas_pixels(driver, "track"), viridis) > 0.98

    driver.find_element("css selector", "button[data-colormap='magma']").click()
    wait_until(driver, "const o = document.getElementById('overview'); return o.dataset.loaded === 'true'"
                       " && o.dataset.src.includes('colormap=magma')"
                       " && document.getElementById('track').dataset.loaded === 'true'", "magma")
    assert np.array_equal(canvas_pixels(driver, "overview"), rgba(magma_png))
    track = canvas_pixels(driver, "track")
    assert share_in(track, magma) > 0.98
    assert share_in(track, viridis - magma) < 0.02
    assert "colormap=magma" in driver.current_url
    assert driver.execute_script("return document.querySelector(\"button[data-colormap='magma']\")"
                                 ".getAttribute('aria-pressed')") == "true"


def test_a_deep_link_opens_at_its_depth_with_its_scale(web, driver, sample):
    low, high = sample["depth_min"], sample["depth_max"]
    top = round(low + 0.4 * (high - low), 1)
    bottom = round(top + 12.5, 1)
    browser.requested_urls(driver)  # forget what came before
    open_view(driver, web.plain_url, f"dataset=viewer_sample&top={top}&bottom={bottom}&colormap=gray")

    height = driver.execute_script("return document.getElementById('track').clientHeight")
    ticks = driver.execute_script("return [...document.querySelectorAll('#scale .tick')]"
                                  ".map(t => [t.textContent, parseFloat(t.style.top)])")
    values = [float(label) for label, _ in ticks]
    assert len(values) >= 4 and all(top <= v <= bottom for v in values)
    steps = {round(b - a, 9) for a, b in zip(values, values[1:])}
    assert len(steps) == 1
    step = steps.pop()
    assert round(step / 10 ** np.floor(np.log10(step)), 6) in {1, 2, 5}  # a 1-2-5 step
    for value, (_, y) in zip(values, ticks):
        assert abs(y - (value - top) / (bottom - top) * height) < 1

    # The tiles asked for are aligned and cover the window; the pointer's depth is read back.
    tiles = [urllib.parse.parse_qs(urllib.parse.urlsplit(url).query) for url, _ in browser.requested_urls(driver)
             if "/frames?" in url and "viewer_sample" in url]
    spans = sorted((float(q["depth_min"][0]), float(q["depth_max"][0])) for q in tiles
                   if float(q["depth_max"][0]) - float(q["depth_min"][0]) < high - low)
    assert spans and spans[0][0] <= top and spans[-1][1] >= bottom
    for start, end in spans:
        assert abs(start / (end - start) - round(start / (end - start))) < 1e-6
    from selenium.webdriver.common.action_chains import ActionChains
    track = driver.find_element("id", "track")
    ActionChains(driver).move_to_element_with_offset(track, 0, 0).perform()  # the middle
    readout = driver.find_element("id", "readout").text.split()  # depth D value V
    depth = float(readout[1])
    assert abs(depth - (top + bottom) / 2) <= (bottom - top) / height
    # Zoomed in this far, each frame is a row: the value is a stored pixel of the frame at that depth,
    # in the track's middle column (one frame step and one column either side for rounding).
    step = (high - low) / (sample["frame_count"] - 1)
    near = api_png(web, dataset="viewer_sample", depth_min=round(depth - 1.5 * step, 6),
                   depth_max=round(depth + 1.5 * step, 6), format="png")
    middle = near.width // 2
    assert int(readout[3]) in set(np.array(near)[:, middle - 1:middle + 2].ravel())
    assert "dataset=viewer_sample" in driver.current_url and f"top={top}" in driver.current_url


def test_the_page_asks_nothing_outside_its_origin(web, driver, sample):
    browser.requested_urls(driver)
    open_view(driver, web.plain_url, "dataset=viewer_sample&norm=static")
    driver.find_element("css selector", "button[data-colormap='inferno']").click()
    driver.find_element("id", "track").click()
    for key in ("+", "\ue015", "\ue00f"):  # zoom in, arrow down, page down
        driver.find_element("id", "track").send_keys(key)
    time.sleep(1)
    urls = [url for url, _ in browser.requested_urls(driver)]
    origin = web.plain_url + "/"
    assert any(url.startswith(origin + "frames?") for url in urls)
    assert any(url.startswith(origin + "view/viewer.js") for url in urls)
    outside = [url for url in urls if not url.startswith((origin, "blob:" + web.plain_url + "/", "data:"))]
    assert outside == []


def test_the_viewer_asks_only_what_the_api_documents(web, driver, sample):
    """Every request the viewer sends to the API, through its display options, names a documented path
    with documented parameters and values (openapi/openapi.json)."""
    browser.requested_urls(driver)
    for fragment in ("dataset=viewer_sample", "dataset=viewer_sample&norm=static",
                     "dataset=viewer_sample&norm=dynamic&window=2", "dataset=viewer_sample&vmin=p2&vmax=p98"):
        open_view(driver, web.plain_url, fragment)
        driver.find_element("css selector", "button[data-colormap='inferno']").click()
        driver.find_element("id", "track").send_keys("+")
        time.sleep(0.5)
    origin = web.plain_url + "/"
    api = [url for url, _ in browser.requested_urls(driver)
           if url.startswith(origin) and not url.startswith((origin + "view/", origin + "favicon"))]
    assert any("/frames?" in url for url in api) and any("/statistics?" in url for url in api), api
    assert [(url, problem) for url in api for problem in documented_requests.problems(url)] == []


def test_a_key_in_the_fragment_is_used_and_leaves_the_address_bar(web, driver, sample):
    browser.requested_urls(driver)
    open_view(driver, web.plain_url, "dataset=viewer_sample&key=s3cret-Key")
    assert "key=" not in driver.current_url and "s3cret" not in driver.current_url
    assert "dataset=viewer_sample" in driver.current_url
    assert driver.execute_script("return sessionStorage.getItem('frames.key')") == "s3cret-Key"
    events = browser.devtools_events(driver)
    # At once: the address bar changes (history.replaceState) before the page's first API request.
    order = [(method, params.get("url") or params.get("request", {}).get("url", "")) for method, params in events
             if method == "Page.navigatedWithinDocument"
             or (method == "Network.requestWillBeSent" and "/view/" not in params["request"]["url"])]
    assert order[0][0] == "Page.navigatedWithinDocument" and "key=" not in order[0][1], order[:3]
    sent = browser.requested_urls(driver, events)
    api = [headers for url, headers in sent if "/datasets" in url or "/frames?" in url]
    assert api and all(headers.get("Authorization") == "Bearer s3cret-Key" for headers in api)
    driver.execute_script("sessionStorage.clear()")


def test_the_statistics_panel_shows_the_apis_numbers(web, driver, sample):
    open_view(driver, web.plain_url, "dataset=viewer_sample")
    wait_until(driver, "return !document.getElementById('statistics').hidden", "the statistics panel")
    shown = dict(driver.execute_script("return [...document.querySelectorAll('#statistics-table tr')]"
                                       ".map(r => [r.querySelector('th').textContent, r.querySelector('td').textContent])"))
    title = driver.find_element("id", "statistics-title").text
    status, _, body = web.get("/statistics?" + urllib.parse.urlencode(
        {"dataset": "viewer_sample", "depth_min": title.split()[1], "depth_max": title.split()[3]}))
    assert status == 200
    stats = json.loads(body)
    assert int(shown["frames"]) == stats["frames"] > 0
    assert int(shown["min"]) == stats["min"] and int(shown["max"]) == stats["max"]
    assert float(shown["p50"]) == stats["percentiles"]["50"]
