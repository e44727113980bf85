# gpdaemon: build, test, demo, install.
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib/gpdaemon
SYSCONFDIR ?= /etc
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
APPLICATIONSDIR ?= $(PREFIX)/share/applications
CONFIGURATION ?= Release
OUT ?= out
DOTNET ?= dotnet
PUBLISH = $(DOTNET) publish --nologo -v quiet -c $(CONFIGURATION)

.PHONY: all deps build test demo install uninstall clean

all: build

# Runnable out/gpdaemon, out/gpctl and the fake portal the tests and the demo use.
build:
	scripts/install-deps.sh build
	$(PUBLISH) src/GpDaemon/GpDaemon.csproj -o $(OUT)
	$(PUBLISH) src/GpCtl/GpCtl.csproj -o $(OUT)
	$(PUBLISH) tests/FakeGlobalProtect/FakeGlobalProtect.csproj -o $(OUT)

# Debian packages the demo and the tests need (apt-get as root; otherwise it says what to install).
deps:
	scripts/install-deps.sh

test: deps build
	CONFIGURATION=$(CONFIGURATION) OUT=$(abspath $(OUT)) tests/run-all.sh

demo: deps build
	OUT=$(abspath $(OUT)) ./demo.sh

# `make install NO_BUILD=1` installs the binaries already in $(OUT) without publishing them again
# (packaging scripts and the tests, which build once).
NO_BUILD ?=
INSTALL_PREREQUISITES = $(if $(NO_BUILD),,build)
SUBSTITUTE = sed -e 's|@LIBDIR@|$(LIBDIR)|g' -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g'

install: $(INSTALL_PREREQUISITES)
	@test -x $(OUT)/gpdaemon && test -x $(OUT)/gpctl || { echo "$(OUT) has no gpdaemon and gpctl: run 'make build' (or drop NO_BUILD)" >&2; exit 1; }
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(BINDIR)
	cp -R $(OUT)/. $(DESTDIR)$(LIBDIR)/
# The fake portal is a test tool, not part of the product.
	rm -f $(DESTDIR)$(LIBDIR)/fake-globalprotect*
	chmod -R u+rwX,go+rX,go-w $(DESTDIR)$(LIBDIR)
	ln -sfn $(LIBDIR)/gpdaemon $(DESTDIR)$(BINDIR)/gpdaemon
	ln -sfn $(LIBDIR)/gpctl $(DESTDIR)$(BINDIR)/gpctl
	install -d $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(SYSCONFDIR)/gpdaemon
	$(SUBSTITUTE) packaging/systemd/gpdaemon.service.in > $(DESTDIR)$(SYSTEMDUNITDIR)/gpdaemon.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/gpdaemon.service
	install -m 0644 packaging/systemd/gpdaemon.sysusers $(DESTDIR)$(SYSUSERSDIR)/gpdaemon.conf
	install -m 0644 packaging/systemd/gpdaemon.tmpfiles $(DESTDIR)$(TMPFILESDIR)/gpdaemon.conf
# The desktop's handler for the globalprotectcallback: links that end a single sign-on in the browser.
	install -d $(DESTDIR)$(APPLICATIONSDIR)
	$(SUBSTITUTE) packaging/desktop/gpdaemon-callback.desktop.in > $(DESTDIR)$(APPLICATIONSDIR)/gpdaemon-callback.desktop
	chmod 0644 $(DESTDIR)$(APPLICATIONSDIR)/gpdaemon-callback.desktop
	@if command -v update-desktop-database >/dev/null; then update-desktop-database $(DESTDIR)$(APPLICATIONSDIR); fi
# Never overwrite an administrator's config.
	[ -e $(DESTDIR)$(SYSCONFDIR)/gpdaemon/gpdaemon.toml ] || install -m 0644 packaging/gpdaemon.toml $(DESTDIR)$(SYSCONFDIR)/gpdaemon/gpdaemon.toml
# Installed into the running system (no DESTDIR) under systemd: create the group and /run/vpnc now rather than
# at the next boot, and make systemd see the unit.
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then \
		echo "systemd-sysusers, systemd-tmpfiles --create, systemctl daemon-reload"; \
		systemd-sysusers $(SYSUSERSDIR)/gpdaemon.conf; \
		systemd-tmpfiles --create $(TMPFILESDIR)/gpdaemon.conf; \
		systemctl daemon-reload; \
	fi
	@echo "Installed. Configure $(SYSCONFDIR)/gpdaemon/gpdaemon.toml, then: systemctl enable --now gpdaemon"

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/gpdaemon $(DESTDIR)$(BINDIR)/gpctl
# LIBDIR is removed whole, so it must be ours: refuse anything not named .../gpdaemon.
	@case "$(LIBDIR)" in */gpdaemon) ;; *) echo "refusing to remove LIBDIR=$(LIBDIR): not a gpdaemon directory" >&2; exit 1 ;; esac
	rm -rf $(DESTDIR)$(LIBDIR)
	rm -f $(DESTDIR)$(SYSTEMDUNITDIR)/gpdaemon.service $(DESTDIR)$(SYSUSERSDIR)/gpdaemon.conf $(DESTDIR)$(TMPFILESDIR)/gpdaemon.conf
	rm -f $(DESTDIR)$(APPLICATIONSDIR)/gpdaemon-callback.desktop
# The scheme's registration goes with the entry: the cache is rebuilt, or removed when no entry is left.
	@if ls $(DESTDIR)$(APPLICATIONSDIR)/*.desktop >/dev/null 2>&1; then \
		if command -v update-desktop-database >/dev/null; then update-desktop-database $(DESTDIR)$(APPLICATIONSDIR); fi; \
	else rm -f $(DESTDIR)$(APPLICATIONSDIR)/mimeinfo.cache; fi
	@echo "Left in place: $(SYSCONFDIR)/gpdaemon (your settings), /var/lib/gpdaemon (saved sessions) and the gpdaemon group."

clean:
	rm -rf $(OUT)
	$(DOTNET) clean --nologo -v quiet GpDaemon.sln

# Performance against issue 7's targets: prints the report and rewrites the measured part of bench/RESULTS.md
# (about three minutes; BENCH_ARGS=--quick for a smoke run, BENCH_COMPARE=DIR to measure a second build beside it).
.PHONY: bench
bench: build
	bench/run.sh $(abspath $(OUT)) $(BENCH_ARGS)
