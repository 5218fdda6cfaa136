#!/usr/bin/env python3
"""The C API from Python (ctypes): the Python example of docs/embedding.md, cut out of the doc and
run on the demo corpus, gives byte for byte the report of `hoks validate --format json FILE`, with
the default options and with others, also from several threads at once.

Usage: ctypes_test.py LIBHOKS HOKS_BINARY EMBEDDING_MD CORPUS_DIR STUDY_RIGHT.json"""
import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile
import types

library, hoks, doc, corpus, study_right = sys.argv[1:6]


def tested_block(name):
    """The code block under `<!-- tested: NAME -->` in the doc."""
    text = open(doc, encoding="utf-8").read()
    m = re.search(r"<!-- tested: " + re.escape(name) + r" -->\n```\w+\n(.*?)\n```", text, re.S)
    if not m:
        sys.exit(f"{doc}: no block marked 'tested: {name}'")
    return m.group(1)


os.environ["HOKS_LIBRARY"] = library
example = types.ModuleType("hoks_ctypes")
exec(compile(tested_block("hoks_ctypes.py"), doc + ":hoks_ctypes.py", "exec"), example.__dict__)

failures = 0


def check(ok, what):
    global failures
    if not ok:
        failures += 1
        print("FAIL:", what, file=sys.stderr)


def cli_report(path, args, cwd):
    # Not in the source tree: no hoks.yaml is found above the working directory.
    return subprocess.run([hoks, "validate", "--format", "json", *args, path], cwd=cwd, capture_output=True).stdout


files = sorted(os.path.join(corpus, f) for f in os.listdir(corpus) if f.endswith(".json"))
check(len(files) >= 5, f"demo corpus in {corpus}")
check(example.version() == subprocess.run([hoks, "--version"], capture_output=True, text=True).stdout.split()[1],
      "hoks_version() is the version of the command")

runs = [
    ({}, []),
    ({"lang": "sv", "operation": "PUT", "today": "2026-11-28", "redact": True},
     ["--lang", "sv", "--operation", "replace", "--today", "2026-11-28", "--redact"]),
    ({"lang": "en", "operation": "PATCH", "study_right": open(study_right, encoding="utf-8").read()},
     ["--lang", "en", "--operation", "update", "--opiskeluoikeus", study_right]),
]
with tempfile.TemporaryDirectory() as cwd:
    for options, args in runs:
        validator = example.Validator(**options)
        expected = {f: cli_report(f, args, cwd) for f in files}
        for f in files:
            report, valid = validator.validate(open(f, "rb").read(), f)
            check(report == expected[f], f"{f} {args}: the report differs from the command line's")
            check(valid == (b'"valid": false' not in report), f"{f}: valid flag")
        # The same validator from several threads at once.
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            reports = list(pool.map(lambda f: validator.validate(open(f, "rb").read(), f)[0], files * 3))
        check(reports == [expected[f] for f in files * 3], f"{args}: reports made in threads")

try:
    example.Validator(operation="GET")
    check(False, "operation GET is refused")
except example.HoksError as e:
    check("GET" in str(e), "the message names the refused value")

print(f"ctypes_test: {len(files)} files x {len(runs)} option sets", "passed" if failures == 0 else f"{failures} failures")
sys.exit(1 if failures else 0)
