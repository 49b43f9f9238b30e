#!/usr/bin/env python3
"""Times shell commands in alternation: one run of each command per round, so that a change of
the machine's load over the session falls on every command alike (hyperfine runs all of one
command's runs before the next command's).

Usage: scripts/bench-alternate.py [--rounds N] [--warmup N] COMMAND...

Each command runs through `sh -c` (as hyperfine does without -N), its output thrown away; its
exit status is not checked (`--filter` exits 1 when nothing matches). Prints, per command, the
median wall time over the rounds, the fastest and slowest run, the median CPU time (user and
system, of the command and everything it started), and the ratio of its median wall time to the
last command's: put the reference (fzf, or the older build) last.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time


def run(command: str) -> tuple[float, float, float]:
    """One run: wall, user and system seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(["sh", "-c", command], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=21, help="runs of each command (default 21)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs of each command first (default 1)")
    parser.add_argument("commands", nargs="+", metavar="COMMAND")
    args = parser.parse_args()
    if args.rounds < 1:
        print("error: --rounds must be at least 1", file=sys.stderr)
        return 2
    for _ in range(args.warmup):
        for command in args.commands:
            run(command)
    walls: list[list[float]] = [[] for _ in args.commands]
    users: list[list[float]] = [[] for _ in args.commands]
    systems: list[list[float]] = [[] for _ in args.commands]
    for _ in range(args.rounds):
        for k, command in enumerate(args.commands):
            wall, user, system = run(command)
            walls[k].append(wall)
            users[k].append(user)
            systems[k].append(system)
    load = os.getloadavg()
    print(f"# {args.rounds} rounds, {args.warmup} warm-up; load after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    reference = statistics.median(walls[-1])
    for command, wall, user, system in zip(args.commands, walls, users, systems):
        median = statistics.median(wall)
        print(
            f"{median * 1e3:7.1f} ms (fastest {min(wall) * 1e3:.1f}, slowest {max(wall) * 1e3:.1f}; "
            f"user {statistics.median(user) * 1e3:.0f}, sys {statistics.median(system) * 1e3:.0f} ms)  "
            f"x{median / reference:.3f}  {command}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
