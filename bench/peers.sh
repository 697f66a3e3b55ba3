#!/usr/bin/env bash
# peers.sh - make bench-peers: hearsay beside two JavaScript NLP libraries,
# compromise and wink-nlp (bench/peers.mjs), on the 84 PolNeAR dev texts.
# Each tool is one process over all the texts, timed from start to exit with
# /usr/bin/time (wall, user+sys, peak RSS); best of RUNS. The libraries are
# installed with npm under DIR at pinned versions; without node, npm or the
# registry they are skipped with a message. Usage: bench/peers.sh HEARSAY SHARED [DIR]
set -euo pipefail
HEARSAY=$1 SHARED=$2 DIR=${3:-build/peers}
RUNS=${RUNS:-3}
# exact versions, so that the table compares the same code every time
COMPROMISE=14.20.0 WINK=2.4.0 WINK_MODEL=1.8.1
HERE=$(cd "$(dirname "$0")" && pwd)

shopt -s nullglob
files=("$SHARED"/data/polnear/dev/text/*.txt)
if [ ${#files[@]} -eq 0 ]; then
    echo "bench-peers: skipped: no texts in $SHARED/data/polnear/dev/text"
    exit 0
fi
if [ ! -x /usr/bin/time ]; then
    echo "bench-peers: skipped: /usr/bin/time is missing (Debian package time)"
    exit 0
fi
mkdir -p "$DIR"
# words and bytes once, for all tools: whitespace-separated tokens of the inputs
read -r words bytes < <(cat "${files[@]}" | LC_ALL=C wc -w -c)

# the peers, unless they cannot be had; hearsay is measured either way
tools=()
installed() { # NAME VERSION: the package is under DIR at that version
    [ "$(node -p 'require(require("path").resolve(process.argv[1])).version' \
        "$DIR/node_modules/$1/package.json" 2>/dev/null)" = "$2" ]
}
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "bench-peers: node or npm is not installed; compromise and wink-nlp skipped"
elif installed compromise $COMPROMISE && installed wink-nlp $WINK &&
    installed wink-eng-lite-web-model $WINK_MODEL; then
    tools=(compromise wink-nlp)
elif npm install --no-audit --no-fund --save-exact --loglevel=error --prefix "$DIR" \
    compromise@$COMPROMISE wink-nlp@$WINK wink-eng-lite-web-model@$WINK_MODEL >"$DIR/npm.log" 2>&1; then
    tools=(compromise wink-nlp)
else
    echo "bench-peers: npm install of compromise, wink-nlp and its model failed" \
        "(no registry?), see $DIR/npm.log; compromise and wink-nlp skipped"
fi
tools+=(hearsay)

# measure TOOL: runs it once over all the texts, output to DIR/TOOL.jsonl and
# its diagnostics to DIR/TOOL.err; sets w (wall s), c (user+sys s), m (peak RSS KB)
measure() {
    local cmd
    case $1 in
    compromise) cmd=(node "$HERE/peers.mjs" compromise "$DIR") ;;
    wink-nlp) cmd=(node "$HERE/peers.mjs" wink "$DIR") ;;
    hearsay) cmd=("$HEARSAY" analyze --format json -j 1 --no-progress) ;;
    esac
    if ! /usr/bin/time -f '%e %U %S %M' -o "$DIR/$1.time" "${cmd[@]}" "${files[@]}" \
        >"$DIR/$1.jsonl" 2>"$DIR/$1.err"; then
        echo "bench-peers: $1 failed, see $DIR/$1.err" >&2
        exit 1
    fi
    read -r w c m < <(awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$DIR/$1.time")
}

# rounds alternate the tools, so that a slow spell of this shared machine
# falls on all of them; keep each tool's best wall time and its largest RSS
declare -A best cpu rss
for ((r = 1; r <= RUNS; r++)); do
    for t in "${tools[@]}"; do
        measure "$t"
        if [ -z "${best[$t]:-}" ] || awk -v a="$w" -v b="${best[$t]}" 'BEGIN { exit !(a < b) }'; then
            best[$t]=$w cpu[$t]=$c
        fi
        [ "${rss[$t]:-0}" -ge "$m" ] || rss[$t]=$m
    done
done

# one JSON line per input, or a tool skipped texts and its speed means nothing
for t in "${tools[@]}"; do
    n=$(wc -l <"$DIR/$t.jsonl")
    if [ "$n" -ne ${#files[@]} ]; then
        echo "bench-peers: $t wrote $n lines for ${#files[@]} texts; its numbers are void" >&2
        exit 1
    fi
done

versions="hearsay $("$HEARSAY" version | awk '{ print $2 }')"
if [ ${#tools[@]} -gt 1 ]; then
    versions="node $(node --version), compromise $COMPROMISE, wink-nlp $WINK + wink-eng-lite-web-model $WINK_MODEL, $versions"
fi
printf 'bench-peers: %d PolNeAR dev texts, %d words, %.2f MB; one process per tool from start to exit, best of %d; %s\n' \
    ${#files[@]} "$words" "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" "$RUNS" "$versions"
printf '%-11s %9s %7s %8s %7s %12s  %s\n' tool words/s MB/s wall\ s cpu\ s "peak RSS MB" "ratio (hearsay / tool)"
for t in "${tools[@]}"; do
    awk -v t="$t" -v w="$words" -v b="$bytes" -v s="${best[$t]}" -v c="${cpu[$t]}" \
        -v m="${rss[$t]}" -v h="${best[hearsay]}" -v sum="$(sha256sum <"$DIR/$t.jsonl" | cut -c1-16)" 'BEGIN {
        printf "%-11s %9.0f %7.2f %8.2f %7.2f %12.1f  %.2f   (output sha256 %s)\n",
            t, w / s, b / s / 1e6, s, c, m / 1024, s / h, sum }'
done
for t in "${tools[@]}"; do
    [ "$t" = hearsay ] && continue
    awk -v t="$t" -v a="${best[hearsay]}" -v b="${best[$t]}" -v ca="${cpu[hearsay]}" -v cb="${cpu[$t]}" 'BEGIN {
        printf "speed ratio hearsay / %s: %.2f (words/s, wall clock), %.2f (CPU time)\n", t, b / a, cb / ca }'
done
