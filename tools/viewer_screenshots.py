#!/usr/bin/env python3
"""The pictures of the viewer (/view/) in the README and docs/tutorial.md: starts the stack in a scratch
folder, loads ../shared/data/brick.csv and img_standin.csv (a generated log stands in for a missing one),
opens each view in headless chromium, points at the track so that the readout shows, and writes
docs/viewer-*.png.

    python3 tools/viewer_screenshots.py      # after `make build`
"""
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import stack  # noqa: E402
import stack.browser as browser  # noqa: E402

SHARED = stack.REPO.parent / "shared" / "data"
DOCS = stack.REPO / "docs"
# (file in docs/, dataset, what follows the dataset in the fragment)
VIEWS = [
    ("viewer-brick.png", "brick", "top=1200&bottom=1264&colormap=copper"),
    ("viewer-standin-dynamic.png", "img_standin", "top=9200&bottom=9260&colormap=YlOrBr_r&norm=dynamic&window=2"),
    ("viewer-standin-static.png", "img_standin", "top=9000&bottom=9546&colormap=viridis&norm=static"),
]


def log_for(name, bin_dir, runtime):
    """../shared/data/NAME.csv, or a generated log saved under that name."""
    path = SHARED / f"{name}.csv"
    if path.is_file():
        return path
    path = runtime / f"{name}.csv"
    subprocess.run([str(bin_dir / "frames-ingest"), "--generate-sample", str(path), "--rows", "5460"], check=True)
    return path


def main():
    bin_dir = stack.built_binaries()
    runtime = stack.scratch_dir("frames-screenshots-")
    site = stack.Stack(bin_dir, runtime / "stack", workers=2)
    driver = None
    try:
        site.start()
        for name in sorted({dataset for _, dataset, _ in VIEWS}):
            site.ingest(log_for(name, bin_dir, runtime), check=True)
        driver = browser.chromium(width=1280, height=800)
        from selenium.webdriver.common.action_chains import ActionChains
        for file, dataset, rest in VIEWS:
            browser.open_view(driver, site.plain_url, f"dataset={dataset}&{rest}")
            browser.wait_until(driver, "return !document.getElementById('statistics').hidden"
                                       " && [...document.images].every(i => i.hidden || (i.complete && i.naturalWidth > 0))",
                               "the statistics and legends")
            ActionChains(driver).move_to_element_with_offset(driver.find_element("id", "track"), 40, -60).perform()
            browser.wait_until(driver, "return /value \\d/.test(document.getElementById('readout').textContent)",
                               "the readout")
            driver.save_screenshot(str(DOCS / file))
            print(f"wrote docs/{file}")
    finally:
        if driver:
            driver.quit()
        site.stop()
        stack.remove_tree(runtime)


if __name__ == "__main__":
    main()
