#!/usr/bin/env bash
# store.sh - tests of the corpus commands (index, search, trace, quotes,
# stats) as a user runs them, on our own five-article corpus
# (tests/store/corpus.jsonl: one mayor's quotation reprinted by four
# outlets, exact, with a word changed, paraphrased, and once on banners
# with nobody saying it, so no statement holds it): hand-made expected
# results, byte offsets into the stored text, the schema a sqlite3 user
# sees, index --input analyzed with its bad lines, a kill -9 while indexing
# (the database passes integrity_check, re-running completes it without
# duplicates, readers work meanwhile), and each bad database or query.
# Needs HEARSAY and the sqlite3 shell (tools/deps.sh check installs it).
NAME=store
# shellcheck source=tests/testlib.sh
. "$(dirname "$0")/testlib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
CORPUS=$HERE/store/corpus.jsonl
ROOT=$(cd "$HERE/.." && pwd)
sql() { sqlite3 -batch "$1" "$2"; }
# jq-free JSON checks: py EXPR over the lines of $T/out as the list L
py() { python3 -c "import json,sys
L=[json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
sys.exit(0 if ($1) else 1)" "$T/out"; }
expect_py() { py "$1" && ok || no "$2: $(head -c 400 "$T/out")"; }

DB=$T/c.db
# ---- index and the schema ---------------------------------------------------------
run "$HEARSAY" index "$DB" "$CORPUS"; expect_rc 0 "index"
run "$HEARSAY" stats "$DB" --format json; expect_rc 0 "stats"
expect_py 'L[0]["documents"] == 5 and L[0]["quotes"] >= 1 and L[0]["attributions"] >= 8 and L[0]["entities"] > 0' "stats counts"
expect_py 'L[0]["dates"] == {"first": "2026-04-02", "last": "2026-04-12"} and len(L[0]["outlets"]) == 4' "stats dates and outlets"
before=$(sql "$DB" "SELECT count(*) FROM attributions")
[ "$(sql "$DB" "PRAGMA integrity_check")" = ok ] && ok || no "integrity_check after index"
[ "$(sql "$DB" "PRAGMA journal_mode")" = wal ] && ok || no "not in WAL mode"
[ "$(sql "$DB" "SELECT count(*) FROM docs WHERE id='coast-herald-1' AND outlet='Coast Herald' AND date='2026-04-03' AND title LIKE 'Okafor:%'")" = 1 ] && ok || no "document metadata"
[ "$(sql "$DB" "SELECT json_extract(analysis, '\$.schema') FROM docs LIMIT 1")" = 1 ] && ok || no "the analysis is stored as JSON"
# re-indexing replaces: nothing is stored twice
run "$HEARSAY" index "$DB" "$CORPUS"; expect_rc 0 "index again"
[ "$(sql "$DB" "SELECT count(*) FROM docs")" = 5 ] && [ "$(sql "$DB" "SELECT count(*) FROM attributions")" = "$before" ] &&
    ok || no "re-indexing stored documents twice"
[ "$(sql "$DB" "SELECT count(*) FROM attr_fts")" = "$before" ] && ok || no "the full-text index kept replaced statements"
[ "$(sql "$DB" "SELECT count(*) FROM para_vocab WHERE term = 'banners'")" = 1 ] && ok || no "the paragraph index kept replaced paragraphs"

# web pages and crawls give their metadata from the page and the record
mkdir -p "$T/web" && python3 tests/mkwarc.py "$T/web" >/dev/null
run "$HEARSAY" index "$T/w.db" "$T/web/crawl.warc.gz" "$T/web/page2.html"; expect_rc 0 "index a crawl and a page"
[ "$(sql "$T/w.db" "SELECT url, outlet, date FROM docs WHERE url = 'https://courier.example/a2'")" = \
  "https://courier.example/a2|The Norvik Courier|2026-06-05T10:00:00Z" ] && ok || no "a WARC record's URL, outlet and date: $(sql "$T/w.db" "SELECT id, url, outlet, date FROM docs")"
[ "$(sql "$T/w.db" "SELECT title FROM docs WHERE id LIKE '%page2.html'")" = "Mayor Orders Water Tests After Complaints" ] && ok || no "a page's title"
run "$HEARSAY" index "$T/w.db" "$T/web/truncend.warc.gz"; expect_rc 1 "a truncated crawl"
expect_grep "truncend.warc.gz" "$T/err" "the truncated crawl is named"

# ---- search -----------------------------------------------------------------------
run "$HEARSAY" search "$DB" speculators --format json; expect_rc 0 "search"
expect_py 'len(L) == 4 and all(set(o) == {"doc", "outlet", "date", "title", "speaker", "attribution"} for o in L)' "search JSON keys"
expect_py 'all("speculators" in o["attribution"]["content"]["text"] for o in L)' "search finds the word"
# every span of every result is a byte range of the stored text
python3 - "$DB" "$T/out" <<'EOF' && ok || no "search offsets do not index the stored text"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for line in open(sys.argv[2], encoding="utf-8"):
    o = json.loads(line)
    text = db.execute("SELECT text FROM docs WHERE id=?", (o["doc"],)).fetchone()[0].encode()
    c = o["attribution"]["content"]
    assert " ".join(text[s:e].decode() for s, e in c["spans"]) == c["text"], o
EOF
run "$HEARSAY" search "$DB" --speaker Okafor --format json --limit 100; expect_rc 0 "search --speaker"
expect_py 'any(o["doc"] == "daily-lantern-1" and o["attribution"]["source"]["text"] == "she" for o in L)' "--speaker finds a statement whose source is a pronoun"
expect_py 'all(o["speaker"] in ("Maria Okafor", "Okafor", "Mayor Okafor") for o in L)' "--speaker finds only that speaker"
run "$HEARSAY" search "$DB" budget --speaker "Maria Okafor" --format json; expect_rc 0 "search QUERY --speaker"
expect_py 'len(L) == 1 and L[0]["doc"] == "valley-post-1" and "budget" in L[0]["attribution"]["content"]["text"]' "query and speaker together"
run "$HEARSAY" search "$DB" budget --outlet "valley post" --format json; expect_rc 0 "search --outlet"
expect_py 'L and all(o["outlet"] == "Valley Post" for o in L)' "--outlet (any case)"
run "$HEARSAY" search "$DB" --since 2026-04-03 --until 2026-04-05 --kind direct --format json --limit 100; expect_rc 0 "search dates and kind"
expect_py 'L and all("2026-04-03" <= o["date"] <= "2026-04-05" and o["attribution"]["kind"] == "direct" for o in L)' "--since, --until and --kind"
run "$HEARSAY" search "$DB" '"will not let speculators" NOT parents' --format json; expect_rc 0 "FTS5 syntax"
expect_py 'len(L) == 1 and L[0]["doc"] == "daily-lantern-1"' "a phrase and NOT"
run "$HEARSAY" search "$DB" "Okafor's budget" --format json; expect_rc 0 "plain words with an apostrophe are no syntax error"
run "$HEARSAY" search "$DB" speculators --format text --color never; expect_rc 0 "search text"
expect_grep "2026-04-02  Valley Post  Maria Okafor — said (direct)" "$T/out" "search text line"
expect_grep "let \*speculators\* take" "$T/out" "search text highlights the match"

# ---- meetings (search --event, --participant, --factuality) ----------------------------
EV=$T/ev.db
run "$HEARSAY" index "$EV" "$ROOT/examples/summit-meetings.txt" "$CORPUS"; expect_rc 0 "index an article with meetings"
nev=$(sql "$EV" "SELECT count(*) FROM events"); npart=$(sql "$EV" "SELECT count(*) FROM event_parties")
[ "$nev" -ge 6 ] && [ "$npart" -ge 12 ] && ok || no "events stored: $nev events, $npart party names"
run "$HEARSAY" index "$EV" "$ROOT/examples/summit-meetings.txt"; expect_rc 0 "index the article again"
[ "$(sql "$EV" "SELECT count(*) FROM events")" = "$nev" ] && [ "$(sql "$EV" "SELECT count(*) FROM event_parties")" = "$npart" ] &&
    ok || no "re-indexing stored meetings twice"
run "$HEARSAY" search "$EV" --event meet --participant Aaltonen --format json --limit 100; expect_rc 0 "search --event --participant"
expect_py 'len(L) >= 4 and all(set(o) == {"doc", "outlet", "date", "title", "source", "participants", "sentence", "event"} for o in L)' "meeting JSON keys"
expect_py 'all("Jonas Aaltonen" in o["participants"] and o["event"]["type"] == "meet" and o["event"]["trigger"]["text"] in o["sentence"] for o in L)' "each meeting has the participant, its trigger in its sentence"
run "$HEARSAY" search "$EV" --participant varga --factuality negated --format json; expect_rc 0 "search --participant --factuality"
expect_py 'len(L) >= 1 and all(o["event"]["factuality"] == "negated" for o in L)' "only denied meetings"
run "$HEARSAY" search "$EV" --participant Tamm --format text --color never; expect_rc 0 "search meetings as text"
expect_grep "Jonas Aaltonen; Karl Tamm — met — asserted" "$T/out" "meeting text line"
run "$HEARSAY" search "$EV" --participant Nobody-Here; expect_rc 1 "no meeting with that party"
expect_grep "no meeting matches" "$T/err" "nothing found is said"
run "$HEARSAY" search "$EV" --participant Varga --factuality likely; expect_rc 2 "an unknown factuality"
expect_grep "'likely' is not a factuality" "$T/err" "the bad factuality is named"
run "$HEARSAY" search "$EV" summit --event meet; expect_rc 2 "words with --event"
run "$HEARSAY" search "$EV" --event meet --kind direct; expect_rc 2 "--kind with --event"
run "$HEARSAY" stats "$EV" --format json; expect_rc 0 "stats counts meetings"
expect_py 'L[0]["events"] == '"$nev" "stats: events"

# ---- trace: the hand-made path of the mayor's quotation ----------------------------------
run "$HEARSAY" trace "$DB" "Every house on this street was bought by your parents" --format json; expect_rc 0 "trace"
expect_py '[o["doc"] for o in L] == ["valley-post-1", "coast-herald-1", "daily-lantern-1", "valley-post-2", "bay-ledger-1"]' "trace finds every occurrence, oldest first"
expect_py '[o["first"] for o in L] == [True, False, False, False, False] and L[3]["changes"] == [] and L[0]["changes"] == []' "trace: first, and an exact reprint"
expect_py 'L[4]["attribution"] is None and L[4]["speaker"] is None and L[4]["text"] == "Every house on this street was bought by your parents with money they earned at the harbor" and L[4]["changes"] == [{"from": "and we will not let speculators take them", "to": ""}]' "trace: in a paragraph no statement holds, cut to the words of the first occurrence"
expect_py '{"from": "bought", "to": "brought"} in L[1]["changes"] and len(L[1]["changes"]) == 1' "trace: one word changed"
expect_py '{"from": "your", "to": "their"} in L[2]["changes"] and L[2]["attribution"]["kind"] == "indirect" and L[2]["speaker"] == "Maria Okafor"' "trace: a paraphrase and who it is attributed to"
run "$HEARSAY" trace "$DB" "every house -- on this street -- was BOUGHT by your parents!" --format json; expect_rc 0 "trace re-punctuated"
expect_py 'len(L) == 5' "trace ignores case and punctuation"
run "$HEARSAY" trace "$DB" "Every house on this street was bought by your parents" --format text --color never; expect_rc 0 "trace text"
expect_grep "bought → brought" "$T/out" "trace text marks the change"
expect_grep "2026-04-05  Daily Lantern — Maria Okafor (told)" "$T/out" "trace text path"
run "$HEARSAY" trace "$DB" "the price of tea in the mountains of the south" --format json; expect_rc 1 "trace of an absent quotation"

# ---- quotes -----------------------------------------------------------------------
run "$HEARSAY" quotes "$DB" --format json; expect_rc 0 "quotes"
expect_py 'L[0]["documents"] == 4 and L[0]["outlets"] == 3 and L[0]["speaker"] == "Maria Okafor" and L[0]["first"]["doc"] == "valley-post-1"' "quotes: the reprinted quotation once"
expect_py 'len(L[0]["variants"]) >= 3' "quotes: its variants"
run "$HEARSAY" quotes "$DB" --min-outlets 4 --format json; expect_rc 1 "quotes --min-outlets"
run "$HEARSAY" quotes "$DB" --speaker Larsen --format json; expect_rc 1 "quotes --speaker"

# ---- index --input analyzed, with bad lines -------------------------------------------
"$HEARSAY" analyze --format json "$CORPUS" >"$T/an.jsonl"
run "$HEARSAY" index "$T/a.db" --input analyzed "$T/an.jsonl"; expect_rc 0 "index --input analyzed"
[ "$(sql "$T/a.db" "SELECT group_concat(json, '') FROM (SELECT json FROM attributions ORDER BY aid)")" = \
  "$(sql "$DB" "SELECT group_concat(json, '') FROM (SELECT json FROM attributions ORDER BY aid)")" ] && ok ||
    no "index --input analyzed stores what index stores"
{ head -1 "$T/an.jsonl"; echo '{"id": "x", "schema": 1'; echo '{"id": "y", "schema": 1, "attributions": [], "entities": []}'
  echo '[1, 2]'; printf 'bad \377 byte\n'; sed -n 2p "$T/an.jsonl"; } >"$T/bad.jsonl"
run "$HEARSAY" index "$T/b.db" --input analyzed "$T/bad.jsonl"; expect_rc 1 "bad lines fail"
expect_grep "bad.jsonl: line 2: invalid JSON" "$T/err" "a malformed line is named"
expect_grep 'line 3: y: no "text"' "$T/err" "a line without text is named"
expect_grep "line 4: not a JSON object" "$T/err" "a line that is no object"
expect_grep "line 5: invalid JSON" "$T/err" "invalid UTF-8"
[ "$(sql "$T/b.db" "SELECT count(*) FROM docs")" = 2 ] && ok || no "the good lines around bad ones are stored"
# damaged events: a sentence span before the text, a participant that is no object,
# "events" that is no array - stored without the bad sentence, or refused, never a crash
python3 - "$T/an.jsonl" "$T/evbad.jsonl" <<'PY'
import json, sys
d = json.loads(open(sys.argv[1], encoding="utf-8").readline())
ev = {"id": "v1", "type": "meet", "trigger": {"spans": [[0, 3]], "text": d["text"][:3]},
      "participants": [{"spans": [[0, 3]], "text": "x", "entity": "e999"}], "factuality": "asserted",
      "source": None, "attribution": None, "time": None, "place": None}
out = []
for i, (sents, parts, evs) in enumerate([([[-100000, 20]], None, None), (None, [None, 5], None),
                                         (None, None, "nope")]):
    o = dict(d, id="evbad-%d" % i)
    e = dict(ev, participants=parts if parts is not None else ev["participants"])
    o["events"] = evs if evs is not None else [e]
    if sents is not None:
        o["sentences"] = sents
    out.append(json.dumps(o))
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(out) + "\n")
PY
run "$HEARSAY" index "$T/evb.db" --input analyzed "$T/evbad.jsonl"; expect_rc 1 "damaged events"
expect_grep "line 2: .*participant is not an object" "$T/err" "a participant that is no object is named"
expect_grep 'line 3: .*"events" is not an array' "$T/err" "events that is no array is named"
[ "$(sql "$T/evb.db" "SELECT count(*) FROM events WHERE context IS NULL")" = 1 ] && ok ||
    no "the event with a sentence outside the text is stored without it"
: >"$T/empty.jsonl"
run "$HEARSAY" index "$T/b.db" --input analyzed "$T/empty.jsonl"; expect_rc 1 "an empty file"
expect_grep "empty.jsonl: no documents" "$T/err" "an empty file is named"
gzip -c "$T/an.jsonl" | head -c 1500 >"$T/cut.jsonl.gz"
run "$HEARSAY" index "$T/b.db" --input analyzed "$T/cut.jsonl.gz"; expect_rc 1 "truncated gzip"
expect_grep "cut.jsonl.gz: line .*byte" "$T/err" "truncated gzip names the place"

# ---- bad databases and queries ------------------------------------------------------------
run "$HEARSAY" search "$T/none.db" x; expect_rc 5 "a missing database"
expect_grep "none.db: no such corpus" "$T/err" "a missing database is named"
[ ! -e "$T/none.db" ] && ok || no "search created a database"
printf 'not a database at all, just text\n%.0s' {1..200} >"$T/text.db"
run "$HEARSAY" search "$T/text.db" x; expect_rc 5 "a file that is not SQLite"
expect_grep "text.db: .*not .*database" "$T/err" "not SQLite is said"
run "$HEARSAY" index "$T/text.db" "$CORPUS"; expect_rc 5 "index into a file that is not SQLite"
sql "$T/other.db" "CREATE TABLE t(x)"
run "$HEARSAY" stats "$T/other.db"; expect_rc 5 "a database of another application"
expect_grep "not a hearsay corpus" "$T/err" "a foreign database is said"
cp "$DB" "$T/old.db"; sql "$T/old.db" "PRAGMA user_version=99" >/dev/null
run "$HEARSAY" search "$T/old.db" x; expect_rc 5 "another schema version"
expect_grep "schema version 99" "$T/err" "the schema version is said"
cp "$DB" "$T/part.db"; sql "$T/part.db" "DROP TABLE paras"
run "$HEARSAY" stats "$T/part.db"; expect_rc 5 "a corpus missing a table"
expect_grep "an incomplete corpus" "$T/err" "the missing table is said"
run "$HEARSAY" search "$DB" 'speculators AND'; expect_rc 2 "an FTS5 syntax error"
run "$HEARSAY" search "$DB" '"unbalanced'; expect_rc 2 "an unterminated phrase is a bad query, not a database error"
expect_grep "bad query" "$T/err" "the syntax error is said"
run "$HEARSAY" search "$DB" "  "; expect_rc 2 "an empty query"
expect_grep "query is empty" "$T/err" "the empty query is said"
run "$HEARSAY" search "$DB" --speaker "Zebulon Quartermaine"; expect_rc 1 "a speaker nobody has"
expect_grep "no statement by that speaker" "$T/err" "the absent speaker is said"
run "$HEARSAY" trace "$DB" "?!"; expect_rc 2 "a quotation without words"
run "$HEARSAY" search "$DB" x --since yesterday; expect_rc 2 "a bad date"
run "$HEARSAY" index; expect_rc 2 "index without a database"
run "$HEARSAY" index "$T" "$CORPUS"; expect_rc 5 "a folder as the database"
expect_grep "is a folder" "$T/err" "the folder is said"
mkdir -p "$T/ro"
if [ "$(id -u)" -ne 0 ]; then
    chmod 555 "$T/ro"; run "$HEARSAY" index "$T/ro/c.db" "$CORPUS"; expect_rc 5 "a read-only folder"
elif command -v setpriv >/dev/null 2>&1; then
    chmod 555 "$T/ro"; chmod 755 "$T"
    run setpriv --reuid=65534 --regid=65534 --clear-groups "$HEARSAY" index "$T/ro/c.db" "$CORPUS"
    expect_rc 5 "a read-only folder"
    expect_grep "ro/c.db: cannot open.*writable" "$T/err" "the read-only folder is said"
else
    skipped "index into a read-only folder" "setpriv is absent (apt-get install util-linux)"
fi

# ---- kill -9 while indexing -------------------------------------------------------------
# 1,500 documents (the corpus under new ids), indexed with -j 2 and killed
# at three moments; each time the database is whole and readable while
# written, and re-running the command completes it without duplicates
python3 - "$CORPUS" "$T/many.jsonl" <<'EOF'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for k in range(300):
        for d in docs:
            f.write(json.dumps(dict(d, id="%s~%d" % (d["id"], k)), ensure_ascii=False) + "\n")
EOF
K=$T/k.db
for delay in 0.3 1 2; do
    "$HEARSAY" index "$K" -j 2 "$T/many.jsonl" >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    run "$HEARSAY" stats "$K" --format json
    [ "$rc" -eq 0 ] || [ "$rc" -eq 5 -a ! -s "$K" ] && ok || no "stats while indexing: exit $rc: $(cat "$T/err")"
    kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    [ "$(sql "$K" "PRAGMA integrity_check" 2>&1)" = ok ] && ok || no "integrity_check after kill -9 at ${delay}s"
    n=$(sql "$K" "SELECT count(*) FROM docs" 2>/dev/null || echo 0)
    [ "$n" -le 1500 ] && ok || no "more documents than the input after kill -9: $n"
done
run "$HEARSAY" index "$K" -j 2 "$T/many.jsonl"; expect_rc 0 "re-running after kill -9"
[ "$(sql "$K" "SELECT count(*), count(DISTINCT id) FROM docs")" = "1500|1500" ] && ok || no "re-running did not complete the corpus: $(sql "$K" "SELECT count(*), count(DISTINCT id) FROM docs")"
[ "$(sql "$K" "SELECT count(*) FROM attributions")" = "$((before * 300))" ] && ok || no "statements after re-running: $(sql "$K" "SELECT count(*) FROM attributions"), expected $((before * 300))"
[ "$(sql "$K" "PRAGMA integrity_check")" = ok ] && ok || no "integrity_check after re-running"
run "$HEARSAY" trace "$K" "Every house on this street was bought by your parents" --format json; expect_rc 0 "trace over 1,500 documents"
expect_py 'len(L) == 1500' "trace finds the 1,500 occurrences"

done_tap
