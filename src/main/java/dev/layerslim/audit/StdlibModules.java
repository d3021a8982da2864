package dev.layerslim.audit;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The top-level module names of the Python standard library, for CPython 3.9 to 3.14 on Linux,
 * shipped in the code so the audit needs no interpreter. The base list is CPython 3.11's
 * {@code sys.stdlib_module_names}; names that came or went in other versions carry their range, so
 * that on python3.13 {@code import cgi} is looked up in the layer (legacy-cgi provides it) instead
 * of being taken for the standard library.
 */
final class StdlibModules {
  private StdlibModules() {}

  private static final Set<String> ALWAYS = new HashSet<>(Set.of(
      "__future__", "_abc", "_aix_support", "_ast", "_asyncio", "_bisect", "_blake2",
      "_bootsubprocess", "_bz2", "_codecs", "_codecs_cn", "_codecs_hk", "_codecs_iso2022",
      "_codecs_jp", "_codecs_kr", "_codecs_tw", "_collections", "_collections_abc",
      "_compat_pickle", "_compression", "_contextvars", "_csv", "_ctypes", "_curses",
      "_curses_panel", "_datetime", "_dbm", "_decimal", "_elementtree", "_frozen_importlib",
      "_frozen_importlib_external", "_functools", "_gdbm", "_hashlib", "_heapq", "_imp", "_io",
      "_json", "_locale", "_lsprof", "_lzma", "_markupbase", "_md5", "_multibytecodec",
      "_multiprocessing", "_opcode", "_operator", "_osx_support", "_overlapped", "_pickle",
      "_posixshmem", "_posixsubprocess", "_py_abc", "_pydecimal", "_pyio", "_queue", "_random",
      "_scproxy", "_sha1", "_sha256", "_sha3", "_sha512", "_signal", "_sitebuiltins", "_socket",
      "_sqlite3", "_sre", "_ssl", "_stat", "_statistics", "_string", "_strptime", "_struct",
      "_symtable", "_thread", "_threading_local", "_tkinter", "_tokenize", "_tracemalloc",
      "_typing", "_uuid", "_warnings", "_weakref", "_weakrefset", "_winapi", "_zoneinfo", "abc",
      "antigravity", "argparse", "array", "ast", "asyncio", "atexit", "base64", "bdb", "binascii",
      "bisect", "builtins", "bz2", "cProfile", "calendar", "cmath", "cmd", "code", "codecs",
      "codeop", "collections", "colorsys", "compileall", "concurrent", "configparser", "contextlib",
      "contextvars", "copy", "copyreg", "csv", "ctypes", "curses", "dataclasses", "datetime", "dbm",
      "decimal", "difflib", "dis", "doctest", "email", "encodings", "ensurepip", "enum", "errno",
      "faulthandler", "fcntl", "filecmp", "fileinput", "fnmatch", "fractions", "ftplib",
      "functools", "gc", "genericpath", "getopt", "getpass", "gettext", "glob", "graphlib", "grp",
      "gzip", "hashlib", "heapq", "hmac", "html", "http", "idlelib", "imaplib", "importlib",
      "inspect", "io", "ipaddress", "itertools", "json", "keyword", "linecache", "locale",
      "logging", "lzma", "mailbox", "marshal", "math", "mimetypes", "mmap", "modulefinder",
      "msvcrt", "multiprocessing", "netrc", "nt", "ntpath", "nturl2path", "numbers", "opcode",
      "operator", "optparse", "os", "pathlib", "pdb", "pickle", "pickletools", "pkgutil",
      "platform", "plistlib", "poplib", "posix", "posixpath", "pprint", "profile", "pstats", "pty",
      "pwd", "py_compile", "pyclbr", "pydoc", "pydoc_data", "pyexpat", "queue", "quopri", "random",
      "re", "readline", "reprlib", "resource", "rlcompleter", "runpy", "sched", "secrets", "select",
      "selectors", "shelve", "shlex", "shutil", "signal", "site", "smtplib", "socket",
      "socketserver", "sqlite3", "sre_compile", "sre_constants", "sre_parse", "ssl", "stat",
      "statistics", "string", "stringprep", "struct", "subprocess", "symtable", "sys", "sysconfig",
      "syslog", "tabnanny", "tarfile", "tempfile", "termios", "textwrap", "this", "threading",
      "time", "timeit", "tkinter", "token", "tokenize", "trace", "traceback", "tracemalloc", "tty",
      "turtle", "turtledemo", "types", "typing", "unicodedata", "unittest", "urllib", "uuid",
      "venv", "warnings", "wave", "weakref", "webbrowser", "winreg", "winsound", "wsgiref", "xml",
      "xmlrpc", "zipapp", "zipfile", "zipimport", "zlib", "zoneinfo"));

  /** name → {first minor, last minor} of Python 3 that ships it. */
  private static final Map<String, int[]> RANGED = ranged();

  private static Map<String, int[]> ranged() {
    Map<String, int[]> m = new java.util.HashMap<>();
    // removed by PEP 594 and earlier deprecations
    for (String n : new String[] {"asynchat", "asyncore", "distutils", "imp", "smtpd"}) {
      m.put(n, new int[] {9, 11});
    }
    for (String n : new String[] {"aifc", "audioop", "cgi", "cgitb", "chunk", "crypt", "imghdr", "mailcap", "msilib", "nis", "nntplib", "ossaudiodev", "pipes", "sndhdr", "spwd", "sunau", "telnetlib", "uu", "xdrlib", "lib2to3", "_crypt", "_msi"}) {
      m.put(n, new int[] {9, 12});
    }
    for (String n : new String[] {"formatter", "parser", "symbol", "_bootlocale", "_peg_parser"}) {
      m.put(n, new int[] {9, 9});
    }
    m.put("binhex", new int[] {9, 10});
    m.put("tomllib", new int[] {11, 99});
    for (String n : new String[] {"_pydatetime", "_pylong", "_wmi"}) {
      m.put(n, new int[] {12, 99});
    }
    for (String n : new String[] {"_colorize", "_pyrepl", "_interpchannels", "_interpqueues",
        "_interpreters", "_suggestions", "_sysconfig", "_ios_support", "_opcode_metadata",
        "_android_support", "_apple_support"}) {
      m.put(n, new int[] {13, 99});
    }
    for (String n : new String[] {"annotationlib", "compression", "_zstd", "_remote_debugging", "_hmac"}) {
      m.put(n, new int[] {14, 99});
    }
    return Map.copyOf(m);
  }

  /** Whether {@code topLevel} is a standard library module on Python 3.{@code minor}. */
  static boolean contains(String topLevel, int minor) {
    if (ALWAYS.contains(topLevel) || topLevel.equals("__main__")) {
      return true;
    }
    int[] range = RANGED.get(topLevel);
    return range != null && minor >= range[0] && minor <= range[1];
  }
}
