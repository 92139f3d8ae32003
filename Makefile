# The usual entry points. `make run` brings the whole stack up locally; `make test` runs every test.
PREFIX     ?= /usr/local
DESTDIR    ?=
SYSCONFDIR ?= /etc
MANDIR     ?= $(PREFIX)/share/man
STATEDIR   ?= /var/lib
SWIFT      ?= /opt/swift/usr/bin/swift
BIN_DIR     = $(shell $(SWIFT) build -c release --show-bin-path)
# Units of locally built software go where systemd looks for "units installed by the administrator"
# (systemd.unit(5)), leaving /etc/systemd/system to the sysadmin's own units and `systemctl edit`.
UNITDIR    ?= /usr/local/lib/systemd/system
SPOOLDIR    = /var/spool/frames
UNITS       = frames-fcgi.service frames-ingest.service frames-ingest.timer frames-ingest.path

.PHONY: build test run bench fuzz soak deps clean install uninstall check-units

deps:
	scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product frames-ingest
	$(SWIFT) build -c release --product frames-fcgi
	$(SWIFT) build -c release --product frames-admin

test:
	scripts/test.sh

run: build
	python3 tools/run_stack.py $(if $(REPLICA),--replica) $(CSV)

bench: build
	python3 tools/benchmark.py

# The long fault tests: 50 kill points per ingest test (the test command runs 8). Figures: docs/RELIABILITY.md.
soak: build
	FRAMES_FAULT_POINTS=50 python3 -m pytest -q -s -p no:cacheprovider Tests/Integration/test_ingest_faults.py

# libFuzzer on every parser of outside input, FUZZ_SECONDS per target (the test command runs a short pass).
FUZZ_SECONDS ?= 300
fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)

clean:
	rm -rf .build

# `make build && sudo make install`; then enable: systemctl enable --now frames-fcgi frames-ingest.path
# frames-ingest.timer, and ln -s ../sites-available/frames /etc/nginx/sites-enabled/. Installs, never
# builds (BIN_DIR=... to take the binaries from elsewhere). Keeps an existing frames.env.
install:
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSCONFDIR)/frames/colormaps \
		$(DESTDIR)$(SYSCONFDIR)/nginx/sites-available $(DESTDIR)$(SYSCONFDIR)/nginx/snippets
	install -d -m 0775 $(DESTDIR)$(SPOOLDIR)/incoming $(DESTDIR)$(SPOOLDIR)/done $(DESTDIR)$(SPOOLDIR)/failed
	install -m 0755 $(BIN_DIR)/frames-fcgi $(BIN_DIR)/frames-ingest $(BIN_DIR)/frames-admin $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 man/frames-ingest.1 man/frames-admin.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 man/frames-fcgi.8 $(DESTDIR)$(MANDIR)/man8/
	for unit in $(UNITS); do \
		sed -e 's#/usr/local/bin/#$(PREFIX)/bin/#g' -e 's#/etc/frames/#$(SYSCONFDIR)/frames/#g' systemd/$$unit \
			> $(DESTDIR)$(UNITDIR)/$$unit && chmod 0644 $(DESTDIR)$(UNITDIR)/$$unit || exit 1; \
	done
	install -m 0644 nginx/frames.conf $(DESTDIR)$(SYSCONFDIR)/nginx/sites-available/frames
	install -m 0644 nginx/frames-fastcgi.conf $(DESTDIR)$(SYSCONFDIR)/nginx/snippets/frames-fastcgi.conf
	install -m 0644 nginx/frames-cache.conf $(DESTDIR)$(SYSCONFDIR)/nginx/snippets/frames-cache.conf
	install -d $(DESTDIR)/var/cache/nginx  # nginx makes frames/ below it, for its workers' user
	[ -e $(DESTDIR)$(SYSCONFDIR)/frames/frames.env ] || \
		install -m 0600 systemd/frames.env $(DESTDIR)$(SYSCONFDIR)/frames/frames.env
	[ -e $(DESTDIR)$(SYSCONFDIR)/frames/colormaps/example.colors ] || printf '%s\n' \
		'# An example colormap, served as "example" (and reversed as "example_r"). One stop per line:' \
		'# #RRGGBB (evenly spaced) or POS:#RRGGBB (POS from 0 to 1, never decreasing). Add NAME.colors' \
		'# files to this folder, then: systemctl reload frames-fcgi' \
		'0:#000000' '0.35:#5A3A1A' '0.7:#C89B5E' '1:#FFF4E0' \
		> $(DESTDIR)$(SYSCONFDIR)/frames/colormaps/example.colors
	@if [ -z "$(DESTDIR)" ]; then \
		getent passwd frames >/dev/null || useradd --system --user-group --home-dir /nonexistent \
			--no-create-home --shell /usr/sbin/nologin frames; \
		chown frames:frames $(SPOOLDIR)/incoming $(SPOOLDIR)/done $(SPOOLDIR)/failed; \
		if command -v setfacl >/dev/null && [ -d /var/lib/prometheus/node-exporter ]; then \
			setfacl -m u:frames:rwx /var/lib/prometheus/node-exporter; \
		else echo "note: the frames user must be able to write FRAMES_METRICS_DIR (apt install acl;" \
			"setfacl -m u:frames:rwx /var/lib/prometheus/node-exporter)"; fi; \
		systemctl daemon-reload 2>/dev/null || true; \
	fi

# Leaves frames.env, the colormaps and the spool (configuration and data) in place.
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/frames-fcgi $(DESTDIR)$(PREFIX)/bin/frames-ingest $(DESTDIR)$(PREFIX)/bin/frames-admin
	rm -f $(DESTDIR)$(MANDIR)/man1/frames-ingest.1 $(DESTDIR)$(MANDIR)/man1/frames-admin.1 \
		$(DESTDIR)$(MANDIR)/man8/frames-fcgi.8
	for unit in $(UNITS); do rm -f $(DESTDIR)$(UNITDIR)/$$unit; done
	rm -f $(DESTDIR)$(SYSCONFDIR)/nginx/sites-enabled/frames $(DESTDIR)$(SYSCONFDIR)/nginx/sites-available/frames \
		$(DESTDIR)$(SYSCONFDIR)/nginx/snippets/frames-fastcgi.conf $(DESTDIR)$(SYSCONFDIR)/nginx/snippets/frames-cache.conf

# systemd-analyze verify must print nothing. It checks that each ExecStart binary exists, so it runs on
# copies whose /usr/local/bin/ paths point at stand-ins in a temporary folder.
check-units:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	for binary in frames-fcgi frames-ingest; do printf '#!/bin/sh\n' > $$tmp/$$binary && chmod +x $$tmp/$$binary; done && \
	for unit in $(UNITS); do sed "s#/usr/local/bin/#$$tmp/#g" systemd/$$unit > $$tmp/$$unit; done && \
	out=$$(cd $$tmp && systemd-analyze verify $(UNITS) 2>&1); \
	if [ -n "$$out" ]; then echo "$$out"; exit 1; fi; echo "units: systemd-analyze verify is silent"
