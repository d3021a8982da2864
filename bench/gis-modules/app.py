"""Handler for the --prune-modules benchmark: reads a GeoJSON with geopandas, reprojects it with
pyproj and queries a scipy.spatial.cKDTree of the points. The event names the query point."""
import json
import os

import geopandas
import pyproj
from scipy.spatial import cKDTree

HERE = os.path.dirname(os.path.abspath(__file__))


def handler(event, context):
    points = geopandas.read_file(os.path.join(HERE, "points.geojson"))
    projected = points.to_crs(event.get("crs", "EPSG:3857"))
    xy = [(g.x, g.y) for g in projected.geometry]
    tree = cKDTree(xy)
    to_metric = pyproj.Transformer.from_crs("EPSG:4326", projected.crs, always_xy=True)
    qx, qy = to_metric.transform(*event["point"])
    dist, idx = tree.query([qx, qy], k=event.get("k", 2))
    return {
        "nearest": [points.iloc[int(i)]["name"] for i in idx],
        "metres": [round(float(d), 3) for d in dist],
        "crs": projected.crs.to_string(),
    }
