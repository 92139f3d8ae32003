#!/usr/bin/env bash
# Installs what building, running and testing need, from Debian and PyPI; skips what is already there.
set -euo pipefail

apt_packages=(
  libpq-dev zlib1g-dev libpng-dev libfcgi-dev libssl-dev pkg-config   # C libraries the Swift targets wrap
  postgresql                                               # a throwaway cluster for the run command and tests
  nginx-light spawn-fcgi multiwatch                        # the front end and the worker pool
  prometheus-node-exporter prometheus                      # textfile collector; promtool checks metrics
  slowhttptest                                             # make soak: slowloris and slow readers
  openssl curl wrk time                                    # certificates, smoke tests, benchmarks (RSS)
  systemd                                                  # systemd-analyze verify for the units
  man-db groff-base                                        # man -l checks the manual pages
  debhelper lintian                                        # make deb
  debootstrap systemd-container                            # make test-debian: a Debian booted by nspawn
  chromium chromium-driver                                 # the viewer's tests: headless, through selenium
)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # The packaged services must not start on their own: the tests start their own copies.
  created_policy=
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    created_policy=1
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [[ -z $created_policy ]] || rm -f /usr/sbin/policy-rc.d
fi

# Pinned oracles and test tools; pip leaves what already matches alone, without asking the index.
python3 -m pip install -q --disable-pip-version-check -r "$(dirname "$0")/../requirements-test.txt" 2>&1 \
  | grep -v "Running pip as the 'root' user" || true
# The Swagger UI files of /docs (requirements-docs.txt): a wheel of static files whose Django dependency is not
# wanted, hence --no-deps.
python3 -m pip install -q --disable-pip-version-check --no-deps --require-hashes \
  -r "$(dirname "$0")/../requirements-docs.txt" 2>&1 | grep -v "Running pip as the 'root' user" || true

command -v swift >/dev/null || { echo "swift is not on PATH (expected at /opt/swift/usr/bin)" >&2; exit 69; }
