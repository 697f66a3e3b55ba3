#!/usr/bin/env bash
# serve.sh - tests of hearsay serve as a person and a program use it, on
# loopback only: a store built from our own articles (tests/store/corpus.jsonl
# and examples/), the server on a free port; the API driven with curl (every
# status it promises, each answer the same as the CLI's), bad and hostile
# requests over raw sockets (tests/serve_raw.py), a few hundred idle
# connections, queries while hearsay index writes, SIGTERM and SIGINT; then
# the web UI in headless Chromium (search results, the highlighted article,
# the trace timeline, the analyze page; and driven with the keyboard and the
# mouse over the DevTools protocol, tests/ui_cdp.py), with screenshots saved under
# $SHOTS (build/serve-shots) for a person to look at. Every server started
# here is stopped here. Needs HEARSAY, curl and python3; Chromium checks are
# skipped with a message where chromium is absent.
NAME=serve
# shellcheck source=tests/testlib.sh
. "$(dirname "$0")/testlib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SHOTS=${SHOTS:-$ROOT/build/serve-shots}
PIDS=""
stop_all() { for p in $PIDS; do kill -TERM "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$T"; }
trap stop_all EXIT

# start_server NAME ARGS...: starts hearsay serve in the background; sets
# SPID, URL and PORT (the server prints its URL when it is ready)
start_server() {
    local name=$1
    shift
    "$HEARSAY" serve "$@" >"$T/$name.url" 2>"$T/$name.err" &
    SPID=$!
    PIDS="$PIDS $SPID"
    URL=""
    for _ in $(seq 1 200); do
        URL=$(head -n1 "$T/$name.url" 2>/dev/null)
        [ -n "$URL" ] && break
        kill -0 "$SPID" 2>/dev/null || break
        sleep 0.05
    done
    PORT=${URL##*:}
    PORT=${PORT%/}
}
# req ARGS...: curl; sets code and the body in $T/body
req() { code=$(curl -s -o "$T/body" -w '%{http_code}' --max-time 30 "$@"); }
expect_code() { [ "$code" = "$1" ] && ok || no "$2: HTTP $code, expected $1: $(head -c 300 "$T/body")"; }
# an error is JSON {"error": "..."} with the message
expect_error() {
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if list(d)==['error'] and sys.argv[2] in d['error'] else 1)" "$T/body" "$1" &&
        ok || no "$2: not a JSON error saying '$1': $(head -c 300 "$T/body")"
}
jpy() { python3 -c "import json,sys
B=json.load(open(sys.argv[1], encoding='utf-8'))
sys.exit(0 if ($1) else 1)" "$T/body"; }
expect_jpy() { jpy "$1" && ok || no "$2: $(head -c 300 "$T/body")"; }

command -v curl >/dev/null || { echo "serve.sh: curl is absent (apt-get install curl)" >&2; exit 1; }

# ---- the store and the server -------------------------------------------------
DB=$T/c.db
cd "$ROOT" || exit 1
run "$HEARSAY" index "$DB" tests/store/corpus.jsonl examples/*.txt examples/*.jsonl
expect_rc 0 "index the test corpus"
NDOCS=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from docs').fetchone()[0])" "$DB")

start_server main "$DB" --port 0 --threads 2 --max-body-mb 8 --timeout 4
[ -n "$URL" ] && ok || no "serve printed no URL: $(cat "$T/main.err")"
[[ $URL == http://127.0.0.1:* ]] && ok || no "serve's URL is not on 127.0.0.1: $URL"
# it listens on loopback only (the kernel's table of listening sockets)
python3 - "$PORT" <<'EOF' && ok || no "the server listens beyond 127.0.0.1"
import sys
port = "%04X" % int(sys.argv[1])
rows = [l.split() for l in open("/proc/net/tcp").read().splitlines()[1:]]
mine = [r[1] for r in rows if r[1].endswith(":" + port) and r[3] == "0A"]
rows6 = [l.split() for l in open("/proc/net/tcp6").read().splitlines()[1:]]
mine6 = [r[1] for r in rows6 if r[1].endswith(":" + port) and r[3] == "0A"]
sys.exit(0 if mine == ["0100007F:" + port] and not mine6 else 1)
EOF

# ---- the API: answers ------------------------------------------------------------
req "${URL}api/health"; expect_code 200 "health"
expect_jpy "B['status'] == 'ok' and B['documents'] == $NDOCS and B['analyze'] is True" "health says ok and the documents"
[ "$(curl -s -o /dev/null -w '%{content_type}' "${URL}api/health")" = "application/json; charset=utf-8" ] && ok || no "API content type"

# each list is what the CLI prints, object for object
same_as_cli() { # same_as_cli LIST DESC CLI-ARGS... (the request is in $T/body)
    local list=$1 desc=$2
    shift 2
    "$HEARSAY" "$@" --format json >"$T/cli.jsonl" 2>/dev/null
    python3 -c "import json,sys
api=json.load(open(sys.argv[1], encoding='utf-8'))[sys.argv[3]]
cli=[json.loads(l) for l in open(sys.argv[2], encoding='utf-8')]
sys.exit(0 if api == cli and api else 1)" "$T/body" "$T/cli.jsonl" "$list" && ok || no "$desc: the API's answer differs from the CLI's: $(head -c 300 "$T/body")"
}
req "${URL}api/search?q=speculators"; expect_code 200 "search"
same_as_cli results "search" search "$DB" speculators
req "${URL}api/search?q=harbor&speaker=Okafor&limit=3"; expect_code 200 "search with speaker and limit"
same_as_cli results "search with speaker and limit" search "$DB" harbor --speaker Okafor --limit 3
req "${URL}api/search?speaker=Okafor&outlet=coast+herald&since=2026-04&until=2026-04-30&kind=direct"; expect_code 200 "search with every filter"
same_as_cli results "search with every filter" search "$DB" --speaker Okafor --outlet "coast herald" --since 2026-04 --until 2026-04-30 --kind direct
req "${URL}api/search?q=%22will+not+let+speculators%22+NOT+parents"; expect_code 200 "FTS5 syntax in q"
same_as_cli results "FTS5 syntax" search "$DB" '"will not let speculators" NOT parents'
req "${URL}api/search?q=zzzqqq"; expect_code 200 "a search that finds nothing is an answer"
expect_jpy "B == {'results': []}" "no results is an empty list"
req "${URL}api/search?q=&speaker="; expect_code 200 "empty parameters are no filters"
req "${URL}api/search?event=meet&participant=Aaltonen&limit=50"; expect_code 200 "meetings with a participant"
expect_jpy "len(B['events']) >= 4 and all('Jonas Aaltonen' in e['participants'] for e in B['events'])" "the meetings have the participant"
same_as_cli events "meetings" search "$DB" --event meet --participant Aaltonen --limit 50
req "${URL}api/search?participant=Varga&factuality=negated"; expect_code 200 "denied meetings"
same_as_cli events "denied meetings" search "$DB" --participant Varga --factuality negated
req "${URL}api/search?participant=Varga&factuality=likely"; expect_code 400 "an unknown factuality"
Q="Every house on this street was bought by your parents"
req -G "${URL}api/trace" --data-urlencode "q=$Q"; expect_code 200 "trace"
same_as_cli occurrences "trace" trace "$DB" "$Q"
expect_jpy "[o['date'] for o in B['occurrences']] == sorted(o['date'] for o in B['occurrences']) and B['occurrences'][0]['first']" "trace is oldest first"
req "${URL}api/quotes"; expect_code 200 "quotes"
same_as_cli quotes "quotes" quotes "$DB"
req "${URL}api/quotes?min_outlets=3&speaker=Okafor&limit=5"; expect_code 200 "quotes with filters"
req "${URL}api/stats"; expect_code 200 "stats"
"$HEARSAY" stats "$DB" --format json >"$T/stats.json"
python3 -c "import json,sys; sys.exit(0 if json.load(open(sys.argv[1])) == json.load(open(sys.argv[2])) else 1)" "$T/body" "$T/stats.json" &&
    ok || no "stats differ from the CLI's"

# a document: the stored analysis with its text; spans are byte offsets into it
req "${URL}api/doc/valley-post-1"; expect_code 200 "doc"
expect_jpy "B['id'] == 'valley-post-1' and B['outlet'] == 'Valley Post' and B['date'] == '2026-04-02' and all(B['text'].encode()[s:e].decode() == a['content']['text'] for a in B['attributions'] if len(a['content']['spans']) == 1 for s, e in a['content']['spans']) and B['attributions'] and B['entities']" "doc has text, metadata and byte spans"
req "${URL}api/doc/examples%2Fharbor-bridge-vote.txt"; expect_code 200 "a document id with a slash, percent-encoded"
expect_jpy "B['id'] == 'examples/harbor-bridge-vote.txt'" "the escaped id is the document"
req "${URL}api/doc/no-such-doc"; expect_code 404 "an unknown document"
expect_error "no document" "an unknown document says so"

# analyze: what analyze --format json --include-text writes, without storing
req -X POST -H 'Content-Type: text/plain; charset=utf-8' --data-binary @"$ROOT/examples/harbor-bridge-vote.txt" "${URL}api/analyze"
expect_code 200 "analyze text/plain"
"$HEARSAY" analyze --format json --include-text "$ROOT/examples/harbor-bridge-vote.txt" >"$T/an.json"
python3 -c "import json,sys
a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); a.pop('id'); b.pop('id')
sys.exit(0 if a == b and a['attributions'] else 1)" "$T/body" "$T/an.json" && ok || no "analyze differs from the CLI's"
req -X POST -H 'Content-Type: text/html' --data-binary @"$ROOT/examples/ferry-vote-page.html" "${URL}api/analyze"
expect_code 200 "analyze text/html"
"$HEARSAY" analyze --format json --include-text "$ROOT/examples/ferry-vote-page.html" >"$T/an.json"
python3 -c "import json,sys
a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); a.pop('id'); b.pop('id')
sys.exit(0 if a == b and a['attributions'] else 1)" "$T/body" "$T/an.json" && ok || no "analyze of a page differs from the CLI's"
python3 -c "import json,sys; print(json.dumps({'text': open(sys.argv[1]).read(), 'id': 'pasted', 'outlet': 'Bay Ledger'}))" "$ROOT/examples/mayor-water-crisis.txt" >"$T/req.json"
req -X POST -H 'Content-Type: application/json' --data-binary @"$T/req.json" "${URL}api/analyze"
expect_code 200 "analyze JSON {text}"
expect_jpy "B['id'] == 'pasted' and B['attributions'] and B['text'].startswith('Alder Falls')" "analyze JSON keeps the id"
req -X POST -H 'Content-Type: application/json' --data-binary '{"html": "<html><body><article><h1>Ferry fares</h1><p>The port director said fares would rise in May, according to a notice.</p></article></body></html>"}' "${URL}api/analyze"
expect_code 200 "analyze JSON {html}"
expect_jpy "B['text'].startswith('Ferry fares') and B['attributions']" "analyze of JSON html"
[ "$(curl -s "${URL}api/health" | python3 -c "import json,sys; print(json.load(sys.stdin)['documents'])")" = "$NDOCS" ] && ok || no "analyze stored something"

# ---- the API: every client mistake is a 4xx JSON error ------------------------------
# STATUS|TARGET|WHAT|words the error message must hold (optional)
while IFS='|' read -r want target what says; do
    req "${URL}$target"; expect_code "$want" "$what"
    [ -z "$says" ] || expect_error "$says" "$what: the message"
done <<'EOF'
400|api/search?q=%zz|bad percent-encoding|percent-encoding
400|api/search?q=%C3%28|invalid UTF-8 in a parameter|
400|api/search?q=vote&limit=0|limit 0|limit
400|api/search?q=vote&limit=-3|a negative limit|
400|api/search?q=vote&limit=ten|a limit that is no number|
400|api/search?q=vote&limit=100000|a limit over 1000|
400|api/search?q=speculators+AND|an FTS5 syntax error|bad query
400|api/search?q=%22unbalanced|an unterminated phrase|bad query
400|api/search?q=vote&kind=shouted|an unknown kind|unknown kind
400|api/search?q=vote&since=yesterday|a date that is no date|not a date
400|api/search?q=vote&color=red|an unknown parameter|unknown parameter 'color'
400|api/search?q=a&q=b|a parameter given twice|twice
400|api/trace|trace without q|q=QUOTE
400|api/trace?q=+++|trace of blanks|
400|api/quotes?min_outlets=none|min_outlets that is no number|min_outlets
400|api/search?q=NEAR(harbor+vote,+x)|a NEAR distance that is no number|bad query
400|api/search?q=vote&since=2026-13-45|a date that does not exist|not a date
404|api/nothing|an unknown API path|no such path
404|no/such/page|an unknown page|
EOF
req --path-as-is "${URL}static/../../etc/passwd"; expect_code 404 "a path out of the assets"
grep -q "root:" "$T/body" && no "a file of the machine was served" || ok
req -X DELETE "${URL}api/search"; expect_code 405 "DELETE"
[ "$(curl -s -o /dev/null -D - -X PUT "${URL}api/stats" | tr -d '\r' | sed -n 's/^Allow: //Ip')" = "GET, HEAD" ] && ok || no "405 without Allow: GET, HEAD"
req "${URL}api/analyze"; expect_code 405 "GET of analyze"
req -X POST --data-binary 'x' -H 'Content-Type: text/plain' "${URL}api/search"; expect_code 405 "POST of search"
req -X POST --data-binary 'a=b' "${URL}api/analyze"; expect_code 415 "a form body (curl's default type)"
req -X POST --data-binary 'x' -H 'Content-Type: image/png' "${URL}api/analyze"; expect_code 415 "an image"
req -X POST --data-binary 'x' -H 'Content-Type: text/plain; charset=latin1' "${URL}api/analyze"; expect_code 415 "text in another charset"
req -X POST --data-binary $'bad \xff byte' -H 'Content-Type: text/plain' "${URL}api/analyze"; expect_code 400 "invalid UTF-8 text"; expect_error "byte 4" "the bad byte is named"
req -X POST --data-binary '' -H 'Content-Type: text/plain' "${URL}api/analyze"; expect_code 400 "an empty body"
req -X POST --data-binary '{"text": 3}' -H 'Content-Type: application/json' "${URL}api/analyze"; expect_code 400 "JSON text that is no string"
req -X POST --data-binary '{"text": "a", "html": "b"}' -H 'Content-Type: application/json' "${URL}api/analyze"; expect_code 400 "JSON with text and html"
req -X POST --data-binary '{"text": ' -H 'Content-Type: application/json' "${URL}api/analyze"; expect_code 400 "broken JSON"; expect_error "not valid JSON" "broken JSON is named"
# 65 MB: refused from the headers, before the body is read (curl waits with Expect: 100-continue)
head -c $((65 << 20)) /dev/zero | tr '\0' 'a' >"$T/big.txt"
up=$(curl -s -o "$T/body" -w '%{http_code} %{size_upload}' --max-time 60 -X POST -H 'Content-Type: text/plain' --data-binary @"$T/big.txt" "${URL}api/analyze")
[ "${up% *}" = 413 ] && ok || no "a 65 MB body: $up"
[ "${up#* }" -lt $((8 << 20)) ] && ok || no "the 65 MB body was read before the 413 ($up bytes sent)"
# chunked, so the size is not in the headers: refused once past the limit
req -X POST -H 'Content-Type: text/plain' -H 'Transfer-Encoding: chunked' --data-binary @"$T/big.txt" "${URL}api/analyze"
expect_code 413 "a chunked body over the limit"
rm -f "$T/big.txt"
# HEAD, and the UI's assets and pages
[ "$(curl -s -I -o /dev/null -w '%{http_code}' "${URL}api/health")" = 200 ] && ok || no "HEAD"
for page in "" "trace?q=x" "analyze" "doc/valley-post-1"; do
    req "${URL}$page"; expect_code 200 "page /$page"
    grep -q '/static/app.js' "$T/body" && ok || no "page /$page is not the UI"
done
curl -s -D "$T/h" -o /dev/null "${URL}"
grep -qi "^Content-Security-Policy: default-src 'self'" "$T/h" && ok || no "pages have no Content-Security-Policy"
etag=$(tr -d '\r' <"$T/h" | sed -n 's/^ETag: //Ip')
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "${URL}")" = 304 ] && ok || no "an unchanged page is not 304"
for f in app.js style.css; do req "${URL}static/$f"; expect_code 200 "asset $f"; done
grep -Eq 'https?://' "$ROOT/cli/web/index.html" && no "index.html requests something outside" || ok

# ---- hostile requests over raw sockets, idle and slow connections -------------------
python3 "$HERE/serve_raw.py" hostile "$PORT" >"$T/raw" 2>&1
while read -r line; do
    case $line in "ok "*) ok ;; *) no "$line" ;; esac
done <"$T/raw"
[ -s "$T/raw" ] || no "serve_raw.py printed nothing"
python3 "$HERE/serve_raw.py" idle "$PORT" 300 >"$T/raw" 2>&1
grep -q "^ok" "$T/raw" && ok || no "$(cat "$T/raw")"
python3 "$HERE/serve_raw.py" slow "$PORT" 4 >"$T/raw" 2>&1
grep -q "^ok" "$T/raw" && ok || no "$(cat "$T/raw")"
for check in "partial $PORT $SPID" "pipeline $PORT"; do
    # shellcheck disable=SC2086
    python3 "$HERE/serve_raw.py" $check >"$T/raw" 2>&1
    while read -r line; do case $line in "ok "*) ok ;; *) no "$line" ;; esac; done <"$T/raw"
    [ -s "$T/raw" ] || no "serve_raw.py $check printed nothing"
done
req "${URL}api/%61nalyze"; expect_code 405 "GET of an escaped analyze path"
[ "$(curl -s -o /dev/null -D - "${URL}api/%61nalyze" | tr -d '\r' | sed -n 's/^Allow: //Ip')" = POST ] && ok || no "405 of analyze without Allow: POST"

# a long analyze runs beside the pool threads: other requests are answered meanwhile
for _ in $(seq 1 600); do cat "$ROOT/examples/harbor-bridge-vote.txt"; done >"$T/long.txt"
curl -s -o "$T/long.out" -w '%{http_code}' --max-time 120 -X POST -H 'Content-Type: text/plain' \
    --data-binary @"$T/long.txt" "${URL}api/analyze" >"$T/long.code" &
long=$!
sleep 0.5
slowest=0 during=0
for _ in 1 2 3 4 5 6; do
    t=$(curl -s -o /dev/null -w '%{time_total}' --max-time 10 "${URL}api/health")
    slowest=$(python3 -c "print(max($slowest, $t))")
    # answered while the long analyze still runs (on a loaded machine the
    # six answers can together take longer than the analyze)
    kill -0 $long 2>/dev/null && during=$((during + 1))
done
[ $during -ge 1 ] && ok || no "the long analyze ended too soon to show anything (make it longer)"
python3 -c "import sys; sys.exit(0 if $slowest < 1 else 1)" && ok || no "health took $slowest s during a long analyze"
wait $long
[ "$(cat "$T/long.code")" = 200 ] && ok || no "the long analyze: HTTP $(cat "$T/long.code")"
rm -f "$T/long.txt" "$T/long.out"
req "${URL}api/health"; expect_code 200 "healthy after the hostile requests"
expect_jpy "B['documents'] == $NDOCS" "no document lost to SQL in queries"

# ---- reading while hearsay index writes ----------------------------------------------
( for _ in 1 2 3; do "$HEARSAY" index "$DB" -j 2 "$HERE/store/corpus.jsonl" "$ROOT"/examples/*.txt || exit 1; done ) >"$T/ix.out" 2>&1 &
ix=$!
bad=0 n=0
while kill -0 $ix 2>/dev/null || [ $n -lt 20 ]; do
    c=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "${URL}api/search?q=harbor")
    [ "$c" = 200 ] || bad=$((bad + 1))
    n=$((n + 1))
    [ $n -ge 2000 ] && break
done
wait $ix && ok || no "index while serving failed: $(head -c 300 "$T/ix.out")"
[ $bad = 0 ] && ok || no "$bad of $n searches failed while index wrote"

# ---- the web UI in headless Chromium ------------------------------------------------------
CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$CHROME" ]; then
    skipped "the web UI in a browser (26 checks)" "chromium is absent (apt-get install chromium)"
else
    mkdir -p "$SHOTS"
    # dom URL NAME [WIDTH,HEIGHT]: the page after its scripts ran, a screenshot, the console
    dom() {
        local size=${3:-1280,900}
        "$CHROME" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
            --user-data-dir="$T/chrome" --virtual-time-budget=10000 --window-size="$size" \
            --enable-logging=stderr --v=0 --dump-dom "$1" >"$T/$2.html" 2>"$T/$2.log"
        "$CHROME" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
            --user-data-dir="$T/chrome" --virtual-time-budget=10000 --window-size="$size" \
            --hide-scrollbars --screenshot="$SHOTS/$2.png" "$1" >/dev/null 2>&1
    }
    # h NAME EXPR: a check on the page's DOM (python's html.parser; E: elements with attrs)
    h() {
        python3 - "$T/$1.html" "$2" <<'EOF'
import sys
from html.parser import HTMLParser
E = []
class P(HTMLParser):
    def handle_starttag(self, tag, attrs):
        d = dict(attrs)
        d["tag"] = tag
        d["classes"] = (d.get("class") or "").split()
        E.append(d)
P().feed(open(sys.argv[1], encoding="utf-8").read())
body = [e for e in E if e["tag"] == "body"]
state = body[0].get("data-state") if body else None
def cls(c): return [e for e in E if c in e["classes"]]
sys.exit(0 if eval(sys.argv[2]) else 1)
EOF
    }
    hcheck() { h "$1" "$2" && ok || no "$3 ($T/$1.html: $(grep -o 'data-state="[a-z]*"' "$T/$1.html" | head -1))"; }
    dom "${URL}?q=speculators" search
    hcheck search "state == 'ready' and len(cls('hs-result')) >= 2 and all(e.get('data-doc') for e in cls('hs-result')) and any(e['tag'] == 'mark' for e in E)" \
        "the search page renders results with data-doc and highlighted matches"
    dom "${URL}?q=speculators&speaker=Okafor&outlet=Valley+Post" search-filtered
    hcheck search-filtered "state == 'ready' and {e.get('data-doc') for e in cls('hs-result')} == {'valley-post-1', 'valley-post-2'}" \
        "a shared URL with filters renders the filtered results"
    dom "${URL}doc/valley-post-1" doc
    hcheck doc "state == 'ready' and cls('hs-source') and cls('hs-cue') and cls('hs-content')" \
        "the article page highlights sources, cues and contents"
    dom "${URL}doc/examples%2Fharbor-bridge-vote.txt" doc-blocks
    hcheck doc-blocks "state == 'ready' and any(e['tag'] == 'blockquote' for e in E) and cls('hs-embed') and cls('hs-block-boilerplate')" \
        "the article page shows block quotes, missing embeds and boilerplate as such"
    dom "${URL}doc/examples%2Fsummit-meetings.txt" doc-meetings
    hcheck doc-meetings "state == 'ready' and len(cls('hs-trigger')) >= 5 and len(cls('hs-participant')) >= 8 and any(e.get('id') == 'meetings' for e in E)" \
        "the article page highlights meeting triggers and participants and lists the meetings"
    dom "${URL}doc/valley-post-1" doc-phone 390,844
    hcheck doc-phone "state == 'ready' and cls('hs-content')" "the article page on a phone"
    dom "${URL}trace?q=Every+house+on+this+street+was+bought+by+your+parents" trace
    hcheck trace "state == 'ready' and len(cls('hs-occurrence')) >= 3 and [e['data-date'] for e in cls('hs-occurrence')] == sorted(e['data-date'] for e in cls('hs-occurrence')) and 'hs-first' in cls('hs-occurrence')[0]['classes']" \
        "the trace page lists occurrences oldest first, the first marked"
    dom "${URL}analyze" analyze
    hcheck analyze "state in ('ready', 'empty') and any(e['tag'] == 'textarea' for e in E)" "the analyze page has its form"
    dom "${URL}doc/no-such-doc" doc-missing
    hcheck doc-missing "state == 'error'" "an unknown article shows an error"
    # as a person uses it: keyboard, hover, paste, a phone (DevTools protocol over a pipe)
    timeout 180 python3 "$HERE/ui_cdp.py" "$CHROME" "$URL" "$T/cdp" "$SHOTS" >"$T/cdp.out" 2>&1
    while read -r line; do
        case $line in "ok "*) ok ;; *) no "$line" ;; esac
    done <"$T/cdp.out"
    grep -q "^ok the search page loads" "$T/cdp.out" || no "ui_cdp.py did not run: $(head -c 300 "$T/cdp.out")"
    cat "$T"/*.log | grep -E "Uncaught|Refused to|Content Security Policy|ERR_" >"$T/console" || true
    [ ! -s "$T/console" ] && ok || no "the browser console has errors: $(head -c 600 "$T/console")"
fi

# ---- stopping, and starting wrong ----------------------------------------------------------------
kill -TERM "$SPID"
for _ in $(seq 1 100); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$SPID" 2>/dev/null; then no "SIGTERM did not stop the server"; else
    wait "$SPID"; rc=$?
    [ $rc = 0 ] && ok || no "SIGTERM: exit $rc"
fi
grep -q "SIGTERM: stopping" "$T/main.err" && ok || no "the stop is not said: $(cat "$T/main.err")"
grep -Ei "sanitizer|leak|runtime error" "$T/main.err" && no "the server's stderr has sanitizer reports" || ok
start_server second "$DB" --port 0 --threads 1
kill -INT "$SPID"
for _ in $(seq 1 100); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.05; done
kill -0 "$SPID" 2>/dev/null && no "SIGINT did not stop the server" || { wait "$SPID"; [ $? = 0 ] && ok || no "SIGINT: exit status"; }
start_server third "$DB" --port 0
run "$HEARSAY" serve "$DB" --port "$PORT"; expect_rc 6 "a port in use"
expect_grep "cannot listen" "$T/err" "the port in use is said"
kill -TERM "$SPID"
run "$HEARSAY" serve "$T/none.db" --port 0; expect_rc 5 "a missing database"
# a small server: the gate full of silent connections, and the daemon full
start_server small "$DB" --port 0 --threads 1 --max-connections 4
python3 "$HERE/serve_raw.py" evict "$PORT" 4 >"$T/raw" 2>&1
grep -q "^ok" "$T/raw" && ok || no "$(cat "$T/raw")"
python3 "$HERE/serve_raw.py" full "$PORT" 4 >"$T/raw" 2>&1
while read -r line; do case $line in "ok "*) ok ;; *) no "$line" ;; esac; done <"$T/raw"
kill -TERM "$SPID"; wait "$SPID" && ok || no "the small server did not stop cleanly: $(tail -3 "$T/small.err")"
# stopping during a long analysis: it is finished first, unless a second signal says now
start_server quit "$DB" --port 0 --threads 1 --max-body-mb 8
for _ in $(seq 1 1200); do cat "$ROOT/examples/harbor-bridge-vote.txt"; done >"$T/long.txt"
curl -s -o /dev/null --max-time 120 -X POST -H 'Content-Type: text/plain' --data-binary @"$T/long.txt" "${URL}api/analyze" &
poster=$!
sleep 0.7
kill -TERM "$SPID"
sleep 0.3
kill -INT "$SPID"
for _ in $(seq 1 40); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.05; done
kill -0 "$SPID" 2>/dev/null && no "a second signal did not stop the server at once" || {
    wait "$SPID"; rc=$?
    [ $rc = 1 ] && ok || no "a second signal: exit $rc, expected 1"
}
expect_grep "stopped without waiting" "$T/quit.err" "the abandoned analysis is said"
wait $poster 2>/dev/null
rm -f "$T/long.txt"
run "$HEARSAY" serve "$DB" --port 99999; expect_rc 2 "a port out of range"
run "$HEARSAY" serve "$DB" --bind localhost:80; expect_rc 2 "a bind that is no address"
run "$HEARSAY" serve; expect_rc 2 "no database"
run "$HEARSAY" serve --help; expect_rc 0 "serve --help"
expect_grep "127.0.0.1" "$T/out" "the help names the default address"

done_tap
