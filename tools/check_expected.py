#!/usr/bin/env python3
"""Checks hearsay's attributions against hand-made expectations.

usage: check_expected.py EXPECTED.tsv < hearsay-output.jsonl

EXPECTED.tsv (tests/expected/): lines "must kind source cue content via",
tab-separated; '#' lines are comments, "# floor N" sets how many rows must be
found in all. A row is found when one attribution has that kind ('*': any),
a source whose text or entity name contains `source`, a cue containing `cue`
('*': any, '-': none), content containing `content` ('(missing)': announced
but not in the text) and a `via` outlet naming `via` ('*': any). Prints one
line per row and a summary; exits 1 when a '!' row or the floor is missed.
"""
import json
import sys


def found(row, doc):
    must, kind, source, cue, content, via = row
    ents = {e["id"]: e for e in doc.get("entities", [])}
    for a in doc.get("attributions", []):
        if kind != "*" and a["kind"] != kind:
            continue
        if cue == "-":
            if a["cue"]:
                continue
        elif cue != "*" and not (a["cue"] and cue.lower() in a["cue"]["text"].lower()):
            continue
        if content == "(missing)":
            if not a.get("content_missing"):
                continue
        elif not (a["content"] and content in a["content"]["text"]):
            continue
        src = a["source"]
        names = []
        if src:
            names.append(src["text"])
            if src.get("entity") in ents:
                names.append(ents[src["entity"]]["name"])
        if not any(source.lower() in n.lower() for n in names):
            continue
        if via != "*":
            v = a.get("via")
            vnames = [v["text"]] if v else []
            if v and v.get("entity") in ents:
                vnames.append(ents[v["entity"]]["name"])
            if not any(via.lower() in n.lower() for n in vnames):
                continue
        return True
    return False


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    rows, floor = [], 0
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# floor "):
                floor = int(line.split()[2])
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 6:
                print(f"{sys.argv[1]}: bad row: {line}", file=sys.stderr)
                return 2
            rows.append(cols)
    doc = json.loads(sys.stdin.readline())
    n, bad = 0, 0
    for row in rows:
        ok = found(row, doc)
        n += ok
        if not ok and row[0] == "!":
            bad += 1
        print(f"{'found' if ok else 'MISSED'} {row[0]} {row[1]:10s} {row[2]} | {row[3]} | {row[4]}")
    print(f"{sys.argv[1]}: {n} of {len(rows)} expected attributions found (floor {floor}), "
          f"{bad} required ones missed")
    return 1 if bad or n < floor else 0


if __name__ == "__main__":
    sys.exit(main())
