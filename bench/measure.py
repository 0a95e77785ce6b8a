"""Run a command and measure it: wall time, the resident memory of its whole process tree,
and CPU time, the command's own process (the coordinator) apart from the whole tree."""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field

import psutil


@dataclass
class Measured:
    seconds: float
    peak_rss_total: int  # bytes, all processes of the tree at one moment (sampled every 0.1 s)
    peak_rss_one: int  # bytes, the largest single process
    returncode: int
    coordinator_cpu: float = 0.0  # CPU seconds of the command's own process (sampled)
    tree_cpu: float = 0.0  # CPU seconds of the command and every process under it
    stdout: str = ""
    peak_pss_total: int = (
        0  # bytes, the tree's proportional set size (shared pages split), every 1 s
    )
    processes: list[tuple[str, float]] = field(default_factory=list)  # (what, CPU s), most first

    def coordinator_share(self, cores: int) -> float:
        """The coordinator's CPU seconds over the machine's (wall x cores)."""
        return self.coordinator_cpu / (self.seconds * cores) if self.seconds else 0.0

    def coordinator_of_tree(self) -> float:
        """The coordinator's part of all the CPU time the run used."""
        return self.coordinator_cpu / self.tree_cpu if self.tree_cpu else 0.0


def cores() -> int:
    """The cores this process may run on (what ``nproc`` prints)."""
    return len(os.sched_getaffinity(0))


def run_measured(
    cmd: list[str], env: dict[str, str] | None = None, *, capture: bool = False
) -> Measured:
    """Run ``cmd``; with ``capture`` its standard output is kept (as text).

    The whole tree's CPU is the larger of the kernel's count for the command when it is
    reaped (``wait4``: it includes every descendant that was itself waited for) and the sum
    of the last samples of each process seen. The coordinator's own CPU is sampled every
    0.1 s, so its last tenth of a second may be missed."""
    with tempfile.TemporaryFile() as out:
        m = _run(cmd, env, out if capture else subprocess.DEVNULL)
        if capture:
            out.seek(0)
            m.stdout = out.read().decode(errors="replace")
    return m


def _run(cmd: list[str], env: dict[str, str] | None, stdout: object) -> Measured:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=stdout, stderr=subprocess.DEVNULL)
    peak_total = peak_one = peak_pss = 0
    own = 0.0
    seen: dict[tuple[int, float], float] = {}
    what: dict[tuple[int, float], str] = {}
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak_total, peak_one, peak_pss, own
        tick = 0
        try:
            root = psutil.Process(proc.pid)
        except psutil.Error:
            return
        while not stop.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            rss = []
            for p in procs:
                try:
                    with p.oneshot():
                        rss.append(p.memory_info().rss)
                        t = p.cpu_times()
                        key = (p.pid, p.create_time())
                        seen[key] = t.user + t.system
                        if key not in what:
                            what[key] = _describe(p, p is root)
                        if p is root:
                            own = t.user + t.system
                except psutil.Error:
                    pass
            peak_total = max(peak_total, sum(rss))
            peak_one = max(peak_one, max(rss, default=0))
            if tick % 10 == 0:  # reading smaps costs more: once a second
                pss = 0
                for p in procs:
                    try:
                        pss += p.memory_full_info().pss
                    except (psutil.Error, AttributeError):
                        pass
                peak_pss = max(peak_pss, pss)
            tick += 1
            stop.wait(0.1)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    stop.set()
    thread.join()
    tree = max(usage.ru_utime + usage.ru_stime, sum(seen.values()))
    m = Measured(seconds, peak_total, peak_one, proc.returncode, own, tree)
    m.peak_pss_total = peak_pss
    m.processes = sorted(((what[k], cpu) for k, cpu in seen.items()), key=lambda x: -x[1])
    return m


def _describe(p: psutil.Process, root: bool) -> str:
    try:
        args = p.cmdline()
    except psutil.Error:
        args = []
    if root:
        return f"coordinator [{p.pid}]"
    if p.name() == "tesseract":
        return "tesseract"
    helper = "resource tracker" if any("resource_tracker" in a for a in args) else p.name()
    return f"{helper} [{p.pid}]"
