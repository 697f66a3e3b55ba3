#!/usr/bin/env bash
# slurm.sh - tests of hearsay slurm. Inputs made from the PolNeAR train
# articles of $SHARED (tests/mkshards.py): gzipped JSON Lines, a gzipped WARC
# with a damaged record, JSON Lines with a bad line, a text, and a large file;
# the WARC and the large file are cut into several tasks (ranges of records). First without a scheduler (--no-submit, the tasks
# and the merge run here, as GNU parallel would run them), then on a real
# single-host Slurm cluster started here (tools/slurm-local.sh: munge,
# slurmctld, slurmd; stopped here): --wait, one array task killed mid-run
# with scancel (exit 7, nothing half-written), another requeued mid-run,
# --status, and --resume completing the run with nothing lost or doubled.
# Every run is compared with one `hearsay analyze` on this machine. The
# cluster part is skipped with a message where the machine cannot run Slurm
# (not root, slurm-wlm or munge absent).
NAME=slurm
# shellcheck source=tests/testlib.sh
. "$(dirname "$0")/testlib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
CLUSTER="" R2PID="" crc=3
finish() {
    [ -n "$CLUSTER" ] && "$ROOT/tools/slurm-local.sh" stop "$CLUSTER" >/dev/null 2>&1
    rm -rf "$T"
}
trap finish EXIT

why=$(missing_shared data/polnear/train/text data/polnear/metadata.tsv) && {
    skipped "hearsay slurm" "$why"
    done_tap
    exit
}
# documents in the large file; a sanitizer build is several times slower
N=${SLURM_TEST_DOCS:-480}
[ -n "${SANITIZE:-}" ] && N=${SLURM_TEST_DOCS:-150}
D=$T/in
mkdir -p "$D"
python3 "$HERE/mkshards.py" "$D" "$SHARED" "$N" && ok || no "tests/mkshards.py failed"
cd "$D" || exit 1
FILES="a.jsonl.gz b.warc.gz c.jsonl d.txt big.jsonl.gz"
# the shard size: big.jsonl.gz in about 5 tasks
SHARD=$(python3 -c "import os; print(round(os.path.getsize('big.jsonl.gz') / 5e6 + 0.005, 3))")

# ---- the one-machine answer -------------------------------------------------------
# shellcheck disable=SC2086
"$HEARSAY" analyze --format json --include-text $FILES >"$T/one.jsonl" 2>"$T/one.err"
[ $? -eq 1 ] && ok || no "analyze over the inputs: expected exit 1 (two damaged documents)"
ONE_DOCS=$(wc -l <"$T/one.jsonl")
grep -v 'failed$' "$T/one.err" | sed 's/^hearsay: //' | sort >"$T/one.errors"
[ "$(wc -l <"$T/one.errors")" -eq 2 ] && ok || no "one-machine errors: $(cat "$T/one.errors")"

# same_answer RUN DB WHAT: RUN/out/*.jsonl is the one-machine output, its
# errors are the same, and DB holds each document once
same_answer() {
    cat "$1"/out/*.jsonl | cmp -s - "$T/one.jsonl" && ok ||
        no "$3: the tasks' output differs from one analyze run ($(cat "$1"/out/*.jsonl | wc -l) lines, $ONE_DOCS expected)"
    cut -f2- "$1/errors.tsv" | sort | cmp -s - "$T/one.errors" && ok ||
        no "$3: errors.tsv differs from the one-machine errors: $(head -c 300 "$1/errors.tsv")"
    local n
    n=$(sqlite3 -batch "$2" "select count(*) || ' ' || count(distinct id) from docs" 2>&1)
    [ "$n" = "$ONE_DOCS $ONE_DOCS" ] && ok || no "$3: the corpus holds '$n' documents (total, distinct), expected $ONE_DOCS"
}
# sum_json RUN KEY: a member of RUN/summary.json
sum_json() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1/summary.json" "$2"; }

# r2_run: a run with one task killed (scancel) and another requeued, mid-run,
# in the background (a requeued job waits two minutes before Slurm starts it
# again, so the checks without a scheduler run meanwhile; the sanitizer build
# requeues nothing: the wait would be Slurm's, not our code's); leaves the task
# numbers in r2.killed and r2.requeued and --wait's exit status in r2.rc
r2_run() {
    # shellcheck disable=SC2086
    "$HEARSAY" slurm --out "$T/r2" --db "$T/r2.db" --shard-mb "$SHARD" --wait $FILES \
        >"$T/r2.out" 2>"$T/r2.err" &
    local WPID=$! JOB="" killed="" requeued="" t f
    for _ in $(seq 1 100); do grep -q '^analyze job' "$T/r2.out" 2>/dev/null && break; sleep 0.1; done
    JOB=$(sed -n 's/^analyze job \([0-9]*\).*/\1/p' "$T/r2.out")
    # the tasks of big.jsonl.gz: kill the first seen running, requeue the next
    local big_tasks
    big_tasks=$(awk -F'\t' '/big.jsonl.gz$/ {print $1}' "$T/r2/plan.tsv" 2>/dev/null)
    while [ -n "$JOB" ]; do
        for t in $big_tasks; do
            f=$(printf '%05d' "$t")
            [ -e "$T/r2/started/$f" ] && [ ! -e "$T/r2/out/$f.jsonl" ] || continue
            if [ -z "$killed" ]; then
                scancel "${JOB}_$t" && killed=$t
            elif [ -z "$requeued" ] && [ "$t" != "$killed" ] && [ -z "${SANITIZE:-}" ]; then
                scontrol requeue "${JOB}_$t" 2>/dev/null && requeued=$t
            fi
        done
        [ -n "$killed" ] && { [ -n "$requeued" ] || [ -n "${SANITIZE:-}" ]; } && break
        kill -0 $WPID 2>/dev/null || break
        sleep 0.05
    done
    echo "$killed" >"$T/r2.killed"
    echo "$requeued" >"$T/r2.requeued"
    wait $WPID
    echo $? >"$T/r2.rc"
}

# ---- a real Slurm: one host ----------------------------------------------------------------
CL=$T/cluster
"$ROOT/tools/slurm-local.sh" start "$CL" >"$T/cl.out" 2>"$T/cl.err"
crc=$?
if [ $crc -eq 3 ]; then
    skipped "hearsay slurm on Slurm" "$(head -n1 "$T/cl.err")"
else
    CLUSTER=$CL
    [ $crc -eq 0 ] && ok || no "the single-host cluster did not start: $(cat "$T/cl.err")"
    export SLURM_CONF=$CL/slurm.conf
    [ $crc -eq 0 ] && { r2_run & R2PID=$!; }
fi

# ---- without a scheduler: plan, tasks here, merge ------------------------------------
# shellcheck disable=SC2086
run "$HEARSAY" slurm --no-submit --out "$T/local" --db "$T/local.db" --shard-mb "$SHARD" $FILES
expect_rc 0 "--no-submit plans"
expect_grep "slurm --merge" "$T/err" "--no-submit says how to run the tasks"
NT=$(awk -F'\t' '/^tasks/ {print $2}' "$T/local/run.conf")
nbig=$(grep -c 'big.jsonl.gz$' "$T/local/plan.tsv")
[ "$nbig" -ge 3 ] && ok || no "big.jsonl.gz should be cut into several tasks: $(cat "$T/local/plan.tsv")"
[ "$(grep -c $'\tall\t.*d.txt$' "$T/local/plan.tsv")" -eq 1 ] && ok ||
    no "the text is one task: $(cat "$T/local/plan.tsv")"
[ "$(grep -c 'b.warc.gz$' "$T/local/plan.tsv")" -ge 2 ] && ok ||
    no "the WARC should be cut into ranges of records: $(cat "$T/local/plan.tsv")"
grep -q $'\t1-[0-9]*\t.*big.jsonl.gz$' "$T/local/plan.tsv" && grep -q $'\t[0-9]*-\t.*big.jsonl.gz$' "$T/local/plan.tsv" &&
    ok || no "the ranges of big.jsonl.gz start at 1 and the last is open: $(cat "$T/local/plan.tsv")"
[ -x "$T/local/analyze.sh" ] && grep -q -- "--task" "$T/local/analyze.sh" && ok || no "analyze.sh is not the task script"
fails=0
for t in $(seq 0 $((NT - 1))); do "$HEARSAY" slurm --task "$T/local" "$t" 2>>"$T/tasks.log" || fails=$((fails + 1)); done
[ $fails -eq 0 ] && ok || no "$fails local tasks failed: $(tail -c 300 "$T/tasks.log")"
[ -z "$(find "$T/local/out" -name '*.tmp-*')" ] && ok || no "a complete task left a temporary file"
run "$HEARSAY" slurm --merge "$T/local"; expect_rc 1 "the merge: two documents failed"
expect_grep "$NT of $NT complete" "$T/err" "the merge's summary counts the tasks"
expect_grep "b.warc.gz: record" "$T/err" "the summary names the damaged WARC record"
expect_grep "c.jsonl: line" "$T/err" "the summary names the bad JSON line"
same_answer "$T/local" "$T/local.db" "local run"
[ "$(sum_json "$T/local" documents)" = "$ONE_DOCS" ] && ok || no "summary.json documents"
run "$HEARSAY" slurm --merge "$T/local"; expect_rc 1 "the merge again"
same_answer "$T/local" "$T/local.db" "merged twice"
run "$HEARSAY" slurm --task "$T/local" 0; expect_rc 0 "a task run again"
cat "$T"/local/out/*.jsonl | cmp -s - "$T/one.jsonl" && ok || no "a task run again changed its result"
run "$HEARSAY" slurm --status "$T/local"; expect_rc 0 "--status without a scheduler"
expect_grep "$NT: $NT complete" "$T/out" "--status counts the complete tasks"

# ---- usage and failures that need no scheduler ---------------------------------------------
run "$HEARSAY" slurm --no-submit --out "$T/local" d.txt; expect_rc 2 "a folder that holds a run"
expect_grep "already holds a run" "$T/err" "says the folder holds a run"
run "$HEARSAY" slurm --no-submit --out "$T/x1" nothing.jsonl; expect_rc 2 "a missing file"
expect_grep "nothing.jsonl" "$T/err" "names the missing file"
run "$HEARSAY" slurm --no-submit --out "$T/x2" "$D"; expect_rc 2 "a folder as input"
run "$HEARSAY" slurm --no-submit --out "$T/x3" - </dev/null; expect_rc 2 "standard input"
run "$HEARSAY" slurm --task "$T/local" "$NT"; expect_rc 2 "a task number past the plan"
run "$HEARSAY" slurm --task "$T/local" x; expect_rc 2 "a task number that is not one"
run "$HEARSAY" slurm --status "$D"; expect_rc 2 "--status of a folder that is not a run"
run "$HEARSAY" slurm --max-tasks 0 d.txt; expect_rc 2 "--max-tasks 0"
run "$HEARSAY" slurm --shard-mb x d.txt; expect_rc 2 "--shard-mb x"
run "$HEARSAY" slurm --no-submit --wait d.txt; expect_rc 2 "--wait with --no-submit"
run "$HEARSAY" slurm --no-submit --out "$T/x4" --models "$T/nomodels" d.txt; expect_rc 4 "missing models"
# --max-tasks: small files grouped, the order kept
# shellcheck disable=SC2086
run "$HEARSAY" slurm --no-submit --out "$T/grouped" --max-tasks 2 $FILES; expect_rc 0 "--max-tasks 2"
[ "$(awk -F'\t' '/^tasks/ {print $2}' "$T/grouped/run.conf")" -le 2 ] && ok || no "--max-tasks 2 planned more tasks"
for t in 0 1; do "$HEARSAY" slurm --task "$T/grouped" $t 2>/dev/null; done
cat "$T"/grouped/out/*.jsonl | cmp -s - "$T/one.jsonl" && ok || no "grouped tasks differ from one run"
# no sbatch on the PATH: exit 8, and the plan stays for --resume
mkdir -p "$T/nobin"
run env PATH="$T/nobin" "$HEARSAY" slurm --out "$T/nosched" d.txt; expect_rc 8 "no sbatch"
expect_grep "sbatch" "$T/err" "says sbatch cannot be run"

# ---- on the cluster: the whole run, waited for; then the run r2 started above
if [ $crc -eq 0 ]; then
    # shellcheck disable=SC2086
    run "$HEARSAY" slurm --out "$T/r1" --db "$T/r1.db" --shard-mb "$SHARD" --wait $FILES
    expect_rc 1 "slurm --wait: two documents failed"
    grep -q '^analyze job [0-9]* (tasks 0-' "$T/out" && grep -q '^merge job [0-9]*' "$T/out" && ok ||
        no "slurm prints the job ids: $(cat "$T/out")"
    expect_grep "$NT of $NT complete" "$T/err" "--wait prints the summary"
    same_answer "$T/r1" "$T/r1.db" "slurm run"
    [ "$(ls "$T/r1/log" | grep -c '^task-')" -eq "$NT" ] && ok || no "a log per task in r1/log"

    wait "$R2PID"
    killed=$(cat "$T/r2.killed") requeued=$(cat "$T/r2.requeued") wrc=$(cat "$T/r2.rc")
    [ -n "$killed" ] && ok || no "no task of big.jsonl.gz was seen running to kill"
    [ $wrc -eq 7 ] && ok || no "a killed task: --wait exit $wrc, expected 7: $(tail -c 400 "$T/r2.err")"
    kf=$(printf '%05d' "${killed:-0}")
    [ ! -e "$T/r2/out/$kf.jsonl" ] && ok || no "the killed task $killed left a result"
    expect_grep "tasks without a result: $killed" "$T/r2/summary.txt" "the summary names the killed task"
    if [ -n "$requeued" ]; then
        rf=$(printf '%05d' "$requeued")
        [ -e "$T/r2/out/$rf.jsonl" ] && ok || no "the requeued task $requeued has no result"
        grep -q "DUE TO JOB REQUEUE" "$T/r2/log/task-$requeued.log" &&
            grep -q "^hearsay: task $requeued: [0-9]* documents" "$T/r2/log/task-$requeued.log" && ok ||
            no "the requeued task's log: $(cat "$T/r2/log/task-$requeued.log")"
    elif [ -z "${SANITIZE:-}" ]; then
        no "no second task of big.jsonl.gz was seen running to requeue"
    fi
    run "$HEARSAY" slurm --status "$T/r2"; expect_rc 0 "--status after a killed task"
    expect_grep "without a result: $killed " "$T/out" "--status names the killed task"
    n_before=$(sqlite3 -batch "$T/r2.db" "select count(*) from docs")
    [ "$n_before" -lt "$ONE_DOCS" ] && ok || no "the corpus has all documents though a task was killed"
    # resume: only the killed task runs again, then the merge
    run "$HEARSAY" slurm --resume "$T/r2" --wait; expect_rc 1 "--resume --wait: two documents failed"
    expect_grep "1 task to run again" "$T/err" "--resume runs only the killed task"
    grep -q "^analyze job [0-9]* (tasks $killed)" "$T/out" && ok || no "--resume submitted: $(cat "$T/out")"
    same_answer "$T/r2" "$T/r2.db" "resumed run"
    run "$HEARSAY" slurm --resume "$T/r2"; expect_rc 0 "--resume of a complete run"
    expect_grep "nothing to resume" "$T/err" "--resume says there is nothing to do"
    # sbatch refusing a job (an unknown partition): exit 8 with its message
    run "$HEARSAY" slurm --out "$T/r3" --partition nosuchpartition d.txt; expect_rc 8 "sbatch refuses"
    expect_grep "partition" "$T/err" "sbatch's own message is shown"
fi
done_tap
