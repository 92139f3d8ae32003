"""The spawn-fcgi + multiwatch pool of frames-fcgi workers."""
from pathlib import Path

from .processes import base_environment
from .service import Service


class Pool(Service):
    """`spawn-fcgi -n -s SOCKET -M 0660 -- multiwatch -f N -r 10 -t 200 -- frames-fcgi`, as frames-fcgi.service
    runs it.

    spawn-fcgi -n execs multiwatch after opening the socket, so `pid` is multiwatch's; the workers are
    its children. SIGTERM makes multiwatch send SIGUSR1 to the workers (finish the request, exit)."""

    name = "the frames-fcgi pool"

    def __init__(self, bin_dir, socket_path, env, workers=4, log=None, argv=None, backlog=None):
        self.socket = Path(socket_path)
        super().__init__(Path(log) if log else self.socket.parent / "frames-fcgi.log")
        self.workers = workers
        self.env = base_environment(env)
        # spawn-fcgi's listen backlog (-b) is 1024 unless told.
        backlog_flag = ["-b", str(backlog)] if backlog else []
        self.argv = argv or ["spawn-fcgi", "-n", "-s", str(self.socket), "-M", "0660", *backlog_flag, "--",
                             "/usr/bin/multiwatch", "-f", str(workers), "-r", "10", "-t", "200", "--", str(Path(bin_dir) / "frames-fcgi")]

    def worker_pids(self):
        return self.children()

    def start(self, timeout=20.0):
        if self.socket.exists():
            self.socket.unlink()
        # Workers' stderr (their JSON log lines) and multiwatch's go to the log file. Readiness is not a
        # test connection: a worker would take it for a request. spawn-fcgi binds before it execs
        # multiwatch, so once the socket and the workers are there, requests queue on it.
        return self.launch(self.argv, lambda: self.socket.is_socket() and len(self.worker_pids()) >= self.workers,
                           timeout, env=self.env)

    def stop(self, timeout=15.0):
        super().stop(timeout)
        if self.socket.exists():
            self.socket.unlink()
