# The usual entry points. `make run` brings the whole stack up locally; `make test` runs every test.
PREFIX     ?= /usr/local
DESTDIR    ?=
SYSCONFDIR ?= /etc
MANDIR     ?= $(PREFIX)/share/man
# The viewer page's static files (www/), which the site serves at /view/, and the API's docs page
# (www/docs/ with Swagger UI and the OpenAPI document), served at /docs/ and /openapi.json.
WWWDIR      = $(PREFIX)/share/frames/www
# Swagger UI's files and licence, from the wheel pinned in requirements-docs.txt (`make deps` installs it).
SWAGGER_UI  = $(shell python3 tools/stack/docs.py)
STATEDIR   ?= /var/lib
SWIFT      ?= /opt/swift/usr/bin/swift
SWIFT_BUILD_FLAGS ?=
BIN_DIR     = $(shell $(SWIFT) build -c release --show-bin-path)
# The one version number: the package's (debian/changelog is written from it by `make deb`).
VERSION    := $(shell cat VERSION)
# Every executable product, and the man pages (man/NAME.SECTION) when there are any: `make install`
# and the package take them all.
BINARIES    = frames-fcgi frames-ingest frames-admin
MANPAGES    = $(wildcard man/*.[1-8])
# Units of locally built software go where systemd looks for "units installed by the administrator"
# (systemd.unit(5)), leaving /etc/systemd/system to the sysadmin's own units and `systemctl edit`.
UNITDIR    ?= /usr/local/lib/systemd/system
SPOOLDIR    = /var/spool/frames
UNITS       = frames-fcgi.service frames-ingest.service frames-ingest.timer frames-ingest.path

.PHONY: build binaries settings test test-debian deb run bench fuzz soak deps clean install uninstall check-units

deps:
	scripts/install-deps.sh

build: deps binaries

binaries:
	for binary in $(BINARIES); do $(SWIFT) build -c release $(SWIFT_BUILD_FLAGS) --product $$binary || exit 1; done

test:
	scripts/test.sh

# The man pages' ENVIRONMENT sections, docs/settings.md and systemd/frames.env, written from the settings'
# declarations (each binary's --dump-settings); Tests/Integration/test_settings.py fails when they drift.
settings: binaries
	python3 tools/settings_docs.py --bin-dir $(BIN_DIR)

# frames_$(VERSION)_amd64.deb in dist/, checked by lintian (errors fail). dpkg-buildpackage writes next to
# the source tree, hence the move; debian/changelog is written here so that VERSION stays the one source.
deb: deps
	printf 'frames (%s) unstable; urgency=medium\n\n  * Version %s (the changes are in the git history).\n\n -- %s  %s\n' \
		'$(VERSION)' '$(VERSION)' "$$(sed -n 's/^Maintainer: //p' debian/control)" \
		"$$(git log -1 --format=%aD 2>/dev/null || date -R)" > debian/changelog
	dpkg-buildpackage -b -us -uc
	mkdir -p dist
	mv $(addprefix ../frames_$(VERSION)_amd64.,deb buildinfo changes) dist/
	lintian --fail-on error dist/frames_$(VERSION)_amd64.changes

# Installs dist/'s package on a freshly debootstrapped Debian booted under systemd-nspawn (root only).
test-debian: deb
	python3 -m pytest -v -s -p no:cacheprovider Tests/Debian

run: build
	python3 tools/run_stack.py $(if $(REPLICA),--replica) $(CSV)

bench: build
	python3 tools/benchmark.py

# The long fault tests, each of which the test command runs short (in brackets): 50 kill points per ingest
# test on 100,000-row logs (2 and a finished run, 30,000 rows), workers killed under load for 60 s (10 s),
# 1,000 slow clients of each kind under slowhttptest with a latency ratio (150, no ratio), 1,000,000
# requests to recycling workers (FRAMES_SOAK_REQUESTS; 10,000), and schemathesis with 1,000 examples per
# operation (FRAMES_CONTRACT_EXAMPLES; 50).
# Figures: docs/RELIABILITY.md.
soak: build
	FRAMES_SOAK=1 FRAMES_FAULT_POINTS=50 FRAMES_KILL_SECONDS=60 FRAMES_CONTRACT_EXAMPLES=1000 python3 -m pytest -q -s \
		-p no:cacheprovider Tests/Integration/test_ingest_faults.py Tests/Integration/test_slow_clients.py \
		Tests/Integration/test_soak.py \
		Tests/Integration/test_pool_faults.py::test_killing_a_random_worker_every_250_ms_under_load_fails_no_request \
		Tests/Integration/test_contract.py

# libFuzzer on every parser of outside input, FUZZ_SECONDS per target (the test command runs a short pass).
FUZZ_SECONDS ?= 300
fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)

clean:
	rm -rf .build dist debian/frames debian/.debhelper debian/files debian/debhelper-build-stamp \
		debian/*.substvars debian/changelog

# `make build && sudo make install`; then enable: systemctl enable --now frames-fcgi frames-ingest.path
# frames-ingest.timer, and ln -s ../sites-available/frames /etc/nginx/sites-enabled/. Installs, never
# builds (BIN_DIR=... to take the binaries from elsewhere). Keeps an existing frames.env.
install:
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSCONFDIR)/frames/colormaps \
		$(DESTDIR)$(SYSCONFDIR)/nginx/sites-available $(DESTDIR)$(SYSCONFDIR)/nginx/snippets
	install -d -m 0775 $(DESTDIR)$(SPOOLDIR)/incoming $(DESTDIR)$(SPOOLDIR)/done $(DESTDIR)$(SPOOLDIR)/failed
	install -m 0755 $(addprefix $(BIN_DIR)/,$(BINARIES)) $(DESTDIR)$(PREFIX)/bin/
	for page in $(MANPAGES); do \
		section=$${page##*.}; install -d $(DESTDIR)$(MANDIR)/man$$section && \
		install -m 0644 $$page $(DESTDIR)$(MANDIR)/man$$section/ || exit 1; \
	done
	for unit in $(UNITS); do \
		sed -e 's#/usr/local/bin/#$(PREFIX)/bin/#g' -e 's#/etc/frames/#$(SYSCONFDIR)/frames/#g' systemd/$$unit \
			> $(DESTDIR)$(UNITDIR)/$$unit && chmod 0644 $(DESTDIR)$(UNITDIR)/$$unit || exit 1; \
	done
	sed 's#/usr/share/frames/www/#$(PREFIX)/share/frames/www/#' nginx/frames.conf \
		> $(DESTDIR)$(SYSCONFDIR)/nginx/sites-available/frames && chmod 0644 $(DESTDIR)$(SYSCONFDIR)/nginx/sites-available/frames
	install -d $(DESTDIR)$(WWWDIR)/view
	install -m 0644 www/view/* $(DESTDIR)$(WWWDIR)/view/
	install -d $(DESTDIR)$(WWWDIR)/docs
	install -m 0644 www/docs/* $(SWAGGER_UI) openapi/openapi.json $(DESTDIR)$(WWWDIR)/docs/
	install -m 0644 nginx/frames-fastcgi.conf $(DESTDIR)$(SYSCONFDIR)/nginx/snippets/frames-fastcgi.conf
	install -m 0644 nginx/frames-cache.conf $(DESTDIR)$(SYSCONFDIR)/nginx/snippets/frames-cache.conf
	install -d $(DESTDIR)/var/cache/nginx  # nginx makes frames/ below it, for its workers' user
	[ -e $(DESTDIR)$(SYSCONFDIR)/frames/frames.env ] || \
		install -m 0640 systemd/frames.env $(DESTDIR)$(SYSCONFDIR)/frames/frames.env
	[ -e $(DESTDIR)$(SYSCONFDIR)/frames/colormaps/example.colors ] || printf '%s\n' \
		'# An example colormap, served as "example" (and reversed as "example_r"). One stop per line:' \
		'# #RRGGBB (evenly spaced) or POS:#RRGGBB (POS from 0 to 1, never decreasing). Add NAME.colors' \
		'# files to this folder, then: systemctl reload frames-fcgi' \
		'0:#000000' '0.35:#5A3A1A' '0.7:#C89B5E' '1:#FFF4E0' \
		> $(DESTDIR)$(SYSCONFDIR)/frames/colormaps/example.colors
	@if [ -z "$(DESTDIR)" ]; then \
		getent passwd frames >/dev/null || useradd --system --user-group --home-dir /nonexistent \
			--no-create-home --shell /usr/sbin/nologin frames; \
		chown frames:frames $(SPOOLDIR) $(SPOOLDIR)/incoming $(SPOOLDIR)/done $(SPOOLDIR)/failed; \
		chgrp frames $(SYSCONFDIR)/frames/frames.env; \
		systemctl daemon-reload 2>/dev/null || true; \
	fi

# Leaves frames.env, the colormaps and the spool (configuration and data) in place.
uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/bin/,$(BINARIES))
	for page in $(MANPAGES); do rm -f $(DESTDIR)$(MANDIR)/man$${page##*.}/$${page##*/}; done
	for unit in $(UNITS); do rm -f $(DESTDIR)$(UNITDIR)/$$unit; done
	rm -rf $(DESTDIR)$(WWWDIR)
	rm -f $(DESTDIR)$(SYSCONFDIR)/nginx/sites-enabled/frames $(DESTDIR)$(SYSCONFDIR)/nginx/sites-available/frames \
		$(DESTDIR)$(SYSCONFDIR)/nginx/snippets/frames-fastcgi.conf $(DESTDIR)$(SYSCONFDIR)/nginx/snippets/frames-cache.conf

# systemd-analyze verify must print nothing. It checks that each ExecStart binary exists, so it runs on
# copies whose /usr/local/bin/ paths point at stand-ins in a temporary folder.
check-units:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	for binary in $(BINARIES); do printf '#!/bin/sh\n' > $$tmp/$$binary && chmod +x $$tmp/$$binary; done && \
	for unit in $(UNITS); do sed "s#/usr/local/bin/#$$tmp/#g" systemd/$$unit > $$tmp/$$unit; done && \
	out=$$(cd $$tmp && systemd-analyze verify $(UNITS) 2>&1); \
	if [ -n "$$out" ]; then echo "$$out"; exit 1; fi; echo "units: systemd-analyze verify is silent"
