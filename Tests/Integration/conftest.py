"""Integration tests: real PostgreSQL, nginx, spawn-fcgi and node_exporter, started here, stopped by PID.
The binaries are built by the test command (`make test`) before pytest runs."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import stack  # noqa: E402

SHARED = stack.REPO.parent / "shared" / "data"


def pytest_configure(config):
    # A load thread that dies on an unexpected error (a body cut short, say) would otherwise only warn,
    # and the test would judge the requests of the threads that lived.
    config.addinivalue_line("filterwarnings", "error::pytest.PytestUnhandledThreadExceptionWarning")
    config.addinivalue_line("markers", "after_all: runs after every other selected test (a search of what they left)")


def pytest_collection_modifyitems(items):
    # Stable: the other tests keep their order, and the module fixtures of each are torn down (their
    # logs moved to the evidence folder) before the searches run.
    items[:] = sorted(items, key=lambda item: item.get_closest_marker("after_all") is not None)


@pytest.fixture(scope="session")
def bin_dir():
    return stack.binaries()


@pytest.fixture(scope="session")
def scratch():
    path = stack.scratch_dir()
    yield path
    stack.remove_tree(path)


@pytest.fixture(scope="session", autouse=True)
def evidence(scratch):
    """Where every test folder's logs and metrics files go when it is removed, for the final token search
    (test_no_token_left.py)."""
    path = scratch / "evidence"
    path.mkdir()
    os.environ[stack.EVIDENCE_VARIABLE] = str(path)
    yield path
    del os.environ[stack.EVIDENCE_VARIABLE]


@pytest.fixture(scope="session")
def postgres(scratch):
    pg = stack.Postgres(scratch / "pg").init().start().create_database()
    yield pg
    pg.stop()


@pytest.fixture(scope="session")
def sample_csv(bin_dir, scratch):
    """A generated log, so every test also runs without ../shared/data."""
    path = scratch / "sample.csv"
    subprocess.run([str(bin_dir / "frames-ingest"), "--generate-sample", str(path), "--rows", "2000"], check=True)
    return path


def shared_file(name):
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"{path} is not here")
    return path


@pytest.fixture(scope="session")
def web(bin_dir, scratch, postgres):
    """The web side against the session's PostgreSQL: the spawn-fcgi pool (2 workers), nginx (HTTP that
    redirects, HTTPS with a self-signed localhost certificate, a plain port) and node_exporter, in
    scratch/web (metrics/, state/, colormaps/, static/, spool/). A stack.Stack: .nginx.plain_url,
    .nginx.https_url, .nginx.http_url, .nginx.cacert, .node_exporter.url, .pool.worker_pids(), .get(path),
    .ingest(...), .env (the FRAMES_* variables the pool got). Up once GET /health answers 200."""
    site = stack.Stack(bin_dir, scratch / "web", postgres=postgres, workers=2).start()
    yield site
    site.stop()
