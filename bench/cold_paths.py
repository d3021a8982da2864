#!/usr/bin/env python3
"""Call paths library code takes at call time, in a built layer and in its input (issue 20):

    python3 bench/cold_paths.py LAYER_PYTHON_DIR INPUT_TREE

Runs one check script three times in a fresh `python3 -I -S` whose sys.path is only the tree: on the
input, then on the layer twice with the same temp dir, empty at first (first use: cold sub-packages
unpack; second use: they are there). Prints each run's answers and wall time and whether the layer's
answers equal the input's; exit 1 when they differ or a run fails.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

CHECK = r'''
import json, os, sys, tempfile, time
started = time.perf_counter()
out = {}
import numpy as np, pandas as pd
df = pd.DataFrame({"a": [1, 2, 3, 4, 5.0], "b": [2, 1, 4, 3, 5.0]})
out["kendall"] = df.corr(method="kendall").round(6).values.tolist()
s = pd.Series([1.0, np.nan, 3.0, np.nan, 5.0, 6.0])
out["cubic"] = s.interpolate(method="cubic").round(6).tolist()
out["gaussian"] = df["a"].rolling(3, win_type="gaussian").mean(std=1).round(6).fillna(-1).tolist()
from scipy.spatial import cKDTree
a = cKDTree(np.array([[0, 0], [1, 1], [2, 2.0]]))
b = cKDTree(np.array([[0, 0.5], [2, 2.5]]))
out["sparse_distance_matrix"] = sorted([[int(i) for i in k], round(float(v), 6)] for k, v in a.sparse_distance_matrix(b, 1.0).items())
import scipy.stats.sampling
out["stats.sampling"] = scipy.stats.sampling.NumericalInverseHermite.__module__
import scipy.sparse as sp
from scipy.sparse.linalg import eigsh
out["eigsh"] = sorted(round(float(x), 6) for x in eigsh(sp.diags([1.0, 2.0, 3.0, 4.0, 5.0]).tocsr(), k=2)[0])
import geopandas, shapely, pyproj
g = geopandas.GeoDataFrame({"n": [1]}, geometry=[shapely.Point(13.4, 52.5)], crs="EPSG:4326")
path = os.path.join(tempfile.mkdtemp(), "x.gpkg")
g.to_crs("EPSG:25833").to_file(path, driver="GPKG")
back = geopandas.read_file(path)
out["gpkg"] = [back.crs.to_epsg(), round(back.geometry[0].x, 3), round(back.geometry[0].y, 3)]
t = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
out["pyproj"] = [round(v, 3) for v in t.transform(13.4, 52.5)]
out["seconds"] = round(time.perf_counter() - started, 3)
print(json.dumps(out))
'''


def run(tree, tmpdir):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["TMPDIR"] = tmpdir
    code = "import sys\nsys.path[:0] = [%r]\n%s" % (tree, CHECK)
    started = time.perf_counter()
    p = subprocess.run([sys.executable, "-I", "-S", "-c", code], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    if p.returncode != 0:
        return None, wall, p.stderr.strip().splitlines()[-3:]
    return json.loads(p.stdout.strip().splitlines()[-1]), wall, None


def main():
    layer, tree = sys.argv[1], sys.argv[2]
    results = {}
    with tempfile.TemporaryDirectory() as t_in, tempfile.TemporaryDirectory() as t_layer:
        for label, root, tmp in (("input", tree, t_in), ("layer, first use", layer, t_layer),
                                 ("layer, second use", layer, t_layer)):
            answer, wall, error = run(root, tmp)
            results[label] = answer
            inner = answer.pop("seconds") if answer else None
            print(f"{label}: wall {wall:.2f} s" + (f", checks {inner:.2f} s" if inner else "")
                  + (f"\n  FAILED: {error}" if error else ""))
    ok = all(results[k] is not None and results[k] == results["input"] for k in results)
    print(json.dumps(results["input"]))
    print("same answers in the layer (first and second use) as in the input:", ok)
    return 0 if ok else 1


sys.exit(main())
