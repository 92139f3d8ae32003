"""After every other test has made, used, rotated and revoked keys and sent tokens through nginx and the
pool, no token is in any log or metrics file the suite's services wrote, nor in any column of the
suite's database. Marked `after_all`: conftest.py runs it after every other selected test, whatever the
files' names. Test folders removed earlier left their logs and metrics files in the evidence folder
(conftest.py) for this search."""
import subprocess

import pytest

from test_keys import TOKEN

pytestmark = pytest.mark.after_all


def written_files(scratch):
    for pattern in ("*.log", "*.prom", "*.prom.tmp"):
        for path in scratch.rglob(pattern):
            if path.is_file() and not path.is_symlink():
                yield path


def test_no_token_in_any_log_metrics_file_or_column_after_the_suite(scratch, evidence, postgres):
    files = list(written_files(scratch))
    # Not a vacuous search: the suite's keyed requests were logged under their keys' names, and the
    # workers' metrics files of stacks already gone are among the files.
    logged = [path for path in files if path.name == "frames-fcgi.log" and '"key":"' in path.read_text("latin-1")]
    assert logged, "no worker log of a keyed request was kept"
    assert any(path.name == "frames_keys.prom" for path in files)
    for path in files:
        found = TOKEN.search(path.read_bytes().decode("latin-1"))
        assert not found, f"{path}: {found.group(0)[:24]}…"
    dump = subprocess.run(["pg_dump", "--data-only", "-d", postgres.conninfo], check=True, capture_output=True,
                          text=True).stdout
    assert "api_keys" in dump
    assert not TOKEN.search(dump)
