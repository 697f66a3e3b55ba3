#!/usr/bin/env python3
"""trace_gold.py - a gold set of quotations reused across PolNeAR articles, and
a scorer of `hearsay trace` against it. The gold set does not use hearsay.

usage: trace_gold.py build SHARED_DATA OUT.json [--seed S] [--overlap W]
       trace_gold.py score GOLD.json --hearsay PATH --db DB [--max N] [--out REPORT.json]

build: every quotation of >= 6 words in the train+dev texts, in “…”, "…" or
''…'' (NYT), or in ‘…’ / '…' with >= 8 words; a double quote left open at the
start of a paragraph runs to its end. Quotes are normalised (case-folded,
"'s" and apostrophes dropped, other punctuation a space) and paired across different
articles through an index of word 3-grams. A pair is `exact` (same words),
`similar` (difflib word ratio >= 0.8), `contained` (the shorter, >= 6 words,
has >= 90% of its words aligned in order with the longer, in runs of >= 2) or
`overlap` (a common run of >= W=9 words holding a 3-gram found in <= 3 quotes:
one statement quoted with other lead-ins or tails, but not "... to be the next
president of the United States"). Union-find joins pairs into clusters; those
spanning >= 2 articles are written as {"clusters": [{"quote", "members":
[{"doc", "text", "start"}], "pairs": [[i, j, type, score]]}], "stats"}, `start`
a code point offset into the .txt. Ten random clusters are shown on stderr.

score: runs `hearsay trace DB QUOTE --format json` for each member of each
cluster (the first N clusters with --max) and compares the documents returned
(a `~k` suffix stripped) with the cluster's: recall = gold docs found / gold
docs, precision = gold docs returned / docs returned; micro over queries, macro
over clusters. `direct_recall` expects only the query's document and those of
members paired with it (a long quote can join two short ones that share no
words). `lenient_precision` also accepts a returned document when one of its
contents has word ratio >= 0.5 with the query or aligns >= 80% of the shorter's
words (shorter >= 4 words). Reports wall time per query (process start
included), the worst misses and the documents returned outside the cluster.
"""
import argparse
import difflib
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from polnear_jsonl import articles  # noqa: E402

MIN_WORDS, MIN_SINGLE_WORDS = 6, 8
RARE = 3  # an overlap run must hold a 3-gram found in at most this many quotes
WORD = re.compile(r"\w+(?:['’]\w+)*")
# group 1 is the quote; straight double quotes pair up in order; the patterns
# anchored with ^...$ take a quote left open at the start of a paragraph
QUOTE_RES = [
    (re.compile(r"“([^“”\"\n]+)[”\"]"), MIN_WORDS),  # “…" is a typo seen in Politico
    (re.compile(r"^[ \t]*“([^“”\"\n]+)$", re.M), MIN_WORDS),
    (re.compile(r"(?:\"|'')((?:(?!'')[^\"\n])+?)(?:\"|'')"), MIN_WORDS),
    (re.compile(r"^[ \t]*(?:\"|'')((?:(?!'')[^\"“”\n])+)$", re.M), MIN_WORDS),
    (re.compile(r"(?:^|(?<=[\s(—–―\"“]))[‘']((?!')(?:(?!'')[^‘\n])+?)['’]"
                r"(?=[\s.,;:!?)”\"—–―]|$)", re.M), MIN_SINGLE_WORDS),
]
APOS = str.maketrans({c: "" for c in "'’‘`´"})


def words(s):
    """The normalised word list: case-folded, "'s" and apostrophes dropped (ISIS's =
    ISIS'), other punctuation a space."""
    s = re.sub(r"(?<=\w)['’‘]s\b", "", s.casefold())
    return re.sub(r"[^\w\s]|_", " ", s.translate(APOS)).split()


def extract(text):
    """[(start, quote)] of the quotations in text, code point offsets, no duplicates."""
    found = {}
    for rx, least in QUOTE_RES:
        for m in rx.finditer(text):
            q = m.group(1).rstrip(" \t,")
            s = m.start(1) + len(q) - len(q.lstrip())
            q = q.strip()
            if len(WORD.findall(q)) >= least:
                found[(s, len(q))] = q
    return sorted((s, q) for (s, _), q in found.items())


def aligned(a, b, sm=None):
    """Words of a aligned in order with b in runs of 2 or more (so that a stray
    "not" does not make "Not fit to serve as President" part of another quote)."""
    sm = sm or difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(bl.size for bl in sm.get_matching_blocks() if bl.size >= 2)


def pair_type(a, b, overlap, df):
    """(type, score) or None for two normalised word lists; df: quotes per 3-gram."""
    if a == b:
        return "exact", 1.0
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if sm.ratio() >= 0.8:
        return "similar", round(sm.ratio(), 3)
    short = min(len(a), len(b))
    if short >= MIN_WORDS and aligned(a, b, sm) >= 0.9 * short:
        return "contained", round(aligned(a, b, sm) / short, 3)
    m = sm.find_longest_match(0, len(a), 0, len(b))
    run = a[m.a:m.a + m.size]
    if overlap and m.size >= overlap and \
            min(df[tuple(run[k:k + 3])] for k in range(m.size - 2)) <= RARE:
        return "overlap", m.size
    return None


def find(parent, i):
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def ndocs(c):
    return len({m["doc"] for m in c["members"]})


def build(a):
    quotes, outlet = [], {}  # quotes: (doc, start, text, words)
    for _, stem, row, text in articles(a.shared):
        outlet[stem] = row.get("publisher", "")
        quotes += [(stem, s, q, words(q)) for s, q in extract(text)
                   if len(words(q)) >= MIN_WORDS]
    index = defaultdict(list)
    for i, q in enumerate(quotes):
        for sh in {tuple(q[3][k:k + 3]) for k in range(len(q[3]) - 2)}:
            index[sh].append(i)
    df = {sh: len(ids) for sh, ids in index.items()}
    cand = {(i, j) for ids in index.values() for x, i in enumerate(ids)
            for j in ids[x + 1:] if quotes[i][0] != quotes[j][0]}
    pairs = {}
    for i, j in cand:
        t = pair_type(quotes[i][3], quotes[j][3], a.overlap, df)
        if t:
            pairs[(i, j)] = t
    parent = list(range(len(quotes)))
    for i, j in pairs:
        parent[find(parent, i)] = find(parent, j)
    groups = defaultdict(list)
    for i in sorted({i for p in pairs for i in p}):
        groups[find(parent, i)].append(i)
    clusters = []
    for ids in groups.values():
        pos = {q: n for n, q in enumerate(ids)}
        clusters.append({
            "quote": quotes[max(ids, key=lambda i: len(quotes[i][3]))][2],
            "members": [{"doc": quotes[i][0], "text": quotes[i][2], "start": quotes[i][1]}
                        for i in ids],
            "pairs": sorted([pos[i], pos[j], t, sc] for (i, j), (t, sc) in pairs.items()
                            if i in pos)})
    clusters = [c for c in clusters if ndocs(c) >= 2]
    clusters.sort(key=lambda c: (-ndocs(c), c["quote"]))
    stats = build_stats(clusters, quotes, outlet, len(cand), pairs)
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump({"clusters": clusters, "stats": stats}, f, ensure_ascii=False, indent=1)
    print("trace_gold build: " + json.dumps(stats), file=sys.stderr)
    for n, c in enumerate(random.Random(a.seed).sample(clusters, min(10, len(clusters))), 1):
        print("\n[%d] %d docs, outlets %s, pairs %s" % (
            n, ndocs(c), ",".join(sorted({outlet[m["doc"]] for m in c["members"]})),
            dict(Counter(p[2] for p in c["pairs"]))), file=sys.stderr)
        for m in c["members"]:
            print("   %-45.45s %6d  %s" % (m["doc"], m["start"], m["text"][:150]),
                  file=sys.stderr)
    return 0


def build_stats(clusters, quotes, outlet, ncand, pairs):
    doc_pairs = Counter()  # articles sharing several clusters: one story printed twice
    for c in clusters:
        ds = sorted({m["doc"] for m in c["members"]})
        doc_pairs.update((x, y) for k, x in enumerate(ds) for y in ds[k + 1:])
    return {
        "articles": len(outlet), "quotes": len(quotes), "candidate_pairs": ncand,
        "pairs": len(pairs), "pair_types": dict(Counter(t for t, _ in pairs.values())),
        "clusters": len(clusters), "members": sum(len(c["members"]) for c in clusters),
        "documents": len({m["doc"] for c in clusters for m in c["members"]}),
        "clusters_multi_outlet": sum(
            1 for c in clusters if len({outlet[m["doc"]] for m in c["members"]}) >= 2),
        "cluster_docs_histogram": dict(sorted(Counter(map(ndocs, clusters)).items())),
        "article_pairs_sharing_3plus_clusters": [[x, y, n] for (x, y), n
                                                 in doc_pairs.most_common() if n >= 3]}


def content_text(occ):
    content = (occ.get("attribution") or {}).get("content") or {}
    return content.get("text") or occ.get("text") or ""


def lenient(q, c):
    """Is content word list c close enough to query word list q to be a reuse?"""
    if not q or not c:
        return False
    if difflib.SequenceMatcher(None, q, c, autojunk=False).ratio() >= 0.5:
        return True
    return min(len(q), len(c)) >= 4 and aligned(q, c) >= 0.8 * min(len(q), len(c))


def trace(hearsay, db, query, timeout):
    """(occurrences, seconds, exit code or "timeout", unparsable lines) of one trace."""
    t0 = time.perf_counter()
    try:
        p = subprocess.run([hearsay, "trace", db, query, "--format", "json"], timeout=timeout,
                           capture_output=True, encoding="utf-8", errors="replace")
    except subprocess.TimeoutExpired:
        return [], time.perf_counter() - t0, "timeout", 0
    dt = time.perf_counter() - t0
    occs, bad = [], 0
    for line in filter(str.strip, p.stdout.splitlines()):
        try:
            occs.append(json.loads(line))
        except json.JSONDecodeError:
            bad += 1
    return occs, dt, p.returncode, bad


def score(a):
    with open(a.gold, encoding="utf-8") as f:
        clusters = json.load(f)["clusters"][:a.max]
    queries, codes, bad_lines = [], Counter(), 0
    for ci, c in enumerate(clusters):
        gold = {m["doc"] for m in c["members"]}
        for mi, m in enumerate(c["members"]):
            direct = {m["doc"]} | {c["members"][i + j - mi]["doc"]
                                   for i, j, _, _ in c["pairs"] if mi in (i, j)}
            occs, dt, rc, bad = trace(a.hearsay, a.db, m["text"], a.timeout)
            codes[rc] += 1
            bad_lines += bad
            got = defaultdict(list)
            for o in occs:
                got[re.sub(r"~\d+$", "", str(o.get("doc", "")))].append(content_text(o))
            q = words(m["text"])
            ok = {d for d, texts in got.items()
                  if d in gold or any(lenient(q, words(t)) for t in texts)}
            queries.append({
                "cluster": ci, "doc": m["doc"], "query": m["text"], "seconds": round(dt, 4),
                "gold": len(gold), "found": len(gold & got.keys()), "returned": len(got),
                "lenient_ok": len(ok), "direct": len(direct),
                "direct_found": len(direct & got.keys()),
                "missed": [{"doc": x["doc"], "text": x["text"]} for x in c["members"]
                           if x["doc"] not in got],
                "extra": [{"doc": d, "text": t, "lenient": d in ok}
                          for d, texts in sorted(got.items()) if d not in gold
                          for t in texts[:3]]})
            if a.progress and len(queries) % 100 == 0:
                print("  %d queries" % len(queries), file=sys.stderr)
    report = summarise(queries, codes, bad_lines)
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            json.dump(report, f, ensure_ascii=False, indent=1)
    show(report)
    return 0


def ratio(num, den):
    return round(num / den, 4) if den else None


def summarise(queries, codes, bad_lines):
    def tot(key, qs=queries):
        return sum(q[key] for q in qs)
    by_cluster = defaultdict(list)
    for q in queries:
        by_cluster[q["cluster"]].append(q)
    rec = [ratio(tot("found", qs), tot("gold", qs)) for qs in by_cluster.values()]
    prec = [p for p in (ratio(tot("found", qs), tot("returned", qs))
                        for qs in by_cluster.values()) if p is not None]
    ts = sorted(q["seconds"] for q in queries) or [0.0]
    worst = sorted(queries, key=lambda q: (q["found"] / q["gold"], -q["gold"]))
    fps = sorted(({**e, "query": q["query"]} for q in queries for e in q["extra"]),
                 key=lambda e: not e["lenient"])
    return {
        "queries": len(queries), "clusters": len(by_cluster),
        "exit_codes": {str(k): v for k, v in codes.items()}, "bad_json_lines": bad_lines,
        "micro": {"recall": ratio(tot("found"), tot("gold")),
                  "precision": ratio(tot("found"), tot("returned")),
                  "lenient_precision": ratio(tot("lenient_ok"), tot("returned")),
                  "direct_recall": ratio(tot("direct_found"), tot("direct"))},
        "macro_clusters": {"recall": ratio(sum(rec), len(rec)),
                           "precision": ratio(sum(prec), len(prec))},
        "seconds": {"median": statistics.median(ts), "max": ts[-1],
                    "p99": ts[min(len(ts) - 1, int(0.99 * len(ts)))]},
        "queries_without_result": sum(1 for q in queries if not q["returned"]),
        "worst_misses": [{k: q[k] for k in ("query", "doc", "found", "gold", "missed")}
                         for q in worst[:200] if q["missed"]],
        "returned_outside_gold": fps[:500],
        "per_query": [{k: v for k, v in q.items() if k not in ("missed", "extra")}
                      for q in queries]}


def show(r):
    out = ["trace_gold score: %d queries, %d clusters; exit codes %s; %d bad JSON lines"
           % (r["queries"], r["clusters"], r["exit_codes"], r["bad_json_lines"]),
           "  micro %s\n  macro over clusters %s" % (r["micro"], r["macro_clusters"]),
           "  seconds per query %s; %d found nothing" % (r["seconds"],
                                                         r["queries_without_result"]),
           "\nworst misses [found/gold] query doc: query / missed doc: its text"]
    for w in r["worst_misses"][:10]:
        out.append("  [%d/%d] %s: %s" % (w["found"], w["gold"], w["doc"], w["query"][:120]))
        out += ["      missed %s: %s" % (m["doc"], m["text"][:120]) for m in w["missed"][:3]]
    out.append("\nreturned outside the cluster (~ lenient match, x not; a human judges):")
    out += ["  %s %s: %s\n      query: %s" % ("~" if e["lenient"] else "x", e["doc"],
                                              e["text"][:120], e["query"][:120])
            for e in r["returned_outside_gold"][:15]]
    print("\n".join(out), file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="build the gold set from the shared data")
    b.add_argument("shared", metavar="SHARED_DATA")
    b.add_argument("out", metavar="OUT.json")
    b.add_argument("--seed", type=int, default=11, help="for the 10 clusters shown")
    b.add_argument("--overlap", type=int, default=9, metavar="W",
                   help="pair quotes sharing a rare run of W words (0: off; default 9)")
    s = sub.add_parser("score", help="score `hearsay trace` against a gold set")
    s.add_argument("gold", metavar="GOLD.json")
    s.add_argument("--hearsay", required=True, metavar="PATH")
    s.add_argument("--db", required=True, metavar="DB")
    s.add_argument("--max", type=int, metavar="N", help="only the first N clusters")
    s.add_argument("--out", metavar="REPORT.json")
    s.add_argument("--timeout", type=float, default=120, metavar="S", help="per query")
    s.add_argument("--progress", action="store_true", help="a line every 100 queries")
    a = ap.parse_args()
    if a.cmd == "build" and 0 < a.overlap < 3:
        ap.error("--overlap must be 0 or at least 3")
    try:
        return build(a) if a.cmd == "build" else score(a)
    except OSError as e:
        print("trace_gold: %s" % e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
