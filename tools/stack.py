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
