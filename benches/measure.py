"""Helpers shared by the benchmarks: CPU time spent by a server process and its workers."""
import os


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
