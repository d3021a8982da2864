#!/usr/bin/env python3
"""Calls a handler on a sample event twice, each in a fresh `python3 -I -S` whose sys.path is only the
handler's folder and one tree: the unpruned input, then the built layer. Prints both results and exits 0
when they are equal, 1 when they differ or a call fails.

    python3 bench/compare_handler.py HANDLER_FILE MODULE.FUNCTION EVENT.json INPUT_TREE LAYER_PYTHON_DIR
"""
import json
import os
import subprocess
import sys

CALL = r"""
import importlib, json, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
module, _, function = sys.argv[3].rpartition('.')
with open(sys.argv[4], encoding='utf-8') as f:
    event = json.load(f)
result = getattr(importlib.import_module(module), function)(event, None)
loaded = sorted(n for n, m in sys.modules.items()
                if (getattr(m, '__file__', None) or '').startswith(sys.argv[2]))
print('RESULT ' + json.dumps({'result': result, 'modules': len(loaded)}, sort_keys=True, default=str))
"""


def call(handler_dir, tree, function, event):
    p = subprocess.run([sys.executable, "-I", "-S", "-c", CALL, handler_dir, os.path.abspath(tree), function, event],
                       capture_output=True, text=True)
    for line in p.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    sys.stderr.write(p.stderr[-3000:])
    return None


def main():
    handler, function, event, tree, layer = sys.argv[1:6]
    handler_dir = os.path.dirname(os.path.abspath(handler))
    before = call(handler_dir, tree, function, event)
    after = call(handler_dir, layer, function, event)
    print("unpruned tree:", json.dumps(before and before["result"], sort_keys=True),
          "(%s modules loaded from it)" % (before and before["modules"]))
    print("built layer:  ", json.dumps(after and after["result"], sort_keys=True),
          "(%s modules loaded from it)" % (after and after["modules"]))
    same = before is not None and after is not None and before["result"] == after["result"]
    print("same result" if same else "DIFFERENT")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
