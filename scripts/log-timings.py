#!/usr/bin/env python3
"""Prints picker timings from a wxpick log (`--log-file`): when the first frame was drawn, when
page 1 arrived and when its rows were drawn, when the last page arrived and when a frame first
showed the whole list (from the cache, or every page in) (all from the `start` line), and, for each keystroke,
how long until the search result it asked for arrived.

    wxpick --demo --log-file /tmp/wxpick.log    # use it, then quit
    scripts/log-timings.py /tmp/wxpick.log
"""
import datetime
import re
import sys


def stamp(line):
    return datetime.datetime.strptime(line[:26], "%Y-%m-%dT%H:%M:%S.%f")


def main(path):
    lines = open(path).read().splitlines()
    start = next(stamp(l) for l in lines if " start " in l)
    ms = lambda t: (t - start).total_seconds() * 1000
    for label, pattern in [("first frame drawn", "first frame drawn"), ("page 1 arrived", "msg=page 1:"),
                           ("first rows drawn", "first rows drawn"), ("last page arrived", "pages loaded"),
                           ("first full frame", "first full frame drawn")]:
        hit = next((stamp(l) for l in lines if pattern in l), None)
        print(f"{label:>18}: {ms(hit):8.1f} ms" if hit else f"{label:>18}: -")
    pending = None
    for l in lines:
        key = re.search(r"msg=Intent\((Insert\('(.)'\)|Backspace)\)", l)
        if key:
            pending = (stamp(l), key.group(2) or "Backspace")
        result = re.search(r'msg=search \d+ "(.*)": (\d+) hits of (\d+)', l)
        if result and pending:
            took = (stamp(l) - pending[0]).total_seconds() * 1000
            print(f"key {pending[1]!r:>11} -> results for {result.group(1)!r}: {took:6.1f} ms "
                  f"({result.group(2)} of {result.group(3)})")
            pending = None


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/wxpick.log")
