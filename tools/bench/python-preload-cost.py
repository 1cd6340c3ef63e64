#!/usr/bin/env python3
"""What a Python CGI request costs with a fresh interpreter vs a fork of an already initialised one (docs/cgi.md,
"Python start-up"). Measures, one request after the other (the c=1 case), the wall time from start to stdout EOF plus
reaping, and the children's CPU, of:

  fresh   posix_spawn("/usr/bin/python3", [python3, script]) - what `cgi` does today, and fcgiwrap too
  fork    os.fork() of this process (interpreter up, site imported); the child sets cwd, env, argv and fds 0-2 and
          runs the script with runpy.run_path(script, run_name="__main__"), as a preload fork server would

Interleaved in rounds so outside load hits both alike. Prints medians and the ratio.

  tools/bench/python-preload-cost.py [ROUNDS]
"""
import os
import resource
import runpy
import statistics
import sys
import tempfile
import time

SCRIPT = 'print("Content-Type: text/plain")\nprint()\nprint("Hello, Python CGI!")\n'
ENV = {"GATEWAY_INTERFACE": "CGI/1.1", "REQUEST_METHOD": "GET", "PATH": "/usr/local/bin:/usr/bin:/bin"}


def drain(fd):
    out = b""
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            os.close(fd)
            return out
        out += chunk


def fresh(script):
    r, w = os.pipe()
    pid = os.posix_spawn(sys.executable, [sys.executable, script], ENV,
                         file_actions=[(os.POSIX_SPAWN_DUP2, w, 1), (os.POSIX_SPAWN_CLOSE, r)], setsid=True)
    os.close(w)
    out = drain(r)
    os.waitpid(pid, 0)
    return out


def forked(script):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            os.setsid()
            os.close(r)
            os.dup2(w, 1)
            os.close(w)
            os.chdir(os.path.dirname(script))
            os.environ.clear()
            os.environ.update(ENV)
            sys.argv = [script]
            sys.stdout = open(1, "w", closefd=False)
            runpy.run_path(script, run_name="__main__")
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        finally:
            sys.stdout.flush()
            os._exit(code)
    os.close(w)
    out = drain(r)
    os.waitpid(pid, 0)
    return out


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    with tempfile.TemporaryDirectory() as d:
        script = os.path.join(d, "hello.py")
        with open(script, "w") as f:
            f.write(SCRIPT)
        times = {"fresh": [], "fork": []}
        cpu = {"fresh": 0.0, "fork": 0.0}
        for _ in range(rounds):
            for name, run in (("fresh", fresh), ("fork", forked)):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                out = run(script)
                times[name].append((time.perf_counter() - start) * 1000)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu[name] += (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                assert out.endswith(b"Hello, Python CGI!\n"), out
        load = open("/proc/loadavg").read().split()[:3]
        print(f"python CGI hello, {rounds} rounds interleaved, load average {' '.join(load)}")
        for name in ("fresh", "fork"):
            print(f"{name:6} median {statistics.median(times[name]):7.2f} ms  p90 {statistics.quantiles(times[name], n=10)[-1]:7.2f} ms"
                  f"  child CPU {cpu[name] / rounds * 1000:6.2f} ms/request")
        print(f"fresh/fork median ratio {statistics.median(times['fresh']) / statistics.median(times['fork']):.1f}x")


if __name__ == "__main__":
    main()
