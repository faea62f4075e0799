# SPDX-License-Identifier: GPL-2.0
# mapshadow: build the module, the tools, and run the tests.
#   make [KDIR=...]        build mapshadow.ko (default: the running kernel)
#   make tools             build debugfs-tools/mapshadow
#   make install [PREFIX=/usr/local] [DESTDIR=]  the CLI, ms-sitegen, mapshadow.8
#   make run [KERNEL=...]  boot a Debian test kernel in QEMU and show mapshadow
#   make check             unit tests, dkms build, in-guest tests on all kernels
#                          (the debug kernel's only once it is built)
#   make check-debug       build the debug kernel (once, ~40 min) and test on it
#   make check-dkms        a real DKMS install in the guest, both kernels (~25 min)
#   make vmtest KERNEL=6.12 TEST=hooks-hit   one in-guest test on one kernel
#   make soak [SOAK_KERNELS=...] [SOAK_MEM=1G]  long stress-ng and unload runs
#   make bench [BENCH_KERNELS=...] [BENCH_OUT=...]  tracking cost (QEMU -icount)
#   make flag-replay       the PG_partially_mapped bug replayed (test mode)
#   make fuzz [KERNEL=6.12] [DURATION=10m] [SEED=1] [FUZZ_OUT=...]
#                          random mm programs, mapshadow the oracle
#   make clean

KDIR ?= /lib/modules/$(shell uname -r)/build
KERNEL ?= 6.12
TEST ?=

.PHONY: all module tools unit check check-debug check-dkms run vmtest bench soak flag-replay fuzz lint clean install dkms-install dkms-remove

all: module

module:
	@test -f $(KDIR)/Makefile || { echo "mapshadow: no kernel build tree at $(KDIR) (install linux-headers-$$(uname -r) or pass KDIR=)" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tools:
	$(MAKE) -C debugfs-tools

unit:
	$(MAKE) -s -C tests/unit check

check:
	@tests/check.sh

check-debug:
	@tests/check.sh --debug

check-dkms:
	@tests/vm/setup-host.sh && tests/vm/run.sh -k 6.12 -k latest dkms-install

run:
	@tests/vm/demo.sh $(KERNEL)

vmtest:
	@tests/vm/run.sh -k $(KERNEL) $(TEST)

# Tracking cost as guest-instruction ratios (QEMU -icount, 1 vCPU, 4 GiB),
# one boot per kernel: bench-mapcount (mapshadow and the bpftrace reference
# against the baseline; tests/bench/report.sh writes the table and the chart
# into BENCH_OUT), bench-breakdown (where the instructions go: the probes
# alone, without the site table, without judging), bench-mechanism (each
# kind of probe alone, and mapshadow with kretprobes and with fprobes) and
# bench-rmap (what the flag-race probes add); then, in a 6 GiB guest, bench-scale (the cost per
# folio as the tracked set grows, and the store's bytes with every folio of
# a 5 GiB fork tracked; tests/bench/scale-report.sh writes scale.md).  The
# runs' TAP goes to BENCH_OUT/run.txt and run-scale.txt too.  Fails when a test fails; with
# BENCH_STRICT=1 also when a target of the report is not met.
BENCH_KERNELS ?= 6.12 latest
BENCH_OUT ?= $(CURDIR)/bench-results
bench:
	@tests/vm/setup-host.sh
	@mkdir -p "$(BENCH_OUT)"; \
	{ MS_SMP=1 MS_MEM=4G MS_QEMU_EXTRA="-icount shift=0,sleep=off" \
		tests/vm/run.sh $(addprefix -k ,$(BENCH_KERNELS)) bench-mapcount bench-breakdown bench-mechanism bench-rmap; \
		echo $$? > "$(BENCH_OUT)/run.rc"; } | tee "$(BENCH_OUT)/run.txt"; \
	rc=$$(cat "$(BENCH_OUT)/run.rc"); \
	BENCH_OUT="$(BENCH_OUT)" tests/bench/report.sh "$(BENCH_OUT)/run.txt" || \
		{ r=$$?; [ $$r = 3 ] && [ "$(BENCH_STRICT)" != 1 ] || rc=1; }; \
	{ MS_SMP=1 MS_MEM=6G MS_QEMU_EXTRA="-icount shift=0,sleep=off" \
		tests/vm/run.sh $(addprefix -k ,$(BENCH_KERNELS)) bench-scale || echo 1 > "$(BENCH_OUT)/run.rc"; } | \
		tee "$(BENCH_OUT)/run-scale.txt"; \
	[ "$$(cat "$(BENCH_OUT)/run.rc")" = 0 ] || rc=1; \
	BENCH_OUT="$(BENCH_OUT)" tests/bench/scale-report.sh "$(BENCH_OUT)/run-scale.txt" || \
		{ r=$$?; [ $$r = 3 ] && [ "$(BENCH_STRICT)" != 1 ] || rc=1; }; \
	exit $$rc

# Soak, outside make check: stress-ng for MS_STRESS_SECS (default 600) with
# and without the site table in a SOAK_MEM guest, then 100 load/unload
# cycles under load and unloads at awkward moments (2 GiB guest: a 1 GiB
# fork; slab_nomerge: our slab caches are our own), on each kernel.
SOAK_KERNELS ?= 6.12 latest
SOAK_MEM ?= 1G
soak:
	@rc=0; \
	MS_MEM=$(SOAK_MEM) tests/vm/run.sh $(addprefix -k ,$(SOAK_KERNELS)) soak-stressng || rc=1; \
	MS_APPEND="slab_nomerge $${MS_APPEND:-}" tests/vm/run.sh $(addprefix -k ,$(SOAK_KERNELS)) soak-unload || rc=1; \
	exit $$rc

# The replay of the PG_partially_mapped bug (test mode), outside make check:
# time to the first flag-race and flag-lost, on both kernels.
flag-replay:
	@tests/vm/run.sh -k 6.12 -k latest stress-flag-replay

lint:
	@tests/lint.sh

DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
DKMS_SRC := /usr/src/mapshadow-$(DKMS_VERSION)

# The CLI, the site-table generator and the man page, into DESTDIR/PREFIX.
PREFIX ?= /usr/local
install: tools
	install -D -m 0755 debugfs-tools/mapshadow $(DESTDIR)$(PREFIX)/sbin/mapshadow
	install -D -m 0755 debugfs-tools/ms-sitegen $(DESTDIR)$(PREFIX)/sbin/ms-sitegen
	install -d $(DESTDIR)$(PREFIX)/share/man/man8
	sed 's/@VERSION@/$(DKMS_VERSION)/' debugfs-tools/mapshadow.8 > $(DESTDIR)$(PREFIX)/share/man/man8/mapshadow.8

dkms-install:
	rm -rf $(DKMS_SRC) && mkdir -p $(DKMS_SRC)
	cp -r Kbuild Makefile dkms.conf module $(DKMS_SRC)/
	dkms add -m mapshadow -v $(DKMS_VERSION)
	dkms build -m mapshadow -v $(DKMS_VERSION)
	dkms install -m mapshadow -v $(DKMS_VERSION)

dkms-remove:
	-dkms remove -m mapshadow -v $(DKMS_VERSION) --all
	rm -rf $(DKMS_SRC)

# The fuzz lane: msfuzz programs in the guest until DURATION (Ns, Nm, Nh)
# has passed; failures confirmed, minimized, with C reproducers and a
# summary.md in FUZZ_OUT (tests/fuzz/lane.sh).
DURATION ?= 10m
SEED ?= 1
FUZZ_OUT ?=
fuzz:
	@tests/vm/setup-host.sh && tests/fuzz/lane.sh $(KERNEL) $(DURATION) $(SEED) $(FUZZ_OUT)

clean:
	@if [ -f $(KDIR)/Makefile ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	rm -f module/*.o module/.*.cmd .*.cmd *.o *.ko *.mod *.mod.c *.mod.o modules.order Module.symvers
	$(MAKE) -C debugfs-tools clean
	$(MAKE) -C tests/unit clean
	$(MAKE) -C tests/workloads clean
	$(MAKE) -C tests/bench clean
	$(MAKE) -C tests/fuzz clean
