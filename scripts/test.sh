#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, runs the Swift unit tests (no server), then the
# integration tests, which start their own PostgreSQL, spawn-fcgi pool, nginx and node_exporter.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

scripts/install-deps.sh
swift build -c release --product frames-ingest
swift build -c release --product frames-fcgi
swift build -c release --product frames-admin
swift test
python3 -m pytest -q -p no:cacheprovider Tests/Integration "$@"
