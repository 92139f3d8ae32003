"""/docs: Swagger UI on /openapi.json, served by nginx as static files, in headless Chromium whose host
resolver knows no address but 127.0.0.1 (so anything fetched from elsewhere, a CDN, would fail). The page
renders every operation of the document, and "Authorize" takes a key that "Try it out" then sends; the
document and the page need no key.
Also: `make install` lays the page out with the pinned Swagger UI files and their licence."""
import json
import subprocess

import pytest

from conftest import stack
import stack.browser as browser
from stack.browser import wait_until

DOCUMENT = json.loads((stack.REPO / "openapi" / "openapi.json").read_text())
OPERATIONS = sorted((path, method) for path, item in DOCUMENT["paths"].items() for method in item)
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


@pytest.fixture(scope="module")
def site(bin_dir, scratch, sample_csv):
    web = stack.Stack(bin_dir, scratch / "docs-site", workers=2, env={"FRAMES_AUTH": "required"}).start()
    try:
        loaded = web.ingest(sample_csv, "--dataset", "sample")
        assert loaded.returncode == 0, loaded.stderr
        made = subprocess.run([str(bin_dir / "frames-admin"), "keys", "create", "docs", "--database",
                               web.postgres.conninfo], capture_output=True, text=True, check=True)
        web.token = made.stdout.strip()
        yield web
    finally:
        web.stop()


@pytest.fixture(scope="module")
def driver():
    chromium = browser.chromium(width=1280, height=900, arguments=[OFFLINE])
    yield chromium
    chromium.quit()


def open_docs(driver, site, fragment=""):
    driver.get("about:blank")
    browser.requested_urls(driver)  # forget what came before
    driver.get(f"{site.plain_url}/docs/{fragment}")
    wait_until(driver, f"return document.querySelectorAll('.opblock').length >= {len(OPERATIONS)}",
               "every operation")


def test_every_operation_is_rendered_and_nothing_comes_from_elsewhere(site, driver):
    open_docs(driver, site)
    shown = driver.execute_script("""
        return [...document.querySelectorAll('.opblock')].map(block => [
            block.querySelector('.opblock-summary-path').dataset.path,
            block.querySelector('.opblock-summary-method').textContent.toLowerCase()]);""")
    assert sorted(map(tuple, shown)) == OPERATIONS
    assert DOCUMENT["info"]["title"] in driver.execute_script("return document.querySelector('.title').textContent")
    urls = [url for url, _ in browser.requested_urls(driver)]
    assert f"{site.plain_url}/openapi.json" in urls
    outside = [url for url in urls if not url.startswith(site.plain_url) and not url.startswith("data:")]
    assert outside == [], outside


def test_authorize_takes_a_key_that_try_it_out_sends(site, driver):
    open_docs(driver, site, "#/datasets/listDatasets")
    driver.execute_script("document.querySelector('button.authorize').click()")
    wait_until(driver, "return document.querySelector('.auth-container input') !== null", "the key's field")
    field = driver.find_element("css selector", ".auth-container input")
    field.send_keys(site.token)
    driver.execute_script("document.querySelector('.auth-btn-wrapper button.authorize').click()")
    driver.execute_script("document.querySelector('button.btn-done').click()")
    block = "document.querySelector('#operations-datasets-listDatasets')"
    wait_until(driver, f"return {block}.querySelector('button.try-out__btn') !== null", "Try it out")
    driver.execute_script(f"{block}.querySelector('button.try-out__btn').click()")
    wait_until(driver, f"return {block}.querySelector('button.execute') !== null", "Execute")
    browser.requested_urls(driver)
    driver.execute_script(f"{block}.querySelector('button.execute').click()")
    wait_until(driver, f"const s = {block}.querySelector('.live-responses-table tr.response .response-col_status');"
                       " return s !== null && s.textContent.trim() !== ''", "the live response")
    status = driver.execute_script(f"return {block}.querySelector('.live-responses-table tr.response .response-col_status')"
                                   ".textContent.trim()")
    assert status == "200"
    sent = [headers for url, headers in browser.requested_urls(driver) if url == f"{site.plain_url}/datasets"]
    assert sent and sent[0].get("Authorization") == f"Bearer {site.token}"


def test_the_document_is_served_without_a_key_with_a_validator(site):
    status, head, body = site.get("/openapi.json")
    assert status == 200 and head["Content-Type"] == "application/json"
    assert json.loads(body) == DOCUMENT
    assert head["Cache-Control"] == "max-age=300"
    status, _, body = site.get("/openapi.json", headers={"If-None-Match": head["ETag"]})
    assert (status, body) == (304, b"")
    status, head, _ = site.get("/docs")
    assert status == 200 and head["Content-Type"].startswith("text/html")  # after the redirect to /docs/


def test_make_install_lays_out_the_page_with_the_pinned_swagger_ui_and_its_licence(bin_dir, tmp_path):
    subprocess.run(["make", "-s", "install", f"DESTDIR={tmp_path}", f"BIN_DIR={bin_dir}"], cwd=stack.REPO,
                   check=True, capture_output=True)
    docs = tmp_path / "usr/local/share/frames/www/docs"
    ui = stack.docs.swagger_ui_dir()
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "swagger-ui-bundle.js.LICENSE.txt"):
        assert (docs / name).read_bytes() == (ui / name).read_bytes(), name
    assert "Apache License" in (docs / "LICENSE").read_text()
    for page in (stack.REPO / "www" / "docs").iterdir():
        assert (docs / page.name).read_bytes() == page.read_bytes()
    assert json.loads((docs / "openapi.json").read_text()) == DOCUMENT
    site = (tmp_path / "etc/nginx/sites-available/frames").read_text()
    assert "alias /usr/local/share/frames/www/docs/;" in site
    assert "alias /usr/local/share/frames/www/docs/openapi.json;" in site
