#!/usr/bin/env python3
"""search_recall.py - recall of `hearsay search --speaker` against the PolNeAR
gold attributions whose source names a person.

usage: search_recall.py SHARED_DATA --hearsay PATH --db DB [--split dev]
                        [--no-corenlp] [--no-title] [--samples N] [--out REPORT.json]

Gold: the .ann of the first annotator listed in metadata.tsv for each article
of the split, events `Attribution` with a Source and a Content (Content2
included). The surname is the last token of the source text that starts with a
capital letter and is not a pronoun, determiner, title or group word ("He",
"The", "Mr.", "Officials"; all-caps words neither): "Sergey Lavrov" -> Lavrov,
"Trump campaign manager Kellyanne Conway" -> Conway, "Trump's aides" -> Trump.
Unless --no-corenlp, the word must also be one whose commonest entity tag in
the PolNeAR CoreNLP layers is PERSON, which drops "York", "Russia", "Council"
(and the rare "Oz"), and an all-caps transcript name ("PENCE") becomes "Pence".
A source is `name` when all its tokens are such names or titles ("Mr. Trump"),
else `other`.

For each distinct surname, `hearsay search DB --speaker SURNAME --format json
--limit 100000` runs once. A gold attribution is found when a returned line has
`doc` (a `~k` suffix stripped) equal to the article's stem and
`attribution.content.spans` (UTF-8 byte offsets, end exclusive) overlapping the
gold content (brat code point offsets, converted). DB is expected to come from
tools/polnear_jsonl.py: hearsay puts a "title" the text does not start with in
front of it with a blank line, which shifts every offset of 209 of the 924
articles (18 in dev); that shift is applied unless --no-title (a DB made from
the .txt files).

`content_recall` is a cheaper stand-in for "did the analyzer find this content
at all": the gold content overlaps a returned content of the same document in
the results of ANY surname's search (speaker ignored). It is a lower bound: a
content hearsay gives to a pronoun or to a name not in the gold list is missed.
"""
import argparse
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

TITLES = set("""
Mr Mrs Ms Miss Dr Sen Sens Rep Reps Gov Govs Lt Gen Col Capt Sgt Rev Prof Sir Dame Lord
Lady Hon Jr Sr President Vice Senator Representative Congressman Congresswoman Governor
Secretary Speaker Leader Chairman Chairwoman Chair Mayor Judge Justice Attorney General
Director Chief Ambassador Minister Prime Pope Candidate Nominee Former
""".split())  # may stand in a bare name: "Mr. Trump", "Sen. Ted Cruz"
NOT_NAMES = TITLES | set("""
I Me My We Us Our You Your He Him His She Her It Its They Them Their Who Whom Whose
Which That This These Those The A An Some Many Most Several Both All Each Every Other
Others Another Any No None One Two Three Few Such Top Senior Fellow New
Officials Official Democrats Democrat Democratic Republicans Republican Americans
Critics Experts Aides Aide Advisers Sources Supporters Voters Analysts Polls Poll
Reports Report Police Campaign Committee Department House Senate Congress Party
Administration Government State States Court Office Team Staff Spokesman Spokeswoman
Spokesperson Press News Times Post Journal Today Associated Network Foundation
""".split())
TOKEN = re.compile(r"\w[\w'’.-]*")


def read_ann(path):
    """[(source spans, content spans)] of the file's attributions with both roles."""
    spans, events = {}, []
    with open(path, encoding="utf-8") as f:
        for line in f:  # lines not starting T/E (spilled span texts) are skipped
            cols = line.rstrip("\n").split("\t")
            if re.match(r"T\d+$", cols[0]) and len(cols) >= 2:
                label, _, offs = cols[1].partition(" ")
                spans[cols[0]] = [tuple(map(int, p.split())) for p in offs.split(";")]
            elif re.match(r"E\d+$", cols[0]) and len(cols) >= 2:
                events.append(dict(arg.split(":", 1) for arg in cols[1].split()))
    out = []
    for ev in events:  # an event may name a T defined after it: second pass
        if "Attribution" not in ev or "Source" not in ev or "Content" not in ev:
            continue
        content = spans[ev["Content"]] + spans.get(ev.get("Content2"), [])
        out.append((spans[ev["Source"]], content))
    return out


def person_words(shared):
    """Words whose commonest CoreNLP entity tag over all PolNeAR layers is PERSON
    ("Trump": 3,026 PERSON, 881 ORGANIZATION; "Russia": LOCATION)."""
    tags = defaultdict(Counter)
    for split in ("train", "dev"):
        folder = os.path.join(shared, "polnear", split, "corenlp-tsv")
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                for c in (ln.split("\t") for ln in f if ln[:1].isdigit()):
                    if len(c) > 5 and c[5] != "O":
                        tags[c[2]][c[5]] += 1
    return {w for w, c in tags.items() if c.most_common(1)[0][0] == "PERSON"}


def surname(source, persons):
    """(surname or None, is the source just a name) for a source's text; persons:
    person_words() or None. An all-caps name (transcripts: "PENCE") is title-cased."""
    names, bare = [], True
    for tok in TOKEN.findall(source):
        word = re.sub(r"(['’]s?|\.)$", "", tok)
        if persons is not None and word.isupper() and len(word) > 1:
            word = word.capitalize()
        is_name = (word[:1].isupper() and word not in NOT_NAMES and not word.isupper()
                   and (persons is None or word in persons))
        if is_name:
            names.append(word)
        bare &= is_name or word in TITLES
    return (names[-1], bare) if names else (None, False)


def gold(shared, split, corenlp, titled):
    """Gold attributions with a named source: dicts doc, surname, kind, content, ..."""
    shifts, out = {}, []
    persons = person_words(shared) if corenlp else None
    for _, stem, row, text in articles(shared, [split]):
        folder = os.path.join(shared, "polnear", split)
        ann = os.path.join(folder, "attributions",
                           "%s_%s.ann" % (stem, row.get("annotators", "").split("|")[0]))
        if not os.path.exists(ann):
            continue
        byte = [0]
        for ch in text:
            byte.append(byte[-1] + len(ch.encode("utf-8")))
        title = row.get("title", "")
        shift = 0 if not titled or not title or text.lstrip(" \t\r\n").startswith(title) \
            else len(re.sub(r"[\r\n]", " ", title).encode("utf-8")) + 2
        shifts[stem] = shift
        for src, content in read_ann(ann):
            source = " ".join(text[s:e] for s, e in src)
            name, bare = surname(source, persons)
            out.append({"doc": stem, "surname": name, "kind": "name" if bare else "other",
                        "source": source,
                        "content": " ".join(text[s:e] for s, e in content),
                        "bytes": [(byte[s] + shift, byte[e] + shift) for s, e in content]})
    return out, shifts


def search(hearsay, db, name, docs):
    """({doc: [content byte spans]} for docs in `docs`, seconds, exit code, bad lines)."""
    t0 = time.perf_counter()
    cmd = [hearsay, "search", db, "--speaker", name, "--format", "json", "--limit", "100000"]
    got, bad = defaultdict(list), 0
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, encoding="utf-8",
                          errors="replace") as p:
        for line in p.stdout:
            try:
                o = json.loads(line)
                doc = re.sub(r"~\d+$", "", str(o.get("doc", "")))
                content = (o.get("attribution") or {}).get("content") or {}
                if doc in docs:
                    got[doc] += [tuple(sp) for sp in content.get("spans") or []]
            except (json.JSONDecodeError, AttributeError, TypeError):
                bad += line.strip() != ""
    return got, time.perf_counter() - t0, p.returncode, bad


def overlaps(spans, others):
    return any(s < e2 and s2 < e for s, e in spans for s2, e2 in others)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("shared", metavar="SHARED_DATA")
    ap.add_argument("--hearsay", required=True, metavar="PATH")
    ap.add_argument("--db", required=True, metavar="DB")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--no-corenlp", dest="corenlp", action="store_false",
                    help="do not require CoreNLP's PERSON tag on the surname")
    ap.add_argument("--no-title", dest="title", action="store_false",
                    help="DB offsets are into the .txt as is (no title put in front)")
    ap.add_argument("--samples", type=int, default=20, metavar="N", help="misses to list")
    ap.add_argument("--out", metavar="REPORT.json")
    a = ap.parse_args()
    try:
        attrs, shifts = gold(a.shared, a.split, a.corenlp, a.title)
    except OSError as e:
        print("search_recall: %s" % e, file=sys.stderr)
        return 1
    named = [g for g in attrs if g["surname"]]
    results, seconds, codes, bad = {}, [], Counter(), 0
    try:
        for name in sorted({g["surname"] for g in named}):
            results[name], dt, rc, nbad = search(a.hearsay, a.db, name, shifts.keys())
            seconds.append(dt)
            codes[rc] += 1
            bad += nbad
    except OSError as e:
        print("search_recall: %s: %s" % (a.hearsay, e), file=sys.stderr)
        return 1
    anyone = defaultdict(list)
    for got in results.values():
        for doc, spans in got.items():
            anyone[doc] += spans
    for g in named:
        g["found"] = overlaps(g["bytes"], results[g["surname"]].get(g["doc"], []))
        g["content_found"] = overlaps(g["bytes"], anyone.get(g["doc"], []))

    def recall(gs, key="found"):
        return {"n": len(gs), "found": sum(g[key] for g in gs),
                "recall": round(sum(g[key] for g in gs) / len(gs), 4) if gs else None}
    misses = [g for g in named if not g["found"]]
    sample = random.Random(1).sample(misses, min(a.samples, len(misses)))
    report = {
        "split": a.split, "attributions_with_source": len(attrs),
        "with_surname": len(named), "surnames": len(results),
        "titles_shifted": sum(1 for v in shifts.values() if v),
        "speaker_recall": recall(named),
        "speaker_recall_by_kind": {k: recall([g for g in named if g["kind"] == k])
                                   for k in ("name", "other")},
        "content_recall": recall(named, "content_found"),
        "exit_codes": {str(k): v for k, v in codes.items()}, "bad_json_lines": bad,
        "seconds_per_search": {"median": round(statistics.median(seconds), 4) if seconds
                               else None, "total": round(sum(seconds), 2)},
        "top_missed_surnames": Counter(g["surname"] for g in misses).most_common(20),
        "miss_samples": [{k: g[k] for k in ("doc", "source", "surname", "kind",
                                            "content_found")} | {"content": g["content"][:200]}
                         for g in sample]}
    if a.out:
        with open(a.out, "w", encoding="utf-8") as f:
            json.dump(report, f, ensure_ascii=False, indent=1)
    err = sys.stderr
    print("search_recall %s: %d attributions with a source, %d with a surname (%d surnames)"
          % (a.split, len(attrs), len(named), len(results)), file=err)
    for key in ("speaker_recall", "speaker_recall_by_kind", "content_recall", "exit_codes",
                "bad_json_lines", "seconds_per_search", "top_missed_surnames"):
        print("  %s: %s" % (key, json.dumps(report[key], ensure_ascii=False)), file=err)
    print("misses (source -> surname [kind, content found under any name?]: content):", file=err)
    for g in report["miss_samples"]:
        print("  %s: %s -> %s [%s, %s]: %s" % (g["doc"][:40], g["source"], g["surname"],
              g["kind"], "yes" if g["content_found"] else "no", g["content"][:100]), file=err)
    return 0


if __name__ == "__main__":
    sys.exit(main())
