# tapsum.awk - sums TAP files (Criterion's --tap, tests/cli.sh's $TAP) into
# "LABEL: N passed, N failed, N skipped NOTE", then one line per failure and
# one per distinct skip reason with its count, most first. A missing file or
# one whose results do not match its plan (a runner that died) is a failure.
# Usage: awk -v label=L -v note=N -f tests/tapsum.awk FILE...; exit 1 on failure.
# Plain POSIX awk (Debian's default is mawk).
BEGIN {
    for (i = 1; i < ARGC; i++) {
        if ((getline line < ARGV[i]) > 0) {
            close(ARGV[i])
            nfiles++
            continue
        }
        bad[++nbad] = ARGV[i] ": no results (the runner did not write them)"
        ARGV[i] = ""
    }
    if (nfiles == 0)
        exit # to END, not to standard input
}
FNR == 1 { done_file() ; file = FILENAME; results = 0; plan = -1 }
/^1\.\.[0-9]+/ { plan = substr($1, 4) + 0 }
/^ok/ {
    results++
    if ((k = index($0, " # SKIP")) == 0) { passed++; next }
    why = substr($0, k + 7)
    sub(/^[ \t]+/, "", why)
    if (why == "") why = "(no reason given)"
    if (!(why in nwhy)) reason[++nreason] = why
    nwhy[why]++
    skipped++
}
/^not ok/ {
    results++
    failed++
    desc = $0
    sub(/^not ok[ \t]*[0-9]*[ \t]*-?[ \t]*/, "", desc)
    failure[++nfail] = desc
}
function done_file() {
    if (file == "") return
    if (plan < 0)
        bad[++nbad] = file ": no plan line (the runner stopped early)"
    else if (plan != results)
        bad[++nbad] = file ": " results " results for a plan of " plan
}
END {
    done_file()
    printf "%s: %d passed, %d failed, %d skipped%s\n", label, passed, failed, skipped, note
    for (i = 1; i <= nfail; i++) print "  failed: " failure[i]
    for (i = 1; i <= nbad; i++) print "  error: " bad[i]
    # reasons, most skips first (a selection sort: there are a few)
    for (i = 1; i <= nreason; i++) {
        m = i
        for (j = i + 1; j <= nreason; j++)
            if (nwhy[reason[j]] > nwhy[reason[m]]) m = j
        t = reason[i]; reason[i] = reason[m]; reason[m] = t
        printf "  skipped %d: %s\n", nwhy[reason[i]], reason[i]
    }
    exit (failed > 0 || nbad > 0)
}
