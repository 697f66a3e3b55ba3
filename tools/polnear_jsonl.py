#!/usr/bin/env python3
"""polnear_jsonl.py - the PolNeAR articles as hearsay JSON Lines input.

usage: polnear_jsonl.py SHARED_DATA OUT.jsonl [--repeat N] [--splits train,dev]

SHARED_DATA is the shared data folder (normally ../shared/data from the repo).
Writes one line per article: {"id": STEM, "outlet", "date" (YYYY-MM-DD),
"title", "text"}, STEM being the text file's name without .txt and the
metadata.tsv `filename`. With --repeat N the corpus is written N times, copy k
(k >= 2) with ids "STEM~k", to make a large corpus (924 x 109 ~ 100,000).
Note: 209 texts do not start with their metadata title byte for byte
(e.g. "Fraud.'" vs "Fraud'"); hearsay then puts the title in front of the text.
Other tools import articles() and read_metadata() from here.
"""
import argparse
import csv
import datetime
import json
import os
import sys


def read_metadata(shared):
    """filename -> metadata.tsv row (a dict keyed by the header)."""
    path = os.path.join(shared, "polnear", "metadata.tsv")
    with open(path, encoding="utf-8", newline="") as f:
        return {r["filename"]: r for r in csv.DictReader(f, delimiter="\t")}


def iso_date(s):
    """The date as YYYY-MM-DD, or '' when it is not a date."""
    try:
        return datetime.date.fromisoformat(s.strip()[:10]).isoformat()
    except ValueError:
        return ""


def articles(shared, splits=("train", "dev")):
    """Yields (split, stem, metadata row, text) for each article, sorted by stem."""
    meta = read_metadata(shared)
    for split in splits:
        folder = os.path.join(shared, "polnear", split, "text")
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".txt"):
                continue
            stem = name[:-4]
            with open(os.path.join(folder, name), encoding="utf-8", newline="") as f:
                text = f.read()
            yield split, stem, meta.get(stem, {}), text


def record(stem, row, text):
    return {"id": stem, "outlet": row.get("publisher", ""),
            "date": iso_date(row.get("publication_date", "")),
            "title": row.get("title", ""), "text": text}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("shared", metavar="SHARED_DATA")
    ap.add_argument("out", metavar="OUT.jsonl")
    ap.add_argument("--repeat", type=int, default=1, metavar="N")
    ap.add_argument("--splits", default="train,dev")
    a = ap.parse_args()
    if a.repeat < 1:
        ap.error("--repeat must be at least 1")
    splits = [s for s in a.splits.split(",") if s]
    # one copy in memory (4.4 MB); the N copies are streamed
    docs = [(stem, row, text) for _, stem, row, text in articles(a.shared, splits)]
    nometa = sum(1 for _, row, _ in docs if not row)
    size = 0
    with open(a.out, "w", encoding="utf-8", newline="\n") as out:
        for k in range(1, a.repeat + 1):
            for stem, row, text in docs:
                rec = record(stem if k == 1 else "%s~%d" % (stem, k), row, text)
                line = json.dumps(rec, ensure_ascii=False) + "\n"
                size += len(line.encode("utf-8"))
                out.write(line)
    print("polnear_jsonl: %d articles (%s) x %d = %d documents, %.1f MB, %d without metadata -> %s"
          % (len(docs), "+".join(splits), a.repeat, len(docs) * a.repeat, size / 1e6,
             nometa, a.out), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
