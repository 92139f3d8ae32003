"""The systemd units, frames.env and `make install`, really exercised: systemd-analyze verify is silent;
each unit's ExecStart (and the pool's ExecReload and stop), read from the unit file with the installed
paths swapped for the test stack's, runs against the test PostgreSQL; the install lays out the expected
files, and the installed nginx site passes nginx -t inside a copy of /etc/nginx."""
import os
import re
import shlex
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import stack

UNITS = stack.REPO / "systemd"
UNIT_NAMES = ["frames-fcgi.service", "frames-ingest.service", "frames-ingest.timer", "frames-ingest.path"]
ENV_FILE = UNITS / "frames.env"


# --- reading units the way systemd does (enough of it for these files) ------------------------------

def unit(name):
    """{section: [(key, value), ...]} of a unit file: repeated keys kept in order."""
    sections, current = {}, None
    for raw in (UNITS / name).read_text().splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), [])
            continue
        key, _, value = line.partition("=")
        current.append((key.strip(), value.strip()))
    return sections


def values(name, section, key):
    return [v for k, v in unit(name)[section] if k == key]


def value(name, section, key):
    found = values(name, section, key)
    assert len(found) == 1, f"{name} [{section}] {key}= appears {len(found)} times"
    return found[0]


def environment_file(path):
    """KEY=VALUE lines of an EnvironmentFile= (comments skipped, quotes removed)."""
    env = {}
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        key, _, raw = line.partition("=")
        env[key.strip()] = " ".join(shlex.split(raw)) if raw.strip() else ""
    return env


def service_environment(name, overrides):
    """Environment= defaults, then frames.env over them (as EnvironmentFile= does), then `overrides`."""
    env = {}
    for assignments in values(name, "Service", "Environment"):
        for assignment in shlex.split(assignments):
            key, _, val = assignment.partition("=")
            env[key] = val
    assert values(name, "Service", "EnvironmentFile") == ["/etc/frames/frames.env"]
    env.update(environment_file(ENV_FILE))
    env.update({k: str(v) for k, v in overrides.items()})
    return env


def command(line, env, replacements):
    """argv of an Exec*= line: paths replaced first, then ${VAR} (one word) and $VAR (split) expanded."""
    line = line.lstrip("-+@!:")
    for old, new in replacements.items():
        line = line.replace(old, str(new))
    argv = []
    for word in shlex.split(line):
        alone = re.fullmatch(r"\$(\w+)", word)
        if alone:
            argv.extend(env.get(alone.group(1), "").split())
            continue
        argv.append(re.sub(r"\$\{(\w+)\}", lambda m: env.get(m.group(1), ""), word).replace("$$", "$"))
    return argv


# --- static checks --------------------------------------------------------------------------------------

def verify(folder):
    result = subprocess.run(["systemd-analyze", "verify", *UNIT_NAMES], cwd=folder, capture_output=True, text=True)
    return result.stdout + result.stderr


def copies_with_binaries(folder, bin_dir, edit=lambda text: text):
    for name in UNIT_NAMES:
        text = (UNITS / name).read_text().replace("/usr/local/bin/", f"{bin_dir}/")
        (folder / name).write_text(edit(text))


def test_systemd_analyze_verify_prints_nothing(bin_dir, tmp_path):
    copies_with_binaries(tmp_path, bin_dir)
    assert verify(tmp_path) == ""


def test_the_verify_check_does_catch_mistakes(bin_dir, tmp_path):
    copies_with_binaries(tmp_path, bin_dir, lambda text: text.replace("KillMode=mixed", "KillMode=gentle"))
    assert "gentle" in verify(tmp_path)


def test_make_check_units_passes():
    result = subprocess.run(["make", "-s", "check-units"], cwd=stack.REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_units_agree_on_paths():
    spool = service_environment("frames-ingest.service", {})["FRAMES_SPOOL_DIR"]
    assert spool == "/var/spool/frames" == environment_file(ENV_FILE)["FRAMES_SPOOL_DIR"]
    assert value("frames-ingest.path", "Path", "PathExistsGlob") == f"{spool}/incoming/*.csv"
    assert spool in value("frames-ingest.service", "Service", "ReadWritePaths").split()
    assert value("frames-ingest.path", "Path", "Unit") == value("frames-ingest.timer", "Timer", "Unit") \
        == "frames-ingest.service"
    metrics = environment_file(ENV_FILE)["FRAMES_METRICS_DIR"]
    for name in ("frames-fcgi.service", "frames-ingest.service"):
        assert f"-{metrics}" in value(name, "Service", "ReadWritePaths").split()
        assert value(name, "Service", "ProtectSystem") == "strict"
        assert value(name, "Service", "NoNewPrivileges") == "yes"
        assert value(name, "Service", "PrivateTmp") == "yes"
        assert value(name, "Service", "ProtectHome") == "yes"
    fcgi = "frames-fcgi.service"
    assert environment_file(ENV_FILE)["FRAMES_STATE_DIR"].startswith("/run/frames/")
    assert "frames/state" in value(fcgi, "Service", "RuntimeDirectory").split()
    assert value(fcgi, "Service", "RuntimeDirectoryMode") == "0750"
    assert (value(fcgi, "Service", "User"), value(fcgi, "Service", "Group")) == ("frames", "www-data")
    assert value(fcgi, "Service", "KillMode") == "mixed"
    sock = "/run/frames/frames.sock"
    assert f"-s {sock} -M 0660" in value(fcgi, "Service", "ExecStart")
    assert f"server unix:{sock} max_fails=0;" in (stack.REPO / "nginx" / "frames.conf").read_text()


def test_frames_env_documents_every_variable():
    env = environment_file(ENV_FILE)
    # A name ends with a letter: "FRAMES_OAUTH_*" in a message names a family, not a variable.
    read_by_binaries = {name for source in (stack.REPO / "Sources").rglob("*.swift")
                        for name in re.findall(r"FRAMES_[A-Z_]+", source.read_text()) if not name.endswith("_")}
    assert "FRAMES_PNG_LEVEL" in read_by_binaries
    # The pool size (which the worker also reads, for its default stream cap) and the spool folder are
    # read by the units' command lines.
    assert set(env) == read_by_binaries | {"FRAMES_POOL_SIZE", "FRAMES_SPOOL_DIR"}
    assert env["FRAMES_CACHE_MAX_AGE"] == "60" and env["FRAMES_POOL_SIZE"] == "4"


def test_timer_fires_every_five_minutes():
    calendar = value("frames-ingest.timer", "Timer", "OnCalendar")
    out = subprocess.run(["systemd-analyze", "calendar", "--iterations=3", calendar], capture_output=True,
                         text=True, check=True).stdout
    minutes = [int(m) for m in re.findall(r"\d\d:(\d\d):00", out)]
    assert len(minutes) == 3 and all(m % 5 == 0 for m in minutes)
    assert {(b - a) % 60 for a, b in zip(minutes, minutes[1:])} == {5}
    assert value("frames-ingest.timer", "Timer", "Persistent") == "true"


# --- the pool's unit, run ----------------------------------------------------------------------------------

@pytest.fixture
def installed(bin_dir, tmp_path):
    """`make install DESTDIR=tmp` with the built binaries."""
    root = tmp_path / "root"
    result = subprocess.run(["make", "-s", "install", f"DESTDIR={root}", f"BIN_DIR={bin_dir}"], cwd=stack.REPO,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture
def unit_pool(bin_dir, postgres, installed, tmp_path):
    """frames-fcgi.service's ExecStart, with /usr/local/bin and /run/frames swapped for test paths and the
    installed frames.env's values (colormap folder: the installed one) plus the test database."""
    run = tmp_path / "run"
    (run / "state").mkdir(parents=True)
    (tmp_path / "metrics").mkdir()
    env = service_environment("frames-fcgi.service", {
        "FRAMES_DATABASE_URL": postgres.conninfo, "FRAMES_POOL_SIZE": 2,
        "FRAMES_COLORMAP_DIR": installed / "etc/frames/colormaps", "FRAMES_METRICS_DIR": tmp_path / "metrics",
        "FRAMES_STATE_DIR": run / "state"})
    replacements = {"/usr/local/bin/": f"{bin_dir}/", "/run/frames/": f"{run}/"}
    argv = command(value("frames-fcgi.service", "Service", "ExecStart"), env, replacements)
    assert argv[:2] == ["/usr/bin/spawn-fcgi", "-n"] and argv[-1] == str(bin_dir / "frames-fcgi")
    pool = stack.Pool(bin_dir, run / "frames.sock", env, workers=2, log=tmp_path / "unit-pool.log", argv=argv)
    pool.start()
    front = stack.Nginx(tmp_path / "nginx", pool.socket).start()
    yield pool, front, env, replacements
    front.stop()
    pool.stop()


def http(front, path, token=None):
    import urllib.error
    import urllib.request
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(front.plain_url + path, headers=headers), timeout=20) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_fcgi_execstart_serves_health_and_the_installed_colormap(unit_pool, bin_dir, postgres):
    pool, front, _, _ = unit_pool
    assert len(pool.worker_pids()) == 2
    assert oct(pool.socket.stat().st_mode & 0o777) == "0o660"
    status, body = http(front, "/health")
    assert status == 200, body
    # The installed frames.env requires a key for everything but /health and /ready.
    status, body = http(front, "/colormaps")
    assert status == 401, body[:500]
    token = subprocess.run([str(bin_dir / "frames-admin"), "keys", "create", "units_colormaps", "--database",
                            postgres.conninfo], check=True, capture_output=True, text=True).stdout.strip()
    status, body = http(front, "/colormaps", token)
    assert status == 200 and b'"example"' in body, body[:500]


def test_fcgi_execreload_replaces_the_workers_and_keeps_serving(unit_pool):
    pool, front, env, replacements = unit_pool
    before = pool.worker_pids()
    reload = command(value("frames-fcgi.service", "Service", "ExecReload"),
                     dict(env, MAINPID=str(pool.pid)), replacements)
    subprocess.run(reload, check=True)
    stack.wait_for(lambda: len(pool.worker_pids()) == 2 and not set(pool.worker_pids()) & set(before),
                   15, "fresh workers")
    assert pool.process.poll() is None, "multiwatch must survive a reload"
    status, body = http(front, "/health")
    assert status == 200, body


def test_fcgi_stop_signal_ends_the_pool_gracefully(unit_pool):
    """KillMode=mixed: KillSignal= to the main process only; multiwatch then stops its workers."""
    pool, _, _, _ = unit_pool
    workers = pool.worker_pids()
    kill_signal = getattr(signal, value("frames-fcgi.service", "Service", "KillSignal"))
    timeout = float(value("frames-fcgi.service", "Service", "TimeoutStopSec").rstrip("s"))
    os.kill(pool.pid, kill_signal)
    deadline = time.monotonic() + timeout
    while pool.process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pool.process.poll() is not None, "multiwatch did not exit within TimeoutStopSec"
    stack.wait_for(lambda: not any(stack.is_alive(p) for p in workers), 5, "the workers to exit")


# --- the ingest unit, run ------------------------------------------------------------------------------------

@pytest.fixture
def spool(tmp_path):
    root = tmp_path / "spool"
    for name in ("incoming", "done", "failed"):
        (root / name).mkdir(parents=True)
    (tmp_path / "metrics").mkdir()
    return root


def run_ingest_unit(bin_dir, spool, conninfo, metrics):
    env = service_environment("frames-ingest.service", {
        "FRAMES_SPOOL_DIR": spool, "FRAMES_DATABASE_URL": conninfo, "FRAMES_METRICS_DIR": metrics})
    argv = command(value("frames-ingest.service", "Service", "ExecStart"), env, {"/usr/local/bin/": f"{bin_dir}/"})
    assert argv == [str(bin_dir / "frames-ingest"), "--spool", str(spool)]
    return subprocess.run(argv, env=stack.base_environment(env), capture_output=True, text=True, timeout=300)


def success_statuses():
    return {0} | {int(s) for s in value("frames-ingest.service", "Service", "SuccessExitStatus").split()}


def test_ingest_execstart_loads_a_dropped_file(bin_dir, postgres, sample_csv, spool, tmp_path):
    shutil.copy(sample_csv, spool / "incoming" / "unit_spool.csv")
    result = run_ingest_unit(bin_dir, spool, postgres.conninfo, tmp_path / "metrics")
    assert result.returncode == 0, result.stderr
    assert (spool / "done" / "unit_spool.csv").exists()
    assert not list((spool / "incoming").iterdir())
    assert postgres.psql("SELECT count(*) FROM frames WHERE dataset = 'unit_spool'") == "2000"
    assert list((tmp_path / "metrics").glob("*.prom")), "no metrics file for node_exporter"


def test_ingest_bad_data_fails_the_unit(bin_dir, postgres, spool, tmp_path):
    header = "depth," + ",".join(f"col{i}" for i in range(1, 201))
    (spool / "incoming" / "unit_bad.csv").write_text(header + "\n1.0,2\n")
    result = run_ingest_unit(bin_dir, spool, postgres.conninfo, tmp_path / "metrics")
    assert result.returncode == 65, result.stderr
    assert 65 not in success_statuses()
    assert (spool / "failed" / "unit_bad.csv").exists()


def test_ingest_without_database_is_a_retry_not_a_failure(bin_dir, sample_csv, spool, tmp_path):
    shutil.copy(sample_csv, spool / "incoming" / "unit_later.csv")
    closed = f"host=127.0.0.1 port={stack.free_port()} dbname=frames user=postgres connect_timeout=2"
    result = run_ingest_unit(bin_dir, spool, closed, tmp_path / "metrics")
    assert result.returncode == 75, result.stderr
    assert 75 in success_statuses()
    assert (spool / "incoming" / "unit_later.csv").exists()


def test_ingest_stop_post_waits_only_after_exit_75():
    line = value("frames-ingest.service", "Service", "ExecStopPost")
    argv = command(line, {}, {})
    quick = subprocess.run(argv, env=dict(os.environ, EXIT_STATUS="0"), timeout=10)
    assert quick.returncode == 0
    waiting = subprocess.run(["timeout", "1", *argv], env=dict(os.environ, EXIT_STATUS="75"))
    assert waiting.returncode == 124, "after exit 75 the unit should pause before the path unit retriggers it"


# --- make install -------------------------------------------------------------------------------------------

EXPECTED = {
    "usr/local/bin/frames-fcgi": 0o755, "usr/local/bin/frames-ingest": 0o755, "usr/local/bin/frames-admin": 0o755,
    "usr/local/share/man/man1/frames-ingest.1": 0o644, "usr/local/share/man/man1/frames-admin.1": 0o644,
    "usr/local/share/man/man8/frames-fcgi.8": 0o644,
    "usr/local/lib/systemd/system/frames-fcgi.service": 0o644,
    "usr/local/lib/systemd/system/frames-ingest.service": 0o644,
    "usr/local/lib/systemd/system/frames-ingest.timer": 0o644,
    "usr/local/lib/systemd/system/frames-ingest.path": 0o644,
    "etc/nginx/sites-available/frames": 0o644, "etc/nginx/snippets/frames-fastcgi.conf": 0o644,
    "etc/nginx/snippets/frames-cache.conf": 0o644,
    "etc/frames/frames.env": 0o640, "etc/frames/colormaps/example.colors": 0o644,
    "usr/local/share/frames/www/view/index.html": 0o644, "usr/local/share/frames/www/view/viewer.js": 0o644,
}


def test_make_install_lays_out_the_files(installed, bin_dir):
    for path, mode in EXPECTED.items():
        target = installed / path
        assert target.is_file(), path
        assert target.stat().st_mode & 0o777 == mode, path
    for name in ("incoming", "done", "failed"):
        assert (installed / "var/spool/frames" / name).is_dir()
    assert (installed / "usr/local/bin/frames-fcgi").read_bytes() == (bin_dir / "frames-fcgi").read_bytes()
    for name in UNIT_NAMES:
        assert (installed / "usr/local/lib/systemd/system" / name).read_text() == (UNITS / name).read_text()
    assert (installed / "etc/frames/frames.env").read_text() == ENV_FILE.read_text()
    site = (installed / "etc/nginx/sites-available/frames").read_text()
    assert "include snippets/frames-fastcgi.conf;" in site and "include snippets/frames-cache.conf;" in site
    assert "alias /usr/local/share/frames/www/view/;" in site
    for page in (stack.REPO / "www" / "view").iterdir():
        assert (installed / "usr/local/share/frames/www/view" / page.name).read_bytes() == page.read_bytes()


def test_make_install_keeps_an_existing_frames_env(installed, bin_dir):
    env = installed / "etc/frames/frames.env"
    env.write_text("FRAMES_DATABASE_URL=postgresql://edited-by-the-sysadmin/frames\n")
    subprocess.run(["make", "-s", "install", f"DESTDIR={installed}", f"BIN_DIR={bin_dir}"], cwd=stack.REPO,
                   check=True, capture_output=True)
    assert "edited-by-the-sysadmin" in env.read_text()


def test_make_install_with_another_prefix_rewrites_the_units(bin_dir, tmp_path):
    root = tmp_path / "root"
    subprocess.run(["make", "-s", "install", f"DESTDIR={root}", f"BIN_DIR={bin_dir}", "PREFIX=/opt/frames"],
                   cwd=stack.REPO, check=True, capture_output=True)
    assert (root / "opt/frames/bin/frames-ingest").is_file()
    assert (root / "opt/frames/share/man/man1/frames-admin.1").is_file()
    units = root / "usr/local/lib/systemd/system"
    assert "ExecStart=/opt/frames/bin/frames-ingest --spool" in (units / "frames-ingest.service").read_text()
    assert "-- /opt/frames/bin/frames-fcgi" in (units / "frames-fcgi.service").read_text()
    assert "/usr/local/bin" not in "".join((units / n).read_text() for n in UNIT_NAMES)
    assert "alias /opt/frames/share/frames/www/view/;" in (root / "etc/nginx/sites-available/frames").read_text()
    assert (root / "opt/frames/share/frames/www/view/index.html").is_file()
    subprocess.run(["make", "-s", "uninstall", f"DESTDIR={root}", "PREFIX=/opt/frames"], cwd=stack.REPO,
                   check=True, capture_output=True)
    assert not (root / "opt/frames/bin/frames-ingest").exists()
    assert not (root / "opt/frames/share/man/man8/frames-fcgi.8").exists()
    assert not (units / "frames-fcgi.service").exists()
    assert not (root / "opt/frames/share/frames/www").exists()
    assert (root / "etc/frames/frames.env").exists(), "uninstall keeps the configuration"


def test_installed_site_passes_nginx_t(installed, tmp_path):
    """The installed site and snippet, enabled in a copy of Debian's /etc/nginx (certificate paths pointed
    at a test certificate), pass nginx -t."""
    etc = tmp_path / "etc-nginx"
    shutil.copytree("/etc/nginx", etc, symlinks=True)
    for snippet in ("frames-fastcgi.conf", "frames-cache.conf"):
        shutil.copy(installed / "etc/nginx/snippets" / snippet, etc / "snippets")
    cert, key = stack.make_certificate(tmp_path)
    logs = tmp_path / "logs"
    logs.mkdir()
    site = (installed / "etc/nginx/sites-available/frames").read_text()
    site = site.replace("/etc/ssl/certs/frames.pem", str(cert)).replace("/etc/ssl/private/frames.key", str(key))
    site = site.replace("/var/log/nginx/", f"{logs}/")  # nginx -t opens the log files: keep it off the system
    site = site.replace("/var/cache/nginx/", f"{tmp_path}/")  # and makes the cache folder
    for link in (etc / "sites-enabled").iterdir():
        link.unlink()
    (etc / "sites-enabled" / "frames").write_text(site)
    main = (etc / "nginx.conf").read_text().replace("/etc/nginx/", f"{etc}/").replace("/var/log/nginx/", f"{logs}/")
    (etc / "nginx.conf").write_text(main)
    result = subprocess.run(["nginx", "-t", "-c", str(etc / "nginx.conf")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_example_colormap_parses_as_stops(installed):
    text = (installed / "etc/frames/colormaps/example.colors").read_text()
    stops = [line for line in text.splitlines() if line and not line.startswith("# ")]
    assert len(stops) >= 2
    assert all(re.fullmatch(r"(0|1|0?\.\d+|0\.\d+):#[0-9A-Fa-f]{6}", s) for s in stops), stops
