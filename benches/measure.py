"""Helpers shared by the benchmarks: the servers' command-line options, CPU time spent by a server process and its workers, waiting
for a server to answer, timing requests one after the other, the wrk script asking for random
paths, and a wrk run measuring a server's rate, latency and CPU time per request."""
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from statistics import median


def add_server_options(parser, oxigraph=True):
    """`--datafond` (default: the release build under CARGO_TARGET_DIR, else target/) and, with
    `oxigraph`, `--oxigraph` (default: the `oxigraph` on PATH)."""
    parser.add_argument("--datafond", default=os.path.join(
        os.environ.get("CARGO_TARGET_DIR", "target"), "release", "datafond"))
    if oxigraph:
        parser.add_argument("--oxigraph", default=shutil.which("oxigraph") or "oxigraph")


@contextlib.contextmanager
def serving(cmd, cwd, stop=signal.SIGTERM):
    """Runs the server `cmd` (its output discarded) for the `with` block, then stops it with the
    signal `stop` and waits for it to exit: each measurement gets a server started afresh."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    try:
        yield proc
    finally:
        proc.send_signal(stop)
        proc.wait()


def _own_cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User + system CPU time so far of process `pid` and its child processes (nginx's
    workers). On a shared machine the CPU a server spends per answer varies much less than the
    rate it reaches."""
    total = _own_cpu(pid)
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            children = [int(c) for c in f.read().split()]
    except OSError:
        children = []
    for child in children:
        try:
            total += _own_cpu(child)
        except OSError:
            pass
    return total


def thread_cpu_seconds(pid):
    """CPU time so far of every live thread of process `pid`, in nanosecond resolution (the
    scheduler's own accounting, /proc/<pid>/task/<tid>/schedstat): fine enough to time single
    requests. Threads that have exited are not counted."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                total += int(f.read().split()[0])
        except OSError:
            pass
    return total / 1e9


def answering(url, timeout=120):
    """Waits until the server at `url` answers at all (any status)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except urllib.error.HTTPError:
            return
        except Exception:
            time.sleep(0.2)
    raise SystemExit(f"{url} never answered")


def timed(pid, urls, headers):
    """Wall seconds and CPU seconds of server `pid` for fetching `urls` one after the other."""
    cpu, start = cpu_seconds(pid), time.perf_counter()
    for url in urls:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as r:
            r.read()
    return time.perf_counter() - start, cpu_seconds(pid) - cpu


def wrk_script(paths_file, header, value, count=None, pause_ms=0):
    """A wrk Lua script asking, per request, for a random one of the first `count` paths (one
    per line in `paths_file`; all by default) with the request header `header: value`. A request
    is the path spliced into a request formatted once per thread, so wrk's own CPU per request
    (it shares the machine's cores with the server) stays small. Per-thread set-up stays short
    too: wrk runs it for one thread after starting the threads before it, and counts what those
    answered meanwhile, but not the time it took, in its requests/s. With `pause_ms`, each
    connection waits that long after every answer: a steady pace below saturation."""
    pause = f"delay = function() return {pause_ms} end\n" if pause_ms else ""
    limit = f"math.min(#paths, {count})" if count else "#paths"
    return pause + f"""
local paths = {{}}
for line in io.lines("{paths_file}") do paths[#paths + 1] = line end
local n = {limit}
local head, tail
function init(args)
  -- Formatted here, not at the top level, where wrk.host is not yet set (the request would
  -- carry no Host header).
  local sample = wrk.format("GET", "/@PATH@", {{["{header}"] = "{value}"}})
  local from, to = sample:find("/@PATH@", 1, true)
  head, tail = sample:sub(1, from - 1), sample:sub(to + 1)
end
math.randomseed(os.time() + math.floor(os.clock() * 1e6))
local random = math.random
request = function()
  return head .. paths[random(n)] .. tail
end
"""


def run_wrk(port, script, seconds, connections, tmp, pid):
    """Runs wrk (`-t2`, `connections` connections, the Lua `script` choosing each request)
    against the server `pid` on `port`: requests/s, p50, p99, and the server's CPU time per
    request (µs). Exits when any answer is an error."""
    path = os.path.join(tmp, "script.lua")
    with open(path, "w") as f:
        f.write(script)
    before = cpu_seconds(pid)
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s",
                          path, f"http://127.0.0.1:{port}"], capture_output=True, text=True).stdout
    cpu = cpu_seconds(pid) - before
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    if "Non-2xx or 3xx" in out:
        sys.exit(f"errors during the run:\n{out}")
    return rps, lat.get("50", "?"), lat.get("99", "?"), cpu * 1e6 / requests


def milliseconds(latency):
    """wrk's latency text (`853.00us`, `4.37ms`, `1.20s`) in milliseconds."""
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", latency).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def print_rounds_summary(rows, peer, label):
    """Medians over rounds of `rows` = (round, case, server, req/s, p50, p99, CPU µs): each
    server's req/s, p99 and CPU per request, and its req/s and CPU against the `peer` server's
    in the same round and case (paired, so that the machine's drift between rounds cancels
    out). This machine's noise is ±20–30% between back-to-back runs: one round says little."""
    rounds = sorted({r[0] for r in rows})
    print(f"\nMedians over {len(rounds)} rounds (ratios paired within each round):")
    print(f"{label:<26}{'server':<28}{'req/s':>9}{'vs peer':>9}{'p99 median (range)':>27}"
          f"{'CPU/req':>9}{'vs peer':>9}")
    cases = list(dict.fromkeys((r[1], r[2]) for r in rows))
    for case, server in cases:
        mine = {r[0]: r for r in rows if r[1] == case and r[2] == server}
        theirs = {r[0]: r for r in rows if r[1] == case and r[2] == peer}
        paired = [n for n in mine if n in theirs]
        p99s = [milliseconds(mine[n][5]) for n in mine]
        rate_ratio = median([mine[n][3] / theirs[n][3] for n in paired]) if paired else 0
        cpu_ratio = median([mine[n][6] / theirs[n][6] for n in paired]) if paired else 0
        spread = f"{median(p99s):.2f} ({min(p99s):.2f}–{max(p99s):.2f}) ms"
        print(f"{case:<26}{server:<28}{median([m[3] for m in mine.values()]):>9.0f}"
              f"{rate_ratio:>8.2f}x{spread:>27}{median([m[6] for m in mine.values()]):>7.1f}us"
              f"{cpu_ratio:>8.2f}x")
