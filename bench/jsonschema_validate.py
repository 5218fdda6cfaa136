#!/usr/bin/env python3
"""The python-jsonschema peer of the benchmark: validates NDJSON lines with python3-jsonschema
(Draft7Validator, what check-jsonschema uses). Prints the 1-based numbers of the rejected
documents, one per line, and a summary on standard error.

    jsonschema_validate.py SCHEMA.json CORPUS.ndjson [MAX_DOCUMENTS]
"""
import json
import sys
import time

import jsonschema


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: jsonschema_validate.py SCHEMA.json CORPUS.ndjson [MAX_DOCUMENTS]")
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
    with open(sys.argv[1], encoding="utf-8") as f:
        validator = jsonschema.Draft7Validator(json.load(f))
    start = time.perf_counter()
    documents, rejected = 0, []
    with open(sys.argv[2], encoding="utf-8") as corpus:
        for line in corpus:
            if not line.strip():
                continue
            if limit is not None and documents >= limit:
                break
            documents += 1
            try:
                ok = validator.is_valid(json.loads(line))
            except ValueError:
                ok = False
            if not ok:
                rejected.append(documents)
    seconds = time.perf_counter() - start
    sys.stdout.write("".join(f"{d}\n" for d in rejected))
    sys.stderr.write(f"jsonschema: {documents} documents, {len(rejected)} rejected, {seconds:.3f} s\n")


if __name__ == "__main__":
    main()
