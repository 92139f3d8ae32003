#!/usr/bin/env python3
"""The run command (`make run`, `make run CSV=path`): the whole service on this machine.

Starts PostgreSQL, the spawn-fcgi pool, nginx (HTTP, HTTPS, a plain port) and node_exporter in one
runtime folder (.run/ in the repo, emptied first), loads data — the CSV given, or a generated 5,460-row
log, plus ../shared/data/*.csv when that folder exists — and, as the installed frames.env does, requires
an API key: it creates one and prints it with curl lines to paste. Then it waits for Ctrl-C (or SIGTERM)
to stop everything, each process by its PID.
"""
import argparse
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import stack  # noqa: E402

SHARED = stack.REPO.parent / "shared" / "data"
SAMPLE_ROWS = 5460
# The installed site's per-address limit (nginx/frames.conf).
SITE_RATE = "50r/s"


class Stop(Exception):
    """Raised by the SIGINT/SIGTERM handler."""


def on_signal(signum, _frame):
    raise Stop(signal.Signals(signum).name)


def arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("csv", nargs="*", type=Path, help="CSV logs to load instead of the generated sample")
    parser.add_argument("--runtime", type=Path, default=stack.REPO / ".run",
                        help="folder for the cluster, socket, logs and certificate (default: .run/, emptied)")
    parser.add_argument("--bin-dir", type=Path, help="where frames-fcgi and frames-ingest are "
                        "(default: swift build -c release --show-bin-path)")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("FRAMES_POOL_SIZE", "4")),
                        help="frames-fcgi workers (default: $FRAMES_POOL_SIZE or 4)")
    parser.add_argument("--http-port", type=int, help="nginx's redirecting HTTP port (default: a free one)")
    parser.add_argument("--https-port", type=int, help="nginx's HTTPS port (default: a free one)")
    parser.add_argument("--plain-port", type=int, help="nginx's plain HTTP port serving the app (default: a free one)")
    parser.add_argument("--no-shared", action="store_true", help="do not load ../shared/data/*.csv")
    parser.add_argument("--auth", choices=("required", "off"), default=os.environ.get("FRAMES_AUTH", "required"),
                        help="FRAMES_AUTH of the pool (default: $FRAMES_AUTH or required, as installed); "
                             "with required, a key named `local` is made and printed")
    parser.add_argument("--replica", action="store_true",
                        help="a primary and a hot standby (pg_basebackup -R): the pool reads with "
                             "target_session_attrs=prefer-standby, ingests write with read-write")
    return parser.parse_args()


def load(site, path):
    print(f"loading {path} ...", flush=True)
    result = site.ingest(path)
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        print(f"  frames-ingest exited with {result.returncode}:\n{output}", file=sys.stderr)
        return False
    print("  " + (result.stdout.strip().splitlines() or ["done"])[-1], flush=True)
    return True


def datasets(site):
    rows = site.postgres.psql("SELECT name, depth_min, depth_max FROM datasets ORDER BY name")
    return [(name, float(low), float(high)) for name, low, high in
            (line.split("|") for line in rows.splitlines() if line)]


def start_replicated(runtime):
    """A primary and its streaming standby, started."""
    primary = stack.Postgres(runtime / "pg-primary").init().start().create_database()
    try:
        return primary, primary.standby(runtime / "pg-standby")
    except BaseException:
        primary.stop()
        raise


def caught_up(primary, standby, timeout=60):
    """Waits until the standby has replayed everything the primary has written so far."""
    written = primary.psql("SELECT pg_current_wal_lsn()").strip()
    stack.wait_for(lambda: standby.psql(f"SELECT pg_last_wal_replay_lsn() >= '{written}'::pg_lsn").strip() == "t",
                   timeout=timeout, what="the standby's replay")


def create_key(site, bin_dir):
    """A key for everything, as a sysadmin makes one: the token is frames-admin's only line on stdout. Its
    rate is above the service's default of 10/s, which a viewer scrolling through a log would exceed."""
    made = subprocess.run([str(bin_dir / "frames-admin"), "keys", "create", "local", "--rate", "100", "--database",
                           site.postgres.conninfo], capture_output=True, text=True, check=True)
    return made.stdout.strip()


def curl(url, token, *options):
    """A curl command line to paste: the key in the header (a token in the URL is refused with 400)."""
    header = ["-H", f"Authorization: Bearer {token}"] if token else []
    return shlex.join(["curl", "-sS", *header, *options, url])


def show_urls(site, first, token):
    plain, nginx = site.nginx.plain_url, site.nginx
    known = {name: (low, high) for name, low, high in datasets(site)}
    name = first if first in known else next(iter(known), None)
    print()
    print(f"The Image Frame API is up. Runtime folder: {site.runtime} (logs: frames-fcgi.log, "
          f"nginx-access.log, nginx-error.log)")
    if token:
        print(f"  API key          {token}")
        print("                   (FRAMES_AUTH=required: all but /health and /ready need it; made with "
              "`frames-admin keys create local --rate 100`)")
    fragment = "&".join(([f"dataset={name}"] if name else []) + ([f"key={token}"] if token else []))
    print(f"  the viewer       {plain}/view/" + (f"#{fragment}" if fragment else ""))
    print(f"  the API's docs   {plain}/docs/  (Swagger UI: \"Authorize\" takes the key; the document: {plain}/openapi.json)")
    if name:
        low, high = known[name]
        window = f"depth_min={low:g}&depth_max={min(high, low + 1):g}"
        print(f"  frames as JSON   {curl(f'{plain}/frames?dataset={name}&{window}', token)}")
        print(f"  frames as NDJSON {curl(f'{plain}/frames?dataset={name}&{window}&format=ndjson', token)}")
        print(f"  the log as PNG   " + curl(f"{plain}/frames?dataset={name}&depth_min={low:g}&depth_max={high:g}"
                                            f"&format=png&colormap=viridis", token, "-o", f"{name}.png"))
    print(f"  datasets         {curl(f'{plain}/datasets', token)}")
    print(f"  colormaps        {curl(f'{plain}/colormaps', token)}")
    print(f"  health, ready    {plain}/health  {plain}/ready  (no key needed)")
    print(f"  metrics          {site.node_exporter.url}  (curl -s {site.node_exporter.url} | grep '^frames_')")
    print(f"  HTTPS + HTTP/2   curl --cacert {nginx.cacert} {nginx.https_url}/health")
    print(f"                   (self-signed for localhost: a browser warns unless told to trust {nginx.cacert})")
    print(f"  HTTP             {nginx.http_url}/  answers 301 to HTTPS, as the site's port 80 does")
    print(f"  past the cache   {nginx.direct_url}/  the app without nginx's response cache (X-Cache-Status "
          f"on the others says HIT, MISS, REVALIDATED...)")
    print(f"  PostgreSQL       psql \"{site.postgres.conninfo}\"")
    if "prefer-standby" in site.env["FRAMES_DATABASE_URL"]:
        print(f"  pool reads with  {site.env['FRAMES_DATABASE_URL']}")
    print("Ctrl-C stops everything.", flush=True)


def main():
    args = arguments()
    bin_dir = stack.built_binaries(args.bin_dir)
    csv_files = [path.resolve() for path in args.csv]
    for path in csv_files:
        if not path.is_file():
            sys.exit(f"{path}: no such file")

    stack.remove_tree(args.runtime)
    args.runtime.mkdir(parents=True)
    clusters, env, postgres = [], {}, None
    if args.replica:
        print("starting a PostgreSQL primary and a hot standby ...", flush=True)
        clusters = start_replicated(args.runtime)
        postgres = clusters[0]
        env["FRAMES_DATABASE_URL"] = stack.multi_host_conninfo(clusters[::-1], "prefer-standby")
    env["FRAMES_AUTH"] = args.auth
    site = stack.Stack(bin_dir, args.runtime, postgres=postgres, workers=args.workers, env=env,
                       ports=(args.http_port, args.https_port, args.plain_port), rate=SITE_RATE)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    status = 0
    try:
        print(f"starting PostgreSQL, {args.workers} frames-fcgi workers, nginx and node_exporter in {args.runtime} ...",
              flush=True)
        site.start()
        if not csv_files:
            sample = args.runtime / "sample.csv"
            subprocess.run([str(bin_dir / "frames-ingest"), "--generate-sample", str(sample), "--rows",
                            str(SAMPLE_ROWS)], check=True)
            csv_files = [sample]
        first = csv_files[0].stem
        for path in csv_files:
            load(site, path)
        if SHARED.is_dir() and not args.no_shared:
            for path in sorted(SHARED.glob("*.csv")):
                load(site, path)
        token = create_key(site, bin_dir) if args.auth == "required" else None
        if clusters:
            # The URLs printed next must answer at once: a worker that looked the key up on the standby
            # before it was replayed would remember it as unknown for FRAMES_KEY_CACHE_SECONDS.
            caught_up(*clusters)
        show_urls(site, first, token)
        while True:
            time.sleep(1)
            for part in (site.pool, site.nginx, site.node_exporter):
                if part.process.poll() is not None:
                    print(f"{type(part).__name__} (PID {part.pid}) exited with {part.process.returncode}; "
                          f"stopping", file=sys.stderr)
                    status = 1
                    raise Stop("exit")
    except Stop as stop:
        print(f"\n{stop}: stopping ...", flush=True)
    except Exception as error:  # noqa: BLE001 — show it, then still stop what started
        print(f"error: {error}", file=sys.stderr)
        status = 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the shutdown short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        site.stop()
        for cluster in reversed(clusters):
            cluster.stop()
        print(f"stopped. Logs are in {args.runtime}.")
    return status


if __name__ == "__main__":
    sys.exit(main())
