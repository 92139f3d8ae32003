"""What the pool, nginx and node_exporter have in common: started with their output in a log file,
waited for, and stopped by PID together with whatever children they leave."""
import signal
import subprocess

from .processes import _reap_leftovers, _tail, children_of, stop_pid, wait_for


class Service:
    name = "a service"

    def __init__(self, log):
        self.log = log
        self.process = None

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def children(self):
        return children_of(self.pid) if self.pid else []

    def launch(self, argv, ready, timeout, env=None, context=""):
        """Starts `argv` and waits until `ready()`; if it exits first, raises with the end of its log."""
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                            start_new_session=True)
        try:
            wait_for(lambda: self.process.poll() is not None or ready(), timeout, self.name)
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{_tail(self.log)}{context}")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self, timeout=15.0):
        """SIGTERM to the main process, then the children it left behind, if any."""
        if not self.process:
            return
        leftovers = self.children()
        stop_pid(self.process.pid, signal.SIGTERM, timeout)
        self.process.wait()
        self.process = None
        _reap_leftovers(leftovers)
