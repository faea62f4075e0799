#!/bin/bash
# demo.sh [KERNEL]: make run.  Sets up what is missing, boots the test kernel
# in QEMU, loads mapshadow, runs a demo workload and shows what debugfs says.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernel=${1:-6.12}
ms_need_root "make run"
"$MS_REPO/tests/vm/setup-host.sh"
exec "$MS_REPO/tests/vm/run.sh" -r -k "$kernel" demo
