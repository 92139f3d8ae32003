"""nginx from nginx/local.conf.in, with a self-signed certificate made on the spot."""
import os
import subprocess
from pathlib import Path

from . import docs
from .processes import REPO, _connectable, _tail, free_port
from .service import Service


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


class Nginx(Service):
    """nginx/local.conf.in rendered into `runtime`/nginx.conf, started in the foreground (`daemon off;`):
    HTTP (redirects), HTTPS + HTTP/2 (the app), a plain port (the app, no TLS) and a direct port (the
    app without the response cache) on 127.0.0.1."""

    TEMPLATE = REPO / "nginx" / "local.conf.in"
    name = "nginx"

    # Far above what one test or benchmark sends from its one address, unless it tests the limit.
    UNLIMITED = "100000r/s"

    def __init__(self, runtime: Path, socket_path, http_port=None, https_port=None, plain_port=None,
                 direct_port=None, template=None, name="nginx", rate=None, cors_origins=""):
        self.runtime = Path(runtime)
        super().__init__(self.runtime / f"{name}.out")
        # One pool's socket, or several (pools on other hosts, in the site's terms).
        self.sockets = [Path(p) for p in socket_path] if isinstance(socket_path, (list, tuple)) else [Path(socket_path)]
        self.http_port = http_port or free_port()
        self.https_port = https_port or free_port()
        self.plain_port = plain_port or free_port()
        self.direct_port = direct_port or free_port()
        self.template = Path(template or self.TEMPLATE)
        self.rate = rate or self.UNLIMITED
        self.cors_origins = cors_origins or ""
        self.conf = self.runtime / f"{name}.conf"
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
    def direct_url(self):
        """The app through nginx but never through its cache."""
        return f"http://127.0.0.1:{self.direct_port}"

    def render(self):
        self.runtime.mkdir(parents=True, exist_ok=True)
        (self.runtime / "static").mkdir(exist_ok=True)
        docs.assemble(self.runtime / "docs")
        if self.cacert is None:
            self.cacert, self.key = make_certificate(self.runtime)
        values = {"@RUNTIME@": self.runtime, "@HTTP_PORT@": self.http_port, "@HTTPS_PORT@": self.https_port,
                  "@PLAIN_PORT@": self.plain_port,
                  "@DIRECT_PORT@": self.direct_port, "@CERT@": self.cacert, "@KEY@": self.key,
                  "@UPSTREAM_SERVERS@": self.upstream_servers(), "@REPO@": REPO, "@WWW@": REPO / "www",
                  "@RATE@": self.rate, "@CORS_MAP@": self.cors_map()}
        text = self.template.read_text()
        for marker, value in values.items():
            text = text.replace(marker, str(value))
        self.conf.write_text(text)
        return self.conf

    def cors_map(self):
        """The body of the $frames_cors_origin map from a FRAMES_CORS_ORIGINS value (spaces or commas
        between origins, or `*`): what docs/security.md has the sysadmin write by hand."""
        origins = self.cors_origins.replace(",", " ").split()
        if origins == ["*"]:
            return 'default "*";'
        return "\n        ".join(['default "";', *(f'"{origin}" $http_origin;' for origin in origins)])

    def upstream_servers(self):
        """Each pool listed three times, never marked failed (see nginx/frames.conf): a request whose
        worker died, or whose pool is down, is retried on the next entry."""
        entries = [f"server unix:{socket} max_fails=0;" for _ in range(3) for socket in self.sockets]
        return "\n        ".join(entries)

    def test_config(self):
        """`nginx -t` on the rendered file; returns the CompletedProcess."""
        return subprocess.run(["nginx", "-t", "-q", "-c", str(self.conf)], capture_output=True, text=True)

    def start(self, timeout=20.0):
        self.render()
        checked = self.test_config()
        if checked.returncode != 0:
            raise RuntimeError(f"nginx -t failed for {self.conf}:\n{checked.stderr}")
        ports = [("127.0.0.1", p) for p in (self.http_port, self.https_port, self.plain_port, self.direct_port)]
        # SIGTERM at stop is nginx's fast shutdown.
        return self.launch(["nginx", "-c", str(self.conf)], lambda: all(map(_connectable, ports)), timeout,
                           context=f"\n{_tail(self.runtime / 'nginx-error.log')}")
