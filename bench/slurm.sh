#!/usr/bin/env bash
# slurm.sh - hearsay slurm on a single-host Slurm cluster (tools/slurm-local.sh):
# documents/s of one `hearsay analyze` process, then of the same file as a
# run of 8 tasks with 1, 2 and N (the machine's cores) tasks at once, the
# merge's storing rate, and the scheduling overhead per task (a run of many
# one-article tasks). Needs root, slurm-wlm and munge (make bench-slurm
# installs them). Usage: bench/slurm.sh HEARSAY SHARED [DOCS]
set -u
HEARSAY=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SHARED=$2
DOCS=${3:-6720}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
T=$(mktemp -d /tmp/hearsay-bench-slurm.XXXXXX)
CL=$T/cluster
cleanup() { "$ROOT/tools/slurm-local.sh" stop "$CL" >/dev/null 2>&1; rm -rf "$T"; }
trap cleanup EXIT
[ -d "$SHARED/data/polnear/train/text" ] || { echo "bench-slurm: $SHARED/data/polnear is absent" >&2; exit 1; }
"$ROOT/tools/slurm-local.sh" start "$CL" >/dev/null || { echo "bench-slurm: no cluster (see above)" >&2; exit 1; }
export SLURM_CONF=$CL/slurm.conf
CORES=$(nproc)

mkdir -p "$T/in"
python3 "$ROOT/tests/mkshards.py" "$T/in" "$SHARED" "$DOCS" || exit 1
cd "$T/in" || exit 1
SIZE=$(stat -c %s big.jsonl.gz)
SHARD=$(python3 -c "print(round($SIZE / 8e6 + 0.0005, 4))")
now() { date +%s.%N; }
rate() { python3 -c "print('%.0f' % ($1 / ($3 - $2)))"; }

t0=$(now)
"$HEARSAY" analyze --format json --include-text big.jsonl.gz >"$T/one.jsonl" 2>/dev/null
t1=$(now)
n=$(wc -l <"$T/one.jsonl")
base=$(rate "$n" "$t0" "$t1")
printf 'bench-slurm: %d documents (%.1f MB gzipped JSON Lines), %d cores\n' "$n" "$(python3 -c "print($SIZE/1e6)")" "$CORES"
printf '  %-34s %8s docs/s  %6.1f s\n' "one analyze process, no Slurm" "$base" "$(python3 -c "print($t1 - $t0)")"

steps="1 2"
[ "$CORES" -gt 2 ] && steps="$steps $CORES"
for k in $steps; do
    t0=$(now)
    db=""
    [ "$k" = "${steps##* }" ] && db="--db $T/r$k.db" # the merge into a corpus: once
    # shellcheck disable=SC2086
    "$HEARSAY" slurm --out "$T/r$k" $db --shard-mb "$SHARD" --max-running "$k" --wait \
        big.jsonl.gz >/dev/null 2>"$T/r$k.err" || { echo "bench-slurm: the run failed:"; cat "$T/r$k.err"; exit 1; }
    t1=$(now)
    cat "$T/r$k"/out/*.jsonl | cmp -s - "$T/one.jsonl" || { echo "bench-slurm: run $k differs from one analyze"; exit 1; }
    # the analysis: from the submission to the last result renamed into place
    python3 - "$T/r$k" "$n" "$t0" "$t1" "$k" "$base" <<'PY'
import glob, json, os, sys
run, n, t0, t1, k, base = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
outs = glob.glob(run + "/out/*.jsonl")
last = max(os.path.getmtime(p) for p in outs)
own = sum(json.load(open(p))["seconds"] for p in glob.glob(run + "/done/*.json"))
merge = json.load(open(run + "/summary.json"))["seconds"]
an = last - t0
print("  %-34s %8.0f docs/s  %6.1f s  (%d tasks, %.1f s of task time; %.2fx one process)"
      % ("slurm, %d task(s) at once: analysis" % k, n / an, an, len(outs), own, n / an / base))
if os.path.exists(run + ".db"):
    print("  %-34s %8.0f docs/s  %6.1f s  (submission to summary: %.1f s)"
          % ("  merge into the corpus", n / max(merge, 1e-3), merge, t1 - t0))
PY
done

# the overhead: M tasks of one short article each, all cores
M=40
mkdir -p "$T/small"
for i in $(seq 1 $M); do cp d.txt "$T/small/a$i.txt"; done
t0=$(now)
"$HEARSAY" slurm --out "$T/rs" --shard-mb "$SHARD" --wait "$T"/small/a*.txt >/dev/null 2>&1
t1=$(now)
own=$(python3 -c "
import json, glob
print(sum(json.load(open(p))['seconds'] for p in glob.glob('$T/rs/done/*.json')))")
python3 -c "
wall, own, m, c = $t1 - $t0, $own, $M, $CORES
print('  %-34s %8.2f s per task (wall %.1f s x %d cores / %d tasks, of which %.2f s is the task itself: models, analysis)' % ('scheduling overhead', (wall * c - own) / m, wall, c, m, own / m))"
