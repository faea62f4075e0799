# SPDX-License-Identifier: GPL-2.0
# mapshadow: build the module, the tools, and run the tests.
#   make [KDIR=...]        build mapshadow.ko (default: the running kernel)
#   make tools             build debugfs-tools/mapshadow
#   make run [KERNEL=...]  boot a Debian test kernel in QEMU and show mapshadow
#   make check             unit tests, dkms build, in-guest tests on all kernels
#   make vmtest KERNEL=6.12 TEST=hooks-hit   one in-guest test on one kernel
#   make clean

KDIR ?= /lib/modules/$(shell uname -r)/build
KERNEL ?= 6.12
TEST ?=

.PHONY: all module tools unit check run vmtest lint clean

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

run:
	@tests/vm/demo.sh $(KERNEL)

vmtest:
	@tests/vm/run.sh -k $(KERNEL) $(TEST)

lint:
	@tests/lint.sh

clean:
	@if [ -f $(KDIR)/Makefile ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	rm -f module/*.o module/.*.cmd .*.cmd *.o *.ko *.mod *.mod.c *.mod.o modules.order Module.symvers
	$(MAKE) -C debugfs-tools clean
	$(MAKE) -C tests/unit clean
	$(MAKE) -C tests/workloads clean
