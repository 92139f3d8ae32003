"""The service's parts, really started: a throwaway PostgreSQL cluster, the spawn-fcgi worker pool,
nginx (HTTP and HTTPS on loopback) and node_exporter with the textfile collector.

Used by the run command (`make run`), the integration tests and the benchmarks, so all three start the
stack the same way. Every process is started here and stopped by its PID.
"""
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1] if Path("/usr/lib/postgresql").exists() else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def binaries(configuration="release"):
    """Path of the built binaries (building is the caller's business: `make build`)."""
    out = subprocess.run(["swift", "build", "-c", configuration, "--show-bin-path"], cwd=REPO,
                         check=True, capture_output=True, text=True).stdout.strip()
    return Path(out)


def built_binaries(bin_dir=None):
    """The folder holding both binaries (default: the release build's); exits with a hint if one is missing."""
    import sys
    bin_dir = bin_dir or binaries()
    for binary in ("frames-fcgi", "frames-ingest"):
        if not (bin_dir / binary).is_file():
            sys.exit(f"{bin_dir / binary} is missing: run `make build` first")
    return bin_dir


def wait_for(predicate, timeout=20.0, what="a service"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise TimeoutError(f"{what} did not come up within {timeout} s")


def stop_pid(pid, sig=signal.SIGTERM, timeout=15.0):
    """Signals a process and waits for it to go away; SIGKILL after the timeout."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            waited, _ = os.waitpid(pid, os.WNOHANG)
            if waited == pid:
                return
        except ChildProcessError:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
        time.sleep(0.05)
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


class Postgres:
    """A cluster owned by the `postgres` user (initdb refuses root), on a unix socket and a loopback port."""

    def __init__(self, root: Path):
        self.root = root
        self.data = root / "pgdata"
        self.sockets = root / "pgsock"
        self.port = free_port()
        self.log = root / "postgres.log"

    @property
    def conninfo(self):
        return f"host={self.sockets} port={self.port} dbname=frames user=postgres"

    def _as_postgres(self, *argv, **kw):
        return subprocess.run(["runuser", "-u", "postgres", "--", *map(str, argv)], check=True,
                              capture_output=True, text=True, **kw)

    def init(self):
        postgres = pwd.getpwnam("postgres")
        for folder in (self.root, self.sockets):
            folder.mkdir(parents=True, exist_ok=True)
        os.chown(self.root, postgres.pw_uid, postgres.pw_gid)
        os.chown(self.sockets, postgres.pw_uid, postgres.pw_gid)
        os.chmod(self.root, 0o755)
        self._as_postgres(PG_BIN / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync",
                          "-E", "UTF8", "--locale=C")
        return self

    def start(self):
        self._as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "30", "-o",
                          f"-k {self.sockets} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off "
                          f"-c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                          "start")
        return self

    def create_database(self):
        self.psql("CREATE DATABASE frames", dbname="postgres")
        return self

    @property
    def pid(self):
        pidfile = self.data / "postmaster.pid"
        return int(pidfile.read_text().split()[0]) if pidfile.exists() else None

    def stop(self):
        pid = self.pid
        if pid:
            stop_pid(pid, signal.SIGINT, timeout=30)  # SIGINT is PostgreSQL's "fast" shutdown

    def psql(self, sql, dbname="frames"):
        out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", str(self.sockets),
                              "-p", str(self.port), "-U", "postgres", "-d", dbname, "-c", sql],
                             check=True, capture_output=True, text=True)
        return out.stdout.strip()


def ingest(bin_dir, conninfo, *args, env=None, check=False):
    """Runs frames-ingest; returns the CompletedProcess (stdout, stderr, returncode)."""
    environment = dict(os.environ, **(env or {}))
    return subprocess.run([str(bin_dir / "frames-ingest"), "--database", conninfo, *map(str, args)],
                          capture_output=True, text=True, env=environment, check=check)


def scratch_dir(prefix="frames-"):
    path = Path(tempfile.mkdtemp(prefix=prefix))
    os.chmod(path, 0o755)
    return path


def remove_tree(path: Path):
    shutil.rmtree(path, ignore_errors=True)


# ---------------------------------------------------------------------------------------------------
# The web side: the spawn-fcgi pool, nginx in front of it and node_exporter reading the metrics files.

def _alive(pid):
    """True while `pid` runs (a zombie counts as gone: only its parent's wait is missing)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def children_of(pid):
    """PIDs whose parent is `pid`, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return sorted(found)


def _reap_leftovers(pids, timeout=5.0):
    """SIGKILLs whatever of `pids` outlived its parent (a worker that ignored the graceful signal)."""
    deadline = time.monotonic() + timeout
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in pids:
        if _alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def _connectable(address):
    """Whether a TCP (host, port) or a unix socket path accepts a connection."""
    family = socket.AF_UNIX if isinstance(address, (str, Path)) else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        try:
            s.connect(str(address) if family == socket.AF_UNIX else address)
            return True
        except OSError:
            return False


def _tail(path, lines=30):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return f"({path} does not exist)"


def base_environment(extra=None):
    """The few variables a service gets from its unit, plus `extra`: the tests' own FRAMES_* never leak in."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    env.update({k: str(v) for k, v in (extra or {}).items()})
    return env


class Pool:
    """`spawn-fcgi -n -s SOCKET -M 0660 -- multiwatch -f N -- frames-fcgi`, as frames-fcgi.service runs it.

    spawn-fcgi -n execs multiwatch after opening the socket, so `pid` is multiwatch's; the workers are
    its children. SIGTERM makes multiwatch send SIGUSR1 to the workers (finish the request, exit)."""

    def __init__(self, bin_dir, socket_path, env, workers=4, log=None, argv=None):
        self.socket = Path(socket_path)
        self.workers = workers
        self.env = base_environment(env)
        self.log = Path(log) if log else self.socket.parent / "frames-fcgi.log"
        self.argv = argv or ["spawn-fcgi", "-n", "-s", str(self.socket), "-M", "0660", "--",
                             "/usr/bin/multiwatch", "-f", str(workers), "--", str(Path(bin_dir) / "frames-fcgi")]
        self.process = None

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def worker_pids(self):
        return children_of(self.pid) if self.pid else []

    def start(self, timeout=20.0):
        if self.socket.exists():
            self.socket.unlink()
        with open(self.log, "ab") as log:
            # Workers' stderr (their JSON log lines) and multiwatch's go to the log file.
            self.process = subprocess.Popen(self.argv, env=self.env, stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=log, start_new_session=True)
        try:
            # Not a test connection: a worker would take it for a request. spawn-fcgi binds before it
            # execs multiwatch, so once the socket and the workers are there, requests queue on it.
            wait_for(lambda: self.process.poll() is not None
                     or self.socket.is_socket() and len(self.worker_pids()) >= self.workers,
                     timeout, "the frames-fcgi pool")
            if self.process.poll() is not None:
                raise RuntimeError(f"the pool exited with {self.process.returncode}:\n{_tail(self.log)}")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self, timeout=15.0):
        if not self.process:
            return
        workers = self.worker_pids()
        stop_pid(self.process.pid, signal.SIGTERM, timeout)
        self.process.wait()
        self.process = None
        _reap_leftovers(workers)
        if self.socket.exists():
            self.socket.unlink()


def make_certificate(folder: Path):
    """A self-signed certificate for localhost (CN=localhost, SAN DNS:localhost, IP:127.0.0.1): its own CA,
    so `curl --cacert cert.pem https://localhost:PORT/` verifies it. Returns (cert, key)."""
    cert, key = folder / "localhost.pem", folder / "localhost.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "7", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    os.chmod(key, 0o600)
    return cert, key


class Nginx:
    """nginx/local.conf.in rendered into `runtime`/nginx.conf, started in the foreground (`daemon off;`):
    HTTP (redirects), HTTPS + HTTP/2 (the app) and a plain port (the app, no TLS) on 127.0.0.1."""

    TEMPLATE = REPO / "nginx" / "local.conf.in"

    def __init__(self, runtime: Path, socket_path, http_port=None, https_port=None, plain_port=None,
                 template=None, name="nginx"):
        self.runtime = Path(runtime)
        self.socket = Path(socket_path)
        self.http_port = http_port or free_port()
        self.https_port = https_port or free_port()
        self.plain_port = plain_port or free_port()
        self.template = Path(template or self.TEMPLATE)
        self.conf = self.runtime / f"{name}.conf"
        self.log = self.runtime / f"{name}.out"
        self.process = None
        self.cacert = None
        self.key = None

    @property
    def http_url(self):
        return f"http://localhost:{self.http_port}"

    @property
    def https_url(self):
        return f"https://localhost:{self.https_port}"

    @property
    def plain_url(self):
        return f"http://127.0.0.1:{self.plain_port}"

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def render(self):
        self.runtime.mkdir(parents=True, exist_ok=True)
        (self.runtime / "static").mkdir(exist_ok=True)
        if self.cacert is None:
            self.cacert, self.key = make_certificate(self.runtime)
        values = {"@RUNTIME@": self.runtime, "@HTTP_PORT@": self.http_port, "@HTTPS_PORT@": self.https_port,
                  "@PLAIN_PORT@": self.plain_port, "@CERT@": self.cacert, "@KEY@": self.key,
                  "@SOCKET@": self.socket, "@REPO@": REPO}
        text = self.template.read_text()
        for marker, value in values.items():
            text = text.replace(marker, str(value))
        self.conf.write_text(text)
        return self.conf

    def test_config(self):
        """`nginx -t` on the rendered file; returns the CompletedProcess."""
        return subprocess.run(["nginx", "-t", "-q", "-c", str(self.conf)], capture_output=True, text=True)

    def start(self, timeout=20.0):
        self.render()
        checked = self.test_config()
        if checked.returncode != 0:
            raise RuntimeError(f"nginx -t failed for {self.conf}:\n{checked.stderr}")
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(["nginx", "-c", str(self.conf)], stdin=subprocess.DEVNULL,
                                            stdout=log, stderr=log, start_new_session=True)
        try:
            ports = [("127.0.0.1", p) for p in (self.http_port, self.https_port, self.plain_port)]
            wait_for(lambda: self.process.poll() is not None or all(map(_connectable, ports)), timeout, "nginx")
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.process.returncode}:\n{_tail(self.log)}\n"
                                   f"{_tail(self.runtime / 'nginx-error.log')}")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self, timeout=15.0):
        if not self.process:
            return
        workers = children_of(self.process.pid)
        stop_pid(self.process.pid, signal.SIGTERM, timeout)  # SIGTERM: nginx's fast shutdown
        self.process.wait()
        self.process = None
        _reap_leftovers(workers)


class NodeExporter:
    """prometheus-node-exporter with only the textfile collector: scrapes show the *.prom files at once."""

    def __init__(self, textfile_dir, port=None, log=None):
        self.textfile_dir = Path(textfile_dir)
        self.port = port or free_port()
        self.log = Path(log) if log else self.textfile_dir.parent / "node-exporter.log"
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/metrics"

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def start(self, timeout=20.0):
        argv = ["prometheus-node-exporter", f"--web.listen-address=127.0.0.1:{self.port}",
                "--collector.disable-defaults", "--collector.textfile",
                f"--collector.textfile.directory={self.textfile_dir}"]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                            start_new_session=True)
        try:
            wait_for(lambda: self.process.poll() is not None or _connectable(("127.0.0.1", self.port)),
                     timeout, "node_exporter")
            if self.process.poll() is not None:
                raise RuntimeError(f"node_exporter exited with {self.process.returncode}:\n{_tail(self.log)}")
        except BaseException:
            self.stop()
            raise
        return self

    def scrape(self):
        import urllib.request
        with urllib.request.urlopen(self.url, timeout=10) as response:
            return response.read().decode()

    def stop(self, timeout=15.0):
        if self.process:
            stop_pid(self.process.pid, signal.SIGTERM, timeout)
            self.process.wait()
            self.process = None


class Stack:
    """PostgreSQL + the pool + nginx + node_exporter in one runtime folder:

        pg/          the cluster (unless an existing Postgres is given)
        frames.sock  the pool's FastCGI socket
        metrics/     FRAMES_METRICS_DIR, node_exporter's textfile folder
        state/       FRAMES_STATE_DIR
        colormaps/   FRAMES_COLORMAP_DIR
        static/      what nginx serves under /static-baseline/
        spool/       FRAMES_SPOOL_DIR: incoming/, done/, failed/
        frames-fcgi.log, nginx-access.log, nginx-error.log, node-exporter.log, postgres (pg/postgres.log)
    """

    def __init__(self, bin_dir, runtime: Path = None, postgres: Postgres = None, workers=4, env=None,
                 ports=(None, None, None)):
        self.bin_dir = Path(bin_dir)
        self.owns_runtime = runtime is None
        self.runtime = Path(runtime) if runtime else scratch_dir("frames-stack-")
        self.postgres = postgres
        self.owns_postgres = postgres is None
        self.workers = workers
        self.extra_env = dict(env or {})
        self.ports = ports  # nginx's (HTTP, HTTPS, plain); None: a free one
        self.socket = self.runtime / "frames.sock"
        for name in ("metrics", "state", "colormaps", "static"):
            setattr(self, f"{name}_dir", self.runtime / name)
        self.spool_dir = self.runtime / "spool"
        self.pool = self.nginx = self.node_exporter = None

    # The addresses, straight from the parts.
    @property
    def plain_url(self):
        return self.nginx.plain_url

    @property
    def https_url(self):
        return self.nginx.https_url

    @property
    def http_url(self):
        return self.nginx.http_url

    @property
    def cacert(self):
        return self.nginx.cacert

    @property
    def metrics_url(self):
        return self.node_exporter.url

    @property
    def env(self):
        """The variables frames.env would set, pointing into the runtime folder."""
        env = {"FRAMES_DATABASE_URL": self.postgres.conninfo if self.postgres else "",
               "FRAMES_COLORMAP_DIR": str(self.colormaps_dir), "FRAMES_METRICS_DIR": str(self.metrics_dir),
               "FRAMES_STATE_DIR": str(self.state_dir), "FRAMES_CACHE_MAX_AGE": "60",
               "FRAMES_POOL_SIZE": str(self.workers), "FRAMES_SPOOL_DIR": str(self.spool_dir)}
        env.update(self.extra_env)
        return env

    def start(self, healthy_within=30.0):
        self.runtime.mkdir(parents=True, exist_ok=True)
        os.chmod(self.runtime, 0o755)
        for folder in (self.metrics_dir, self.state_dir, self.colormaps_dir, self.static_dir,
                       *(self.spool_dir / s for s in ("incoming", "done", "failed"))):
            folder.mkdir(parents=True, exist_ok=True)
        try:
            if self.postgres is None:
                self.postgres = Postgres(self.runtime / "pg").init().start().create_database()
            self.pool = Pool(self.bin_dir, self.socket, self.env, self.workers,
                             log=self.runtime / "frames-fcgi.log").start()
            self.nginx = Nginx(self.runtime, self.socket, *self.ports).start()
            self.node_exporter = NodeExporter(self.metrics_dir, log=self.runtime / "node-exporter.log").start()
            if healthy_within:
                self.wait_healthy(healthy_within)
        except BaseException:
            self.stop()
            raise
        return self

    def get(self, path, base=None, headers=None, method="GET"):
        """(status, headers, body) of a request (GET unless told) through nginx's plain port."""
        import urllib.error
        import urllib.request
        request = urllib.request.Request((base or self.nginx.plain_url) + path, headers=headers or {}, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def wait_healthy(self, timeout=30.0):
        def healthy():
            try:
                return self.get("/health")[0] == 200
            except OSError:
                return False
        try:
            wait_for(healthy, timeout, "GET /health")
        except TimeoutError as error:
            raise TimeoutError(f"{error}; frames-fcgi.log:\n{_tail(self.runtime / 'frames-fcgi.log')}\n"
                               f"nginx-error.log:\n{_tail(self.runtime / 'nginx-error.log')}") from None

    def ingest(self, *args, check=False):
        """frames-ingest --database (this stack's) ARGS, with the stack's metrics folder."""
        return ingest(self.bin_dir, self.postgres.conninfo, *args, env=self.env, check=check)

    def stop(self):
        for part in (self.node_exporter, self.nginx, self.pool):
            if part:
                part.stop()
        if self.owns_postgres and self.postgres:
            self.postgres.stop()
            self.postgres = None
        if self.owns_runtime:
            remove_tree(self.runtime)
