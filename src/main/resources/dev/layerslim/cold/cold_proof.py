# layerslim's cold-storage proof (dev.layerslim.cold.ColdProof), run with the target interpreter on
# the final layer, in a fresh process, with TMPDIR set by the caller:
#   python -I -S -B cold_proof.py import ROOT SITE_PACKAGES MODULE LOADER RESULT.json
#     imports MODULE as Lambda would (the layer's site-packages, then ROOT, on sys.path), times it,
#     and writes {"ok", "error", "importSeconds", "unpackSeconds", "folder"} (folder: where the
#     sub-package was unpacked, found through the module's own __path__)
#   python -I -S -B cold_proof.py dlopen RESULT.json FILE...
#     loads each ELF object in a child forked from this bare process (nothing of the layer mapped in
#     it: a library another object loaded first cannot make a broken RPATH pass) and writes
#     {"failed": {file: error}}
# -B: nothing is written into the layer (Lambda's /opt is read-only).
import json
import os
import sys
import time


def describe(e):
    text = type(e).__name__ + ': ' + str(e)
    return text if len(text) < 2000 else text[:2000] + '...'


def prove_import(root, site_packages, module, loader, out):
    sys.path.insert(0, root)
    sys.path.insert(0, os.path.join(root, site_packages))
    result = {'ok': False}
    import importlib
    started = time.perf_counter()
    try:
        m = importlib.import_module(module)
        result['importSeconds'] = time.perf_counter() - started
        result['ok'] = True
        path = list(getattr(m, '__path__', []) or [])
        result['folder'] = path[0] if path else None
        result['file'] = getattr(m, '__file__', None)
    except BaseException as e:
        result['error'] = describe(e)
    timings = getattr(sys.modules.get(loader), 'timings', {})
    if module in timings:
        result['unpackSeconds'] = timings[module]
    with open(out, 'w', encoding='utf-8') as f:
        json.dump(result, f)


def prove_dlopen(out, files):
    failed = {}
    for path in files:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            code = 0
            try:
                import ctypes
                ctypes.CDLL(path)
            except BaseException as e:
                os.write(w, describe(e).encode('utf-8', 'replace'))
                code = 1
            os._exit(code)
        os.close(w)
        chunks = []
        while True:
            block = os.read(r, 65536)
            if not block:
                break
            chunks.append(block)
        os.close(r)
        _, status = os.waitpid(pid, 0)
        if status != 0:
            error = b''.join(chunks).decode('utf-8', 'replace')
            if os.WIFSIGNALED(status):
                error = 'loading it killed the process (signal ' + str(os.WTERMSIG(status)) + ')'
            failed[path] = error or 'exit status ' + str(status)
    with open(out, 'w', encoding='utf-8') as f:
        json.dump({'failed': failed}, f)


def main():
    if sys.argv[1] == 'import':
        prove_import(*sys.argv[2:7])
    else:
        prove_dlopen(sys.argv[2], sys.argv[3:])
    return 0


sys.exit(main())
