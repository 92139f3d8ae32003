"""All the parts together in one runtime folder."""
import os
from pathlib import Path

from .processes import wait_for, ingest, scratch_dir, remove_tree, _tail
from .nginx import Nginx
from .node_exporter import NodeExporter
from .pool import Pool
from .postgres import Postgres


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
                 ports=(None, None, None), backlog=None, rate=None):
        self.bin_dir = Path(bin_dir)
        self.owns_runtime = runtime is None
        self.runtime = Path(runtime) if runtime else scratch_dir("frames-stack-")
        self.postgres = postgres
        self.owns_postgres = postgres is None
        self.workers = workers
        self.extra_env = dict(env or {})
        self.ports = ports  # nginx's (HTTP, HTTPS, plain[, direct]); None: a free one
        self.backlog = backlog  # the pool socket's listen backlog; None: spawn-fcgi's default
        self.rate = rate  # nginx's per-address limit (`50r/s`); None: one that tests never reach
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
    def direct_url(self):
        return self.nginx.direct_url

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
                             log=self.runtime / "frames-fcgi.log", backlog=self.backlog).start()
            self.nginx = Nginx(self.runtime, self.socket, *self.ports, rate=self.rate,
                               cors_origins=self.env.get("FRAMES_CORS_ORIGINS", "")).start()
            self.node_exporter = NodeExporter(self.metrics_dir, log=self.runtime / "node-exporter.log").start()
            if healthy_within:
                self.wait_healthy(healthy_within)
        except BaseException:
            self.stop()
            raise
        return self

    def get(self, path, base=None, headers=None, method="GET"):
        """(status, headers, body) of a request (GET unless told) through nginx's plain port (which has
        the response cache; base=self.direct_url skips it)."""
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
