"""Every setting declared once: the man pages' ENVIRONMENT sections, docs/settings.md and frames.env are what
tools/settings_docs.py writes from the binaries' declarations (--dump-settings), each declared option is in
--help with its variable, and a bad value from either exits 64 naming the one the user gave."""
import json
import shutil
import subprocess
import sys

import pytest

from conftest import stack

GENERATOR = stack.REPO / "tools" / "settings_docs.py"
GENERATED = ["man/frames-fcgi.8", "man/frames-ingest.1", "man/frames-admin.1", "docs/settings.md",
             "systemd/frames.env"]
# The settings that take any text (a folder, a conninfo): for every other, "-1" is a bad value.
ANY_TEXT = {"--database", "--colormap-dir", "--metrics-dir", "--state-dir", "--oauth-audience"}
# Declared for issue 20 before its verifier is wired in: frames-fcgi does not read them yet, so it cannot refuse
# a bad value; drop this set when it does.
NOT_READ_YET = {"--oauth-issuer", "--oauth-jwks"}


def check(bin_dir, root=stack.REPO):
    return subprocess.run([sys.executable, str(GENERATOR), "--check", "--bin-dir", str(bin_dir), "--root", str(root)],
                          capture_output=True, text=True, timeout=60)


def declarations(bin_dir, name):
    return json.loads(subprocess.run([str(bin_dir / name), "--dump-settings"], check=True, capture_output=True,
                                     text=True).stdout)


def fcgi(bin_dir, *args, env):
    environment = stack.base_environment({"FRAMES_DATABASE_URL": "host=/nonexistent dbname=frames", **env})
    return subprocess.run([str(bin_dir / "frames-fcgi"), *args], env=environment, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=30)


def test_the_documentation_is_what_the_declarations_write(bin_dir):
    result = check(bin_dir)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path, old, new", [
    ("systemd/frames.env", "FRAMES_CACHE_MAX_AGE=60", "FRAMES_CACHE_MAX_AGE=61"),
    ("man/frames-fcgi.8", ".It Ev FRAMES_PNG_LEVEL\n", ""),
    ("man/frames-ingest.1", "Unset: every generation is kept.", "Unset: one generation is kept."),
    ("docs/settings.md", "| `FRAMES_AUTH` |", "| `FRAMES_AUTHENTICATION` |"),
])
def test_the_check_names_a_file_that_drifted(bin_dir, tmp_path, path, old, new):
    for generated in GENERATED:
        (tmp_path / generated).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(stack.REPO / generated, tmp_path / generated)
    assert check(bin_dir, tmp_path).returncode == 0
    text = (tmp_path / path).read_text()
    assert old in text
    (tmp_path / path).write_text(text.replace(old, new, 1))
    result = check(bin_dir, tmp_path)
    assert result.returncode == 1 and f"out of step with the declarations: {path} " in result.stdout, result.stdout


@pytest.mark.parametrize("command", [["frames-fcgi"], ["frames-ingest"], ["frames-admin", "keys", "list"]])
def test_help_shows_each_declared_option_with_its_variable(bin_dir, command):
    settings = declarations(bin_dir, command[0])
    text = " ".join(subprocess.run([str(bin_dir / command[0]), *command[1:], "--help"], check=True,
                                   capture_output=True, text=True).stdout.split())
    options = [s for s in settings if s["flag"]]
    assert options and options[0]["flag"] == "--database"
    for setting in options:
        assert f"{setting['flag']} <{setting['value_name']}>" in text
        default = f", else {setting['default']}." if setting["default"] else "."
        assert f"Default: ${setting['variable']}{default}" in text, setting["variable"]


def test_a_bad_value_of_each_setting_exits_64_naming_where_it_came_from(bin_dir):
    checked = 0
    for setting in declarations(bin_dir, "frames-fcgi"):
        flag, variable = setting["flag"], setting["variable"]
        if flag is None or flag in ANY_TEXT | NOT_READ_YET:
            continue
        from_variable = fcgi(bin_dir, env={variable: "-1"})
        assert from_variable.returncode == 64 and f"Error: {variable} takes " in from_variable.stderr, from_variable
        from_flag = fcgi(bin_dir, f"{flag}=-1", env={})
        assert from_flag.returncode == 64 and f"Error: {flag} takes " in from_flag.stderr, from_flag
        checked += 1
    assert checked >= 10


def test_an_option_wins_over_its_bad_variable(bin_dir):
    numeric = [s for s in declarations(bin_dir, "frames-fcgi") if s["flag"] and (s["default"] or "").isdigit()]
    assert len(numeric) >= 8
    for setting in numeric:
        # Valid settings and no FastCGI socket on fd 0: 70, once the settings are read.
        result = fcgi(bin_dir, f"{setting['flag']}={setting['default']}", env={setting["variable"]: "-1"})
        assert result.returncode == 70, (setting["flag"], result.stderr)
