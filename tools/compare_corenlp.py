#!/usr/bin/env python3
"""compare_corenlp.py - agreement of hearsay's tokens and sentences with the
CoreNLP layer of PolNeAR. Usage: compare_corenlp.py TOKDUMP_OUTPUT CORENLP_TSV_DIR
TOKDUMP_OUTPUT comes from build/tools/tokdump on the split's text files.
Prints token-span F1 and sentence-start F1 (byte offsets; CoreNLP's code point
offsets are converted). A development measure, not a test."""
import os, sys
from collections import defaultdict

def read_dump(path):
    docs = {}
    cur = None
    sent_start = True
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("# "):
            cur = os.path.basename(line[2:])[:-4]
            docs[cur] = (set(), set())
            sent_start = True
            continue
        if not line:
            sent_start = True
            continue
        s, e = line.split("\t")[:2]
        docs[cur][0].add((int(s), int(e)))
        if sent_start:
            docs[cur][1].add(int(s))
        sent_start = False
    return docs

def read_corenlp(path, text):
    b = [0]
    for ch in text:
        b.append(b[-1] + len(ch.encode("utf-8")))
    toks, starts = set(), set()
    new = True
    for line in open(path, encoding="utf-8"):
        if line.startswith("#"):
            continue
        if not line.strip():
            new = True
            continue
        f = line.split("\t")
        s, e = b[int(f[0])], b[int(f[1])]
        toks.add((s, e))
        if new:
            starts.add(s)
        new = False
    return toks, starts

def f1(tp, np_, ng):
    p = tp / np_ if np_ else 0
    r = tp / ng if ng else 0
    return p, r, (2 * p * r / (p + r) if p + r else 0)

def main():
    dump, tsvdir = sys.argv[1], sys.argv[2]
    textdir = os.path.join(os.path.dirname(tsvdir.rstrip("/")), "text")
    docs = read_dump(dump)
    c = defaultdict(int)
    for name, (toks, starts) in docs.items():
        tsv = os.path.join(tsvdir, name + ".tsv")
        if not os.path.exists(tsv):
            continue
        text = open(os.path.join(textdir, name + ".txt"), encoding="utf-8").read()
        gt, gs = read_corenlp(tsv, text)
        c["tt"] += len(toks & gt); c["tp"] += len(toks); c["tg"] += len(gt)
        c["st"] += len(starts & gs); c["sp"] += len(starts); c["sg"] += len(gs)
    print("tokens    P %.4f R %.4f F1 %.4f" % f1(c["tt"], c["tp"], c["tg"]))
    print("sentences P %.4f R %.4f F1 %.4f (sentence starts)" % f1(c["st"], c["sp"], c["sg"]))

main()
