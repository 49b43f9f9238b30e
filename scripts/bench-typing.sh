#!/usr/bin/env bash
# Typing in the picker at a million numbers (issue 22): runs wxpick on a saved reply in a
# detached tmux session, types keys with pauses between them, leaves with Esc, and prints the
# time from each key to the search result it asked for, from the event loop's own log
# (scripts/log-timings.py), with the median and the slowest.
#
# Usage: scripts/bench-typing.sh FILE.json [ROUNDS]       (needs tmux)
# Environment: WXPICK (the binary, default target/release/wxpick), KEYS (the key script, below).
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:?usage: scripts/bench-typing.sh FILE.json [ROUNDS]}
rounds=${2:-1}
wxpick=${WXPICK:-target/release/wxpick}
command -v tmux >/dev/null || { echo "needs tmux" >&2; exit 2; }
# Each entry: keys to send, then the pause after them (seconds). `BSpace` is Backspace.
default_keys='2 0.5|0 0.5|5 0.5|6 0.5|BSpace 0.3|BSpace 0.3|BSpace 0.3|BSpace 0.5|6350001 0.6|BSpace 0.1|BSpace 0.1|BSpace 0.1|BSpace 0.1|BSpace 0.1|BSpace 0.1|BSpace 0.5|l 0.5|o 0.5|v 0.5|e 0.5'
keys=${KEYS:-$default_keys}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
all="$work/all.txt"
: > "$all"
for round in $(seq 1 "$rounds"); do
    log="$work/type-$round.log"
    session="wxpick-typing-$$-$round"
    tmux new-session -d -s "$session" -x 120 -y 40 "$wxpick --input $file --log-file $log"
    # Wait for the list: the first frame with rows.
    for _ in $(seq 1 300); do
        grep -q "first rows drawn\|first full frame drawn" "$log" 2>/dev/null && break
        sleep 0.1
    done
    sleep 1
    IFS='|' read -ra steps <<< "$keys"
    for step in "${steps[@]}"; do
        k=${step% *}
        pause=${step##* }
        if [ "$k" = BSpace ]; then tmux send-keys -t "$session" BSpace; else tmux send-keys -t "$session" -l "$k"; fi
        sleep "$pause"
    done
    sleep 1
    tmux send-keys -t "$session" Escape
    for _ in $(seq 1 50); do tmux has-session -t "$session" 2>/dev/null || break; sleep 0.1; done
    tmux kill-session -t "$session" 2>/dev/null || true
    echo "round $round:"
    scripts/log-timings.py "$log" | grep '^key' | tee -a "$all"
done
python3 - "$all" <<'PY'
import re, statistics, sys
ms = [float(m.group(1)) for l in open(sys.argv[1]) if (m := re.search(r": +([0-9.]+) ms", l))]
if ms:
    print(f"{len(ms)} keys: median {statistics.median(ms):.1f} ms, slowest {max(ms):.1f} ms")
else:
    print("no key was logged")
PY
