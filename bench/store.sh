#!/usr/bin/env bash
# store.sh - the corpus benchmark of make bench: every PolNeAR train+dev
# article (outlet and date from metadata.tsv) analyzed with and without
# indexing, one thread and two (index throughput in words/s beside
# analyze's own), the database's size per document, search and trace
# latency with process start (tools/bench_store.py: median, p99); then the
# same on a corpus of LARGE documents (default 100,000; 0 skips it) made
# by repeating the analyzed articles under new ids and indexed with
# --input analyzed. Usage: bench/store.sh HEARSAY SHARED [LARGE]
set -euo pipefail
HEARSAY=$1 SHARED=$2 LARGE=${3:-100000}
T=$(mktemp -d /tmp/hearsay-bench-store.XXXXXX)
trap 'rm -rf "$T"' EXIT
# secs OUT CMD...: runs CMD with its output to OUT; prints the seconds it took
secs() { local out=$1 t0 t1; shift; t0=$(date +%s.%N); "$@" >"$out"; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
mb() { echo "scale=1; $1 / 1000000" | bc -l; }

python3 tools/polnear_jsonl.py "$SHARED/data" "$T/polnear.jsonl" 2>/dev/null
for j in 1 2; do
    a=$(secs "$T/an.jsonl" "$HEARSAY" analyze --format json -j $j "$T/polnear.jsonl")
    rm -f "$T/c.db"*
    i=$(secs /dev/null "$HEARSAY" index "$T/c.db" -j $j "$T/polnear.jsonl")
    words=$("$HEARSAY" stats "$T/c.db" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["words"])')
    printf 'store: -j %d: analyze %.0f words/s, index %.0f words/s (%.2f s and %.2f s for %d words)\n' \
        $j "$(echo "$words / $a" | bc -l)" "$(echo "$words / $i" | bc -l)" "$a" "$i" "$words"
done
rm -f "$T/a.db"*
s=$(secs /dev/null "$HEARSAY" index "$T/a.db" --input analyzed "$T/an.jsonl")
printf 'store: index --input analyzed %.0f words/s (%.2f s)\n' "$(echo "$words / $s" | bc -l)" "$s"
"$HEARSAY" stats "$T/c.db" --format json | python3 -c 'import json,sys
s = json.load(sys.stdin)
print("store: %d documents, %d statements, %d quotes; %.1f MB, %.1f KB per document" % (
    s["documents"], s["attributions"], s["quotes"], s["bytes"] / 1e6, s["bytes"] / 1e3 / s["documents"]))'
python3 tools/bench_store.py "$HEARSAY" "$T/c.db" --queries 100 | sed 's/^/store: 1k: /'

[ "$LARGE" -gt 0 ] || exit 0
python3 - "$T/an.jsonl" "$T/large.jsonl" "$LARGE" <<'EOF'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
n = int(sys.argv[3])
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for k in range(n):
        l = lines[k % len(lines)]
        i = l.index('"', 7)  # the end of the id: {"id":"...
        f.write(l[:i] + ("~%d" % (k // len(lines)) if k >= len(lines) else "") + l[i:] + "\n")
EOF
s=$(secs /dev/null "$HEARSAY" index "$T/l.db" --input analyzed "$T/large.jsonl")
printf 'store: %d documents indexed (--input analyzed) in %.0f s, %.0f docs/s\n' "$LARGE" "$s" "$(echo "$LARGE / $s" | bc -l)"
"$HEARSAY" stats "$T/l.db" --format json | python3 -c 'import json,sys
s = json.load(sys.stdin)
print("store: %d documents, %d statements, %d quotes; %.1f MB, %.1f KB per document" % (
    s["documents"], s["attributions"], s["quotes"], s["bytes"] / 1e6, s["bytes"] / 1e3 / s["documents"]))'
python3 tools/bench_store.py "$HEARSAY" "$T/l.db" --queries 100 | sed 's/^/store: large: /'
