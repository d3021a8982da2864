"""Handler for the --prune-modules matplotlib check: renders a PNG with Agg and returns its size and digest."""
import hashlib
import io

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt


def handler(event, context):
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
    ax.plot(event.get("x", [0, 1, 2, 3]), event.get("y", [0, 1, 4, 9]))
    ax.set_title(event.get("title", "layerslim"))
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    png = buf.getvalue()
    return {"png_bytes": len(png), "png_magic": png[:8].hex(), "sha256": hashlib.sha256(png).hexdigest(),
            "backend": matplotlib.get_backend()}
