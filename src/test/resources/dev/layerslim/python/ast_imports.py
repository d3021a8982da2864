"""The reference for ImportScannerAstTest: CPython's own parser finds the imports of each file.

Usage: python3 -I ast_imports.py ROOT REL...  Prints one JSON object: REL -> [[module, optional, line], ...]
with the semantics ImportScanner documents: an import is optional under `if TYPE_CHECKING:` or inside
a try: whose handler catches ImportError (or a parent of it, or everything) in the same function.
"""
import ast
import json
import os
import re
import sys

CATCHERS = {'ImportError', 'ModuleNotFoundError', 'Exception', 'BaseException'}
NAME = re.compile(r'^[^\W\d]\w*(\.[^\W\d]\w*)*$')


def package_of(rel):
    parts = rel[:-3].split('/')
    return '.'.join(parts[:-1])


def resolve(pkg, level, name):
    parts = pkg.split('.') if pkg else []
    if len(parts) < level:
        return None
    base = '.'.join(parts[:len(parts) - (level - 1)])
    return base + '.' + name if name else base


def aliases(tree):
    importlib, import_module, builtins, dunder = {'importlib'}, {'import_module'}, {'builtins'}, {'__import__'}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name == 'importlib':
                    importlib.add(a.asname or a.name)
                elif a.name == 'builtins':
                    builtins.add(a.asname or a.name)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            for a in node.names:
                if node.module == 'importlib' and a.name == 'import_module':
                    import_module.add(a.asname or a.name)
                elif node.module == 'builtins' and a.name == '__import__':
                    dunder.add(a.asname or a.name)
    return importlib, import_module, builtins, dunder


def catches(handler):
    if handler.type is None:
        return True
    for n in ast.walk(handler.type):
        if isinstance(n, ast.Name) and n.id in CATCHERS or isinstance(n, ast.Attribute) and n.attr in CATCHERS:
            return True
    return False


def is_type_checking(test):
    return (isinstance(test, ast.Name) and test.id == 'TYPE_CHECKING'
            or isinstance(test, ast.Attribute) and test.attr == 'TYPE_CHECKING' and isinstance(test.value, ast.Name))


def scan(tree, pkg):
    importlib, import_module, builtins, dunder = aliases(tree)
    out = []

    def dynamic(call, guarded, typing):
        f = call.func
        if isinstance(f, ast.Name):
            ok = f.id in import_module or f.id in dunder
        elif isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
            ok = (f.attr == 'import_module' and f.value.id in importlib
                  or f.attr == '__import__' and f.value.id in builtins)
        else:
            ok = False
        if not ok or not call.args or not isinstance(call.args[0], ast.Constant) \
                or not isinstance(call.args[0].value, str):
            return
        name = call.args[0].value.strip()
        if name.startswith('.'):
            level = len(name) - len(name.lstrip('.'))
            name = resolve(pkg, level, name[level:])
        if name and NAME.match(name):
            out.append([name, guarded or typing, call.lineno])

    def visit(node, guarded, typing):
        if isinstance(node, ast.Import):
            for a in node.names:
                out.append([a.name, guarded or typing, node.lineno])
            return
        if isinstance(node, ast.ImportFrom):
            module = node.module or ''
            if node.level:
                module = resolve(pkg, node.level, module)
            if module:
                out.append([module, guarded or typing, node.lineno])
            return
        if isinstance(node, ast.Call):
            dynamic(node, guarded, typing)
        if isinstance(node, (ast.Try, getattr(ast, 'TryStar', ast.Try))):
            inner = guarded or any(catches(h) for h in node.handlers)
            for n in node.body:
                visit(n, inner, typing)
            for n in node.handlers + node.orelse + node.finalbody:
                visit(n, guarded, typing)
            return
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            body = node.body if isinstance(node.body, list) else [node.body]
            for field in ('decorator_list', 'returns'):
                for n in (getattr(node, field, None) or []) if field == 'decorator_list' else \
                        ([getattr(node, field)] if getattr(node, field, None) else []):
                    visit(n, guarded, typing)
            visit(node.args, guarded, typing)
            for n in body:
                visit(n, False, typing)
            return
        if isinstance(node, ast.If) and is_type_checking(node.test):
            visit(node.test, guarded, typing)
            for n in node.body:
                visit(n, guarded, True)
            for n in node.orelse:
                visit(n, guarded, typing)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, guarded, typing)

    visit(tree, False, False)
    return out


def main():
    root = sys.argv[1]
    result = {}
    for rel in sys.argv[2:]:
        with open(os.path.join(root, rel), 'rb') as f:
            tree = ast.parse(f.read(), rel)  # bytes: Python applies the BOM and the coding line itself
        result[rel] = scan(tree, package_of(rel))
    print(json.dumps(result))


main()
