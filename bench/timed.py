#!/usr/bin/env python3
"""Runs a command with its standard output and error to files and writes one line to TIME-FILE:
wall seconds, peak RSS in KB, user and system CPU seconds (microsecond resolution, where
/usr/bin/time rounds to 10 ms). Exits 0 whatever the command's status.

    timed.py TIME-FILE STDOUT-FILE STDERR-FILE COMMAND...
"""
import os
import subprocess
import sys
import time

time_file, out_file, err_file, *command = sys.argv[1:]
with open(out_file, "wb") as out, open(err_file, "wb") as err:
    start = time.monotonic()
    child = subprocess.Popen(command, stdout=out, stderr=err)
    _, _, usage = os.wait4(child.pid, 0)
    wall = time.monotonic() - start
with open(time_file, "w", encoding="utf-8") as f:
    f.write(f"{wall:.6f} {usage.ru_maxrss} {usage.ru_utime:.6f} {usage.ru_stime:.6f}\n")
