"""A throwaway PostgreSQL cluster."""
import os
import pwd
import signal
import subprocess
from pathlib import Path

from .processes import free_port, stop_pid

PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1] if Path("/usr/lib/postgresql").exists() else None


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

    def _make_folders(self):
        postgres = pwd.getpwnam("postgres")
        for folder in (self.root, self.sockets):
            folder.mkdir(parents=True, exist_ok=True)
        os.chown(self.root, postgres.pw_uid, postgres.pw_gid)
        os.chown(self.sockets, postgres.pw_uid, postgres.pw_gid)
        os.chmod(self.root, 0o755)

    def init(self):
        self._make_folders()
        self._as_postgres(PG_BIN / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync",
                          "-E", "UTF8", "--locale=C")
        return self

    def start(self):
        self._as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "30", "-o",
                          f"-k {self.sockets} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off "
                          f"-c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                          "start")
        return self

    def standby(self, root: Path):
        """A hot standby of this cluster in `root`, streaming from it (`pg_basebackup -R`), started."""
        replica = Postgres(root)
        replica._make_folders()
        # A fast checkpoint: the default spreads it over checkpoint_timeout, and the copy waited ~90 s for it.
        replica._as_postgres(PG_BIN / "pg_basebackup", "-D", replica.data, "-R", "-X", "stream", "--no-sync",
                             "--checkpoint=fast",
                             "-h", self.sockets, "-p", self.port, "-U", "postgres")
        return replica.start()

    def promote(self):
        self._as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-w", "promote")
        return self

    @property
    def in_recovery(self):
        return self.psql("SELECT pg_is_in_recovery()") == "t"

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


def multi_host_conninfo(clusters, target_session_attrs):
    """libpq's multi-host form: the hosts are tried in order until one has the wanted attributes."""
    hosts = ",".join(str(c.sockets) for c in clusters)
    ports = ",".join(str(c.port) for c in clusters)
    return f"host={hosts} port={ports} dbname=frames user=postgres target_session_attrs={target_session_attrs}"
