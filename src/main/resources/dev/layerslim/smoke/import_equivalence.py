# layerslim's import-equivalence driver (dev.layerslim.smoke.ImportEquivalence). Run as:
#   python -I -S -B import_equivalence.py REQUEST.json
# REQUEST.json: {"path": [folders put first on sys.path], "modules": [names], "out": result file}.
# Imports each module in order, in this one process, and writes one JSON line per module to "out"
# as it goes: {"start": name} before, then {"m": name, "ok": true} or {"m": name, "error": type name,
# "message": text, "missing": the module an ImportError names}. A module that kills the process leaves its "start" line last: the caller names
# it and goes on with the rest in a new process. Warnings are silenced and what modules print is
# dropped: only whether and how each import fails counts.
import json, os, sys


def main():
    with open(sys.argv[1], encoding='utf-8') as f:
        req = json.load(f)
    for p in reversed(req['path']):
        sys.path.insert(0, p)
    import importlib, io, warnings
    warnings.simplefilter('ignore')
    out = open(req['out'], 'w', encoding='utf-8')
    devnull = io.StringIO()
    for name in req['modules']:
        out.write(json.dumps({'start': name}) + '\n')
        out.flush()
        real_out, real_err = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = devnull
        try:
            importlib.import_module(name)
            line = {'m': name, 'ok': True}
        except BaseException as e:
            text = str(e)
            line = {'m': name, 'error': type(e).__name__, 'message': text[:500]}
            missing = getattr(e, 'name', None)
            if isinstance(e, ImportError) and isinstance(missing, str):
                line['missing'] = missing
        finally:
            sys.stdout, sys.stderr = real_out, real_err
            devnull.seek(0)
            devnull.truncate()
        out.write(json.dumps(line) + '\n')
        out.flush()
    out.close()
    return 0


sys.exit(main())
