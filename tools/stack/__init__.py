"""The service's parts, really started: a throwaway PostgreSQL cluster, the spawn-fcgi worker pool,
nginx (HTTP and HTTPS on loopback) and node_exporter with the textfile collector.

Used by the run command (`make run`), the integration tests and the benchmarks, so all three start the
stack the same way. Every process is started here and stopped by its PID.
"""
from .nginx import Nginx, make_certificate
from .node_exporter import NodeExporter
from .pool import Pool
from .postgres import Postgres, multi_host_conninfo
from .processes import (EVIDENCE_VARIABLE, REPO, base_environment, binaries, built_binaries, children_of, free_port, ingest, is_alive,
                        remove_tree, scratch_dir, stop_pid, wait_for)
from .site import Stack

__all__ = ["EVIDENCE_VARIABLE", "REPO", "Nginx", "NodeExporter", "Pool", "Postgres", "Stack", "base_environment", "binaries",
           "built_binaries", "children_of", "free_port", "ingest", "is_alive", "make_certificate",
           "multi_host_conninfo", "remove_tree", "scratch_dir", "stop_pid", "wait_for"]
