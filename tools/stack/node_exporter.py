"""node_exporter with only the textfile collector."""
from pathlib import Path

from .processes import _connectable, free_port
from .service import Service


class NodeExporter(Service):
    """prometheus-node-exporter with only the textfile collector: scrapes show the *.prom files at once."""

    name = "node_exporter"

    def __init__(self, textfile_dir, port=None, log=None):
        self.textfile_dir = Path(textfile_dir)
        super().__init__(Path(log) if log else self.textfile_dir.parent / "node-exporter.log")
        self.port = port or free_port()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/metrics"


    def start(self, timeout=20.0):
        argv = ["prometheus-node-exporter", f"--web.listen-address=127.0.0.1:{self.port}",
                "--collector.disable-defaults", "--collector.textfile",
                f"--collector.textfile.directory={self.textfile_dir}"]
        return self.launch(argv, lambda: _connectable(("127.0.0.1", self.port)), timeout)

    def scrape(self):
        import urllib.request
        with urllib.request.urlopen(self.url, timeout=10) as response:
            return response.read().decode()
