# layerslim's cold-storage packer (dev.layerslim.cold.ColdStorageStep). Run with the target
# interpreter as: python -I cold_pack.py REQUEST.json RESULT.json
# REQUEST.json: {"format": "auto"|"tar.xz"|"zip", "units": [{"root": "/abs/layer", "files": ["rel", ...],
#                "prefix": "scipy/stats/", "out": "/abs/archive-without-suffix"}],
#                "compile": [{"src": "/abs/x.py", "shown": "/opt/python/x.py"}]}
# Writes one archive per unit, deterministic: entries sorted, names relative to the unit's folder, one
# fixed mtime, owner 0, modes 0644 or 0755. tar.xz when this interpreter has lzma (the runtime must
# read what it unpacks), else zip with deflate 9. Then compiles the listed sources as unchecked-hash
# pycs (the stubs and the loader). RESULT.json: {"format": ..., "units": [{"out": path, "bytes": n,
# "sha256": hex}]}.
import json
import os
import sys

MTIME = 315532800  # 1980-01-01T00:00:00Z, the zip format's first day


def has_lzma():
    try:
        import lzma  # noqa: F401
        return True
    except ImportError:
        return False


def mode_of(path):
    return 0o755 if os.stat(path).st_mode & 0o111 else 0o644


def pack_xz(unit, out):
    import lzma
    import tarfile
    total = sum(os.path.getsize(os.path.join(unit['root'], f)) for f in unit['files'])
    # LZMA2 at preset 9, its dictionary no larger than the data: the unpacking process needs about
    # the dictionary's size in memory, and Lambda functions may have 128 MB
    dict_size = 1 << 16
    while dict_size < min(total, 64 << 20):
        dict_size <<= 1
    filters = [{'id': lzma.FILTER_LZMA2, 'preset': 9, 'dict_size': dict_size}]
    with open(out, 'wb') as raw:
        with lzma.LZMAFile(raw, 'wb', format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64, filters=filters) as xz:
            with tarfile.open(fileobj=xz, mode='w', format=tarfile.PAX_FORMAT) as t:
                for rel in sorted(unit['files']):
                    src = os.path.join(unit['root'], rel)
                    info = tarfile.TarInfo(rel[len(unit['prefix']):])
                    info.size = os.path.getsize(src)
                    info.mtime = MTIME
                    info.mode = mode_of(src)
                    info.uid = info.gid = 0
                    info.uname = info.gname = ''
                    with open(src, 'rb') as f:
                        t.addfile(info, f)


def pack_zip(unit, out):
    import zipfile
    with zipfile.ZipFile(out, 'w', compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for rel in sorted(unit['files']):
            src = os.path.join(unit['root'], rel)
            info = zipfile.ZipInfo(rel[len(unit['prefix']):], date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = (0o100000 | mode_of(src)) << 16
            with open(src, 'rb') as f, z.open(info, 'w') as dst:
                while True:
                    block = f.read(1 << 20)
                    if not block:
                        break
                    dst.write(block)


def main():
    import hashlib
    with open(sys.argv[1], encoding='utf-8') as f:
        req = json.load(f)
    fmt = req.get('format', 'auto')
    if fmt == 'auto':
        fmt = 'tar.xz' if has_lzma() else 'zip'
    elif fmt == 'tar.xz' and not has_lzma():
        print('this interpreter has no lzma module: it cannot unpack tar.xz', file=sys.stderr)
        return 3
    result = {'format': fmt, 'units': []}
    for unit in req.get('units', []):
        out = unit['out'] + '.' + fmt
        (pack_xz if fmt == 'tar.xz' else pack_zip)(unit, out)
        with open(out, 'rb') as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        result['units'].append({'out': out, 'bytes': os.path.getsize(out), 'sha256': digest})
    if req.get('compile'):
        import py_compile
        for s in req['compile']:
            py_compile.compile(s['src'], dfile=s['shown'], doraise=True, optimize=0,
                               invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    with open(sys.argv[2], 'w', encoding='utf-8') as f:
        json.dump(result, f)
    return 0


sys.exit(main())
