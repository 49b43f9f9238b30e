#!/bin/bash
# The cache's relaunch against a cold start: the picker on the demo server (10,000 numbers,
# 500 ms a page, pages of 500 by offset), run in a detached tmux session, each run left with Esc
# once the whole list is drawn and paging has ended. Prints scripts/log-timings.py of each run.
#
#   scripts/bench-cache.sh [RUNS]        # needs tmux; builds nothing: run cargo build --release first
set -euo pipefail
RUNS=${1:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORKDIR:-/tmp/wxpick-bench-cache}
mkdir -p "$WORK"
export WXPICK_CACHE_DIR="$WORK/cache"

run() {
    local log=$1 socket="wxpick-bench-$$"
    rm -f "$log"
    tmux -L "$socket" -f /dev/null new-session -d -s b -x 120 -y 40
    tmux -L "$socket" send-keys -t b "WXPICK_CACHE_DIR=$WXPICK_CACHE_DIR $ROOT/target/release/wxpick --demo --location Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OL2RlbW8 --demo-size 10000 --demo-latency-ms 500 --page-size 500 --log-file $log" Enter
    for _ in $(seq 1 600); do
        if grep -q "pages loaded" "$log" 2>/dev/null && grep -q "first full frame" "$log"; then break; fi
        sleep 0.1
    done
    sleep 0.5
    tmux -L "$socket" send-keys -t b Escape
    sleep 0.5
    tmux -L "$socket" kill-server
}

for i in $(seq 1 "$RUNS"); do
    rm -rf "$WXPICK_CACHE_DIR"
    run "$WORK/cold-$i.log"
    echo "cold run $i:"; "$ROOT/scripts/log-timings.py" "$WORK/cold-$i.log"
    run "$WORK/relaunch-$i.log"
    echo "relaunch $i:"; "$ROOT/scripts/log-timings.py" "$WORK/relaunch-$i.log"
done
