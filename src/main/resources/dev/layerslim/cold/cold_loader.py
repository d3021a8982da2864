# layerslim cold storage: the loader a stub __init__.py calls (shipped at the layer's root as
# _layerslim_cold_<hash of this file>.py, so two layers built by different versions never overwrite
# each other's). A sub-package the hot path never loads is kept compressed in its own folder, behind
# a stub __init__.py; on first import the stub calls load(), which
#   1. unpacks it, once per machine, under tempfile.gettempdir()/layerslim-cold/<archive hash>-<layer
#      path hash>/, a root that mirrors the layer: the real parent folders, the unpacked sub-package,
#      and a symlink back to the layer for every other entry (siblings and *.libs folders: extension
#      modules with $ORIGIN-relative RPATHs find their libraries there);
#   2. re-points the module the import system is creating (the same object, already in sys.modules)
#      at the unpacked folder: __file__, __path__, __loader__, __cached__ and the same __spec__ object,
#      so __file__-relative data files and importlib.resources find the unpacked copies;
#   3. runs the real __init__ in the module's own namespace.
# Only the unpacking holds a lock (flock on a lock file; unpack into a temp folder; atomic rename),
# never the real __init__: one cold package's __init__ may import another (scipy.stats imports
# scipy.optimize). A process killed mid-unpack leaves a part folder the next unpacker removes.
import os
import sys
import time

MARK = '.layerslim-cold-ok'
#: module name -> seconds its unpacking took in this process (the wait for the lock included)
timings = {}
#: module name -> True when this process unpacked it, False when it found it unpacked
unpacked = {}


def _layer_root(here, unit):
    root = here
    for _ in unit.split('/'):
        root = os.path.dirname(root)
    return root


def _mirror(layer, unit, part):
    """Real folders for the unit's parents, a symlink back to the layer for everything beside them."""
    parts = unit.split('/')
    src, dst = layer, part
    for name in parts:
        for entry in sorted(os.listdir(src)):
            if entry != name:
                os.symlink(os.path.join(src, entry), os.path.join(dst, entry))
        src, dst = os.path.join(src, name), os.path.join(dst, name)
        os.mkdir(dst)
    return dst


def _safe(name):
    return not (name.startswith('/') or '\\' in name or any(p in ('', '.', '..') for p in name.split('/')))


def _extract(archive, dest):
    if archive.endswith('.zip'):
        import zipfile
        with zipfile.ZipFile(archive) as z:
            for info in z.infolist():
                if info.is_dir() or not _safe(info.filename):
                    continue
                target = os.path.join(dest, *info.filename.split('/'))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with z.open(info) as src, open(target, 'wb') as out:
                    while True:
                        block = src.read(1 << 20)
                        if not block:
                            break
                        out.write(block)
                os.chmod(target, ((info.external_attr >> 16) & 0o755) or 0o644)
    else:
        import tarfile
        with tarfile.open(archive, 'r:*') as t:
            for member in t:
                if not member.isfile() or not _safe(member.name):
                    continue
                target = os.path.join(dest, *member.name.split('/'))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                src = t.extractfile(member)
                with open(target, 'wb') as out:
                    while True:
                        block = src.read(1 << 20)
                        if not block:
                            break
                        out.write(block)
                os.chmod(target, (member.mode & 0o755) or 0o644)


def ensure(layer, unit, archive, key):
    """The mirror root holding `unit` unpacked from `archive`, and whether this call unpacked it (no
    process had yet)."""
    import hashlib
    import tempfile
    base = os.path.join(tempfile.gettempdir(), 'layerslim-cold')
    tag = key + '-' + hashlib.sha256(os.fsencode(layer)).hexdigest()[:8]
    target = os.path.join(base, tag)
    if os.path.exists(os.path.join(target, MARK)):
        return target, False
    os.makedirs(base, exist_ok=True)
    with open(os.path.join(base, tag + '.lock'), 'ab') as lock:
        try:
            import fcntl
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        except ImportError:
            pass  # no flock here: the rename below still lets only one unpacked copy win
        if os.path.exists(os.path.join(target, MARK)):
            return target, False
        import shutil
        # what a process killed mid-unpack left: part folders, or a root without its mark
        for entry in os.listdir(base):
            if entry.startswith(tag + '.part-'):
                shutil.rmtree(os.path.join(base, entry), ignore_errors=True)
        if os.path.lexists(target):
            shutil.rmtree(target, ignore_errors=True)
        part = os.path.join(base, tag + '.part-' + str(os.getpid()))
        os.mkdir(part)
        _extract(archive, _mirror(layer, unit, part))
        open(os.path.join(part, MARK), 'wb').close()
        try:
            os.rename(part, target)
        except OSError:
            shutil.rmtree(part, ignore_errors=True)  # another unpacker (without flock) won
            if not os.path.exists(os.path.join(target, MARK)):
                raise
            return target, False
    return target, True


def load(g, unit, archive_name, key):
    """Called by the stub with its globals: unpacks `unit` and runs the real __init__ in its place."""
    import importlib.machinery
    import importlib.util
    name = g['__name__']
    here = os.path.dirname(os.path.abspath(g['__file__']))
    started = time.perf_counter()
    target, unpacked[name] = ensure(_layer_root(here, unit), unit, os.path.join(here, archive_name), key)
    timings[name] = time.perf_counter() - started
    folder = os.path.join(target, *unit.split('/'))
    init = os.path.join(folder, '__init__.py')
    if os.path.exists(init):
        loader = importlib.machinery.SourceFileLoader(name, init)
        cached = importlib.util.cache_from_source(init)
    else:  # shipped as bytecode only (sourceless)
        init = os.path.join(folder, '__init__.pyc')
        loader = importlib.machinery.SourcelessFileLoader(name, init)
        cached = None
    path = [folder]
    spec = g['__spec__']
    spec.origin = init
    spec.loader = loader
    spec.submodule_search_locations = path
    spec.cached = cached
    spec.has_location = True
    keep = ('__name__', '__package__', '__spec__', '__builtins__')
    for k in [k for k in g if k not in keep]:
        del g[k]
    g.update(__file__=init, __path__=path, __loader__=loader, __cached__=cached, __doc__=None)
    exec(loader.get_code(name), g)
