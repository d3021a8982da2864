#!/usr/bin/env python3
"""The hand-made layer recipe layerslim replaces, as published in guides for GIS layers.

Walks the tree and deletes every folder named tests, test, docs, examples or benchmarks and every
__pycache__; deletes *.pyc/*.pyo; deletes every *.dist-info except those of pyproj, rasterio,
fiona, shapely, gdal and numpy; runs `strip --strip-unneeded` on every file ending in .so.
(See shared/docs/field-notes.md, "The hand-made recipe layerslim replaces".) Used only as the
baseline of bench/run.sh; it is deliberately as blunt as the recipe it copies.
"""
import os
import shutil
import subprocess
import sys

PRUNE_DIRS = {"tests", "test", "docs", "examples", "benchmarks", "__pycache__"}
KEEP_DIST_INFO = ("pyproj", "rasterio", "fiona", "shapely", "gdal", "numpy")


def main(root):
    so_files = []
    for dirpath, dirnames, filenames in os.walk(root, topdown=True):
        for d in list(dirnames):
            full = os.path.join(dirpath, d)
            if d in PRUNE_DIRS:
                shutil.rmtree(full, ignore_errors=True)
                dirnames.remove(d)
            elif d.endswith(".dist-info") and not d.lower().startswith(KEEP_DIST_INFO):
                shutil.rmtree(full, ignore_errors=True)
                dirnames.remove(d)
        for f in filenames:
            full = os.path.join(dirpath, f)
            if f.endswith((".pyc", ".pyo")):
                os.remove(full)
            elif f.endswith(".so"):
                so_files.append(full)
    for so in so_files:
        subprocess.run(["strip", "--strip-unneeded", so], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    main(sys.argv[1])
