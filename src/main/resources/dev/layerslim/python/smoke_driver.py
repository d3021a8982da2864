# layerslim's smoke-test driver (dev.layerslim.python.ImportProbe). Run as: python -I -S -B
# [-X importtime] smoke_driver.py CONFIG.json. It imports what the config names as Lambda would,
# then dlopens the layer's ELF objects, and prints one result line per phase, so a crash while
# loading an ELF object (a segfault in a constructor) still leaves the import result. Before each
# dlopen it prints the object's name, and after a failed one the error: when the process dies,
# the last name printed is the object that killed it, and the failures before it are not lost.
import sys, os, json, importlib


def describe(e):
    text = type(e).__name__ + ': ' + str(e)
    return text if len(text) < 2000 else text[:2000] + '...'


def main():
    with open(sys.argv[1], encoding='utf-8') as f:
        cfg = json.load(f)
    marks = cfg['marks']
    out = sys.__stdout__

    def emit(phase, data):
        data['phase'] = phase
        out.write(marks['result'] + json.dumps(data) + '\n')
        out.flush()

    for p in reversed(cfg['path']):
        sys.path.insert(0, p)
    root = os.path.abspath(cfg['root'])
    if not cfg.get('dlopenOnly'):
        failures, imported = [], []
        sys.stderr.write(marks['begin'] + '\n')
        sys.stderr.flush()
        for name in cfg['imports']:
            try:
                importlib.import_module(name)
                imported.append(name)
            except BaseException as e:
                failures.append({'check': 'import ' + name, 'error': describe(e),
                                 'missing': getattr(e, 'name', None)})
        hf = cfg.get('handlerFunction')
        if hf:
            module, _, function = hf.rpartition('.')
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
                        with open(event_file, encoding='utf-8') as f:
                            event = json.load(f)
                        getattr(m, function)(event, Context())
                    except BaseException as e:
                        failures.append({'check': 'invoke ' + hf, 'error': describe(e),
                                         'missing': getattr(e, 'name', None)})
        sys.stderr.write(marks['end'] + '\n')
        sys.stderr.flush()
        script = cfg.get('script')
        if script:
            import runpy
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
        emit('imports', {'imports': imported, 'failures': failures, 'loaded': sorted(loaded)})
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


main()
