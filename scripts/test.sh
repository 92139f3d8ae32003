#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, runs the Swift unit tests (no server), then the
# integration tests, which start their own PostgreSQL, spawn-fcgi pool, nginx and node_exporter.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

make --no-print-directory deps
# One release build serves both kinds of test: the integration tests run its binaries, and the unit
# tests, which import internals, need -enable-testing. A debug build for `swift test` besides cost
# more than the release build itself (on 2 shared cores: release 135 s + debug with tests 188 s,
# against 239 s for this one). `make binaries` afterwards rebuilds without -enable-testing.
swift build -c release --build-tests -Xswiftc -enable-testing
swift test -c release --skip-build
# The fuzz targets: every committed corpus and regression input once, then a few seconds of each, which
# proves the harness finds no crash, timeout or leak quickly; the search itself is `make fuzz`'s.
scripts/fuzz.sh --replay
scripts/fuzz.sh 3
python3 -m pytest -q -p no:cacheprovider Tests/Integration "$@"
