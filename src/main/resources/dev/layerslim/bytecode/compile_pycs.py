# layerslim's bytecode compiler (dev.layerslim.bytecode.BytecodeStep). Run as:
#   python -I compile_pycs.py REQUEST.json
# REQUEST.json: {"sources": [{"src": "/abs/path/x.py", "shown": "/opt/python/x.py"}, ...]}, names in
# JSON so that any file name (a newline or a tab in it) passes through intact.
#
# -I keeps the user's PYTHON* variables (PYTHONPYCACHEPREFIX, PYTHONOPTIMIZE, PYTHONPATH, ...) and
# site-packages out, but also ignores PYTHONHASHSEED, and before Python 3.11 a random hash seed
# reorders frozenset constants, so two builds of one layer would write different pycs. So this
# process only starts the real compiler: itself again, with every PYTHON* variable removed, the
# hash seed fixed at 0, and -s -S -B for what -I would have done besides.
#
# The compiler writes unchecked-hash pycs (PEP 552) and prints one NOT-COMPILED line per source
# that does not compile (Python 2 files in a test suite, templates), so the rest still gets its pyc.
import json
import os
import sys


def compile_all(request):
    import py_compile
    with open(request, encoding='utf-8') as f:
        sources = json.load(f)['sources']
    for s in sources:
        try:
            py_compile.compile(s['src'], dfile=s['shown'], doraise=True, optimize=0,
                               invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        except Exception as e:
            if isinstance(e, OSError) and e.errno in (28, 122):  # ENOSPC, EDQUOT: no pyc can be written
                raise OSError(e.errno, e.strerror, e.filename or s['src'])
            print('NOT-COMPILED ' + json.dumps(s['src']) + ': ' + type(e).__name__, flush=True)


def die_with_parent():
    """In the restarted process: end when the process that started it ends. The caller kills only
    the process it started (a killed build takes it down through PR_SET_PDEATHSIG); without this the
    restarted one would run on alone."""
    parent = os.environ.pop('LAYERSLIM_PARENT_PID', None)
    try:
        import ctypes, signal
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux; elsewhere a no-op)
    except Exception:
        pass
    if parent is not None and str(os.getppid()) != parent:
        os._exit(137)  # the parent was gone before the death signal was set


def main():
    if len(sys.argv) == 3 and sys.argv[1] == '--seeded':
        die_with_parent()
        compile_all(sys.argv[2])
        return 0
    import subprocess
    env = {k: v for k, v in os.environ.items() if not k.startswith('PYTHON')}
    env['PYTHONHASHSEED'] = '0'
    env['LAYERSLIM_PARENT_PID'] = str(os.getpid())
    rc = subprocess.call([sys.executable, '-s', '-S', '-B', os.path.abspath(__file__), '--seeded',
                          sys.argv[1]], env=env)
    return rc if rc >= 0 else 128 - rc  # killed by a signal: the shell's convention


def no_space(run):
    """Runs run(); a full disk is one line for layerslim (the file it could not write) and exit 75, not a
    traceback."""
    try:
        return run()
    except OSError as e:
        if e.errno not in (28, 122):  # ENOSPC, EDQUOT
            raise
        sys.stderr.write('LAYERSLIM-NO-SPACE ' + json.dumps(os.fsdecode(e.filename) if e.filename else '') + '\n')
        sys.stderr.flush()
        return 75


sys.exit(no_space(main))
