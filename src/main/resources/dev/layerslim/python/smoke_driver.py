# layerslim's smoke-test driver (dev.layerslim.python.ImportProbe). Run as: python -I -S -B
# [-X importtime] smoke_driver.py CONFIG.json. It imports what the config names as Lambda would,
# then dlopens the layer's ELF objects, and writes one result line per phase to the config's
# resultFile (a file, not stdout: the list of loaded modules of a large stack is longer than any
# bounded output tail), so a crash while loading an ELF object (a segfault in a constructor) still
# leaves the import result. Before each dlopen it writes the object's name, and after a failed one the
# error: when the process dies, the last name written is the object that killed it, and the failures
# before it are not lost. -X importtime and the import-phase marks go to stderr, which the caller reads
# as a stream.
#
# With "pycOut" in the config, the modules loaded from the tree also get their unchecked-hash pycs
# (PEP 552) written there, from the code objects this very import compiled (renamed to the path
# Lambda will show, "pycShownRoot"): the bytecode step then does not compile the cold path a second
# time. Only a run whose checks all passed writes them. A random hash seed would reorder frozenset
# constants (before Python 3.11), and -I ignores PYTHONHASHSEED, so such a run first restarts itself
# with the seed fixed at 0, every PYTHON* variable removed, and -s -S -B for what -I did besides.
import sys, os, json, importlib


ROOT = None  # the tree the run tests, which stands for Lambda's read-only /opt/python
RESULT_FILE = None  # where the results go: what a failed write without a file name was writing


def describe(e):
    text = type(e).__name__ + ': ' + str(e)
    if isinstance(e, OSError) and e.errno in (30, 13) and ROOT and isinstance(e.filename, str) \
            and os.path.abspath(e.filename).startswith(ROOT + os.sep):
        text += ' (the layer is read-only during the smoke test, as /opt is on Lambda: write to /tmp instead)'
    return text if len(text) < 2000 else text[:2000] + '...'


def reexec_seeded(argv):
    import subprocess
    env = {k: v for k, v in os.environ.items() if not k.startswith('PYTHON')}
    env['PYTHONHASHSEED'] = '0'
    env['LAYERSLIM_PARENT_PID'] = str(os.getpid())
    flags = ['-s', '-S', '-B'] + [a for x in sys._xoptions if x == 'importtime' for a in ('-X', 'importtime')]
    rc = subprocess.call([sys.executable] + flags + [os.path.abspath(__file__), '--seeded'] + argv, env=env)
    return rc if rc >= 0 else 128 - rc  # killed by a signal: the shell's convention


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


def supervise():
    """Runs the smoke test in a child process and, when it ends however it ends, kills whatever it left
    running: a daemon the handler forked (double fork, setsid) must not outlive the run. This process
    becomes a child subreaper (PR_SET_CHILD_SUBREAPER), so every orphan below it is re-parented here
    instead of to init, whatever session it made for itself; the child also gets a session of its own,
    whose process group is killed too where prctl is missing. Returns None in the child (which goes on
    with the run) and the child's exit code (128 + the signal when one killed it) here."""
    import signal
    try:
        import ctypes
        libc = ctypes.CDLL(None)
        libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER (Linux 3.4+)
    except Exception:
        libc = None
    me = os.getpid()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            if libc is not None:
                libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: die with the supervisor
            if os.getppid() != me:
                os._exit(137)
        except Exception:
            pass
        return None
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
    kill_stray(me, signal.SIGKILL)
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1


def kill_stray(me, sig):
    """Kills and reaps every child of this process, again and again: a killed child's own children are
    re-parented here (subreaper) and found by the next sweep."""
    import time
    for _ in range(200):
        alive = []
        for name in os.listdir('/proc') if os.path.isdir('/proc') else ():
            if not name.isdigit():
                continue
            try:
                with open('/proc/' + name + '/stat', 'rb') as f:
                    stat = f.read()
                fields = stat[stat.rindex(b')') + 2:].split()
            except (OSError, ValueError):
                continue
            if int(fields[1]) == me and fields[0] != b'Z':
                alive.append(int(name))
        for k in alive:
            try:
                os.kill(k, sig)
            except OSError:
                pass
        while True:
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    break
            except ChildProcessError:
                break
            except InterruptedError:
                continue
        if not alive:
            return
        time.sleep(0.01)


def capture_pycs(root, shown_root):
    """Keeps, for every module compiled from under root, its pyc bytes as Lambda would load them."""
    import importlib.machinery, importlib.util, marshal, types
    loader = importlib.machinery.SourceFileLoader
    compile_source = loader.source_to_code
    prefix = root + os.sep
    captured = {}

    def shown(code, name):
        consts = tuple(shown(c, name) if isinstance(c, types.CodeType) else c for c in code.co_consts)
        return code.replace(co_filename=name, co_consts=consts)

    def source_to_code(self, data, path, *, _optimize=-1):
        code = compile_source(self, data, path, _optimize=_optimize)
        if isinstance(path, str) and path.startswith(prefix) and _optimize == -1 and isinstance(data, bytes):
            rel = os.path.relpath(path, root).replace(os.sep, '/')
            # what py_compile writes for PYC unchecked-hash: magic, flags 0b01, source hash, code
            captured[rel] = b''.join([importlib.util.MAGIC_NUMBER, (1).to_bytes(4, 'little'),
                                      importlib.util.source_hash(data),
                                      marshal.dumps(shown(code, shown_root + rel))])
        return code

    loader.source_to_code = source_to_code
    return captured


def record_opens(root):
    """What the hot path opens in the tree, as Python sees it (the audit hook's open, os.listdir and
    os.scandir events): cold storage keeps a sub-package whose files are read by path hot."""
    prefix = root + os.sep
    opened = set()

    def hook(event, args):
        if (event == 'open' or event == 'os.listdir' or event == 'os.scandir') and args:
            p = args[0]
            if isinstance(p, bytes):
                p = os.fsdecode(p)
            if isinstance(p, str):
                p = os.path.normpath(os.path.join(os.getcwd(), p)) if not p.startswith(prefix) else p
                if p.startswith(prefix):
                    opened.add(p)

    sys.addaudithook(hook)
    return opened


def c_level_opens(root):
    """What native code has mapped (ELF objects, mmapped data) or holds open (a sqlite proj.db) in the
    tree now, read from /proc/self/maps and /proc/self/fd: opens the audit hook does not see. A file
    C code opened and closed again before this point is not seen (documented)."""
    prefixes = {root + os.sep, os.path.realpath(root) + os.sep}
    found = set()

    def add(p):
        for prefix in prefixes:
            if p.startswith(prefix):
                found.add(root + os.sep + p[len(prefix):])

    try:
        with open('/proc/self/maps', encoding='utf-8', errors='replace') as f:
            for line in f:
                parts = line.rstrip('\n').split(None, 5)
                if len(parts) == 6:
                    add(parts[5])
    except OSError:
        pass
    try:
        for fd in os.listdir('/proc/self/fd'):
            try:
                add(os.readlink('/proc/self/fd/' + fd))
            except OSError:
                pass
    except OSError:
        pass
    return found


def write_pycs(captured, loaded, out_dir):
    tag = sys.implementation.cache_tag
    for rel in loaded:
        pyc = captured.get(rel)
        if pyc is None or tag is None:
            continue
        folder, _, name = rel.rpartition('/')
        target = os.path.join(out_dir, folder, '__pycache__', name[:-3] + '.' + tag + '.pyc')
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, 'wb') as f:
                f.write(pyc)
        except OSError as e:
            raise OSError(e.errno, e.strerror, e.filename or target)


def main():
    argv = sys.argv[1:]
    if argv and argv[0] == '--seeded':
        die_with_parent()
        argv = argv[1:]
        here = os.path.dirname(os.path.abspath(__file__))
        if sys.path and os.path.abspath(sys.path[0] or '.') == here:
            del sys.path[0]  # what -I would have kept out: this script's own folder
    else:
        rc = supervise()
        if rc is not None:
            return rc
    with open(argv[0], encoding='utf-8') as f:
        cfg = json.load(f)
    if cfg.get('pycOut') and sys.flags.hash_randomization:
        return reexec_seeded(argv)
    marks = cfg['marks']
    global RESULT_FILE
    RESULT_FILE = cfg['resultFile']
    out = open(cfg['resultFile'], 'w', encoding='utf-8')

    def emit(phase, data):
        data['phase'] = phase
        out.write(marks['result'] + json.dumps(data) + '\n')
        out.flush()

    def entering(what):
        # said before each phase: a run that hangs or exits in it is reported as hanging or exiting there
        out.write(marks['phase'] + json.dumps(what) + '\n')
        out.flush()

    for p in reversed(cfg['path']):
        sys.path.insert(0, p)
    global ROOT
    root = ROOT = os.path.abspath(cfg['root'])
    captured = capture_pycs(root, cfg['pycShownRoot']) if cfg.get('pycOut') else None
    if not cfg.get('dlopenOnly'):
        opened = record_opens(root)
        failures, imported = [], []
        sys.stderr.write(marks['begin'] + '\n')
        sys.stderr.flush()
        for name in cfg['imports']:
            entering('import of ' + name)
            try:
                importlib.import_module(name)
                imported.append(name)
            except BaseException as e:
                failures.append({'check': 'import ' + name, 'error': describe(e),
                                 'missing': getattr(e, 'name', None)})
        hf = cfg.get('handlerFunction')
        if hf:
            module, _, function = hf.rpartition('.')
            entering('import of ' + module.replace('/', '.') + ' for the handler ' + hf)
            try:
                m = importlib.import_module(module.replace('/', '.'))
                if not callable(getattr(m, function)):
                    raise TypeError(function + ' in ' + module + ' is not callable')
            except BaseException as e:
                failures.append({'check': 'handler ' + hf, 'error': describe(e),
                                 'missing': getattr(e, 'name', None)})
            else:
                event_file = cfg.get('event')
                if event_file:
                    # the handler's call on the sample event, as Lambda makes it: call-time imports load here
                    class Context:
                        function_name = 'layerslim-smoke'
                        function_version = '$LATEST'
                        invoked_function_arn = 'arn:aws:lambda:us-east-1:000000000000:function:layerslim-smoke'
                        memory_limit_in_mb = '1024'
                        aws_request_id = '00000000-0000-0000-0000-000000000000'
                        log_group_name = '/aws/lambda/layerslim-smoke'
                        log_stream_name = 'smoke'
                        def get_remaining_time_in_millis(self):
                            return 60000
                    try:
                        # read as json.loads reads bytes (BOM, UTF-16/32), as layerslim checked it
                        with open(event_file, 'rb') as f:
                            event = json.loads(f.read())
                        entering('call of ' + hf + ' with ' + os.path.basename(event_file))
                        getattr(m, function)(event, Context())
                    except BaseException as e:
                        failures.append({'check': 'invoke ' + hf, 'error': describe(e),
                                         'missing': getattr(e, 'name', None)})
        sys.stderr.write(marks['end'] + '\n')
        sys.stderr.flush()
        script = cfg.get('script')
        if script:
            import runpy
            entering('smoke script ' + os.path.basename(script))
            try:
                runpy.run_path(script, run_name='__main__')
            except SystemExit as e:
                if e.code not in (None, 0):
                    failures.append({'check': 'smoke script ' + script, 'error': 'exit ' + str(e.code)})
            except BaseException as e:
                failures.append({'check': 'smoke script ' + script, 'error': describe(e),
                                 'missing': getattr(e, 'name', None)})
        loaded = set()
        for m in list(sys.modules.values()):
            f = getattr(m, '__file__', None)
            if isinstance(f, str) and f.endswith('.py'):
                f = os.path.abspath(f)
                if f.startswith(root + os.sep):
                    loaded.add(os.path.relpath(f, root).replace(os.sep, '/'))
        opened = set(opened) | c_level_opens(root)
        opened = sorted(os.path.relpath(p, root).replace(os.sep, '/') for p in opened)
        if captured is not None and not failures:
            write_pycs(captured, sorted(loaded), cfg['pycOut'])
        emit('imports', {'imports': imported, 'failures': failures, 'loaded': sorted(loaded), 'opened': opened})
    elf = cfg.get('elf') or []
    if elf:
        import ctypes
        failed = {}
        for rel in elf:
            out.write(marks['dlopen'] + json.dumps(rel) + '\n')
            out.flush()
            try:
                ctypes.CDLL(os.path.join(root, rel))
            except BaseException as e:
                failed[rel] = describe(e)
                # said at once, in case a later object kills the process before the result line
                out.write(marks['dlopenFailed'] + json.dumps([rel, failed[rel]]) + '\n')
                out.flush()
        emit('dlopen', {'checked': len(elf), 'failed': failed})
    return 0


def no_space(run):
    """Runs run(); when the driver's own write (its result file, a pyc) finds the disk full, one line for
    layerslim naming the file and exit 75, not a traceback (the user's code failing to write is a failed
    check, caught where it runs)."""
    try:
        return run()
    except OSError as e:
        if e.errno not in (28, 122):  # ENOSPC, EDQUOT
            raise
        name = e.filename if e.filename else RESULT_FILE
        sys.stderr.write('LAYERSLIM-NO-SPACE ' + json.dumps(os.fsdecode(name) if name else '') + '\n')
        sys.stderr.flush()
        return 75


sys.exit(no_space(main))
