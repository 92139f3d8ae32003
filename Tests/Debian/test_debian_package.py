"""The .deb on a clean Debian under a real systemd: debootstrap (cached), boot a copy with systemd-nspawn,
install dist/frames_*.deb with apt, set it up as docs/deploy.md tells a sysadmin, and check what a sysadmin
would: ingestion through the path unit, frames over HTTPS, metrics, the journal, reload under load, a
clean stop, and what remove and purge leave. Run by `make test-debian` (root), after `make deb`.

The steps share one container and run in file order; the container is stopped by its PID at the end.
It shares the host's network, so every service inside listens on loopback ports picked free here
(PostgreSQL on its unix socket only)."""
import concurrent.futures
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VERSION = (REPO / "VERSION").read_text().strip()
DEB = REPO / "dist" / f"frames_{VERSION}_amd64.deb"
CACHE = Path(os.environ.get("FRAMES_TEST_DEBIAN_CACHE", "/var/cache/frames-test-debian"))
SUITE = "bookworm"


def host_mirror():
    """The Debian mirror the host's apt uses (deb822 or one-line sources), so debootstrap goes there too."""
    for path in sorted(Path("/etc/apt").glob("sources.list.d/*.sources")):
        match = re.search(r"^URIs:\s*(\S+/debian)/?\s*$", path.read_text(), re.M)
        if match:
            return match.group(1)
    for path in [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt").glob("sources.list.d/*.list"))]:
        if path.exists():
            match = re.search(r"^deb\s+(?:\[[^]]*\]\s+)?(\S+/debian)/?\s", path.read_text(), re.M)
            if match:
                return match.group(1)
    return "http://deb.debian.org/debian"


def cached_root():
    """A pristine minbase root with systemd, made once; the tests boot copies of it."""
    root = CACHE / "root"
    if not (root / "usr/lib/systemd/systemd").exists():
        partial = CACHE / "root.partial"
        shutil.rmtree(partial, ignore_errors=True)
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["debootstrap", "--variant=minbase", "--include=systemd,systemd-sysv,dbus", SUITE,
                        str(partial), host_mirror()], check=True, stdout=subprocess.DEVNULL)
        shutil.rmtree(root, ignore_errors=True)
        partial.rename(root)
    return root


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Container:
    """A booted copy of the cached root; `run` executes inside it through nsenter."""

    def __init__(self, root):
        self.root = root
        self.nspawn = None
        self.pid = None
        self.log = root.parent / "nspawn.log"

    def boot(self):
        archives = CACHE / "archives"
        (archives / "partial").mkdir(parents=True, exist_ok=True)
        with open(self.log, "wb") as log:
            # apt's downloads are kept between runs (the bind mount); the root itself is thrown away.
            self.nspawn = subprocess.Popen(
                ["systemd-nspawn", "-D", str(self.root), "--boot", "--register=no", "--keep-unit",
                 "--console=passive", f"--bind={archives}:/var/cache/apt/archives"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while self.pid is None:
            assert self.nspawn.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, "the container's systemd did not start"
            children = subprocess.run(["ps", "--ppid", str(self.nspawn.pid), "-o", "pid=,comm="],
                                      capture_output=True, text=True).stdout.split()
            if "systemd" in children:
                self.pid = int(children[children.index("systemd") - 1])
            else:
                time.sleep(0.2)
        # Until systemd has its bus up, systemctl answers nothing.
        state = wait_for("the container's boot", lambda: self.run(
            "systemctl", "is-system-running", "--wait", check=False).stdout.strip(), 60)
        assert state in ("running", "degraded"), state
        return self

    def run(self, *command, check=True, input=None, timeout=600):
        result = subprocess.run(["nsenter", "-t", str(self.pid), "-a", *command], capture_output=True, text=True,
                                input=input, timeout=timeout)
        if check:
            assert result.returncode == 0, f"{command}: {result.returncode}\n{result.stdout}\n{result.stderr}"
        return result

    def sh(self, script, check=True, timeout=600):
        return self.run("/bin/sh", "-ec", script, check=check, timeout=timeout)

    def path(self, inside):
        return self.root / inside.lstrip("/")

    def stop(self):
        if self.nspawn is None or self.nspawn.poll() is not None:
            return
        # SIGTERM makes nspawn shut the container down in order; SIGKILL if it does not within a minute.
        self.nspawn.send_signal(signal.SIGTERM)
        try:
            self.nspawn.wait(60)
        except subprocess.TimeoutExpired:
            self.nspawn.kill()
            self.nspawn.wait()


@pytest.fixture(scope="module")
def box():
    assert DEB.exists(), f"{DEB} is missing: run `make deb` first (make test-debian does)"
    started = time.monotonic()
    pristine = cached_root()
    work = Path(tempfile.mkdtemp(prefix="frames-test-debian-", dir="/var/tmp"))
    container = Container(work / "root")
    try:
        subprocess.run(["cp", "-a", "--reflink=auto", str(pristine), str(container.root)], check=True)
        # The host's apt sources (mirror, updates, security): the package was built against those libraries.
        sources = Path("/etc/apt/sources.list.d/debian.sources")
        if sources.exists():
            shutil.copy(sources, container.path("/etc/apt/sources.list.d/debian.sources"))
            container.path("/etc/apt/sources.list").unlink(missing_ok=True)
        shutil.copy(DEB, container.path("/root"))
        container.ports = {"https": free_port(), "http": free_port(), "node_exporter": free_port()}
        container.boot()
        yield container
    finally:
        container.stop()
        shutil.rmtree(work, ignore_errors=True)
        print(f"\ntest-debian: container up and down in {time.monotonic() - started:.0f} s")


def api_key(box):
    """The installed frames.env says FRAMES_AUTH=required: a key made as docs/deploy.md says, once, with
    the rate it shows for a client that sends more than the default 10 requests a second."""
    if getattr(box, "token", None) is None:
        made = box.run("runuser", "-u", "frames", "--", "frames-admin", "keys", "create", "--rate", "100",
                       "--database", "host=/var/run/postgresql dbname=frames user=frames", "debian-test")
        box.token = made.stdout.strip().splitlines()[-1]
    return box.token


def https(box, path, timeout=30):
    """GET through the container's nginx over HTTPS, trusting only the test certificate, with a key."""
    context = ssl.create_default_context(cafile=str(box.path("/etc/ssl/certs/frames.pem")))
    context.check_hostname = False
    headers = {} if path in ("/health", "/ready") else {"Authorization": "Bearer " + api_key(box)}
    request = urllib.request.Request(f"https://127.0.0.1:{box.ports['https']}{path}", headers=headers)
    with urllib.request.urlopen(request, context=context, timeout=timeout) as response:
        return response.status, dict(response.headers), response.read()


def deploy_block(heading_words):
    """docs/deploy.md's shell lines under its set-up section: what a sysadmin is told to type."""
    guide = (REPO / "docs" / "deploy.md").read_text()
    section = guide[guide.index("## Set up"):]
    return [line for line in section.splitlines() if line.startswith(heading_words)]


def wait_for(what, predicate, seconds=60, interval=0.5):
    deadline = time.monotonic() + seconds
    while True:
        value = predicate()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(interval)


# --- install and set up, as docs/deploy.md says ----------------------------------------------------

def test_the_package_stays_under_15_mb():
    assert DEB.stat().st_size <= 15_000_000, DEB.stat().st_size


def test_apt_installs_the_package_with_its_dependencies_from_debian(box):
    # Nothing may start on the host's shared ports while installing (nginx :80, PostgreSQL :5432,
    # node_exporter :9100): policy-rc.d holds every service back until it is configured below.
    box.sh("printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d")
    box.run("apt-get", "update", "-qq")
    box.run("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q",
            f"/root/{DEB.name}", "sudo", "ca-certificates")
    status = box.run("dpkg-query", "-W", "-f=${Status} ${Version}", "frames").stdout
    assert status == f"install ok installed {VERSION}"
    for recommended in ("nginx", "postgresql", "prometheus-node-exporter", "acl"):
        assert "install ok installed" in box.run("dpkg-query", "-W", "-f=${Status}", recommended).stdout


def test_the_binaries_load_nothing_from_opt(box):
    for binary in ("/usr/bin/frames-fcgi", "/usr/bin/frames-ingest"):
        ldd = box.run("ldd", binary).stdout
        assert "not found" not in ldd and "/opt" not in ldd, ldd
        assert not box.path("/opt/swift").exists()


def test_the_package_lays_out_user_spool_and_config(box):
    assert box.run("id", "-un", "frames").stdout.strip() == "frames"
    assert box.run("stat", "-c", "%U:%G %a", "/etc/frames/frames.env").stdout.split() == ["root:frames", "640"]
    for folder in ("/var/spool/frames", "/var/spool/frames/incoming", "/var/spool/frames/done"):
        assert box.run("stat", "-c", "%U", folder).stdout.strip() == "frames", folder
    for unit in ("frames-fcgi.service", "frames-ingest.timer", "frames-ingest.path"):
        # Not started on install (no database yet): docs/deploy.md has the admin enable them.
        assert box.run("systemctl", "is-enabled", unit, check=False).stdout.strip() == "disabled", unit
        assert box.run("systemctl", "is-active", unit, check=False).stdout.strip() == "inactive", unit
    assert "/usr/bin/frames-fcgi" in box.path("/lib/systemd/system/frames-fcgi.service").read_text()


@pytest.fixture(scope="module")
def on_test_ports(box):
    """Not a README step but this test's: PostgreSQL on its unix socket only, node_exporter and nginx on
    loopback test ports, then the services held back during the install started."""
    clusters = list(box.path("/etc/postgresql").glob("*/main/conf.d"))
    assert len(clusters) == 1, "postgresql-common should have made one cluster"
    (clusters[0] / "test-debian.conf").write_text("listen_addresses = ''\n")
    box.path("/etc/default/prometheus-node-exporter").write_text(
        f'ARGS="--web.listen-address=127.0.0.1:{box.ports["node_exporter"]}"\n')
    box.path("/etc/nginx/sites-enabled/default").unlink()
    box.run("rm", "/usr/sbin/policy-rc.d")
    box.run("systemctl", "restart", "postgresql", "prometheus-node-exporter")


@pytest.mark.usefixtures("on_test_ports")
def test_database_created_as_the_deploy_guide_says(box):
    commands = deploy_block("sudo -u postgres create")
    assert len(commands) == 2, commands
    for command in commands:
        box.sh(command)
    tables = box.run("sudo", "-u", "frames", "psql", "-d", "frames", "-Atc", "select current_user").stdout
    assert tables.strip() == "frames"


def test_frames_env_site_and_certificate(box):
    env = box.path("/etc/frames/frames.env")
    env.write_text(re.sub(r"^FRAMES_POOL_SIZE=.*$", "FRAMES_POOL_SIZE=2", env.read_text(), flags=re.M))
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-keyout", str(box.path("/etc/ssl/private/frames.key")),
                    "-out", str(box.path("/etc/ssl/certs/frames.pem"))], check=True, capture_output=True)
    site = box.path("/etc/nginx/sites-available/frames")
    text = site.read_text()
    text = re.sub(r"^\s*listen \[::\]:\d+.*\n", "", text, flags=re.M)
    text = text.replace("listen 80;", f"listen 127.0.0.1:{box.ports['http']};")
    text = text.replace("listen 443 ssl", f"listen 127.0.0.1:{box.ports['https']} ssl")
    site.write_text(text)
    box.run("ln", "-s", "../sites-available/frames", "/etc/nginx/sites-enabled/frames")
    box.run("nginx", "-t")
    box.run("systemctl", "restart", "nginx")


def test_enable_now_starts_the_pool_and_the_spool_units(box):
    box.run("systemctl", "enable", "--now", "frames-fcgi", "frames-ingest.timer", "frames-ingest.path")
    for unit in ("frames-fcgi.service", "frames-ingest.timer", "frames-ingest.path"):
        assert box.run("systemctl", "is-active", unit, check=False).stdout.strip() == "active", unit
    wait_for("the pool's socket", lambda: box.run("test", "-S", "/run/frames/frames.sock", check=False).returncode == 0, 30)
    status, _, body = wait_for("/health", lambda: _try(lambda: https(box, "/health")), 30)
    assert status == 200 and json.loads(body)["status"] == "healthy"


def _try(call):
    try:
        return call()
    except (OSError, urllib.error.URLError):
        return None


# --- what the running system does -------------------------------------------------------------------

def test_a_csv_dropped_by_rename_is_ingested_by_the_path_unit(box):
    # (/tmp and /run inside are the container's own tmpfs: not under box.root.)
    box.run("frames-ingest", "--generate-sample", "/root/sample.csv", "--rows", "300")
    incoming = box.path("/var/spool/frames/incoming")
    shutil.copy(box.path("/root/sample.csv"), incoming / "borehole.csv.part")
    os.rename(incoming / "borehole.csv.part", incoming / "borehole.csv")
    wait_for("done/borehole.csv", lambda: box.path("/var/spool/frames/done/borehole.csv").exists(), 120)
    assert not list(box.path("/var/spool/frames/failed").iterdir())
    result = box.run("systemctl", "show", "-p", "Result", "--value", "frames-ingest.service").stdout.strip()
    assert result == "success"
    journal = box.run("journalctl", "-u", "frames-ingest", "-o", "cat", "--no-pager").stdout
    assert "loaded 300 rows into dataset borehole" in journal, journal
    status, _, body = https(box, "/datasets")
    datasets = {d["name"]: d for d in json.loads(body)}
    assert datasets["borehole"]["frame_count"] == 300, datasets


def test_frames_come_through_nginx_over_https(box):
    status, headers, body = https(box, "/frames?dataset=borehole&depth_min=0&depth_max=99999&limit=100")
    frames = json.loads(body)
    assert status == 200 and len(frames) == 100
    assert "Strict-Transport-Security" in headers
    status, headers, body = https(box, "/frames?dataset=borehole&depth_min=0&depth_max=99999&format=png")
    assert status == 200 and body.startswith(b"\x89PNG") and headers["X-Frame-Count"] == "300"
    # Plain HTTP is only a redirect.
    request = urllib.request.Request(f"http://127.0.0.1:{box.ports['http']}/health")
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(request, timeout=10)
    assert redirect.value.code == 301


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_node_exporter_serves_the_frames_series(box):
    def scrape():
        with urllib.request.urlopen(f"http://127.0.0.1:{box.ports['node_exporter']}/metrics", timeout=10) as r:
            text = r.read().decode()
        wanted = ("frames_http_requests_total{", "frames_ingest_rows_loaded_total ")
        return text if all(w in text for w in wanted) else None
    text = wait_for("frames_ series in node_exporter", scrape, 30, 1)
    loaded = re.search(r"^frames_ingest_rows_loaded_total (\S+)$", text, re.M)
    assert float(loaded.group(1)) == 300


def test_the_journal_holds_the_json_log_lines(box):
    lines = box.run("journalctl", "-u", "frames-fcgi", "-o", "cat", "--no-pager").stdout.splitlines()
    records = [json.loads(line) for line in lines if line.startswith("{")]
    requests = [r for r in records if r.get("message") == "request"]
    assert any(r["path"] == "/frames" and r["status"] == 200 for r in requests), lines[-20:]
    assert all({"timestamp", "level", "message"} <= r.keys() for r in records)


def test_reload_under_load_loses_no_request(box):
    stop = threading.Event()

    def client():
        # 4 clients at 10 requests a second each: steady load, under the site's 50 a second per address.
        outcomes = []
        while not stop.is_set():
            time.sleep(0.1)
            try:
                outcomes.append(https(box, "/frames?dataset=borehole&depth_min=0&depth_max=99999&limit=50")[0])
            except urllib.error.HTTPError as error:
                outcomes.append(error.code)
            except OSError as error:
                outcomes.append(repr(error))
        return outcomes

    before = box.run("systemctl", "show", "-p", "MainPID", "--value", "frames-fcgi").stdout.strip()
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        clients = [pool.submit(client) for _ in range(4)]
        time.sleep(1)
        for _ in range(3):
            box.run("systemctl", "reload", "frames-fcgi")
            time.sleep(1)
        stop.set()
        outcomes = [o for c in clients for o in c.result()]
    assert len(outcomes) > 20 and set(outcomes) == {200}, {o: outcomes.count(o) for o in set(outcomes)}
    after = box.run("systemctl", "show", "-p", "MainPID", "--value", "frames-fcgi").stdout.strip()
    assert before == after, "a reload must keep multiwatch and replace only the workers"


def test_systemd_has_no_complaint_about_the_units(box):
    # What systemd-analyze verify cannot see: settings this systemd ignores or cannot apply at run time.
    complaints = box.run("journalctl", "-b", "_PID=1", "-p", "warning", "-o", "cat", "--no-pager").stdout
    assert not [line for line in complaints.splitlines() if "frames" in line], complaints


def test_systemd_analyze_security_score(box):
    out = box.run("systemd-analyze", "security", "--no-pager", "frames-fcgi.service").stdout
    score = re.search(r"Overall exposure level for frames-fcgi.service: (\d+\.\d+) (\w+)", out)
    assert score, out[-500:]
    print(f"\nsystemd-analyze security frames-fcgi.service: {score.group(1)} {score.group(2)}")
    assert float(score.group(1)) < 5.0, out


def test_stop_is_clean(box):
    box.run("systemctl", "stop", "frames-fcgi")
    show = box.run("systemctl", "show", "-p", "ActiveState,Result,ExecMainCode,ExecMainStatus",
                   "frames-fcgi").stdout
    assert "ActiveState=inactive" in show and "Result=success" in show, show
    assert not box.run("pgrep", "-x", "frames-fcgi", check=False).stdout
    assert box.run("test", "-e", "/run/frames", check=False).returncode != 0
    box.run("systemctl", "start", "frames-fcgi")


# --- remove, then purge --------------------------------------------------------------------------------

def database_exists(box):
    names = box.run("sudo", "-u", "postgres", "psql", "-Atc", "select datname from pg_database").stdout.split()
    return "frames" in names


def test_remove_keeps_configuration_data_and_user(box):
    box.run("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "remove", "-y", "-q", "frames")
    assert not box.path("/usr/bin/frames-fcgi").exists()
    assert not box.path("/lib/systemd/system/frames-fcgi.service").exists()
    assert box.run("systemctl", "is-active", "frames-fcgi", check=False).stdout.strip() != "active"
    assert not box.run("pgrep", "-x", "frames-fcgi", check=False).stdout
    assert "FRAMES_POOL_SIZE=2" in box.path("/etc/frames/frames.env").read_text()
    assert box.path("/var/spool/frames/done/borehole.csv").exists()
    assert box.run("id", "frames", check=False).returncode == 0
    assert database_exists(box)


def test_purge_removes_what_the_package_made_but_never_the_database(box):
    box.run("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "purge", "-y", "-q", "frames")
    for gone in ("/etc/frames", "/var/spool/frames", "/etc/nginx/sites-available/frames",
                 "/etc/nginx/snippets/frames-fastcgi.conf"):
        assert not box.path(gone).exists(), gone
    assert not os.path.lexists(box.path("/etc/nginx/sites-enabled/frames"))
    assert not list(box.path("/var/lib/prometheus/node-exporter").glob("frames_*"))
    assert box.run("id", "frames", check=False).returncode != 0
    assert box.run("getent", "group", "frames", check=False).returncode != 0
    assert database_exists(box)
    box.run("nginx", "-t")
