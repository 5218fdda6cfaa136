#!/usr/bin/env python3
"""Runs a command with standard input, output and error each on a pseudo-terminal or a pipe, and
prints {"status", "stdout", "stderr"} as JSON (UTF-8), for the terminal tests.

pty_run.py [--stdin pty|null|slow] [--stdout pty|pipe] [--stderr pty|pipe] [--env K=V]... -- CMD...
  --stdin slow: a pipe that gets the bytes of --slow-file after --slow-delay seconds, then ends.
  --stdin pty: a terminal that ends the input (Ctrl-D) after --eof-delay seconds.
"""
import argparse, json, os, pty, select, subprocess, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("--stdin", default="null", choices=["pty", "null", "slow"])
ap.add_argument("--stdout", default="pipe", choices=["pty", "pipe"])
ap.add_argument("--stderr", default="pipe", choices=["pty", "pipe"])
ap.add_argument("--env", action="append", default=[])
ap.add_argument("--unset", action="append", default=[])
ap.add_argument("--slow-file", default="")
ap.add_argument("--slow-delay", type=float, default=1.5)
ap.add_argument("--eof-delay", type=float, default=0.5)
ap.add_argument("cmd", nargs=argparse.REMAINDER)
a = ap.parse_args()
cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd

env = dict(os.environ)
for k in a.unset + ["CI", "NO_COLOR", "GITHUB_ACTIONS", "GITLAB_CI", "TF_BUILD", "BUILDKITE", "JENKINS_URL"]:
    env.pop(k, None)
env["TERM"] = "xterm"
for kv in a.env:
    k, _, v = kv.partition("=")
    env[k] = v

masters, kwargs, close_after = {}, {}, []
for name in ("stdin", "stdout", "stderr"):
    mode = getattr(a, name)
    if mode == "pty":
        m, s = pty.openpty()
        masters[name] = m
        kwargs[name] = s
        close_after.append(s)
    elif mode == "null":
        kwargs[name] = subprocess.DEVNULL
    elif mode == "slow":
        kwargs[name] = subprocess.PIPE
    else:
        kwargs[name] = subprocess.PIPE

p = subprocess.Popen(cmd, env=env, **kwargs)
for s in close_after:
    os.close(s)
out = {"stdout": b"", "stderr": b""}
readers = {}
for name in ("stdout", "stderr"):
    if name in masters:
        readers[masters[name]] = name
    else:
        readers[getattr(p, name).fileno()] = name
start = time.monotonic()
fed = False
while readers:
    now = time.monotonic() - start
    if not fed:
        if a.stdin == "slow" and now >= a.slow_delay:
            with open(a.slow_file, "rb") as f:
                p.stdin.write(f.read())
            p.stdin.close()
            fed = True
        elif a.stdin == "pty" and now >= a.eof_delay:
            os.write(masters["stdin"], b"\x04")
            fed = True
        elif a.stdin == "null":
            fed = True
    ready, _, _ = select.select(list(readers), [], [], 0.05)
    for fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        if data:
            out[readers[fd]] += data
        else:
            del readers[fd]
    if now > 60:
        p.kill()
        break
status = p.wait()
print(json.dumps({"status": status, "stdout": out["stdout"].decode("utf-8", "replace"), "stderr": out["stderr"].decode("utf-8", "replace")}))
