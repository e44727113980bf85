# gpdaemon: build, test, demo, install.
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib/gpdaemon
SYSCONFDIR ?= /etc
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
MANDIR ?= $(PREFIX)/share/man
# Where each shell looks for completions (bash-completion, zsh's fpath, fish's vendor directory).
BASHCOMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPLETIONDIR ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPLETIONDIR ?= $(PREFIX)/share/fish/vendor_completions.d
APPLICATIONSDIR ?= $(PREFIX)/share/applications
CONFIGURATION ?= Release
OUT ?= out
DOTNET ?= dotnet
PUBLISH = $(DOTNET) publish --nologo -v quiet -c $(CONFIGURATION)
# The manual pages, built from their scdoc sources in packaging/man.
MANOUT ?= obj/man
SCDOC ?= scdoc
MANPAGES = $(MANOUT)/gpctl.1 $(MANOUT)/gpdaemon.8 $(MANOUT)/gpdaemon.toml.5

.PHONY: all deps check-build-deps build man test demo install uninstall deb clean format format-check

all: build man

# Runnable out/gpdaemon, out/gpctl and the fake portal the tests and the demo use.
build: check-build-deps
	$(PUBLISH) src/GpDaemon/GpDaemon.csproj -o $(OUT)
	$(PUBLISH) src/GpCtl/GpCtl.csproj -o $(OUT)
	$(PUBLISH) tests/FakeGlobalProtect/FakeGlobalProtect.csproj -o $(OUT)

man: $(MANPAGES)

$(MANOUT)/%: packaging/man/%.scd
	@mkdir -p $(MANOUT)
	$(SCDOC) < $< > $@.tmp
	mv $@.tmp $@

# Debian packages the build, the demo, the tests, the benchmarks and the package need (apt-get as root; otherwise
# it says what to install). The developer targets depend on it; build and install never install packages.
deps:
	scripts/install-deps.sh

# Fails with the apt-get line when a package of the build list in scripts/install-deps.sh is missing.
check-build-deps:
	scripts/install-deps.sh --check build

# One code style (.editorconfig): format rewrites the sources to it, format-check (run by CI) fails on any difference.
format:
	$(DOTNET) format GpDaemon.sln

format-check:
	$(DOTNET) format GpDaemon.sln --verify-no-changes

test: deps build
	CONFIGURATION=$(CONFIGURATION) OUT=$(abspath $(OUT)) tests/run-all.sh

demo: deps build
	OUT=$(abspath $(OUT)) ./demo.sh

# `make install NO_BUILD=1` installs the binaries already in $(OUT) without publishing them again
# (packaging scripts and the tests, which build once).
NO_BUILD ?=
INSTALL_PREREQUISITES = $(if $(NO_BUILD),,build)
SUBSTITUTE = sed -e 's|@LIBDIR@|$(LIBDIR)|g' -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g'

install: $(INSTALL_PREREQUISITES) man
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
	$(SUBSTITUTE) packaging/systemd/gpdaemon@.service.in > $(DESTDIR)$(SYSTEMDUNITDIR)/gpdaemon@.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/gpdaemon@.service
	install -m 0644 packaging/systemd/gpdaemon.sysusers $(DESTDIR)$(SYSUSERSDIR)/gpdaemon.conf
	install -m 0644 packaging/systemd/gpdaemon.tmpfiles $(DESTDIR)$(TMPFILESDIR)/gpdaemon.conf
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8
	install -m 0644 $(MANOUT)/gpctl.1 $(DESTDIR)$(MANDIR)/man1/gpctl.1
	install -m 0644 $(MANOUT)/gpdaemon.toml.5 $(DESTDIR)$(MANDIR)/man5/gpdaemon.toml.5
	install -m 0644 $(MANOUT)/gpdaemon.8 $(DESTDIR)$(MANDIR)/man8/gpdaemon.8
	install -d $(DESTDIR)$(BASHCOMPLETIONDIR) $(DESTDIR)$(ZSHCOMPLETIONDIR) $(DESTDIR)$(FISHCOMPLETIONDIR)
	install -m 0644 packaging/completion/gpctl.bash $(DESTDIR)$(BASHCOMPLETIONDIR)/gpctl
	install -m 0644 packaging/completion/_gpctl $(DESTDIR)$(ZSHCOMPLETIONDIR)/_gpctl
	install -m 0644 packaging/completion/gpctl.fish $(DESTDIR)$(FISHCOMPLETIONDIR)/gpctl.fish
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
	@echo "(Another VPN at once: $(SYSCONFDIR)/gpdaemon/NAME.toml and systemctl enable --now gpdaemon@NAME)"

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/gpdaemon $(DESTDIR)$(BINDIR)/gpctl
# LIBDIR is removed whole, so it must be ours: refuse anything not named .../gpdaemon.
	@case "$(LIBDIR)" in */gpdaemon) ;; *) echo "refusing to remove LIBDIR=$(LIBDIR): not a gpdaemon directory" >&2; exit 1 ;; esac
	rm -rf $(DESTDIR)$(LIBDIR)
	rm -f $(DESTDIR)$(SYSTEMDUNITDIR)/gpdaemon.service $(DESTDIR)$(SYSTEMDUNITDIR)/gpdaemon@.service $(DESTDIR)$(SYSUSERSDIR)/gpdaemon.conf $(DESTDIR)$(TMPFILESDIR)/gpdaemon.conf
	rm -f $(DESTDIR)$(MANDIR)/man1/gpctl.1 $(DESTDIR)$(MANDIR)/man5/gpdaemon.toml.5 $(DESTDIR)$(MANDIR)/man8/gpdaemon.8
	rm -f $(DESTDIR)$(BASHCOMPLETIONDIR)/gpctl $(DESTDIR)$(ZSHCOMPLETIONDIR)/_gpctl $(DESTDIR)$(FISHCOMPLETIONDIR)/gpctl.fish
	rm -f $(DESTDIR)$(APPLICATIONSDIR)/gpdaemon-callback.desktop
# The scheme's registration goes with the entry: the cache is rebuilt, or removed when no entry is left.
	@if ls $(DESTDIR)$(APPLICATIONSDIR)/*.desktop >/dev/null 2>&1; then \
		if command -v update-desktop-database >/dev/null; then update-desktop-database $(DESTDIR)$(APPLICATIONSDIR); fi; \
	else rm -f $(DESTDIR)$(APPLICATIONSDIR)/mimeinfo.cache; fi
	@echo "Left in place: $(SYSCONFDIR)/gpdaemon (your settings), /var/lib/gpdaemon (saved sessions) and the gpdaemon group."

# gpdaemon_<version>_<arch>.deb in DEBDIR, made with debhelper (packaging/debian) from what `make install` installs.
# The version is packaging/debian/changelog's; DEB_VERSION=V builds a rebuild with a changelog entry for V on top.
DEBDIR ?= .
DEB_BUILD ?= obj/deb
DEB_VERSION ?=
deb: $(INSTALL_PREREQUISITES) man
	@test -x $(OUT)/gpdaemon && test -x $(OUT)/gpctl || { echo "$(OUT) has no gpdaemon and gpctl: run 'make build' (or drop NO_BUILD)" >&2; exit 1; }
	rm -rf $(DEB_BUILD)
	mkdir -p $(DEB_BUILD)/gpdaemon $(DEBDIR)
	cp -R packaging/debian $(DEB_BUILD)/gpdaemon/debian
	@if [ -n "$(DEB_VERSION)" ]; then \
		{ printf 'gpdaemon (%s) unstable; urgency=medium\n\n  * Rebuilt as %s.\n\n -- %s  %s\n\n' "$(DEB_VERSION)" "$(DEB_VERSION)" \
			"$$(dpkg-parsechangelog -l packaging/debian/changelog -S Maintainer)" "$$(date -R)"; \
		  cat packaging/debian/changelog; } > $(DEB_BUILD)/gpdaemon/debian/changelog; \
	fi
	cd $(DEB_BUILD)/gpdaemon && GPDAEMON_SOURCE=$(CURDIR) GPDAEMON_OUT=$(abspath $(OUT)) dpkg-buildpackage --build=binary --no-sign
	mv $(DEB_BUILD)/gpdaemon_*.deb $(DEBDIR)/
	@echo "Built $$(cd $(DEBDIR) && ls gpdaemon_*.deb | tail -1) in $(DEBDIR). Install it with: sudo apt install ./gpdaemon_*.deb"

clean:
	rm -rf $(OUT) $(MANOUT) $(DEB_BUILD)
	$(DOTNET) clean --nologo -v quiet GpDaemon.sln

# Performance against the targets in bench/RESULTS.md: prints the report and rewrites its measured part
# (about three minutes; BENCH_ARGS=--quick for a smoke run, BENCH_COMPARE=DIR to measure a second build beside it).
.PHONY: bench
bench: deps build
	bench/run.sh $(abspath $(OUT)) $(BENCH_ARGS)
