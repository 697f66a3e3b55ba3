#!/usr/bin/env python3
"""Checks hearsay's meeting events against hand-made expectations.

usage: check_events.py EXPECTED.tsv < hearsay-output.jsonl

EXPECTED.tsv (tests/expected-events/): lines "must trigger participants
factuality source", tab-separated; '#' lines are comments, "# floor N" sets
how many rows must be found in all. A row is found when one event has the
trigger text `trigger` (exactly), for each ';'-separated name in `participants`
a participant whose entity name or text contains it ('*': any), that
factuality ('*': any) and a source whose entity name or text contains
`source` ('-': none, '*': any). Prints one line per row and a summary;
exits 1 when a '!' row or the floor is missed.
"""
import json
import sys


def names_of(x, ents):
    out = [x.get("text", "")]
    if x.get("entity") in ents:
        out.append(ents[x["entity"]]["name"])
    return [n.lower() for n in out]


def found(row, doc):
    _, trigger, parts, fact, source = row
    ents = {e["id"]: e for e in doc.get("entities", [])}
    for v in doc.get("events", []):
        if v["trigger"]["text"] != trigger:
            continue
        if fact != "*" and v["factuality"] != fact:
            continue
        if parts != "*":
            have = [names_of(p, ents) for p in v["participants"]]
            if not all(any(want.strip().lower() in n for ns in have for n in ns)
                       for want in parts.split(";")):
                continue
        src = v.get("source")
        if source == "-" and src:
            continue
        if source not in ("-", "*") and not (src and any(source.lower() in n
                                                          for n in names_of(src, ents))):
            continue
        return True
    return False


def main():
    rows, floor = [], None
    for line in open(sys.argv[1], encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("# floor"):
            floor = int(line.split()[2])
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 5:
            sys.exit("%s: a row without 5 columns: %r" % (sys.argv[1], line))
        rows.append(cols)
    doc = json.loads(sys.stdin.readline())
    hit = bad = 0
    for row in rows:
        ok = found(row, doc)
        hit += ok
        if not ok and row[0] == "!":
            bad += 1
        print("%s %s" % ("found " if ok else "MISSED", " | ".join(row[1:])))
    need = floor if floor is not None else len(rows)
    print("found (%d of %d rows, floor %d)" % (hit, len(rows), need))
    sys.exit(1 if bad or hit < need else 0)


if __name__ == "__main__":
    main()
