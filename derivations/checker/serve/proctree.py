"""The memory of a process and all its descendants, and the CPU time of a process and its
children, read from ``/proc`` (Linux).

For each process: ``VmHWM`` (its peak resident set), ``VmRSS`` (resident now) and ``Pss``
(its proportional share of what is resident, from ``smaps_rollup``: pages shared by the
forked workers counted once in all). :class:`MemoryWatch` samples a tree now and then and
keeps the peaks, since a worker that is replaced takes its ``VmHWM`` with it.

>>> import os
>>> cpu_seconds(os.getpid()) > 0
True
>>> tree = process_tree(os.getpid())
>>> tree[0].pid == os.getpid() and tree[0].hwm_kb >= tree[0].rss_kb > 0
True
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ProcessMemory:
    """One process's memory in kB (``pss_kb`` 0 where the kernel does not say)."""

    pid: int
    name: str
    hwm_kb: int
    rss_kb: int
    pss_kb: int


def _children(pid: int) -> list[int]:
    """The children of ``pid`` (from every thread's ``children`` list)."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as f:
                found += [int(p) for p in f.read().split()]
        except (OSError, ValueError):
            continue
    return found


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_ticks(pid: int, waited: bool) -> int:
    """``utime + stime`` of ``pid`` (plus its waited-for children's with ``waited``)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0
    # fields[0] is the state (field 3 of proc(5)); utime, stime, cutime, cstime: 14 to 17
    return sum(int(x) for x in fields[11:15 if waited else 13])


def cpu_seconds(pid: int) -> float:
    """The CPU seconds (user and system) used by ``pid``, its ended children and its living
    children: what a task in a worker process has cost, proof processes included."""
    ticks = _cpu_ticks(pid, waited=True) + sum(_cpu_ticks(c, waited=False)
                                               for c in _children(pid))
    return ticks / _TICKS


def tree_cpu_seconds(root: int) -> float:
    """The CPU seconds used by ``root`` and all its descendants, the ended ones included
    (each living process's own time plus that of the children it has waited for)."""
    todo, seen, ticks = [root], set(), 0
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        ticks += _cpu_ticks(pid, waited=True)
        todo += _children(pid)
    return ticks / _TICKS


def _status(pid: int) -> dict[str, str]:
    with open(f"/proc/{pid}/status", encoding="utf-8", errors="replace") as f:
        return dict(line.split(":", 1) for line in f if ":" in line)


def _kb(value: str | None) -> int:
    return int(value.split()[0]) if value else 0


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    return 0


def process_memory(pid: int) -> ProcessMemory | None:
    """The memory of ``pid``, or None if it has ended (or ``/proc`` cannot say)."""
    try:
        status = _status(pid)
    except OSError:
        return None
    return ProcessMemory(pid, status.get("Name", "?").strip(), _kb(status.get("VmHWM")),
                         _kb(status.get("VmRSS")), _pss(pid))


def process_tree(root: int) -> list[ProcessMemory]:
    """``root`` and every living descendant, ``root`` first."""
    out, todo, seen = [], [root], set()
    while todo:
        pid = todo.pop(0)
        if pid in seen:
            continue
        seen.add(pid)
        memory = process_memory(pid)
        if memory is not None:
            out.append(memory)
            todo += _children(pid)
    return out


@dataclass
class MemoryWatch:
    """The peaks of a process tree over the samples taken (:meth:`sample`), in kB."""

    root: int
    root_hwm_kb: int = 0
    worker_hwm_kb: int = 0
    peak_rss_kb: int = 0
    peak_pss_kb: int = 0
    most_processes: int = 0
    samples: int = 0
    names: set[str] = field(default_factory=set)

    def sample(self) -> None:
        """Read the tree now and keep the peaks."""
        tree = process_tree(self.root)
        if not tree:
            return
        self.samples += 1
        self.most_processes = max(self.most_processes, len(tree))
        self.root_hwm_kb = max(self.root_hwm_kb, tree[0].hwm_kb)
        self.worker_hwm_kb = max([self.worker_hwm_kb] + [p.hwm_kb for p in tree[1:]])
        self.peak_rss_kb = max(self.peak_rss_kb, sum(p.rss_kb for p in tree))
        self.peak_pss_kb = max(self.peak_pss_kb, sum(p.pss_kb for p in tree))
        self.names |= {p.name for p in tree}


__all__ = ["MemoryWatch", "ProcessMemory", "cpu_seconds", "process_memory", "process_tree",
           "tree_cpu_seconds"]
