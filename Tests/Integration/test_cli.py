"""The three command lines as a Unix user meets them: --help, --version, mistyped options, the FRAMES_*
variables as defaults, and usage errors with exit status 64."""
import os
import re
import subprocess

import pytest

from conftest import stack

BINARIES = ["frames-ingest", "frames-fcgi", "frames-admin"]

# What each binary (or, for frames-admin, each subcommand) reads from the environment.
VARIABLES = {
    ("frames-ingest",): ["FRAMES_DATABASE_URL", "FRAMES_METRICS_DIR"],
    ("frames-fcgi",): ["FRAMES_DATABASE_URL", "FRAMES_COLORMAP_DIR", "FRAMES_METRICS_DIR", "FRAMES_STATE_DIR",
                       "FRAMES_CACHE_MAX_AGE", "FRAMES_PNG_LEVEL"],
    ("frames-admin", "datasets", "list"): ["FRAMES_DATABASE_URL"],
    ("frames-admin", "datasets", "show"): ["FRAMES_DATABASE_URL"],
    ("frames-admin", "datasets", "delete"): ["FRAMES_DATABASE_URL"],
    ("frames-admin", "datasets", "rename"): ["FRAMES_DATABASE_URL"],
}


def run(bin_dir, name, *args, env=None, stdin=subprocess.DEVNULL):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FRAMES_")}
    environment.update(env or {})
    return subprocess.run([str(bin_dir / name), *map(str, args)], capture_output=True, text=True,
                          env=environment, stdin=stdin, timeout=60)


def assert_usage_error(result, name, message):
    """One line saying what is wrong, then the usage (after the option's help, for a bad value); exit 64."""
    assert result.returncode == 64, result
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Error: ") and message in lines[0], result.stderr
    assert any(line.startswith(f"Usage: {name}") for line in lines[1:3]), result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("command", list(VARIABLES))
def test_help_exits_0_and_names_the_environment_variables(bin_dir, command):
    result = run(bin_dir, command[0], *command[1:], "--help")
    assert result.returncode == 0, result.stderr
    assert "USAGE: " + " ".join(command) in result.stdout
    for variable in VARIABLES[command]:
        assert "$" + variable in result.stdout, variable


@pytest.mark.parametrize("name", BINARIES)
def test_short_help_is_help(bin_dir, name):
    assert run(bin_dir, name, "-h").stdout == run(bin_dir, name, "--help").stdout


def test_version_is_one_string_for_all_three(bin_dir):
    results = [run(bin_dir, name, "--version") for name in BINARIES]
    assert [r.returncode for r in results] == [0, 0, 0]
    versions = {r.stdout for r in results}
    assert len(versions) == 1, versions
    assert re.fullmatch(r"\d+\.\d+\.\d+\n", versions.pop())


@pytest.mark.parametrize("name", BINARIES)
def test_a_mistyped_option_is_a_usage_error(bin_dir, name):
    result = run(bin_dir, name, "--databse", "x", env={"FRAMES_DATABASE_URL": "dbname=nowhere"})
    assert_usage_error(result, name, "Unknown option '--databse'")


def test_a_mistyped_option_is_named_even_when_a_required_setting_is_also_missing(bin_dir):
    # No FRAMES_DATABASE_URL either: the typo is what the user needs to hear about.
    assert_usage_error(run(bin_dir, "frames-fcgi", "--png-levle", "3"), "frames-fcgi", "'--png-levle'")
    assert_usage_error(run(bin_dir, "frames-admin", "datasets", "list", "--jsn"), "frames-admin datasets list",
                       "'--jsn'")


def test_a_missing_database_is_a_usage_error(bin_dir, sample_csv):
    assert_usage_error(run(bin_dir, "frames-ingest", sample_csv), "frames-ingest", "FRAMES_DATABASE_URL")
    assert_usage_error(run(bin_dir, "frames-fcgi"), "frames-fcgi", "FRAMES_DATABASE_URL")
    assert_usage_error(run(bin_dir, "frames-admin", "datasets", "list"), "frames-admin datasets list",
                       "FRAMES_DATABASE_URL")


def test_ingest_checks_its_options(bin_dir, scratch, sample_csv):
    env = {"FRAMES_DATABASE_URL": "dbname=nowhere"}
    assert_usage_error(run(bin_dir, "frames-ingest", env=env), "frames-ingest", "name at least one FILE")
    assert_usage_error(run(bin_dir, "frames-ingest", "--width", "0", sample_csv, env=env), "frames-ingest", "--width")
    assert_usage_error(run(bin_dir, "frames-ingest", "--width", "wide", sample_csv, env=env), "frames-ingest", "wide")
    assert_usage_error(run(bin_dir, "frames-ingest", "--spool", scratch, sample_csv, env=env), "frames-ingest",
                       "do not mix")
    assert_usage_error(run(bin_dir, "frames-ingest", "--dataset", "x", sample_csv, sample_csv, env=env),
                       "frames-ingest", "one FILE")


def test_fcgi_names_the_variable_whose_value_is_wrong(bin_dir):
    env = {"FRAMES_DATABASE_URL": "dbname=nowhere", "FRAMES_PNG_LEVEL": "12"}
    assert_usage_error(run(bin_dir, "frames-fcgi", env=env), "frames-fcgi", "FRAMES_PNG_LEVEL")
    # The flag wins over the variable.
    result = run(bin_dir, "frames-fcgi", "--png-level", "3", "--cache-max-age", "soon", env=env)
    assert_usage_error(result, "frames-fcgi", "--cache-max-age")


def test_fcgi_without_a_socket_exits_70(bin_dir):
    # Valid settings, but fd 0 is /dev/null rather than the socket spawn-fcgi passes.
    result = run(bin_dir, "frames-fcgi", env={"FRAMES_DATABASE_URL": "dbname=nowhere"})
    assert result.returncode == 70, result.stderr


def test_environment_is_the_default_for_the_database(bin_dir, postgres, sample_csv):
    env = {"FRAMES_DATABASE_URL": postgres.conninfo}
    result = run(bin_dir, "frames-ingest", sample_csv, "--dataset", "cli_from_env", env=env)
    assert result.returncode == 0, result.stderr
    listed = run(bin_dir, "frames-admin", "datasets", "list", env=env)
    assert listed.returncode == 0 and "cli_from_env" in listed.stdout
    # --database wins over the variable.
    wrong = run(bin_dir, "frames-admin", "datasets", "list", "--database", "host=/nonexistent", env=env)
    assert wrong.returncode == 75, wrong.stderr
