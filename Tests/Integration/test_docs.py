"""The documentation's shape: a short README that links every docs page and man page, every page there,
and every relative link and anchor in README.md and docs/*.md pointing at something that exists."""
import re
import urllib.parse

import pytest

import documented_requests
from conftest import stack

REPO = stack.REPO
DOCS = REPO / "docs"
PAGES = ["tutorial.md", "api.md", "deploy.md", "settings.md", "security.md", "operations.md",
         "architecture.md", "BENCHMARKS.md", "RELIABILITY.md"]
MAN_PAGES = ["frames-ingest.1", "frames-admin.1", "frames-fcgi.8"]
LINK = re.compile(r"\]\(([^)\s]+)\)|<img [^>]*src=\"([^\"]+)\"")


def markdown_files():
    return [REPO / "README.md", *sorted(DOCS.glob("*.md"))]


def without_fences(text):
    return re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)


def prose(text):
    """The text without code, where brackets are examples, not links."""
    return re.sub(r"`[^`\n]*`", "", without_fences(text))


def anchors(path):
    """GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"^#+ (.+)$", without_fences(path.read_text()), flags=re.M)
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in headings}


def links(path):
    return [a or b for a, b in LINK.findall(prose(path.read_text()))]


def test_the_readme_fits_150_lines():
    lines = (REPO / "README.md").read_text().count("\n")
    assert lines <= 150, lines


@pytest.mark.parametrize("page", PAGES)
def test_each_docs_page_exists_and_the_readme_links_it(page):
    assert (DOCS / page).is_file(), page
    assert f"docs/{page}" in links(REPO / "README.md"), page


def test_the_readme_links_every_man_page():
    linked = links(REPO / "README.md")
    for page in MAN_PAGES:
        assert (REPO / "man" / page).is_file(), page
        assert f"man/{page}" in linked, page


@pytest.mark.parametrize("document", markdown_files(), ids=lambda path: path.name)
def test_every_relative_link_resolves(document):
    broken = []
    for link in links(document):
        if re.match(r"[a-z]+:", link):
            continue  # an absolute URL: not this repository's to check
        target, _, anchor = link.partition("#")
        path = (document.parent / target).resolve() if target else document
        if not path.exists():
            broken.append(f"{link}: no such file")
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(f"{link}: no heading with that anchor")
    assert not broken, broken


def test_benchmarks_keep_one_run_in_the_shape_the_benchmark_prints():
    runs = re.findall(r"^## Latest run: \d{4}-\d\d-\d\d \d\d:\d\d UTC$", (DOCS / "BENCHMARKS.md").read_text(), flags=re.M)
    assert len(runs) == 1, runs
    assert 'f"## Latest run: {started:%Y-%m-%d %H:%M} UTC"' in (REPO / "tools" / "benchmark.py").read_text()


def test_the_curl_lines_users_are_shown_ask_only_what_the_api_documents():
    """Every URL in a curl line of the README and the docs names a documented path, and only documented
    parameters with values their schemas accept (node_exporter's /metrics is another server)."""
    urls = []
    for page in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        for line in page.read_text().splitlines():
            if "curl" in line:
                urls += [(page.name, url) for url in re.findall(r"https?://[^\s'\"]+", line)
                         if not urllib.parse.urlsplit(url).path.startswith("/metrics")]
    assert len(urls) > 20, urls
    found = [(page, url, problem) for page, url in urls for problem in documented_requests.problems(url)]
    assert found == []
