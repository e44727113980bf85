# gpdaemon: build, test, demo, install.
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib/gpdaemon
SYSCONFDIR ?= /etc
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
CONFIGURATION ?= Release
OUT ?= out
DOTNET ?= dotnet
PUBLISH = $(DOTNET) publish --nologo -v quiet -c $(CONFIGURATION)

.PHONY: all build test demo install uninstall clean

all: build

# Runnable out/gpdaemon, out/gpctl and the fake portal the tests and the demo use.
build:
	$(PUBLISH) src/GpDaemon/GpDaemon.csproj -o $(OUT)
	$(PUBLISH) src/GpCtl/GpCtl.csproj -o $(OUT)
	$(PUBLISH) tests/FakeGlobalProtect/FakeGlobalProtect.csproj -o $(OUT)

test: build
	CONFIGURATION=$(CONFIGURATION) OUT=$(abspath $(OUT)) tests/run-all.sh

demo: build
	OUT=$(abspath $(OUT)) ./demo.sh

install: build
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(BINDIR)
	cp -r $(OUT)/. $(DESTDIR)$(LIBDIR)/
	rm -f $(DESTDIR)$(LIBDIR)/fake-globalprotect*
	ln -sf $(LIBDIR)/gpdaemon $(DESTDIR)$(BINDIR)/gpdaemon
	ln -sf $(LIBDIR)/gpctl $(DESTDIR)$(BINDIR)/gpctl
	install -d $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(SYSCONFDIR)/gpdaemon
	sed 's|@BINDIR@|$(BINDIR)|g' packaging/systemd/gpdaemon.service.in > $(DESTDIR)$(SYSTEMDUNITDIR)/gpdaemon.service
	install -m 0644 packaging/systemd/gpdaemon.sysusers $(DESTDIR)$(SYSUSERSDIR)/gpdaemon.conf
	install -m 0644 packaging/systemd/gpdaemon.tmpfiles $(DESTDIR)$(TMPFILESDIR)/gpdaemon.conf
	# Never overwrite an administrator's config.
	[ -e $(DESTDIR)$(SYSCONFDIR)/gpdaemon/gpdaemon.toml ] || install -m 0640 packaging/gpdaemon.toml $(DESTDIR)$(SYSCONFDIR)/gpdaemon/gpdaemon.toml

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/gpdaemon $(DESTDIR)$(BINDIR)/gpctl
	rm -rf $(DESTDIR)$(LIBDIR)
	rm -f $(DESTDIR)$(SYSTEMDUNITDIR)/gpdaemon.service $(DESTDIR)$(SYSUSERSDIR)/gpdaemon.conf $(DESTDIR)$(TMPFILESDIR)/gpdaemon.conf
	@echo "Left $(SYSCONFDIR)/gpdaemon/gpdaemon.toml in place (your settings)."

clean:
	rm -rf $(OUT)
	$(DOTNET) clean --nologo -v quiet GpDaemon.sln

# Performance against issue 7's targets: prints the report and rewrites the measured part of bench/RESULTS.md
# (about three minutes; BENCH_ARGS=--quick for a smoke run, BENCH_COMPARE=DIR to measure a second build beside it).
.PHONY: bench
bench: build
	bench/run.sh $(abspath $(OUT)) $(BENCH_ARGS)
