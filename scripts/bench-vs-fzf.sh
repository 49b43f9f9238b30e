#!/usr/bin/env bash
# Whole-process comparison on a large saved reply:
#
#   wxpick --input FILE --filter Q
#   jq -r '.phoneNumbers[].phoneNumber' FILE | fzf --filter Q
#   fzf --filter Q < LIST            (fzf alone on the same records as plain text)
#
# wall time with hyperfine, peak memory (maximum resident set) with GNU time, and the ratios,
# against jq + fzf and against fzf alone (issue 22: at most 1.0x fzf alone, time and memory).
# With OWNERS=1 the records are those of a call-forwarding list (60 % with an owner and an
# extension, `gen_numbers --owners`), and the plain text holds the number, the owner's name and
# the extension on each line; the default queries are then a number and an owner's name.
#
# Needs the Debian packages hyperfine, jq, fzf and time (it installs nothing):
#   apt-get install hyperfine jq fzf time
#
# Usage: scripts/bench-vs-fzf.sh [COUNT]        (default 1000000 numbers)
# Environment: RUNS (hyperfine runs per command, default 5), WARMUP (default 1),
#   QUERIES (newline-separated; default the five shapes of the performance issue),
#   WORKDIR (where the generated files go, default ${TMPDIR:-/tmp}/wxpick-bench),
#   WXPICK (the binary to measure, default target/release/wxpick, built if missing),
#   BEFORE (an older wxpick binary: run alternately in the same hyperfine session, its own
#   columns added; for before and after figures measured under the same load).
# CPU time (user + system, hyperfine's means) is printed beside wall time: on a shared machine
# wall time follows the load, CPU time much less.
set -euo pipefail
cd "$(dirname "$0")/.."

count=${1:-1000000}
runs=${RUNS:-5}
warmup=${WARMUP:-1}
workdir=${WORKDIR:-${TMPDIR:-/tmp}/wxpick-bench}
owners=${OWNERS:-0}
if [ "$owners" = 1 ]; then
    default_queries=$'6350001\nlovelace'
else
    default_queries=$'6350001\n2056\n+1 205 635\n635001\n0001\nactive 555'
fi
queries=${QUERIES:-$default_queries}

missing=()
for tool in hyperfine jq fzf; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ -x /usr/bin/time ] || missing+=("time")
if [ ${#missing[@]} -gt 0 ]; then
    echo "missing: ${missing[*]}; install the Debian packages with: apt-get install ${missing[*]}" >&2
    exit 2
fi

wxpick=${WXPICK:-target/release/wxpick}
if [ -z "${WXPICK:-}" ]; then
    cargo build --release --quiet --bin wxpick --example gen_numbers
fi
gen=target/release/examples/gen_numbers
[ -x "$gen" ] || cargo build --release --quiet --example gen_numbers

mkdir -p "$workdir"
if [ "$owners" = 1 ]; then
    json="$workdir/owners-$count.json"
    list="$workdir/owners-$count.txt"
    gen_flags=(--owners)
else
    json="$workdir/numbers-$count.json"
    list="$workdir/numbers-$count.txt"
    gen_flags=()
fi
if [ ! -s "$json" ] || [ ! -s "$list" ]; then
    echo "generating $count records into $json" >&2
    "$gen" "${gen_flags[@]}" "$count" "$json" "$list"
fi

# Peak RSS in KiB of a command run by sh, via GNU time.
peak_kib() {
    local out
    out=$(mktemp)
    /usr/bin/time -f %M -o "$out" sh -c "$1" >/dev/null 2>&1 || true
    tail -n 1 "$out"
    rm -f "$out"
}

# Peak RSS in KiB of each side of the jq | fzf pipeline (they run at the same time).
pipeline_peaks() {
    local q=$1 a b
    a=$(mktemp)
    b=$(mktemp)
    /usr/bin/time -f %M -o "$a" jq -r '.phoneNumbers[].phoneNumber' "$json" 2>/dev/null \
        | /usr/bin/time -f %M -o "$b" fzf --filter "$q" >/dev/null 2>&1 || true
    echo "$(tail -n 1 "$a") $(tail -n 1 "$b")"
    rm -f "$a" "$b"
}

mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

echo "# wxpick --input --filter against jq | fzf --filter"
echo
echo "- numbers: $count ($(du -h "$json" | cut -f1) of JSON), file: $json"
echo "- machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/^Mem:/ { print $2 }') GiB"
echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- tools: $(hyperfine --version), $(jq --version), fzf $(fzf --version | cut -d' ' -f1), wxpick $("$wxpick" --version | cut -d' ' -f2)"
echo "- hyperfine: $warmup warm-up, $runs runs per command; peak RSS: GNU time %M, one run each"
echo
before=${BEFORE:-}
echo "| query | wxpick | jq + fzf | fzf alone | time ratio vs jq+fzf | time ratio vs fzf alone | CPU wxpick / fzf alone | wxpick RSS | jq RSS + fzf RSS | fzf alone RSS | RSS ratio vs jq+fzf (larger / sum) | RSS ratio vs fzf alone |${before:+ before: wall, CPU, RSS |}"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |${before:+ ---: |}"
i=0
while IFS= read -r q; do
    i=$((i + 1))
    export_file="$workdir/hyperfine-$i.json"
    qs=$(printf '%q' "$q")
    # --ignore-failure: "no match" exits 1 in both tools.
    hyperfine --style none --ignore-failure --warmup "$warmup" --runs "$runs" --export-json "$export_file" \
        -n wxpick "$wxpick --input $json --filter $qs" \
        -n jq+fzf "jq -r '.phoneNumbers[].phoneNumber' $json | fzf --filter $qs" \
        -n fzf "fzf --filter $qs < $list" \
        ${before:+-n before "$before --input $json --filter $qs"} >/dev/null
    mean() { jq -r --arg n "$1" '.results[] | select(.command == $n) | .mean' "$export_file"; }
    sd() { jq -r --arg n "$1" '.results[] | select(.command == $n) | .stddev' "$export_file"; }
    cpu() { jq -r --arg n "$1" '.results[] | select(.command == $n) | .user + .system' "$export_file"; }
    w=$(mean wxpick) p=$(mean jq+fzf) f=$(mean fzf)
    ws=$(sd wxpick) ps=$(sd jq+fzf) fs=$(sd fzf)
    wc=$(cpu wxpick) fc=$(cpu fzf)
    extra=""
    if [ -n "$before" ]; then
        b_rss=$(peak_kib "$before --input $json --filter $qs")
        extra=$(awk -v b="$(mean before)" -v bs="$(sd before)" -v bc="$(cpu before)" -v br="$b_rss" 'BEGIN {
            printf " %.3f s ± %.3f, %.2f s, %.0f MiB |", b, bs, bc, br / 1024 }')
    fi
    w_rss=$(peak_kib "$wxpick --input $json --filter $qs")
    read -r jq_rss fzf_rss < <(pipeline_peaks "$q")
    f_rss=$(peak_kib "fzf --filter $qs < $list")
    big=$((jq_rss > fzf_rss ? jq_rss : fzf_rss))
    sum=$((jq_rss + fzf_rss))
    awk -v q="$q" -v w="$w" -v p="$p" -v f="$f" -v ws="$ws" -v ps="$ps" -v fs="$fs" \
        -v wr="$w_rss" -v jr="$jq_rss" -v zr="$fzf_rss" -v fr="$f_rss" -v big="$big" -v sum="$sum" \
        -v wc="$wc" -v fc="$fc" -v extra="$extra" 'BEGIN {
        printf "| `%s` | %.3f s ± %.3f | %.3f s ± %.3f | %.3f s ± %.3f | %.3f (1/%.1f) | %.2f | %.2f s / %.2f s = %.2f | %.0f MiB | %.0f + %.0f = %.0f MiB | %.0f MiB | %.3f / %.3f | %.2f |%s\n",
            q, w, ws, p, ps, f, fs, w / p, p / w, w / f, wc, fc, wc / fc, wr / 1024, jr / 1024, zr / 1024, sum / 1024, fr / 1024, wr / big, wr / sum, wr / fr, extra
    }'
done <<< "$queries"
echo
echo "Targets: against jq + fzf, time ratio at most 0.2 (one fifth), RSS ratio at most 0.25 (a quarter);"
echo "against fzf alone on the same records as plain text (issue 22), at most 1.0 in time and in RSS."
echo "Load after: $(cut -d' ' -f1-3 /proc/loadavg)"
