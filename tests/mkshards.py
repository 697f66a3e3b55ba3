#!/usr/bin/env python3
"""mkshards.py - the inputs of tests/slurm.sh and bench/slurm.sh, made at run
time from the PolNeAR train articles in ../shared (no news text is kept in
the repository): gzipped JSON Lines, a gzipped WARC of HTML pages with one
damaged record (N/2 pages, large enough to be cut into ranges of records),
JSON Lines with a line that is not JSON, a plain-text article, and one large
gzipped JSON Lines file that the cluster runner cuts into several tasks.

usage: mkshards.py DIR SHARED N   (N: documents in big.jsonl.gz; the others
                                   take about 5N/6 more)
"""
import glob, gzip, html, json, os, sys

from mkwarc import http, record  # the WARC and HTTP framing of the CLI tests


def articles(shared):
    meta = {}
    with open(os.path.join(shared, "data/polnear/metadata.tsv"), encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            row = dict(zip(head, line.rstrip("\n").split("\t")))
            meta[row["filename"]] = row
    for p in sorted(glob.glob(os.path.join(shared, "data/polnear/train/text/*.txt"))):
        name = os.path.basename(p)[:-4]
        m = meta.get(name, {})
        yield {"id": name, "text": open(p, encoding="utf-8").read(),
               "outlet": m.get("publisher"), "date": m.get("publication_date")}


def page(a):
    paras = [p for p in a["text"].split("\n") if p.strip()]
    title = html.escape(paras[0]) if paras else ""
    body = "\n".join("<p>%s</p>" % html.escape(p) for p in paras[1:])
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%s</title></head>"
            "<body><nav><a href=\"/\">Home</a></nav><article><h1>%s</h1>\n%s\n</article>"
            "</body></html>" % (title, title, body)).encode("utf-8")


def warc_record(a, n):
    return record("response", "https://news.example/%s" % a["id"], http(page(a)), n)


def main():
    out, shared, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    docs = list(articles(shared))
    small, pages = max(8, n // 6), max(8, n // 2)
    need = n + 2 * small + pages + 1
    if len(docs) < need:
        docs = (docs * (need // len(docs) + 1))[:need]
    a, c = docs[:small], docs[small:2 * small]
    b = docs[2 * small:2 * small + pages]
    d = docs[2 * small + pages]
    big = docs[2 * small + pages + 1:need]
    with gzip.open(os.path.join(out, "a.jsonl.gz"), "wt", encoding="utf-8") as f:
        for x in a:
            f.write(json.dumps(x) + "\n")
    members = [gzip.compress(warc_record(x, i + 1)) for i, x in enumerate(b)]
    k = len(members) // 2
    members[k] = members[k][:len(members[k]) // 2]  # a damaged record in the middle
    with open(os.path.join(out, "b.warc.gz"), "wb") as f:
        f.write(b"".join(members))
    with open(os.path.join(out, "c.jsonl"), "w", encoding="utf-8") as f:
        for i, x in enumerate(c):
            if i == len(c) // 3:
                f.write('{"id": "cut-short", "text": "no end\n')
            f.write(json.dumps(x) + "\n")
    with open(os.path.join(out, "d.txt"), "w", encoding="utf-8") as f:
        f.write(d["text"])
    with gzip.open(os.path.join(out, "big.jsonl.gz"), "wt", encoding="utf-8") as f:
        for i, x in enumerate(big):
            x = dict(x, id="%s-%d" % (x["id"], i))
            f.write(json.dumps(x) + "\n")


if __name__ == "__main__":
    main()
