#!/usr/bin/env python3
"""Live benchmarks for Vigil's kernel source (docs/benchmarks.md, issue 5 goal 4).

Usage (as root, from the repository root, on a quiet machine):

  python3 bench/live/bench.py throughput [--rounds 5] [--rules FILE] [--parallel N] [--load ARGS]
      Start `./vigil run`, run the syscall loop, stop the agent and read its statistics:
      events delivered into the engine per second of load, kernel drops, agent CPU and RSS.
  python3 bench/live/bench.py overhead [--rounds 7] [--workloads loop,open,tar,compile]
      Paired runs: each workload without and with `./vigil run` attached (the order alternates
      between rounds); the ratio of the workload's CPU (user+sys of it and its children) and wall
      time, median over rounds, and the agent's own CPU during the measured run. The agent is
      warmed first by --warm runs of the workload (default 1), as a long-running agent is.
  python3 bench/live/bench.py decompose [--rounds 7] [--workloads loop,tar]
      How much of the overhead no tracepoint probe can avoid. Each round runs the workload three
      ways, in rotating order: without anything attached; with a no-op program on the same
      tracepoint as the probe (noop.bpf.c: the kernel's syscall-tracepoint slow path on every
      syscall, which any program there turns on); and with the agent (warmed as in `overhead`).
      Prints the workload's CPU ratio of each to the first.
  python3 bench/live/bench.py kernel [--workloads open,loop]
      The probe's own cost in the kernel per program run (kernel.bpf_stats_enabled, restored after).
  python3 bench/live/bench.py idle
      RSS of an idle agent after 20 s.

--ring-size MiB: the agent's ring buffer (default: vigil run's, 8 MiB).
--priority-boost N: the agent's threads at nice -N (vigil run --priority-boost; default 0).

--open-filter on|off: whether the agent keeps opens no rule can match in the kernel (`./vigil run
--open-filter`) or sends every open (`./vigil run`'s default). Default: off.

Every run prints its raw figures; the summary gives the median and the range.
"""

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LOADGEN_SRC = os.path.join(ROOT, "bench", "live", "loadgen.c")
STATS = re.compile(
    r"stopped after ([0-9.]+) s: (\d+) events \((\d+)/s\), (\d+) dropped in the kernel, (\d+) alerts"
)
FILTERED = re.compile(r"(\d+) opens and closes no rule needed were kept in the kernel")


def build_loadgen():
    out = os.path.join(tempfile.gettempdir(), "vigil-loadgen")
    if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(LOADGEN_SRC):
        subprocess.run(["gcc", "-O2", "-o", out, LOADGEN_SRC], check=True)
    return out


def run_measured(cmd, **kw):
    """Runs cmd; returns (wall seconds, cpu seconds of it and its children, stdout)."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, **kw)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: {cmd} failed with status {status}")
    return wall, ru.ru_utime + ru.ru_stime, out.decode()


class Agent:
    """`./vigil run` in the background, stopped with SIGTERM; its statistics parsed from stderr."""

    def __init__(self, opts):
        args = [os.path.join(ROOT, "vigil"), "run"]
        for r in opts.rules:
            args += ["-r", r]
        if opts.open_filter == "on":
            args.append("--open-filter")
        if opts.ring_size:
            args.append(f"--ring-size={opts.ring_size}")
        if opts.priority_boost:
            args.append(f"--priority-boost={opts.priority_boost}")
        self.err = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=self.err)
        deadline = time.monotonic() + 120
        while b"watching" not in self._stderr():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                sys.exit("bench: the agent did not start:\n" + self._stderr().decode())
            time.sleep(0.1)
        time.sleep(1.0)  # let the JIT settle on the idle stream

    def _stderr(self):
        self.err.seek(0)
        return self.err.read()

    def rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def cpu_s(self):
        """The agent's user+sys CPU so far, from /proc (clock ticks)."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        _, status, ru = os.wait4(self.proc.pid, 0)
        text = self._stderr().decode()
        m = STATS.search(text)
        if not m:
            sys.exit("bench: no statistics from the agent:\n" + text)
        f = FILTERED.search(text)
        return {
            "filtered": int(f.group(1)) if f else 0,
            "events": int(m.group(2)),
            "dropped": int(m.group(4)),
            "alerts": int(m.group(5)),
            "cpu_s": ru.ru_utime + ru.ru_stime,
            "maxrss_mb": ru.ru_maxrss / 1024,
        }


def summary(name, values, unit="", fmt="{:.3f}"):
    med = statistics.median(values)
    print(
        f"  {name}: median {fmt.format(med)}{unit} (range {fmt.format(min(values))}"
        f" to {fmt.format(max(values))}{unit}, n={len(values)})"
    )


def workload_cmd(name, loadgen):
    if name == "loop":
        return [loadgen, "loop"]
    if name == "open":
        return [loadgen, "open", "1000000"]
    if name == "tar":
        return ["sh", "-c", "for i in 1 2 3 4 5; do tar cf - /usr/include 2>/dev/null | cat > /dev/null; done"]
    if name == "compile":
        return ["sh", "-c", f"for i in $(seq 20); do gcc -O2 -c -o /dev/null {LOADGEN_SRC}; done"]
    sys.exit(f"bench: unknown workload {name}")


def throughput(args):
    loadgen = build_loadgen()
    rates, drops, cpus, per_event, rss = [], [], [], [], []
    for i in range(args.rounds):
        agent = Agent(args)
        cpu0 = agent.cpu_s()
        t0 = time.monotonic()
        loads = [
            subprocess.Popen([loadgen] + args.load.split(), stdout=subprocess.PIPE)
            for _ in range(args.parallel)
        ]
        outs = [p.communicate()[0].decode().strip() for p in loads]
        wall = time.monotonic() - t0
        time.sleep(0.5)  # let the agent drain the ring
        cpu = agent.cpu_s() - cpu0
        peak_rss = agent.rss_kb() / 1024
        st = agent.stop()
        rate = st["events"] / wall
        print(
            f"round {i + 1}: {args.parallel} x load in {wall:.2f} s wall ({'; '.join(outs)});"
            f" agent {st['events']} events, {st['dropped']} dropped, {st['alerts']} alerts,"
            f" {rate:,.0f} events/s over the load, agent CPU during the load {cpu:.2f} s"
            f" ({cpu / max(1, st['events']) * 1e9:.0f} ns/event), RSS {peak_rss:.0f} MB"
            f" (max {st['maxrss_mb']:.0f} MB)",
            flush=True,
        )
        rates.append(rate)
        drops.append(st["dropped"])
        cpus.append(cpu / wall)
        per_event.append(cpu / max(1, st["events"]) * 1e9)
        rss.append(st["maxrss_mb"])
    print("throughput (" + (", ".join(args.rules) or "bundled rules") + "):")
    summary("events/s delivered", rates, fmt="{:,.0f}")
    summary("kernel drops", drops, fmt="{:,.0f}")
    summary("agent CPU during the load (cores)", cpus, fmt="{:.2f}")
    summary("agent CPU per event", per_event, " ns", fmt="{:.0f}")
    summary("agent max RSS", rss, " MB", fmt="{:.0f}")


def with_agent(args, cmd):
    """Runs cmd once with a warmed `vigil run` attached (--warm unmeasured runs first, as a
    long-running agent is warm): (wall s, workload CPU s, agent CPU s during the run, statistics)."""
    agent = Agent(args)
    for _ in range(args.warm):
        run_measured(cmd)  # the agent's first events, while its JIT compiles
    c0 = agent.cpu_s()
    wall, cpu, _ = run_measured(cmd)
    agent_cpu = agent.cpu_s() - c0
    return wall, cpu, agent_cpu, agent.stop()


def overhead(args):
    loadgen = build_loadgen()
    for name in args.workloads.split(","):
        cmd = workload_cmd(name, loadgen)
        run_measured(cmd)  # warm the page cache
        cpu_ratios, wall_ratios, system_ratios, agent_cpus = [], [], [], []
        for i in range(args.rounds):
            # Alternate the order, so that drift over a round does not favour one side.
            without_first = i % 2 == 0
            if without_first:
                bwall, bcpu, _ = run_measured(cmd)
            awall, acpu, agent_cpu, st = with_agent(args, cmd)
            if not without_first:
                bwall, bcpu, _ = run_measured(cmd)
            cpu_ratios.append(acpu / bcpu)
            wall_ratios.append(awall / bwall)
            system_ratios.append((acpu + agent_cpu) / bcpu)
            agent_cpus.append(agent_cpu)
            print(
                f"{name} round {i + 1}: without {bcpu:.3f} s CPU / {bwall:.3f} s wall;"
                f" with Vigil {acpu:.3f} s CPU / {awall:.3f} s wall, agent {agent_cpu:.2f} s CPU;"
                f" agent {st['events']} events, {st['dropped']} dropped,"
                f" {st['filtered']} kept in the kernel",
                flush=True,
            )
        print(f"overhead {name} (agent warmed by {args.warm} run(s) of the workload):")
        summary("CPU ratio", cpu_ratios)
        summary("wall ratio", wall_ratios)
        summary("agent CPU during the measured run", agent_cpus, " s")
        summary("(workload + agent CPU) / workload CPU", system_ratios)


def build_noop():
    """The no-op tracepoint program and its loader (noop.bpf.c, noop-loader.c)."""
    src = os.path.join(ROOT, "bench", "live")
    obj = os.path.join(tempfile.gettempdir(), "vigil-noop.bpf.o")
    loader = os.path.join(tempfile.gettempdir(), "vigil-noop-loader")
    arch_inc = "/usr/include/" + subprocess.run(["gcc", "-dumpmachine"], capture_output=True, text=True).stdout.strip()
    for out, srcs, cmd in (
        (obj, ["noop.bpf.c"], ["clang", "-O2", "-g", "-target", "bpf", "-I", arch_inc, "-c", "noop.bpf.c", "-o", obj]),
        (loader, ["noop-loader.c"], ["gcc", "-O2", "-o", loader, "noop-loader.c", "-lbpf"]),
    ):
        if not os.path.exists(out) or any(os.path.getmtime(out) < os.path.getmtime(os.path.join(src, f)) for f in srcs):
            subprocess.run(cmd, check=True, cwd=src)
    return obj, loader


class Noop:
    """The no-op program attached to sys_exit while this object lives."""

    def __init__(self, noop):
        obj, loader = noop
        self.proc = subprocess.Popen([loader, obj], stdout=subprocess.PIPE)
        if self.proc.stdout.readline().strip() != b"attached":
            sys.exit("bench: the no-op program did not attach")

    def stop(self):
        self.proc.kill()
        self.proc.wait()


def decompose(args):
    loadgen = build_loadgen()
    noop = build_noop()
    kinds = ["none", "noop", "agent"]
    labels = {
        "noop": "no-op program on sys_exit (the tracepoint's floor)",
        "agent": "Vigil's probe and agent (as overhead)",
    }
    for name in args.workloads.split(","):
        cmd = workload_cmd(name, loadgen)
        run_measured(cmd)  # warm the page cache
        cpu = {k: [] for k in kinds}
        for i in range(args.rounds):
            order = kinds[i % 3 :] + kinds[: i % 3]
            notes = []
            for k in order:
                if k == "none":
                    cpu[k].append(run_measured(cmd)[1])
                elif k == "noop":
                    n = Noop(noop)
                    try:
                        cpu[k].append(run_measured(cmd)[1])
                    finally:
                        n.stop()
                else:
                    _, acpu, _, st = with_agent(args, cmd)
                    cpu[k].append(acpu)
                    notes.append(f"agent: {st['events']} events, {st['dropped']} dropped")
            print(
                f"{name} round {i + 1}: CPU "
                + ", ".join(f"{k} {cpu[k][-1]:.3f} s" for k in kinds)
                + "; "
                + "; ".join(notes),
                flush=True,
            )
        print(f"decompose {name}: workload CPU ratio to the run with nothing attached, per round")
        for k in kinds[1:]:
            summary(labels[k], [a / b for a, b in zip(cpu[k], cpu["none"])])
            print(f"    ratio of the summed CPU: {sum(cpu[k]) / sum(cpu['none']):.3f}")


def bpf_progs():
    """run_time_ns and run_cnt of every loaded tracing program, by name."""
    out = subprocess.run(["bpftool", "prog", "show", "--json"], check=True, capture_output=True).stdout
    import json

    return {
        p.get("name", str(p["id"])): (p.get("run_time_ns", 0), p.get("run_cnt", 0))
        for p in json.loads(out)
        if p.get("type") == "tracing"
    }


def kernel_cost(args):
    loadgen = build_loadgen()
    agent = Agent(args)
    with open("/proc/sys/kernel/bpf_stats_enabled") as f:
        previous = f.read().strip()
    with open("/proc/sys/kernel/bpf_stats_enabled", "w") as f:
        f.write("1")
    try:
        for name in args.workloads.split(","):
            before = bpf_progs()
            wall, cpu, _ = run_measured(workload_cmd(name, loadgen))
            after = bpf_progs()
            print(f"{name}: {wall:.2f} s wall, {cpu:.2f} s CPU")
            for prog, (ns, cnt) in sorted(after.items()):
                b_ns, b_cnt = before.get(prog, (0, 0))
                runs = cnt - b_cnt
                if runs > 0:
                    print(f"  {prog}: {runs:,} runs, {(ns - b_ns) / runs:.0f} ns/run, {(ns - b_ns) / 1e9:.3f} s total")
    finally:
        with open("/proc/sys/kernel/bpf_stats_enabled", "w") as f:
            f.write(previous)
        agent.stop()


def idle(args):
    agent = Agent(args)
    time.sleep(20)
    rss = agent.rss_kb() / 1024
    st = agent.stop()
    print(f"idle agent after 20 s: RSS {rss:.0f} MB (max {st['maxrss_mb']:.0f} MB), {st['events']} events")


def main():
    if os.geteuid() != 0:
        sys.exit("bench: run as root (the agent loads an eBPF probe)")
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["throughput", "overhead", "decompose", "idle", "kernel"])
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--rules", action="append", default=[], help="rules file (default: the bundled rules)")
    p.add_argument("--workloads", default="loop,open,tar,compile")
    p.add_argument("--load", default="loop", help="loadgen arguments for throughput (default: loop)")
    p.add_argument("--parallel", type=int, default=1, help="concurrent loadgen processes")
    p.add_argument(
        "--warm",
        type=int,
        default=1,
        help="overhead: unmeasured runs of the workload with the agent attached before the measured"
        " one (default 1; 0 measures a freshly started agent)",
    )
    p.add_argument(
        "--open-filter",
        choices=["on", "off"],
        help="keep opens no rule can match in the kernel (vigil run --open-filter; default off)",
    )
    p.add_argument("--ring-size", type=int, help="the agent's ring buffer in MiB (vigil run --ring-size)")
    p.add_argument(
        "--priority-boost", type=int, help="the agent's threads at nice -N (vigil run --priority-boost)"
    )
    args = p.parse_args()
    if args.open_filter is None:
        args.open_filter = "off"
    subprocess.run([os.path.join(ROOT, "vigil"), "--version"], check=True, stdout=subprocess.DEVNULL)
    {"throughput": throughput, "overhead": overhead, "decompose": decompose, "idle": idle, "kernel": kernel_cost}[args.mode](args)


if __name__ == "__main__":
    main()
