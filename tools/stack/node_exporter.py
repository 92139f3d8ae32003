"""node_exporter with only the textfile collector."""
import signal
import subprocess
from pathlib import Path

from .processes import free_port, wait_for, stop_pid, _connectable, _tail


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
