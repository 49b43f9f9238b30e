#!/usr/bin/env bash
# Regenerates assets/screenshot.png, the README's screenshot, from the real program: runs
# `wxpick --demo` in a detached tmux pane (120x32: the details pane is on), chooses Birmingham HQ
# from the locations, waits for all its numbers to load, types `635 00`, presses Down twice,
# captures the pane with its colours and renders it with ansi_to_png.py (18 px font).
#
# Needs: cargo (to build wxpick), tmux, python3 with Pillow and the DejaVu Sans Mono font:
#   apt-get install -y tmux fonts-dejavu-core && pip install pillow
#
# It uses its own tmux server (socket name `shot`, or $SHOT_SOCKET), so other tmux servers
# are left alone. Set SKIP_BUILD=1 to use an existing target/release/wxpick.
set -euo pipefail

cd "$(dirname "$0")/.."
COLS=120
ROWS=32
SIZE=18
SOCKET="${SHOT_SOCKET:-shot}"
BIN="$PWD/target/release/wxpick"
OUT="assets/screenshot.png"
CAPTURE="$(mktemp --suffix=.ansi)"

tm() { tmux -L "$SOCKET" -f /dev/null -u "$@"; }

cleanup() {
    tm kill-server 2>/dev/null || true
    rm -f "$CAPTURE"
}

# Waits up to $2 seconds until line $3 of the pane (default: any line) matches the extended regex $1.
wait_for() {
    local deadline=$((SECONDS + $2)) lines="${3:-1,\$}"
    until tm capture-pane -p -t shot 2>/dev/null | sed -n "${lines}p" | grep -Eq -- "$1"; do
        if ((SECONDS >= deadline)); then
            echo "screenshot.sh: timed out waiting for /$1/; the pane shows:" >&2
            tm capture-pane -p -t shot >&2 2>/dev/null || echo "(no pane: wxpick exited)" >&2
            exit 1
        fi
        sleep 0.2
    done
}

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
    cargo build --release
fi

if tm has-session 2>/dev/null; then
    echo "screenshot.sh: a tmux server on socket '$SOCKET' is already running; stop it or set SHOT_SOCKET" >&2
    exit 1
fi
trap cleanup EXIT

# The pane runs wxpick itself (no shell prompt); remain-on-exit keeps its last screen for
# the error message if it dies early.
tm new-session -d -s shot -x "$COLS" -y "$ROWS" "env -u NO_COLOR '$BIN' --demo" \; \
    set-option -t shot remain-on-exit on
# The locations first: choose Birmingham HQ.
wait_for 'all loaded' 30 "$ROWS"
tm send-keys -t shot -l 'birm hq'
wait_for '^▶ Birmingham HQ' 10 4 # under the title, the query and the column header
tm send-keys -t shot Enter
# Its numbers, under the header line.
wait_for 'Birmingham HQ' 10 1
wait_for 'all loaded' 30 "$ROWS"
tm send-keys -t shot -l '635 00'
tm send-keys -t shot Down Down
wait_for '^> 635 00 ' 10 2
wait_for '^▶ ' 10 6 # the third match is selected (under the column header)
sleep 0.5 # let the last frame settle

# -N keeps trailing blanks, so the selected row's highlight reaches the right edge as on screen.
tm capture-pane -p -e -N -t shot >"$CAPTURE"
read -r CURSOR_X CURSOR_Y CURSOR_ON < <(tm display-message -p -t shot '#{cursor_x} #{cursor_y} #{cursor_flag}')
tm send-keys -t shot Escape

CURSOR_ARGS=()
if [[ "$CURSOR_ON" == 1 ]]; then
    CURSOR_ARGS=(--cursor "$CURSOR_X,$CURSOR_Y")
fi
python3 scripts/ansi_to_png.py "$CAPTURE" "$OUT" --cols "$COLS" --rows "$ROWS" --size "$SIZE" "${CURSOR_ARGS[@]}"
echo "wrote $OUT"
