#!/usr/bin/env python3
"""Reads what bench/run measured (bench/out), checks that every validator flagged exactly the
injected invalid documents, prints the results and, with --write, writes docs/performance.md.
Exits 1 when a check fails."""
import argparse
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:  # noqa: BLE001 - a missing tool only leaves a field empty
        return ""


def machine():
    cpu = sh("lscpu | sed -n 's/^Model name:[ ]*//p' | head -1") or platform.processor()
    hyp = sh("lscpu | sed -n 's/^Hypervisor vendor:[ ]*//p' | head -1")
    mem = sh("awk '/MemTotal/ {printf \"%.0f GiB\", $2 / 1048576}' /proc/meminfo")
    osname = sh(". /etc/os-release && echo \"$PRETTY_NAME\"")
    return {
        "cpu": cpu + (f" ({hyp})" if hyp else ""),
        "cores": str(os.cpu_count()),
        "memory": mem,
        "os": f"{osname}, Linux {platform.release()}",
        "compiler": sh("c++ --version | head -1"),
        "node": sh("node --version"),
        "ajv": sh("node -p \"require('./bench/node_modules/ajv/package.json').version\""),
        "valijson": sh("dpkg-query -W -f='${Version}' libvalijson-dev"),
        "nlohmann": sh("dpkg-query -W -f='${Version}' nlohmann-json3-dev"),
        "python": sh("/usr/bin/python3 --version"),
        "jsonschema": sh("dpkg-query -W -f='${Version}' python3-jsonschema"),
        "simdjson": sh("dpkg-query -W -f='${Version}' libsimdjson-dev"),
        "load": sh("cut -d' ' -f1-3 /proc/loadavg"),
    }


def read_manifest(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            doc, defect, rule, in_schema, needs_sr = line.rstrip("\n").split("\t")
            rows.append({"doc": int(doc), "defect": defect, "rule": rule, "schema": in_schema == "yes",
                         "context": needs_sr == "yes"})
    return rows


def numbers(path):
    with open(path, encoding="utf-8") as f:
        return {int(x) for x in f.read().split()}


ERROR_LINE = re.compile(r":(\d+):\d+: error\[([a-z0-9-]+)\]")


def hoks_errors(path):
    """NDJSON line -> rules of the errors hoks reported there (text report, --lang en)."""
    found = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = ERROR_LINE.search(line)
            if m:
                found.setdefault(int(m.group(1)), set()).add(m.group(2))
    return found


def json_errors(path):
    """NDJSON line -> error rules, from a JSON report."""
    found = {}
    with open(path, encoding="utf-8") as f:
        for doc in json.load(f)["documents"]:
            for x in doc["findings"]:
                if x["severity"] == "error":
                    found.setdefault(doc["line"], set()).add(x["rule"])
    return found


def sarif_errors(path):
    """NDJSON line -> error rules, from a SARIF report."""
    found = {}
    with open(path, encoding="utf-8") as f:
        for x in json.load(f)["runs"][0]["results"]:
            if x["level"] == "error":
                line = x["locations"][0]["physicalLocation"]["region"]["startLine"]
                found.setdefault(line, set()).add(x["ruleId"])
    return found


def parse_loop(out, tool):
    """The median seconds simdjson_floor's parse loop took by its own clock (its summary line)."""
    values = []
    for name in sorted(os.listdir(out)):
        if name == f"{tool}.err" or re.fullmatch(re.escape(tool) + r"-\d+\.err", name):
            m = re.search(r"([0-9.]+) s$", open(os.path.join(out, name), encoding="utf-8").read().strip())
            if m:
                values.append(float(m.group(1)))
    return statistics.median(values) if values else None


def findings_of(path):
    """The number of findings a JSON report counts in its summary."""
    with open(path, encoding="utf-8") as f:
        return json.load(f)["summary"]["findings"]


# The early corpus's reports per format: how to read their errors (the junit report carries the
# text lines of each document).
EARLY_FORMATS = {"json": json_errors, "text": hoks_errors, "sarif": sarif_errors, "junit": hoks_errors}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--docs", type=int, required=True)
    ap.add_argument("--bytes", type=int, required=True)
    ap.add_argument("--core", required=True)
    ap.add_argument("--command", required=True)
    ap.add_argument("--write")
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()

    runs = [json.loads(line) for line in open(os.path.join(a.out, "results.jsonl"), encoding="utf-8")]
    manifest = read_manifest(os.path.join(a.out, "manifest.tsv"))
    by_tool = {}
    for r in runs:
        by_tool.setdefault(r["tool"], []).append(r)

    # ---- correctness: exactly the injected documents ----
    problems = []
    expected_all = {m["doc"] for m in manifest}
    expected_rule = {m["doc"]: m["rule"] for m in manifest}
    for r in by_tool.get("hoks", []) + by_tool.get("hoks-jobs2", []):
        errors = hoks_errors(r["flagged"])
        if set(errors) != expected_all:
            problems.append(f"{r['tool']} run {r['run']}: flagged {len(errors)} documents, expected "
                            f"{len(expected_all)} (missing {sorted(expected_all - set(errors))[:5]}, "
                            f"extra {sorted(set(errors) - expected_all)[:5]})")
        for doc, rules in errors.items():
            if doc in expected_rule and rules != {expected_rule[doc]}:
                problems.append(f"{r['tool']} run {r['run']}: document {doc}: {sorted(rules)}, "
                                f"expected {expected_rule[doc]}")
    first = by_tool.get("hoks", [{}])[0].get("flagged")
    for r in by_tool.get("hoks-jobs2", []):
        if first and open(first, "rb").read() != open(r["flagged"], "rb").read():
            problems.append(f"hoks --jobs 2 run {r['run']}: the report differs from --jobs 1")
    for tool in ("ajv", "valijson", "jsonschema"):
        for r in by_tool.get(tool, []):
            expected = {m["doc"] for m in manifest if m["schema"] and m["doc"] <= r["docs"]}
            got = numbers(r["flagged"])
            if got != expected:
                problems.append(f"{tool} run {r['run']}: rejected {sorted(got)[:8]}, expected {sorted(expected)[:8]}")
    for r in by_tool.get("hoks-stream", []):
        invalid = r["docs"] // 1000
        errors = hoks_errors(r["flagged"])
        if len(errors) != invalid:
            problems.append(f"stream: {len(errors)} documents with errors, expected {invalid}")

    # ---- correctness on the early corpus: hoks reports exactly the injected errors that need no
    # study right (none is given), in every format; the schema peers reject the schema defects ----
    early_path = os.path.join(a.out, "early-manifest.tsv")
    early_manifest = read_manifest(early_path) if os.path.exists(early_path) else []
    early_expected = {m["doc"]: {m["rule"]} for m in early_manifest if not m["context"]}
    early_checked = []
    for fmt, errors_of in EARLY_FORMATS.items():
        for r in by_tool.get("hoks-early-" + fmt, []):
            try:
                errors = errors_of(r["flagged"])
            except (OSError, ValueError, KeyError, IndexError) as e:
                problems.append(f"{r['tool']} run {r['run']}: unreadable report ({e})")
                continue
            early_checked.append(r["tool"])
            if errors != early_expected:
                diff = sorted(set(errors) ^ set(early_expected))[:5] or sorted(
                    d for d in errors if errors[d] != early_expected.get(d))[:5]
                problems.append(f"{r['tool']} run {r['run']}: errors on {len(errors)} documents, expected "
                                f"{len(early_expected)} (differs at lines {diff})")
    for tool in ("hoks-early-ignored", "hoks-early-jobs2"):
        for r in by_tool.get(tool, []):
            if json_errors(r["flagged"]) != early_expected:
                problems.append(f"{tool} run {r['run']}: not exactly the injected errors")
    early_first = by_tool.get("hoks-early-json", [{}])[0].get("flagged")
    for r in by_tool.get("hoks-early-jobs2", []):
        if early_first and open(early_first, "rb").read() != open(r["flagged"], "rb").read():
            problems.append(f"hoks --jobs 2 run {r['run']} (early): the report differs from --jobs 1")
    early_schema = {m["doc"] for m in early_manifest if m["schema"]}
    for r in by_tool.get("ajv-early", []):
        got = numbers(r["flagged"])
        if got != early_schema:
            problems.append(f"ajv run {r['run']} (early): rejected {sorted(got)[:8]}, expected {sorted(early_schema)[:8]}")
    for tool in ("simdjson", "simdjson-early"):
        for r in by_tool.get(tool, []):
            if numbers(r["flagged"]):
                problems.append(f"{tool} run {r['run']}: could not parse {sorted(numbers(r['flagged']))[:8]}")

    # ---- speed ----
    def med(tool, key="wall"):
        values = [r[key] for r in by_tool.get(tool, [])]
        return statistics.median(values) if values else None

    # The differences and ratios of short runs (a finding's cost, --jobs 2) from the runs of one
    # round, which follow each other: the median over the rounds. This machine's speed drifts by
    # 10-40% within minutes, so the best run of each (the way before) paired runs from different
    # minutes and once priced a finding at 182 ns when 40 alternating rounds gave 438.
    def paired(tool_a, tool_b, combine, key="wall"):
        b_by_run = {r["run"]: r[key] for r in by_tool.get(tool_b, [])}
        values = [combine(r[key], b_by_run[r["run"]]) for r in by_tool.get(tool_a, []) if r["run"] in b_by_run]
        return statistics.median(values) if values else None

    rows = []
    ajv_rate = None
    if "ajv" in by_tool:
        ajv_rate = by_tool["ajv"][0]["docs"] / med("ajv")
    for tool, label in (("hoks", "**hoks validate --jobs 1: read + schema + every rule + report**"),
                        ("ajv", "ajv {ajv} (node {node}): JSON.parse + compiled validator"),
                        ("valijson", "valijson {valijson} + nlohmann {nlohmann}: parse + validate"),
                        ("jsonschema", "python3-jsonschema {jsonschema}: json.loads + Draft7Validator"),
                        ("simdjson", "simdjson {simdjson}: bare DOM parse, no checks (the floor)")):
        if tool not in by_tool:
            continue
        wall = med(tool)
        n, b = by_tool[tool][0]["docs"], by_tool[tool][0]["bytes"]
        rss = max(r["rss_kb"] for r in by_tool[tool])
        rate = n / wall
        cpu = med(tool, "cpu")
        rows.append((tool, label, n, wall, rate, b / wall / 1e6, rate / ajv_rate if ajv_rate else None, rss,
                     cpu, n / cpu / (by_tool["ajv"][0]["docs"] / med("ajv", "cpu")) if ajv_rate else None))

    # The early corpus: hoks in four formats, ajv and the floor; a finding's cost from the run with
    # the finding rules ignored.
    early_rows = []
    early_findings = early_ignored = None
    try:
        early_findings = findings_of(by_tool["hoks-early-json"][0]["flagged"])
        early_ignored = findings_of(by_tool["hoks-early-ignored"][0]["flagged"])
    except (KeyError, IndexError, OSError, ValueError):
        pass
    ajv_early = (med("ajv-early"), med("ajv-early", "cpu")) if "ajv-early" in by_tool else None
    floor_early = (med("simdjson-early"), med("simdjson-early", "cpu")) if "simdjson-early" in by_tool else None
    for tool, label in (("hoks-early-json", "**hoks --format json**"), ("hoks-early-text", "**hoks --format text**"),
                        ("hoks-early-sarif", "**hoks --format sarif**"), ("hoks-early-junit", "**hoks --format junit**"),
                        ("hoks-early-ignored", "hoks --format json, finding rules ignored"),
                        ("ajv-early", "ajv {ajv}"), ("simdjson-early", "simdjson {simdjson} (the floor)")):
        if tool not in by_tool:
            continue
        wall, cpu = med(tool), med(tool, "cpu")
        n, b = by_tool[tool][0]["docs"], by_tool[tool][0]["bytes"]
        found = (early_ignored if tool == "hoks-early-ignored" else early_findings) if tool.startswith("hoks") else None
        early_rows.append((tool, label, wall, n / wall, b / wall / 1e6, found / wall if found else None,
                           ajv_early[0] / wall if ajv_early else None, cpu, ajv_early[1] / cpu if ajv_early else None,
                           cpu / floor_early[1] if floor_early and floor_early[1] else None,
                           max(r["rss_kb"] for r in by_tool[tool])))
    cost = None
    if early_findings and early_ignored is not None and "hoks-early-ignored" in by_tool and early_findings > early_ignored:
        n_extra = early_findings - early_ignored
        minus = lambda x, y: x - y
        a_, b_ = ("pair-early-json", "pair-early-ignored") if "pair-early-json" in by_tool else ("hoks-early-json", "hoks-early-ignored")
        cost = {"cpu": paired(a_, b_, minus, "cpu") / n_extra * 1e9, "wall": paired(a_, b_, minus) / n_extra * 1e9,
                "n": n_extra, "rounds": len(by_tool[a_])}

    m = machine()
    hoks_rate = next((r[4] for r in rows if r[0] == "hoks"), None)
    over = lambda x, y: x / y
    jobs_pair = ("pair-jobs1", "pair-jobs2") if "pair-jobs2" in by_tool else ("hoks", "hoks-jobs2")
    jobs_speedup = paired(*jobs_pair, over) if jobs_pair[1] in by_tool else None
    startup = None
    try:
        s = json.load(open(os.path.join(a.out, "startup.json"), encoding="utf-8"))["results"][0]
        startup = {k: s[k] * 1000 for k in ("mean", "median", "min", "max", "stddev", "user", "system")}
    except (OSError, KeyError, IndexError, ValueError):
        pass
    stages = []
    try:
        for bm in json.load(open(os.path.join(a.out, "stages.json"), encoding="utf-8"))["benchmarks"]:
            stages.append((bm["name"], bm["cpu_time"], bm.get("items_per_second", 0), bm.get("bytes_per_second", 0)))
    except (OSError, KeyError, ValueError):
        pass
    stream = by_tool.get("hoks-stream", [None])[0]

    # ---- the report ----
    runs_n = len(by_tool.get("hoks", []))
    L = []
    L.append("# Performance: hoks validate side by side with ajv, valijson, python-jsonschema and simdjson")
    L.append("")
    L.append(f"Written by `{a.command}` on {datetime.date.today().isoformat()}; every figure below comes from "
             "that one run. Run it again to reproduce (it installs the peers, builds, generates the corpus and "
             "rewrites this file).")
    L.append("")
    L.append("## Machine")
    L.append("")
    L.append(f"- CPU: {m['cpu']}, {m['cores']} cores; memory {m['memory']}; {m['os']}")
    L.append(f"- Compiler: {m['compiler']} (Release, -O3)")
    L.append(f"- Peers: node {m['node']} with ajv {m['ajv']}; valijson {m['valijson']} with nlohmann-json "
             f"{m['nlohmann']}; {m['python']} with python3-jsonschema {m['jsonschema']}")
    L.append(f"- Load average when the report was written: {m['load']} (the machine is shared: compare ratios "
             "from the same run, not absolute times from different days)")
    L.append("")
    L.append("## Corpus")
    L.append("")
    n_schema = sum(1 for x in manifest if x["schema"])
    L.append(f"`hoks gen --seed 20261128 --count {a.docs} --invalid {len(manifest)}`: {a.docs:,} realistic "
             f"HOKS documents as NDJSON, {a.bytes / 1e6:.0f} MB (mean {a.bytes / a.docs / 1000:.1f} KB per "
             f"document), valid for the study right of `fixtures/context/ammatillinen.json`. "
             f"{len(manifest)} documents carry one injected defect each: {n_schema} that a JSON Schema can "
             f"express (unknown key, wrong type, missing key, pattern, impossible date) and "
             f"{len(manifest) - n_schema} that only hoks finds (OID and Y-tunnus check digits, eHOKS rules "
             "such as a workplace period without `yksiloiva-tunniste`). Every validator uses the draft-07 "
             "JSON Schema that hoks emits for `create`.")
    L.append("")
    L.append("## Throughput on one core")
    L.append("")
    L.append(f"Each program runs as a whole process (start, read the file, validate every document, print "
             f"the verdicts), pinned with `taskset -c {a.core}`; median wall time of {runs_n} interleaved "
             f"run(s). python-jsonschema validates the first {by_tool.get('jsonschema', [{'docs': 0}])[0]['docs']:,} "
             "documents only; its rate is scaled from those. \"CPU s\" is user + system time of the "
             "process (all its threads run on the pinned core); on a busy machine it is the steadier "
             "measure, wall time being stretched by waiting for the core.")
    L.append("")
    L.append("| validator | documents | wall s | docs/s | MB/s | vs ajv | CPU s | vs ajv (CPU) | peak RSS |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for tool, label, n, wall, rate, mbs, ratio, rss, cpu, cpu_ratio in rows:
        ratio_s = f"**{ratio:.1f}x**" if tool == "hoks" and ratio else (f"{ratio:.2f}x" if ratio else "")
        cpu_s = f"{cpu_ratio:.1f}x" if tool == "hoks" and cpu_ratio else (f"{cpu_ratio:.2f}x" if cpu_ratio else "")
        L.append(f"| {label.format(**m)} | {n:,} | {wall:.2f} | {rate:,.0f} | {mbs:.1f} | {ratio_s} | {cpu:.2f} | "
                 f"{cpu_s} | {rss / 1024:.0f} MB |")
    L.append("")
    if hoks_rate and ajv_rate:
        cpu_ratio = next(r[9] for r in rows if r[0] == "hoks")
        verdict = "meets" if min(hoks_rate / ajv_rate, cpu_ratio) >= 10 else (
            "meets by CPU time, not by wall time," if cpu_ratio >= 10 else "does NOT meet")
        L.append(f"hoks checks the schema **and every eHOKS rule** at {hoks_rate / ajv_rate:.1f}x ajv's "
                 f"documents per second by wall time, {cpu_ratio:.1f}x by CPU time (ajv checks the schema "
                 f"only): this {verdict} the target of 10x.")
        if "simdjson" in by_tool:
            loop = parse_loop(a.out, "simdjson")
            L.append(f"The bare simdjson parse of the same corpus takes {med('simdjson', 'cpu'):.2f} CPU s as a whole "
                     f"process (reading the file included): hoks is {med('hoks', 'cpu') / max(med('simdjson', 'cpu'), 1e-9):.1f}x "
                     f"the floor by CPU time, {med('hoks') / med('simdjson'):.1f}x by wall time (stretch target: within 2x)"
                     + (f"; simdjson's parse loop alone, by its own clock, takes {loop:.3f} s, and hoks's whole "
                        f"process is {med('hoks', 'cpu') / loop:.1f}x that." if loop else "."))
        L.append("")
    if early_rows:
        em = early_manifest
        L.append("## The findings-heavy corpus: early-stage plans, on one core")
        L.append("")
        eb = by_tool["hoks-early-json"][0]["bytes"] if "hoks-early-json" in by_tool else 0
        L.append(f"`hoks gen --seed 20261128 --count {a.docs} --invalid {len(em)} --profile early`: {a.docs:,} "
                 f"plans in progress as NDJSON, {eb / 1e6:.0f} MB (units without demonstrations or teaching "
                 "hours, codes outside the snapshot), validated without a study right, as vendors export most "
                 f"of the year. hoks reports **{early_findings or 0:,} findings** "
                 f"({(early_findings or 0) / a.docs:.1f} per document), {early_ignored or 0:,} with the rules "
                 "that only warn or inform here ignored (`--ignore`). Same runs, same core, same way of "
                 "measuring as above; \"vs simdjson\" is CPU time over the bare parse's.")
        L.append("")
        L.append("| program | wall s | docs/s | MB/s | findings/s | vs ajv | CPU s | vs ajv (CPU) | vs simdjson (CPU) | peak RSS |")
        L.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for tool, label, wall, rate, mbs, fps, ratio, cpu, cpu_ratio, floor, rss in early_rows:
            bold = tool.startswith("hoks") and tool != "hoks-early-ignored"
            ratio_s = (f"**{ratio:.1f}x**" if bold else f"{ratio:.2f}x") if ratio else ""
            L.append(f"| {label.format(**m)} | {wall:.2f} | {rate:,.0f} | {mbs:.1f} | "
                     f"{f'{fps:,.0f}' if fps else ''} | {ratio_s} | {cpu:.2f} | "
                     f"{f'{cpu_ratio:.1f}x' if cpu_ratio else ''} | {f'{floor:.1f}x' if floor else ''} | "
                     f"{rss / 1024:.0f} MB |")
        L.append("")
        targets = {"hoks-early-json": 6, "hoks-early-text": 6, "hoks-early-sarif": 5, "hoks-early-junit": 5}
        met = [f"{t[len('hoks-early-'):]} {r[6]:.1f}x wall / {r[8]:.1f}x CPU (target {targets[t]}x: "
               f"{'met' if min(r[6], r[8]) >= targets[t] else 'met by CPU time only' if r[8] >= targets[t] else 'NOT met'})"
               for t in targets for r in early_rows if r[0] == t and r[6] and r[8]]
        if met:
            L.append("Against ajv: " + "; ".join(met) + ".")
        loop = parse_loop(a.out, "simdjson-early")
        if loop and "hoks-early-json" in by_tool:
            L.append(f"simdjson's parse loop alone takes {loop:.3f} s on this corpus by its own clock; hoks --format "
                     f"json's whole process is {med('hoks-early-json', 'cpu') / loop:.1f}x that by CPU time.")
        if cost and cost["cpu"] > 0:
            L.append(f"A finding costs **{cost['cpu']:.0f} ns** of CPU time ({cost['wall']:.0f} ns of wall time): "
                     f"json run minus the run with the finding rules ignored, back to back (the median over "
                     f"{cost['rounds']} rounds), over the {cost['n']:,} "
                     f"findings that makes (target <= 300 ns: {'met' if cost['cpu'] <= 300 else 'NOT met'}). This "
                     "includes checking the rules that find them, not the report alone.")
        elif cost:
            L.append(f"A finding's cost could not be measured in this run: the median json run took "
                     f"{med('hoks-early-json', 'cpu'):.3f} CPU s and the median run with the finding rules ignored "
                     f"{med('hoks-early-ignored', 'cpu'):.3f} (run again on a quieter machine, or with more --runs).")
        if "hoks-early-jobs2" in by_tool:
            sp = paired("hoks-early-json", "hoks-early-jobs2", over)
            L.append(f"`--jobs 2` (json): {med('hoks-early-jobs2'):.3f} s, **{sp:.2f}x** `--jobs 1` (the median over "
                     "the rounds of each round's ratio; target 1.8x).")
        L.append("")
    # Measured apart from this run (callgrind, by hand): the section is carried over from the file.
    if a.write and os.path.exists(a.write):
        kept = open(a.write, encoding="utf-8").read()
        start = kept.find("## Cost per finding (callgrind)")
        if start >= 0:
            end = kept.find("\n## ", start + 1)
            L.extend(kept[start:end if end >= 0 else len(kept)].rstrip("\n").split("\n") + [""])
    L.append("## Verdicts")
    L.append("")
    if problems:
        L.append("**Some validator did not flag exactly the injected documents:**")
        L.append("")
        L.extend(f"- {p}" for p in problems)
    else:
        L.append(f"- hoks (every run, --jobs 1 and 2) flagged exactly the {len(manifest)} injected documents, "
                 "each with the rule the generator promised; the --jobs 2 report is byte-identical to --jobs 1.")
        L.append(f"- ajv, valijson and python-jsonschema rejected exactly the {n_schema} documents whose defect "
                 "a JSON Schema can express, and accepted the others (check digits and eHOKS rules are outside "
                 "what a JSON Schema says).")
        if early_checked:
            n_early_schema = sum(1 for x in early_manifest if x["schema"])
            L.append(f"- Early corpus: hoks (every run, in {', '.join(sorted({t[len('hoks-early-'):] for t in early_checked}))}, "
                     f"with the finding rules ignored and with --jobs 2) reported errors on exactly the "
                     f"{len(early_expected)} injected documents whose defect needs no study right, each with the "
                     f"promised rule, and no other error among its {early_findings or 0:,} findings "
                     f"({len(early_manifest) - len(early_expected)} injected defects need the study right that "
                     "is not given); the --jobs 2 report is byte-identical to --jobs 1. ajv rejected exactly the "
                     f"{n_early_schema} schema defects.")
        L.append("- simdjson parsed every document of both corpora.")
    L.append("")
    L.append("## Parallel, start-up and memory")
    L.append("")
    if jobs_speedup:
        L.append(f"- `--jobs 2` on the same corpus: {med(jobs_pair[1]):.3f} s, **{jobs_speedup:.2f}x** "
                 f"`--jobs 1`, run back to back (the median over {len(by_tool[jobs_pair[1]])} rounds of each "
                 "round's ratio; target 1.8x; the two cores are shared with whatever else runs).")
    if startup:
        L.append(f"- One small file (`fixtures/examples/hoks-example.json`, with the study right), process "
                 f"start to exit, hyperfine over 100 runs: mean **{startup['mean']:.1f} ms** (median "
                 f"{startup['median']:.1f}, min {startup['min']:.1f}, max {startup['max']:.1f}; target < 10 ms), of "
                 f"which CPU {startup['user'] + startup['system']:.1f} ms (user {startup['user']:.1f}, system "
                 f"{startup['system']:.1f}). "
                 "The model, rule catalog and code lists are converted from YAML at build time.")
        if "startup-instructions" in by_tool:
            L.append(f"  The run executes {by_tool['startup-instructions'][0]['instructions'] / 1e6:.1f} million "
                     "instructions (callgrind), start-up included; before the build-time conversion, parsing "
                     "the YAML alone took about 190 million.")
    if stream:
        L.append(f"- A {stream['bytes'] / 1e9:.1f} GB NDJSON stream ({stream['docs']:,} documents) with "
                 f"`--jobs 2`: {stream['wall']:.1f} s ({stream['bytes'] / stream['wall'] / 1e6:.0f} MB/s), "
                 f"peak RSS **{stream['rss_kb'] / 1024:.0f} MB**: memory stays flat.")
    else:
        L.append("- The long-stream memory run was skipped (`--stream-gb 0`).")
    L.append("")
    converters = [r for r in runs if r["tool"].startswith("convert-")]
    if converters:
        L.append(f"## Converters (`hoks convert`, {converters[0]['docs']:,} generated documents as one JSON array, one core)")
        L.append("")
        L.append("| conversion | JSON MB | wall s | MB/s (wall) | CPU s | MB/s (CPU) | peak RSS |")
        L.append("|---|---:|---:|---:|---:|---:|---:|")
        slowest = None
        for tool in dict.fromkeys(r["tool"] for r in converters):
            wall, cpu, rss = med(tool), med(tool, "cpu"), med(tool, "rss_kb")
            mb = by_tool[tool][0]["bytes"] / 1e6
            slowest = min(slowest or mb / wall, mb / wall)
            L.append(f"| {tool[len('convert-'):].replace('-', ' to ')} | {mb:.1f} | {wall:.3f} | **{mb / wall:.1f}** | "
                     f"{cpu:.3f} | {mb / max(cpu, 1e-9):.1f} | {rss / 1024:.0f} MB |")
        L.append("")
        L.append(f"Median of {len(by_tool[converters[0]['tool']])} interleaved run(s), whole processes pinned to one core "
                 "(reading the input and writing the output included). The rate is JSON megabytes per second on either "
                 "side (the JSON the XML or CSV holds); the target is 100 MB/s: "
                 + ("met by every conversion." if slowest >= 100 else f"not met (slowest {slowest:.1f} MB/s)."))
        L.append("No conversion between canonical forms builds a document tree: an array of documents is parsed and "
                 "written one document at a time (JSON to XML, XML to JSON); the CSV writer writes each row as it "
                 "comes, the CSV reader indexes the cells of the input in place and writes the JSON as it goes.")
        L.append("")
    else:
        L.append("The converters (`hoks convert`) were not in this build, so they were not measured.")
        L.append("")
    if stages:
        L.append("## Stages (Google Benchmark, `hoks_stages_bench`, 1,000 generated documents, CPU time)")
        L.append("")
        L.append("| stage | ms per 1,000 documents | docs/s | MB/s |")
        L.append("|---|---:|---:|---:|")
        for name, cpu, ips, bps in stages:
            L.append(f"| {name} | {cpu:.2f} | {ips:,.0f} | {bps / 1e6:,.0f} |")
        L.append("")
        L.append("BM_Read is the JSON reader; BM_SchemaStage the schema walk on read documents; "
                 "BM_SchemaAndRules adds every rule (the rules cost the difference); BM_Pipeline is what "
                 "`validate_text` does for an NDJSON input (split, read, validate, locate findings); "
                 "BM_Report* render the report of the 1,000 documents.")
        L.append("")
    text = "\n".join(L) + "\n"
    sys.stdout.write(text)
    if a.write and not a.quick:
        with open(a.write, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {a.write}")
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
