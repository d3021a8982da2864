#!/usr/bin/env python3
"""Checks a built layer the way issue 4 asks, independently of layerslim's own smoke test.

    python3 bench/verify_layer.py LAYER_PYTHON_DIR HANDLER_FILE [MODULE.FUNCTION] [INPUT_TREE]

1. runs the handler in a fresh `python3 -I` whose sys.path is only the layer and the handler's folder;
2. loads every ELF object of the layer with ctypes.CDLL, each in its own process (a crash in one
   cannot hide another), and lists the ones that fail; with INPUT_TREE, the same object is loaded
   from the unpruned input too, since some vendored libraries (no RUNPATH, loaded only after their
   siblings) fail on their own even in a pristine install: only what loads there and not here is damage;
3. reads every ELF object's program headers with `readelf -lW` and lists any PT_LOAD whose
   p_offset and p_vaddr disagree modulo p_align.
"""
import os
import subprocess
import sys


def elf_files(root):
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            with open(p, "rb") as fh:
                if fh.read(4) == b"\x7fELF":
                    yield p


def misaligned(path):
    out = subprocess.run(["readelf", "-lW", path], capture_output=True, text=True).stdout
    bad = []
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] == "LOAD":
            offset, vaddr, align = int(parts[1], 16), int(parts[2], 16), int(parts[-1], 16)
            if align > 1 and offset % align != vaddr % align:
                bad.append(line.strip())
    return bad


def dlopen_error(path):
    c = subprocess.run([sys.executable, "-I", "-c", "import ctypes, sys; ctypes.CDLL(sys.argv[1])", path],
                       capture_output=True, text=True)
    if c.returncode == 0:
        return None
    return c.stderr.strip().splitlines()[-1] if c.stderr.strip() else f"exit {c.returncode}"


def main(layer, handler, function, source=None):
    layer = os.path.abspath(layer)
    hdir, hfile = os.path.split(os.path.abspath(handler))
    module = hfile[:-3]
    call = (f"import {module}; f = getattr({module}, {function.split('.')[-1]!r}); print('handler ->', f({{}}, None))"
            if function else f"import {module}; print('imported', {module}.__name__)")
    code = f"import sys; sys.path[:0] = [{hdir!r}, {layer!r}]; {call}"
    r = subprocess.run([sys.executable, "-I", "-B", "-c", code], capture_output=True, text=True)
    print("handler:", "OK" if r.returncode == 0 else "FAILED", (r.stdout + r.stderr).strip()[-400:])
    objs = sorted(elf_files(layer))
    failed, pristine, bad_align = [], [], []
    for p in objs:
        rel = os.path.relpath(p, layer)
        err = dlopen_error(p)
        if err:
            if source and dlopen_error(os.path.join(source, rel)):
                pristine.append((rel, err))
            else:
                failed.append((rel, err))
        for line in misaligned(p):
            bad_align.append((os.path.relpath(p, layer), line))
    print(f"ELF objects: {len(objs)}, ctypes.CDLL failures: {len(failed)}"
          + (f" (+{len(pristine)} that fail the same way in the unpruned input)" if source else "")
          + f", misaligned PT_LOAD: {len(bad_align)}")
    for f in failed:
        print("  dlopen failed:", *f)
    for f in pristine:
        print("  fails in the input too:", *f)
    for b in bad_align:
        print("  misaligned:", *b)
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(layer) for f in fs
                if os.path.isfile(os.path.join(d, f)) and not os.path.islink(os.path.join(d, f)))
    print(f"layer bytes (regular files): {total:,}")
    return 0 if r.returncode == 0 and not failed and not bad_align else 1


if __name__ == "__main__":
    args = sys.argv[1:] + [None] * (4 - len(sys.argv[1:]))
    sys.exit(main(*args[:4]))
