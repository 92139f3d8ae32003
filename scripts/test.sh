#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, runs the Swift unit tests (no server), then the
# integration tests, which start their own PostgreSQL, spawn-fcgi pool, nginx and node_exporter.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

make --no-print-directory build
swift test
# The fuzz targets: every committed corpus and regression input once, then a few seconds of each, which
# proves the harness finds no crash, timeout or leak quickly; the search itself is `make fuzz`'s.
scripts/fuzz.sh --replay
scripts/fuzz.sh 3
python3 -m pytest -q -p no:cacheprovider Tests/Integration "$@"
