#!/usr/bin/env python3
"""The price of a finding for two or more hoks binaries, measured in the same minutes: each
round runs every binary on the early corpus in json, then with the finding rules ignored, pinned
to one core; a finding's price is the median over the rounds of (json - ignored) CPU time over
the findings that the ignored rules account for. A third run per round, `--format text --quiet`
(the findings made, located and counted, nothing rendered), splits the price into the checks that
make a finding and the report that writes it. This machine's speed drifts by 10-40% within
minutes, so compare binaries of one run, not figures of different days.

    bench/price_finding.py [--rounds N] [--core C] [--to-file] CORPUS.ndjson HOKS [HOKS ...]

CORPUS is bench/run's early corpus (bench/out/early.ndjson) or `hoks gen --profile early` output.
--to-file writes each report to a file (as bench/run does) instead of /dev/null.
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile

COMMON = ["validate", "--jobs", "1", "--today", "2026-11-28", "--lang", "en", "--no-hints", "--color", "never",
          "--max-documents", "0", "--format", "json"]


def finding_rules(hoks, corpus):
    """The rules that only warn or inform on the corpus (the ones bench/run ignores to price a finding)."""
    out = subprocess.run([hoks] + COMMON + [corpus], capture_output=True, check=False).stdout
    summary = json.loads(out)["summary"]
    rules = sorted(r["rule"] for r in summary["rules"] if r["severity"] != "error")
    return rules, summary["findings"]


def cpu_seconds(command, out):
    if out.name != os.devnull:
        out.seek(0)
        out.truncate()
    child = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    return usage.ru_utime + usage.ru_stime


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=30)
    p.add_argument("--core", default="1")
    p.add_argument("--to-file", action="store_true")
    p.add_argument("corpus")
    p.add_argument("hoks", nargs="+")
    a = p.parse_args()
    rules, findings = finding_rules(a.hoks[0], a.corpus)
    ignored = subprocess.run([a.hoks[0]] + COMMON + ["--ignore", ",".join(rules), a.corpus], capture_output=True,
                             check=False).stdout
    priced = findings - json.loads(ignored)["summary"]["findings"]
    pin = ["taskset", "-c", a.core]
    with tempfile.TemporaryDirectory() as tmp:
        out = open(os.path.join(tmp, "report.json"), "wb") if a.to_file else open(os.devnull, "wb")
        diffs = {h: [] for h in a.hoks}
        checks = {h: [] for h in a.hoks}
        quiet = [x if x != "json" else "text" for x in COMMON] + ["--quiet"]
        for _ in range(a.rounds):
            for h in a.hoks:
                full = cpu_seconds(pin + [h] + COMMON + [a.corpus], out)
                without = cpu_seconds(pin + [h] + COMMON + ["--ignore", ",".join(rules), a.corpus], out)
                counted = cpu_seconds(pin + [h] + quiet + [a.corpus], out)
                diffs[h].append(full - without)
                checks[h].append(counted - without)
    print(f"{priced:,} findings of {','.join(rules)}; {a.rounds} rounds; report to {'a file' if a.to_file else '/dev/null'}")
    for h in a.hoks:
        price = statistics.median(diffs[h]) / priced * 1e9
        made = statistics.median(checks[h]) / priced * 1e9
        print(f"  {h}: {price:.0f} ns per finding (CPU time, median over the rounds): "
              f"{made:.0f} ns to make it (checks, location, counts), {price - made:.0f} ns to report it")


if __name__ == "__main__":
    main()
