"""The benchmark's handler: imports geopandas, pyogrio and pyproj, as in the field notes."""
import geopandas
import pyogrio
import pyproj


def handler(event, context):
    return {
        "crs": pyproj.CRS("EPSG:4326").name,
        "gdal": pyogrio.__gdal_version_string__,
        "geopandas": geopandas.__version__,
    }
