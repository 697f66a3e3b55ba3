# testlib.sh - what the shell test runners share (sourced by cli.sh and
# store.sh): the binary and data paths, a temporary folder removed at exit,
# TAP lines for make check, pass/fail/skip counts, and run/expect helpers.
# The runner sets NAME (its summary's label) before sourcing.
set -u
HEARSAY=${HEARSAY:-build/hearsay}
SHARED=${SHARED:-../shared}
HEARSAY=$(cd "$(dirname "$HEARSAY")" && pwd)/$(basename "$HEARSAY")
TAP=${TAP:-/dev/null}
case $TAP in /*) ;; *) TAP=$PWD/$TAP ;; esac
: >"$TAP"
T=$(mktemp -d /tmp/hearsay-cli.XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0 skip=0
tap() { printf '%s %d%s\n' "$1" $((pass + fail + skip)) "${2:+ - $2}" >>"$TAP"; }
ok() { pass=$((pass + 1)); tap ok; }
no() { fail=$((fail + 1)); echo "FAIL: $*" >&2; tap "not ok" "${*%%$'\n'*}"; }
# skipped WHAT WHY: the checks WHAT cannot run here, for want of WHY; make
# check counts skips by WHY, so checks lacking the same thing say it alike
skipped() { skip=$((skip + 1)); echo "SKIP: $1: $2" >&2; tap ok "$1 # SKIP $2"; }
# missing_shared REL...: prints why checks needing $SHARED/REL... cannot run
# (the first missing folder on the path, in the words of tests/testutil.h),
# or fails when all are there
missing_shared() {
    local r c p parts
    for r in "" "$@"; do
        p=$SHARED
        IFS=/ read -ra parts <<<"$r"
        for c in "${parts[@]}"; do
            [ -e "$p" ] || break
            p=$p/$c
        done
        [ -e "$p" ] || { echo "$p is absent (set SHARED=DIR for make check, HEARSAY_SHARED=DIR for a test binary)"; return 0; }
    done
    return 1
}
NOSAN="sanitizer build: memory use is not measured (ASan's quarantine keeps freed memory)"
NOTIME="/usr/bin/time is absent (apt-get install time)"
# run CMD...: sets rc, out ($T/out) and err ($T/err)
run() { "$@" >"$T/out" 2>"$T/err"; rc=$?; }
expect_rc() { [ "$rc" -eq "$1" ] && ok || no "$2: exit $rc, expected $1; stderr: $(head -c 300 "$T/err")"; }
expect_grep() { grep -q -- "$1" "$2" && ok || no "$3: '$1' not in $(basename "$2"): $(head -c 300 "$2")"; }
# done_tap: the TAP plan and the summary line; the runner's exit status
done_tap() {
    echo "1..$((pass + fail + skip))" >>"$TAP"
    echo "${NAME:-tests}: $pass passed, $fail failed, $skip skipped"
    [ "$fail" -eq 0 ]
}
