"""The spawn-fcgi + multiwatch pool of frames-fcgi workers."""
import signal
import subprocess
from pathlib import Path

from .processes import wait_for, stop_pid, children_of, _reap_leftovers, _tail, base_environment


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
