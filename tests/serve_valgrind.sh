#!/usr/bin/env bash
# serve_valgrind.sh - make valgrind's part for hearsay serve: the server
# under valgrind answers every API call, the pages, bad requests and hostile
# ones (tests/serve_raw.py), then stops on SIGTERM with no memory error and
# no leak. Usage: tests/serve_valgrind.sh HEARSAY
set -u
HEARSAY=$1
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/hearsay-vg-serve.XXXXXX)
VPID=""
trap '[ -n "$VPID" ] && kill -KILL $VPID 2>/dev/null; rm -rf "$T"' EXIT
fail() { echo "valgrind: serve: $*" >&2; exit 1; }

"$HEARSAY" index "$T/c.db" "$HERE/store/corpus.jsonl" 2>/dev/null || fail "index failed"
valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect \
    "$HEARSAY" serve "$T/c.db" --port 0 --threads 2 --max-body-mb 1 >"$T/url" 2>"$T/err" &
VPID=$!
for _ in $(seq 1 600); do [ -s "$T/url" ] && break; sleep 0.1; done
URL=$(head -n1 "$T/url")
[ -n "$URL" ] || fail "no URL: $(cat "$T/err")"
PORT=${URL##*:}
PORT=${PORT%/}
get() { curl -s -o /dev/null -w '%{http_code}' --max-time 60 "$@"; }
for path in api/health "api/search?q=speculators&speaker=Okafor" "api/search?q=harbor+AND" \
    "api/trace?q=Every+house+on+this+street+was+bought" api/quotes api/stats api/doc/valley-post-1 \
    api/doc/none "api/search?q=%zz" "" static/app.js nope; do
    code=$(get "$URL$path")
    case $code in 2*|4*) ;; *) fail "/$path: HTTP $code" ;; esac
done
[ "$(get -X POST -H 'Content-Type: text/plain' --data-binary @"$HERE/../examples/harbor-bridge-vote.txt" "${URL}api/analyze")" = 200 ] ||
    fail "analyze failed"
[ "$(get -X POST -H 'Content-Type: application/json' --data-binary '{"html": "<p>The mayor said no.</p>"}' "${URL}api/analyze")" = 200 ] ||
    fail "analyze of JSON html failed"
python3 "$HERE/serve_raw.py" hostile "$PORT" >"$T/raw" 2>&1
grep -v "^ok" "$T/raw" && fail "hostile requests under valgrind: $(grep -v '^ok' "$T/raw" | head -3)"
kill -TERM $VPID
wait $VPID
rc=$?
VPID=""
[ $rc = 0 ] || fail "exit $rc (9: valgrind found errors): $(grep -v '^hearsay:' "$T/err" | head -40)"
echo "valgrind: serve: clean"
