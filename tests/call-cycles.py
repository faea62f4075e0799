#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""call-cycles.py DIR: the module's files must call in one direction.

Reads the object files in DIR (a built module/ folder), finds every call
from one file's code to a function defined in another (call/jmp
instructions with a relocation), and prints each pair of files that call
each other, directly or around a longer loop.  The shadow store and its
re-check (shadow <-> validate) are allowed.  Exit status 1 if any other.
"""
import glob
import os
import re
import subprocess
import sys

ALLOWED = {frozenset(("shadow", "validate"))}


def objects(d):
    return [o for o in glob.glob(os.path.join(d, "*.o"))
            if not o.endswith(".mod.o") and os.path.basename(o) != "mapshadow.o"]


def main():
    d = sys.argv[1]
    defs, calls = {}, {}
    for o in objects(d):
        name = os.path.basename(o)[:-2]
        for line in subprocess.run(["nm", o], capture_output=True,
                                   text=True, check=True).stdout.splitlines():
            p = line.split()
            if len(p) == 3 and p[1] == "T":
                defs[p[2]] = name
    for o in objects(d):
        name = os.path.basename(o)[:-2]
        prev = ""
        for line in subprocess.run(["objdump", "-dr", o], capture_output=True,
                                   text=True, check=True).stdout.splitlines():
            m = re.search(r"R_X86_64_(?:PLT32|PC32)\s+(\S+?)(?:-0x4)?$", line)
            if m and re.search(r"\s(call|jmp)\s", prev):
                callee = defs.get(m.group(1))
                if callee and callee != name:
                    calls.setdefault(name, set()).add(callee)
            prev = line

    def path(a, b, seen):
        """A call path from a to b, or None."""
        for c in sorted(calls.get(a, ())):
            if c == b:
                return [a, b]
            if c not in seen:
                seen.add(c)
                rest = path(c, b, seen)
                if rest:
                    return [a] + rest
        return None

    bad = 0
    for a in sorted(calls):
        for b in sorted(calls[a]):
            back = path(b, a, {b})
            # A direct pair is printed once, from its first file.
            once = a < b or a not in calls.get(b, ())
            if back and once and frozenset((a, b)) not in ALLOWED:
                print(f"{a} -> {' -> '.join(back)}")
                bad += 1
    if not calls:
        print("no calls found: is DIR a built module folder?")
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
