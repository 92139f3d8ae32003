"""Starting, finding and stopping processes, shared by every part of the stack."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


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
    for binary in ("frames-fcgi", "frames-ingest", "frames-admin"):
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


def ingest(bin_dir, conninfo, *args, env=None, check=False):
    """Runs frames-ingest; returns the CompletedProcess (stdout, stderr, returncode)."""
    environment = dict(os.environ, **(env or {}))
    return subprocess.run([str(bin_dir / "frames-ingest"), "--database", conninfo, *map(str, args)],
                          capture_output=True, text=True, env=environment, check=check)


def scratch_dir(prefix="frames-"):
    path = Path(tempfile.mkdtemp(prefix=prefix))
    os.chmod(path, 0o755)
    return path


# Set by the integration tests' conftest: a folder that outlives every test's own folders.
EVIDENCE_VARIABLE = "FRAMES_TEST_EVIDENCE"
EVIDENCE_PATTERNS = ("*.log", "*.prom", "*.prom.tmp")


def remove_tree(path: Path):
    """Removes a test's folder. Its logs and metrics files are copied aside first, when the suite asks,
    so that the last test can search everything the suite's services wrote for API tokens."""
    evidence = os.environ.get(EVIDENCE_VARIABLE)
    if evidence and Path(path).is_dir():
        kept = Path(evidence) / Path(path).name
        for pattern in EVIDENCE_PATTERNS:
            for found in Path(path).rglob(pattern):
                if found.is_file() and not found.is_symlink():
                    target = kept / found.relative_to(path)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(found, target)
    shutil.rmtree(path, ignore_errors=True)


# ---------------------------------------------------------------------------------------------------
# The web side: the spawn-fcgi pool, nginx in front of it and node_exporter reading the metrics files.


def is_alive(pid):
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
    while any(is_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in pids:
        if is_alive(pid):
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
