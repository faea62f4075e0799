# Soak (make soak): stressng-smoke for MS_STRESS_SECS per run (default 600),
# with the site table and without.
# timeout: 1800
. "$MS_WORK/guest/lib.sh"

stress_both "${MS_STRESS_SECS:-600}"
finish
