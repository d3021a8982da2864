"""A Lambda handler that buffers a point and reports the GDAL drivers it can read."""
import json

import pyogrio
import shapely
from shapely.geometry import Point


def handler(event, context):
    x = float(event.get("x", 0.0))
    y = float(event.get("y", 0.0))
    radius = float(event.get("radius", 1.0))
    area = Point(x, y).buffer(radius).area
    drivers = sorted(pyogrio.list_drivers(read=True))
    return {
        "statusCode": 200,
        "body": json.dumps({
            "area": round(area, 6),
            "shapely": shapely.__version__,
            "gdal": pyogrio.__gdal_version_string__,
            "drivers": len(drivers),
        }),
    }
