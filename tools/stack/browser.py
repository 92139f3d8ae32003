"""Debian's chromium, headless, driven through Debian's chromedriver by selenium (PyPI): the viewer's
tests and screenshots. Both paths are given, so selenium never looks for (or downloads) a browser or a
driver of its own."""
import os
import time
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def chromium(width=1280, height=900, scale=1, arguments=()):
    """A headless chromium window of width × height CSS pixels at device pixel ratio `scale`, with
    DevTools' network events in the "performance" log (driver.get_log("performance")); `arguments` are
    more command-line switches."""
    os.environ.setdefault("SE_OFFLINE", "true")  # selenium-manager, should it ever run, stays offline
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--no-first-run", "--disable-extensions", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                     f"--window-size={width},{height}", f"--force-device-scale-factor={scale}", *arguments):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    # --window-size is the outer window: make the page's own viewport the size asked for.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": False})
    return driver


def devtools_events(driver):
    """(method, params) of the DevTools Network and Page events since the last call, in order."""
    import json
    messages = (json.loads(entry["message"])["message"] for entry in driver.get_log("performance"))
    return [(message["method"], message.get("params", {})) for message in messages if "method" in message]


def requested_urls(driver, events=None):
    """(url, headers) of each request the page sent since the last call (or among `events`)."""
    return [(params["request"]["url"], params["request"].get("headers", {}))
            for method, params in (devtools_events(driver) if events is None else events)
            if method == "Network.requestWillBeSent"]


def wait_until(driver, script, what, timeout=30.0):
    """Polls a JavaScript expression (`return ...`) until it is true; the error quotes the page's status."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if driver.execute_script(script):
            return
        time.sleep(0.05)
    status = driver.execute_script("const s = document.getElementById('status'); return s && s.textContent")
    raise AssertionError(f"the page did not show {what} within {timeout} s (status line: {status!r})")


def open_view(driver, base, fragment):
    """The viewer at base/view/#fragment, freshly loaded (a new fragment alone would only be a
    hashchange), once the overview and every tile of the track are drawn."""
    driver.get("about:blank")
    driver.get(f"{base}/view/#{fragment}")
    wait_until(driver, "return document.body.dataset.ready === 'true'"
                       " && document.getElementById('track').dataset.loaded === 'true'"
                       " && document.getElementById('overview').dataset.loaded === 'true'", "the log")
